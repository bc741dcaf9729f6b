import { type AuditEntry, changedFields, hasChanges, recordAudit } from '../audit/index.js';
import { hashToken, newToken } from '../platform/crypto.js';
import type { Db } from '../platform/db/db.js';
import { type FieldError, fieldError, ValidationError } from '../platform/errors.js';
import type { AuthSession, AuthUser } from '../platform/http/auth.js';
import type { Translate } from '../platform/i18n/i18n.js';
import { checkEmail, normaliseEmail } from '../platform/mail/address.js';
import * as repo from './identity.repository.js';
import { checkPasswordPolicy, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';

export type { UserRow } from './identity.repository.js';

/** What the identity use cases need from the mail module. */
export interface MailSender {
  /** Record a mail inside the given transaction (a rollback leaves no mail). */
  send(msg: { to: string; subject: string; text: string; kind: string }, tx?: Db): Promise<unknown>;
  /** Deliver what is due now (called after the transaction that wrote a mail has committed). */
  deliverPending?(): Promise<unknown>;
}

/** Start delivery of mails written in a committed transaction, without waiting for the worker. */
function flushMail(d: IdentityDeps) {
  d.mailer.deliverPending?.().catch(() => {
    /* the worker retries; failures are recorded on the mail */
  });
}

export interface IdentityDeps {
  db: Db;
  mailer: MailSender;
  /** The platform's public URL (config.publicUrl) for links in mails, e.g. "https://lotse.example.de". */
  publicUrl: string;
  /** Texts of mails, in the language of the person who asked. */
  t: Translate;
  now?: () => Date;
  sessionIdleMs?: number;
  sessionMaxMs?: number;
  /** Who acts in which request, for the audit log (absent: CLI and background jobs, no request id). */
  audit?: { requestId: string; actorUserId: number | null };
}

/**
 * Append an audit entry inside `tx` (it commits with the change), with the request id of `d.audit`. The actor
 * is the entry's own `actorUserId` when given, else the signed-in person of `d.audit` (null: the system).
 */
function audit(
  d: IdentityDeps,
  tx: Db,
  entry: Omit<AuditEntry, 'actorUserId' | 'requestId'> & { actorUserId?: number | null },
) {
  return recordAudit(tx, {
    ...entry,
    actorUserId: entry.actorUserId !== undefined ? entry.actorUserId : (d.audit?.actorUserId ?? null),
    requestId: d.audit?.requestId ?? null,
  });
}

export const SESSION_IDLE_MS = 2 * 3600_000; // 2 h without a request ends the session
export const SESSION_MAX_MS = 12 * 3600_000; // and none lives longer than 12 h
const VERIFY_TTL_MS = 48 * 3600_000;
const RESET_TTL_MS = 3600_000;
const LOGIN_LINK_TTL_MS = 24 * 3600_000;
export const UNVERIFIED_RETENTION_MS = 7 * 24 * 3600_000;

const now = (d: IdentityDeps) => (d.now ? d.now() : new Date());

function policyError(field: string, pw: string, email?: string): FieldError | null {
  const check = checkPasswordPolicy(pw, email ? { email } : {});
  if (check.ok) return null;
  return fieldError(field, check.key, check.params);
}

/** The field error of an address the platform cannot use (null when it is fine). */
export function emailError(field: string, input: string): FieldError | null {
  const r = checkEmail(input);
  if (r.ok) return null;
  return fieldError(field, r.problem === 'non-ascii-local' ? 'auth.emailNonAsciiLocal' : 'auth.emailInvalid');
}

async function oneTimeLink(
  d: IdentityDeps,
  userId: number,
  purpose: repo.TokenPurpose,
  ttlMs: number,
  path: string,
  data?: object,
): Promise<string> {
  const token = newToken();
  await repo.insertOneTimeToken(d.db, {
    tokenHash: hashToken(token),
    purpose,
    userId,
    expiresAt: new Date(now(d).getTime() + ttlMs),
    ...(data ? { data } : {}),
  });
  return `${d.publicUrl}${path}?token=${token}`;
}

/** A mail of the identity module: subject and text from the messages, with the link filled in. */
function mail(d: IdentityDeps, kind: 'verify' | 'exists' | 'reset', link: string) {
  return { subject: d.t(`mail.${kind}.subject`), text: d.t(`mail.${kind}.text`, { link }) };
}

// ---------------------------------------------------------------------------------------------
// Sign-up and verification

/**
 * Create an account and send the verification mail. The answer is the same whether or not the address
 * already has an account (an existing owner gets a hint mail instead), so sign-up reveals nothing.
 */
export async function signUp(d: IdentityDeps, input: { email: string; password: string }): Promise<void> {
  const prepared = await prepareSignUp(input);
  await completeSignUp(d, prepared);
}

/**
 * The part of a sign-up the person must correct: address and password policy (ValidationError), and the
 * password's hash. The answer to the person comes after this; `completeSignUp` then runs in the background, so
 * the answer takes the same time whether or not the address already has an account.
 */
export async function prepareSignUp(input: { email: string; password: string }) {
  const email = normaliseEmail(input.email);
  const errors: FieldError[] = [];
  const bad = emailError('email', input.email);
  if (bad) errors.push(bad);
  const pwError = policyError('password', input.password, email ?? undefined);
  if (pwError) errors.push(pwError);
  if (errors.length || !email) throw new ValidationError(errors);
  return { email, passwordHash: await hashPassword(input.password) };
}

/**
 * `next`: where the person wanted to go when they chose to sign up (a local path, already checked by
 * `safeLocalPath`); the verification link carries it on, so that the first sign-in leads there.
 */
export async function completeSignUp(
  d: IdentityDeps,
  p: { email: string; passwordHash: string },
  next = '',
): Promise<void> {
  const { email, passwordHash } = p;
  await d.db.transaction(async (tx) => {
    const td = { ...d, db: tx };
    const existing = await repo.userByEmail(tx, email);
    if (existing) {
      const link = await oneTimeLink(td, existing.id, 'password-reset', RESET_TTL_MS, '/passwort-neu');
      await d.mailer.send({ to: email, kind: 'signup-exists', ...mail(d, 'exists', link) }, tx);
      return;
    }
    const userId = await repo.insertUser(tx, { email, passwordHash, verified: false, isPlatformAdmin: false });
    await audit(d, tx, {
      action: 'user.signup',
      entity: 'user',
      entityId: userId,
      actorUserId: d.audit?.actorUserId ?? userId,
      before: null,
      after: { verified: false, passwordSet: true, platformAdmin: false },
    });
    const verify = await oneTimeLink(td, userId, 'verify-email', VERIFY_TTL_MS, '/konto/bestaetigen');
    const link = next ? `${verify}&weiter=${encodeURIComponent(next)}` : verify;
    await d.mailer.send({ to: email, kind: 'verify-email', ...mail(d, 'verify', link) }, tx);
  });
  flushMail(d);
}

/** Use a verification link. Returns the user id, or null for an unknown, used or expired link. */
export async function verifyEmail(d: IdentityDeps, token: string): Promise<number | null> {
  return d.db.transaction(async (tx) => {
    const t = await repo.consumeOneTimeToken(tx, hashToken(token), 'verify-email', now(d));
    if (!t) return null;
    const user = await repo.userById(tx, t.userId);
    await repo.markVerified(tx, t.userId);
    if (user && !user.emailVerifiedAt) {
      await audit(d, tx, {
        action: 'user.verify',
        entity: 'user',
        entityId: t.userId,
        actorUserId: d.audit?.actorUserId ?? t.userId,
        before: { verified: false },
        after: { verified: true },
      });
    }
    return t.userId;
  });
}

// ---------------------------------------------------------------------------------------------
// Login, sessions

export type LoginResult = { ok: true; user: repo.UserRow } | { ok: false; reason: 'invalid' | 'unverified' };

/** Check e-mail and password. Unknown addresses cost the same time as wrong passwords. */
export async function checkCredentials(d: IdentityDeps, emailInput: string, password: string): Promise<LoginResult> {
  const email = normaliseEmail(emailInput);
  const user = email ? await repo.userByEmail(d.db, email) : null;
  if (!user?.passwordHash) {
    await verifyAgainstDummy(password);
    return { ok: false, reason: 'invalid' };
  }
  if (!(await verifyPassword(user.passwordHash, password))) return { ok: false, reason: 'invalid' };
  if (!user.emailVerifiedAt) return { ok: false, reason: 'unverified' };
  return { ok: true, user };
}

/** Start a new session (a fresh id at every login: no session fixation). Returns the cookie token. */
export async function createSession(d: IdentityDeps, userId: number): Promise<{ token: string; csrfSecret: string }> {
  const token = newToken();
  const csrfSecret = newToken();
  await repo.insertSession(d.db, {
    idHash: hashToken(token),
    userId,
    csrfSecret,
    createdAt: now(d),
    expiresAt: new Date(now(d).getTime() + (d.sessionMaxMs ?? SESSION_MAX_MS)),
  });
  return { token, csrfSecret };
}

export type ActiveSession = AuthSession;

/** What the rest of the platform sees of an account (never its password hash). */
export function toAuthUser(u: repo.UserRow): AuthUser {
  return {
    id: u.id,
    email: u.email,
    isPlatformAdmin: u.isPlatformAdmin,
    emailVerified: Boolean(u.emailVerifiedAt),
    hasPassword: Boolean(u.passwordHash),
  };
}

/** The session behind a cookie token, or null when unknown, idle too long or past its lifetime. */
export async function resolveSession(d: IdentityDeps, token: string): Promise<ActiveSession | null> {
  const idHash = hashToken(token);
  const s = await repo.sessionWithUser(d.db, idHash);
  if (!s) return null;
  const t = now(d).getTime();
  if (s.expiresAt.getTime() <= t || s.lastSeenAt.getTime() + (d.sessionIdleMs ?? SESSION_IDLE_MS) <= t) {
    await repo.deleteSession(d.db, idHash);
    return null;
  }
  // Record activity at most once a minute (cheap, and enough for the idle timeout).
  if (t - s.lastSeenAt.getTime() > 60_000) await repo.touchSession(d.db, idHash, new Date(t));
  return { idHash, csrfSecret: s.csrfSecret, actingOrgName: s.actingOrgName ?? null, user: toAuthUser(s.user) };
}

export async function endSession(d: IdentityDeps, idHash: string) {
  await repo.deleteSession(d.db, idHash);
}

/** "Log out everywhere": end every session of the user. */
export async function endAllSessions(d: IdentityDeps, userId: number): Promise<number> {
  return d.db.transaction(async (tx) => {
    const ended = await repo.deleteUserSessions(tx, userId);
    await audit(d, tx, {
      action: 'session.logout-everywhere',
      entity: 'user',
      entityId: userId,
      actorUserId: d.audit?.actorUserId ?? userId,
      after: { sessionsEnded: ended },
    });
    return ended;
  });
}

// ---------------------------------------------------------------------------------------------
// Passwords

/**
 * Send a reset link if the address has an account. The caller answers the same either way, before this runs
 * (in the background), so neither the answer nor its timing tells whether the address is known.
 */
export async function requestPasswordReset(d: IdentityDeps, emailInput: string): Promise<void> {
  const email = normaliseEmail(emailInput);
  if (!email) return;
  await d.db.transaction(async (tx) => {
    const user = await repo.userByEmail(tx, email);
    if (!user) return;
    await repo.invalidateTokens(tx, user.id, 'password-reset');
    const link = await oneTimeLink({ ...d, db: tx }, user.id, 'password-reset', RESET_TTL_MS, '/passwort-neu');
    await d.mailer.send({ to: email, kind: 'password-reset', ...mail(d, 'reset', link) }, tx);
  });
  flushMail(d);
}

export async function resetLinkValid(d: IdentityDeps, token: string): Promise<boolean> {
  return (await repo.peekOneTimeToken(d.db, hashToken(token), 'password-reset', now(d))) !== null;
}

/** Set a new password through a reset link; ends all sessions. Returns the account's id, or null for a bad link. */
export async function resetPassword(d: IdentityDeps, token: string, password: string): Promise<number | null> {
  const pwError = policyError('password', password);
  if (pwError) throw new ValidationError([pwError]);
  const hash = await hashPassword(password);
  return d.db.transaction(async (tx): Promise<number | null> => {
    const t = await repo.consumeOneTimeToken(tx, hashToken(token), 'password-reset', now(d));
    if (!t) return null;
    const user = await repo.userById(tx, t.userId);
    await repo.setPassword(tx, t.userId, hash);
    await repo.markVerified(tx, t.userId); // the link proved the address
    const ended = await repo.deleteUserSessions(tx, t.userId);
    const wasVerified = Boolean(user?.emailVerifiedAt);
    await audit(d, tx, {
      action: 'user.password-reset',
      entity: 'user',
      entityId: t.userId,
      actorUserId: d.audit?.actorUserId ?? t.userId,
      before: { passwordSet: Boolean(user?.passwordHash), ...(wasVerified ? {} : { verified: false }) },
      after: { passwordSet: true, ...(wasVerified ? {} : { verified: true }), sessionsEnded: ended },
    });
    return t.userId;
  });
}

/** Change the password of a signed-in user; every other session ends. */
export async function changePassword(
  d: IdentityDeps,
  session: ActiveSession,
  current: string,
  next: string,
): Promise<void> {
  const user = await repo.userById(d.db, session.user.id);
  const errors: FieldError[] = [];
  if (user?.passwordHash && !(await verifyPassword(user.passwordHash, current))) {
    errors.push(fieldError('current', 'auth.currentWrong'));
  }
  const pwError = policyError('password', next, session.user.email);
  if (pwError) errors.push(pwError);
  if (errors.length) throw new ValidationError(errors);
  const hash = await hashPassword(next);
  await d.db.transaction(async (tx) => {
    await repo.setPassword(tx, session.user.id, hash);
    const ended = await repo.deleteUserSessions(tx, session.user.id, session.idHash);
    await audit(d, tx, {
      action: 'user.password-change',
      entity: 'user',
      entityId: session.user.id,
      actorUserId: session.user.id,
      before: { passwordSet: Boolean(user?.passwordHash) },
      after: { passwordSet: true, sessionsEnded: ended },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Administration

/**
 * Create a verified account (optionally platform admin) without a password and return a one-time login
 * link. This is how the first platform admin comes into being: no default password exists anywhere.
 */
export async function createUserWithLoginLink(
  d: IdentityDeps,
  emailInput: string,
  admin: boolean,
): Promise<{ userId: number; link: string; created: boolean }> {
  const email = normaliseEmail(emailInput);
  const bad = emailError('email', emailInput);
  if (bad || !email) throw new ValidationError(bad ? [bad] : []);
  return d.db.transaction(async (tx) => {
    const existing = await repo.userByEmail(tx, email);
    let userId: number;
    if (existing) {
      userId = existing.id;
      await repo.markVerified(tx, userId);
      if (admin) await repo.setPlatformAdmin(tx, userId);
      const diff = changedFields(
        { verified: Boolean(existing.emailVerifiedAt), platformAdmin: existing.isPlatformAdmin },
        { verified: true, platformAdmin: existing.isPlatformAdmin || admin },
      );
      if (hasChanges(diff)) await audit(d, tx, { action: 'user.update', entity: 'user', entityId: userId, ...diff });
    } else {
      userId = await repo.insertUser(tx, { email, passwordHash: null, verified: true, isPlatformAdmin: admin });
      await audit(d, tx, {
        action: 'user.create',
        entity: 'user',
        entityId: userId,
        before: null,
        after: { verified: true, passwordSet: false, platformAdmin: admin },
      });
    }
    const link = await oneTimeLink({ ...d, db: tx }, userId, 'login-link', LOGIN_LINK_TTL_MS, '/anmelden/link');
    await audit(d, tx, {
      action: 'token.create',
      entity: 'user',
      entityId: userId,
      after: { purpose: 'login-link', expiresAt: new Date(now(d).getTime() + LOGIN_LINK_TTL_MS) },
    });
    return { userId, link, created: !existing };
  });
}

export async function loginLinkValid(d: IdentityDeps, token: string): Promise<boolean> {
  return (await repo.peekOneTimeToken(d.db, hashToken(token), 'login-link', now(d))) !== null;
}

/** Use a one-time login link; returns the user id or null. */
export async function useLoginLink(d: IdentityDeps, token: string): Promise<number | null> {
  const t = await repo.consumeOneTimeToken(d.db, hashToken(token), 'login-link', now(d));
  return t?.userId ?? null;
}

/** Delete accounts that were never verified within 7 days (DSGVO: no data without purpose). */
export async function purgeUnverified(d: IdentityDeps): Promise<number> {
  const before = new Date(now(d).getTime() - UNVERIFIED_RETENTION_MS);
  return d.db.transaction(async (tx) => {
    const removed = await repo.deleteUnverifiedBefore(tx, before);
    if (removed > 0) {
      await audit(d, tx, {
        action: 'user.purge-unverified',
        entity: 'user',
        after: { removed, createdBefore: before },
      });
    }
    return removed;
  });
}

export async function listUsers(d: IdentityDeps, page: number) {
  return repo.listUsers(d.db, 100, page * 100);
}

export async function sessionCount(d: IdentityDeps, userId: number) {
  return repo.countUserSessions(d.db, userId);
}

/** Act for an organisation in this session (the organisations module checks the membership first). */
export async function setActingOrganisation(db: Db, sessionIdHash: string, orgId: number | null) {
  await repo.setActingOrg(db, sessionIdHash, orgId);
}

/** The id of the verified account with this address (null when none). */
export async function verifiedUserIdByEmail(db: Db, email: string): Promise<number | null> {
  const normal = normaliseEmail(email);
  return normal ? repo.verifiedUserId(db, normal) : null;
}

/** Addresses of accounts (for member lists and authors in other modules). */
export function emailsOf(db: Db, ids: readonly number[]) {
  return repo.emailsOf(db, ids);
}

// ---------------------------------------------------------------------------------------------
// Known devices (see the login throttle in identity.pages.tsx)

export const DEVICE_TTL_MS = 365 * 24 * 3600_000;

/** Remember the browser a person just signed in with; returns the cookie value. */
export async function rememberDevice(d: IdentityDeps, userId: number): Promise<string> {
  const token = newToken();
  await repo.insertLoginDevice(d.db, hashToken(token), userId, new Date(now(d).getTime() + DEVICE_TTL_MS));
  return token;
}

/** Whether the browser's device cookie belongs to this account. */
export async function isKnownDevice(d: IdentityDeps, userId: number, token: string | undefined): Promise<boolean> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  return repo.useLoginDevice(d.db, hashToken(token), userId, now(d));
}

/** The account an address belongs to, for the login throttle (null when none). */
export async function accountIdForLogin(d: IdentityDeps, emailInput: string): Promise<number | null> {
  const email = normaliseEmail(emailInput);
  return email ? ((await repo.userByEmail(d.db, email))?.id ?? null) : null;
}

/** Forget expired device cookies. */
export function pruneDevices(d: IdentityDeps): Promise<number> {
  return repo.deleteExpiredLoginDevices(d.db, now(d));
}

/** The account behind an API token as an actor of the permission vocabulary (null when it no longer exists). */
export async function actorById(
  db: Db,
  userId: number,
): Promise<{ id: number; email: string; isPlatformAdmin: boolean } | null> {
  const u = await repo.userById(db, userId);
  return u ? { id: u.id, email: u.email, isPlatformAdmin: u.isPlatformAdmin } : null;
}
