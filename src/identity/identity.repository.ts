import type { Db } from '../platform/db/db.js';

export interface UserRow {
  id: number;
  email: string;
  emailVerifiedAt: Date | null;
  passwordHash: string | null;
  displayName: string | null;
  isPlatformAdmin: boolean;
  createdAt: Date;
}

const USER_COLUMNS = `u.id::int AS id, u.email, u.email_verified_at AS "emailVerifiedAt", u.password_hash AS "passwordHash",
  u.display_name AS "displayName", u.is_platform_admin AS "isPlatformAdmin", u.created_at AS "createdAt"`;

export async function userByEmail(db: Db, email: string): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.email = $1`, [email]);
  return rows[0] ?? null;
}

export async function userById(db: Db, id: number): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function insertUser(
  db: Db,
  u: { email: string; passwordHash: string | null; verified: boolean; isPlatformAdmin: boolean },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (email, password_hash, email_verified_at, is_platform_admin)
     VALUES ($1, $2, CASE WHEN $3 THEN now() END, $4) RETURNING id::int AS id`,
    [u.email, u.passwordHash, u.verified, u.isPlatformAdmin],
  );
  return rows[0]!.id;
}

export async function setPassword(db: Db, userId: number, hash: string) {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, hash]);
}

export async function markVerified(db: Db, userId: number) {
  await db.query(
    'UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1',
    [userId],
  );
}

export async function setPlatformAdmin(db: Db, userId: number) {
  await db.query('UPDATE users SET is_platform_admin = true, updated_at = now() WHERE id = $1', [userId]);
}

/** A verified account's id by address (null when none or not verified). */
export async function verifiedUserId(db: Db, email: string): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    'SELECT id::int AS id FROM users WHERE email = $1 AND email_verified_at IS NOT NULL',
    [email],
  );
  return rows[0]?.id ?? null;
}

/** Addresses of accounts by id (for views of other modules: members, authors). */
export async function emailsOf(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: number; email: string }>(
    'SELECT id::int AS id, email FROM users WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.email]));
}

export async function clearPassword(db: Db, userId: number) {
  await db.query('UPDATE users SET password_hash = NULL, updated_at = now() WHERE id = $1', [userId]);
}

export async function listUsers(db: Db, limit: number, offset: number): Promise<UserRow[]> {
  return db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.id LIMIT $1 OFFSET $2`, [limit, offset]);
}

/** Remove accounts that never verified their address, older than `before`. Returns how many. */
export async function deleteUnverifiedBefore(db: Db, before: Date): Promise<number> {
  const rows = await db.query<{ id: number }>(
    'DELETE FROM users WHERE email_verified_at IS NULL AND created_at < $1 RETURNING id',
    [before],
  );
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Sessions

export interface SessionRow {
  idHash: string;
  /** Name of the organisation the person acts for in this session, if any. */
  actingOrgName?: string | null;
  userId: number;
  csrfSecret: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export async function insertSession(
  db: Db,
  s: { idHash: string; userId: number; csrfSecret: string; expiresAt: Date; createdAt?: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_secret, expires_at, created_at, last_seen_at)
     VALUES ($1, $2, $3, $4, coalesce($5, now()), coalesce($5, now()))`,
    [s.idHash, s.userId, s.csrfSecret, s.expiresAt, s.createdAt ?? null],
  );
}

export async function sessionWithUser(db: Db, idHash: string): Promise<(SessionRow & { user: UserRow }) | null> {
  const rows = await db.query<{ session: SessionRow } & UserRow>(
    `SELECT json_build_object('idHash', s.id_hash, 'userId', s.user_id, 'csrfSecret', s.csrf_secret,
       'createdAt', s.created_at, 'lastSeenAt', s.last_seen_at, 'expiresAt', s.expires_at,
       'actingOrgName', (SELECT o.name FROM organisations o JOIN memberships m ON m.org_id = o.id AND m.user_id = s.user_id
                         WHERE o.id = s.acting_org_id)) AS session, ${USER_COLUMNS}
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
    [idHash],
    { prepare: true }, // every signed-in request
  );
  const r = rows[0];
  if (!r) return null;
  const { session, ...user } = r;
  return {
    ...session,
    createdAt: new Date(session.createdAt),
    lastSeenAt: new Date(session.lastSeenAt),
    expiresAt: new Date(session.expiresAt),
    user,
  };
}

/** The organisation the session acts for (the organisations module checks the membership first). */
export async function setActingOrg(db: Db, idHash: string, orgId: number | null) {
  await db.query('UPDATE sessions SET acting_org_id = $2 WHERE id_hash = $1', [idHash, orgId]);
}

export async function touchSession(db: Db, idHash: string, at: Date) {
  await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, at]);
}

export async function deleteSession(db: Db, idHash: string) {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** End all sessions of a user, except optionally one. Returns how many ended. */
export async function deleteUserSessions(db: Db, userId: number, except: string | null = null): Promise<number> {
  const rows = await db.query<{ id_hash: string }>(
    'DELETE FROM sessions WHERE user_id = $1 AND ($2::text IS NULL OR id_hash <> $2) RETURNING id_hash',
    [userId, except],
  );
  return rows.length;
}

export async function countUserSessions(db: Db, userId: number): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [userId]);
  return rows[0]?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// One-time tokens

export type TokenPurpose = 'verify-email' | 'password-reset' | 'login-link' | 'change-email';

export async function insertOneTimeToken(
  db: Db,
  t: { tokenHash: string; purpose: TokenPurpose; userId: number; expiresAt: Date; data?: object },
) {
  await db.query(
    `INSERT INTO one_time_tokens (token_hash, purpose, user_id, expires_at, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [t.tokenHash, t.purpose, t.userId, t.expiresAt, JSON.stringify(t.data ?? {})],
  );
}

/**
 * Use a token exactly once: marks it used and returns it only if it was unused, of the purpose, and not
 * expired at `now`. One statement, so two concurrent uses cannot both succeed.
 */
export async function consumeOneTimeToken(
  db: Db,
  tokenHash: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ userId: number; data: Record<string, unknown> } | null> {
  const rows = await db.query<{ userId: number; data: Record<string, unknown> }>(
    `UPDATE one_time_tokens SET used_at = $3
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
     RETURNING user_id::int AS "userId", data`,
    [tokenHash, purpose, now],
  );
  return rows[0] ?? null;
}

/** A token that is still valid, without using it (to show the form behind a link). */
export async function peekOneTimeToken(db: Db, tokenHash: string, purpose: TokenPurpose, now: Date) {
  const rows = await db.query<{ userId: number }>(
    `SELECT user_id::int AS "userId" FROM one_time_tokens
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
    [tokenHash, purpose, now],
  );
  return rows[0] ?? null;
}

export async function invalidateTokens(db: Db, userId: number, purpose: TokenPurpose) {
  await db.query('UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [
    userId,
    purpose,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Single sign-on identities

/** The account linked to a provider identity (and note the login), or null. */
export async function touchLinkedIdentity(db: Db, issuer: string, subject: string): Promise<number | null> {
  const rows = await db.query<{ userId: number }>(
    `UPDATE user_identities SET last_login_at = now() WHERE issuer = $1 AND subject = $2
     RETURNING user_id::int AS "userId"`,
    [issuer, subject],
  );
  return rows[0]?.userId ?? null;
}

export async function linkIdentity(db: Db, userId: number, issuer: string, subject: string) {
  await db.query('INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, $2, $3)', [
    userId,
    issuer,
    subject,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Devices a person has signed in on (the login throttle lets them through while their account is attacked)

export async function insertLoginDevice(db: Db, tokenHash: string, userId: number, expiresAt: Date) {
  await db.query('INSERT INTO login_devices (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    userId,
    expiresAt,
  ]);
}

/** Whether the device token belongs to the account and is still valid (and note its use). */
export async function useLoginDevice(db: Db, tokenHash: string, userId: number, now: Date): Promise<boolean> {
  const rows = await db.query<{ ok: boolean }>(
    `UPDATE login_devices SET last_used_at = $3 WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3
     RETURNING true AS ok`,
    [tokenHash, userId, now],
  );
  return rows.length > 0;
}

export async function deleteExpiredLoginDevices(db: Db, now: Date): Promise<number> {
  const rows = await db.query<{ n: number }>('DELETE FROM login_devices WHERE expires_at <= $1 RETURNING 1 AS n', [
    now,
  ]);
  return rows.length;
}
