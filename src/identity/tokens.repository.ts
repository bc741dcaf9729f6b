import type { Db } from '../platform/db/db.js';

/** One API token as lists show it (never the token itself, which is not stored). */
export interface ApiTokenRow {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = `id::int AS id, user_id::int AS "userId", name, prefix, scopes, created_at AS "createdAt",
  expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

export async function insertApiToken(
  db: Db,
  t: {
    userId: number;
    name: string;
    tokenHash: string;
    prefix: string;
    scopes: string[];
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<ApiTokenRow> {
  const rows = await db.query<ApiTokenRow>(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7) RETURNING ${COLUMNS}`,
    [t.userId, t.name, t.tokenHash, t.prefix, t.scopes, t.createdAt, t.expiresAt],
  );
  return rows[0]!;
}

/** All tokens of a user, newest first. */
export async function apiTokensOfUser(db: Db, userId: number): Promise<ApiTokenRow[]> {
  return db.query<ApiTokenRow>(
    `SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
    [userId],
  );
}

export async function apiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenRow | null> {
  const rows = await db.query<ApiTokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = $1`, [tokenHash]);
  return rows[0] ?? null;
}

/** Record a use; skipped by the database too when the last recorded use is less than a minute old. */
export async function touchApiToken(db: Db, id: number, now: Date) {
  await db.query(
    `UPDATE api_tokens SET last_used_at = $2
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
    [id, now],
  );
}

/**
 * Revoke a token of this user (a token of another user is not found: the caller answers 404).
 * Revoking twice keeps the first time. Returns whether the user has such a token.
 */
export async function revokeApiToken(db: Db, userId: number, id: number, now: Date): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3)
     WHERE id = $1 AND user_id = $2 RETURNING id::int AS id`,
    [id, userId, now],
  );
  return rows.length > 0;
}
