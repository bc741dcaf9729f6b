import type { Db } from '../platform/db/db.js';

/** What the export says about the account itself (never the password hash: only whether one is set). */
export interface AccountExport {
  id: number;
  email: string;
  emailVerifiedAt: Date | null;
  displayName: string | null;
  isPlatformAdmin: boolean;
  passwordSet: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export async function accountOf(db: Db, userId: number): Promise<AccountExport | null> {
  const rows = await db.query<AccountExport>(
    `SELECT id::int AS id, email, email_verified_at AS "emailVerifiedAt", display_name AS "displayName",
       is_platform_admin AS "isPlatformAdmin", password_hash IS NOT NULL AS "passwordSet",
       created_at AS "createdAt", updated_at AS "updatedAt"
     FROM users WHERE id = $1`,
    [userId],
  );
  return rows[0] ?? null;
}

/** Sessions without their ids and CSRF secrets. */
export async function sessionsOf(db: Db, userId: number) {
  return db.query<{ createdAt: Date; lastSeenAt: Date; expiresAt: Date }>(
    `SELECT created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt"
     FROM sessions WHERE user_id = $1 ORDER BY created_at`,
    [userId],
  );
}

/** One-time links without their hashes. */
export async function oneTimeTokensOf(db: Db, userId: number) {
  return db.query<{
    purpose: string;
    data: Record<string, unknown>;
    createdAt: Date;
    expiresAt: Date;
    usedAt: Date | null;
  }>(
    `SELECT purpose, data, created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"
     FROM one_time_tokens WHERE user_id = $1 ORDER BY created_at`,
    [userId],
  );
}

const BY_USER_TABLES = new Set(['api_tokens', 'user_identities', 'login_devices']);

/** The rows of one of identity's own tables by `user_id`, as JSON objects (`table` from the fixed list only). */
export async function rowsOf(db: Db, table: string, userId: number): Promise<Record<string, unknown>[]> {
  if (!BY_USER_TABLES.has(table)) throw new Error(`rowsOf: ${table} is not a table of the identity module`);
  const rows = await db.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS row FROM ${table} t WHERE t.user_id = $1`,
    [userId],
  );
  return rows.map((r) => r.row);
}

/** Delete the account; sessions, one-time links, memberships and API tokens go with it (ON DELETE CASCADE). */
export async function deleteUser(db: Db, userId: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>('DELETE FROM users WHERE id = $1 RETURNING id', [userId]);
  return rows.length > 0;
}
