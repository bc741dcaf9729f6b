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

/** Mails of the outbox addressed to any of `addresses` (lower case). */
export async function mailsTo(db: Db, addresses: readonly string[]) {
  return db.query<{
    createdAt: Date;
    to: string;
    subject: string;
    text: string;
    kind: string;
    status: string;
    sentAt: Date | null;
  }>(
    `SELECT created_at AS "createdAt", to_address AS "to", subject, body_text AS text, kind, status, sent_at AS "sentAt"
     FROM mail_outbox WHERE lower(to_address) = ANY($1::text[]) ORDER BY id`,
    [addresses],
  );
}

export async function tableExists(db: Db, table: string): Promise<boolean> {
  const rows = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return Boolean(rows[0]?.t);
}

/**
 * The rows of a table (of another module, which may not exist yet) as JSON objects. `table` and `where`
 * come from constants of the caller, never from input; `where` refers to `param` as `$1`.
 */
export async function rowsAsJson(
  db: Db,
  table: string,
  where: string,
  param: unknown,
): Promise<Record<string, unknown>[]> {
  const rows = await db.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${where}`,
    [param],
  );
  return rows.map((r) => r.row);
}

export const ERASED_ADDRESS = 'geloescht@invalid';
export const ERASED_TEXT = '[gelöscht]';

/**
 * Erase the address and the text of every mail to `addresses` (the rows stay: the outbox is never thinned
 * out otherwise). Mails still waiting for delivery are given up. Returns the ids and kinds of the mails.
 */
export async function scrubMails(db: Db, addresses: readonly string[]): Promise<{ id: number; kind: string }[]> {
  return db.query<{ id: number; kind: string }>(
    `UPDATE mail_outbox SET to_address = $2, body_text = $3,
       body_html = CASE WHEN body_html IS NULL THEN NULL ELSE $3 END,
       status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
       last_error = CASE WHEN status = 'pending' THEN 'Konto gelöscht, Nachricht nicht zugestellt' ELSE last_error END,
       next_attempt_at = CASE WHEN status = 'pending' THEN NULL ELSE next_attempt_at END
     WHERE lower(to_address) = ANY($1::text[])
     RETURNING id::int AS id, kind`,
    [addresses, ERASED_ADDRESS, ERASED_TEXT],
  );
}

/** Erase the address from invitations to it (the organisation keeps the fact that it invited someone). */
export async function scrubInvitations(db: Db, addresses: readonly string[]): Promise<number> {
  const rows = await db.query<{ id: number }>(
    'UPDATE invitations SET email = $2 WHERE lower(email) = ANY($1::text[]) RETURNING id',
    [addresses, ERASED_ADDRESS],
  );
  return rows.length;
}

/** Delete the account; sessions, one-time links, memberships and API tokens go with it (ON DELETE CASCADE). */
export async function deleteUser(db: Db, userId: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>('DELETE FROM users WHERE id = $1 RETURNING id', [userId]);
  return rows.length > 0;
}
