import { type AuditEntry, changedFields, hasChanges, recordAudit } from '../audit/audit.service.js';
import type { Db } from '../platform/db/db.js';
import { ValidationError } from '../platform/errors.js';
import type { Lang } from '../platform/i18n/messages.js';
import type { MailKind } from '../platform/mail/mailer.js';
import * as repo from './identity.repository.js';
import { checkPasswordPolicy, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { hashToken, newToken, normaliseEmail } from './tokens.js';

export type { UserRow } from './identity.repository.js';

/** What the identity use cases need from the mail module. */
export interface MailSender {
  /** Record a mail inside the given transaction (a rollback leaves no mail). */
  send(msg: { to: string; subject: string; text: string; kind: MailKind }, tx?: Db): Promise<unknown>;
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
  /** Public base URL for links in mails, e.g. "https://lotse.example.de". */
  baseUrl: string;
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

function policyError(field: string, pw: string, lang: Lang, email?: string) {
  const check = checkPasswordPolicy(pw, email ? { email } : {});
  if (check.ok) return null;
  return { field, message: check.message[lang] };
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
  return `${d.baseUrl}${path}?token=${token}`;
}

const MAILS = {
  verify: {
    de: (link: string) => ({
      subject: 'Bestätigen Sie Ihre E-Mail-Adresse für den Kommunallotsen',
      text: `Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse, um Ihr Konto beim Kommunallotsen zu aktivieren:\n\n${link}\n\nDer Link ist 48 Stunden gültig. Wenn Sie sich nicht registriert haben, ignorieren Sie diese Nachricht; das Konto wird nach 7 Tagen gelöscht.\n`,
    }),
    en: (link: string) => ({
      subject: 'Confirm your e-mail address for Kommunallotse',
      text: `Hello,\n\nplease confirm your e-mail address to activate your Kommunallotse account:\n\n${link}\n\nThe link is valid for 48 hours. If you did not sign up, ignore this message; the account is deleted after 7 days.\n`,
    }),
  },
  exists: {
    de: (link: string) => ({
      subject: 'Registrierung beim Kommunallotsen',
      text: `Guten Tag,\n\nfür diese E-Mail-Adresse wurde erneut eine Registrierung versucht. Sie haben bereits ein Konto. Falls Sie Ihr Passwort vergessen haben, setzen Sie es hier zurück:\n\n${link}\n\nWenn Sie das nicht waren, ist nichts weiter zu tun.\n`,
    }),
    en: (link: string) => ({
      subject: 'Sign-up at Kommunallotse',
      text: `Hello,\n\nsomeone tried to sign up again with this e-mail address. You already have an account. If you forgot your password, reset it here:\n\n${link}\n\nIf this was not you, there is nothing to do.\n`,
    }),
  },
  reset: {
    de: (link: string) => ({
      subject: 'Passwort zurücksetzen – Kommunallotse',
      text: `Guten Tag,\n\nüber diesen Link vergeben Sie ein neues Passwort (gültig für eine Stunde, nur einmal verwendbar):\n\n${link}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht; Ihr Passwort bleibt unverändert.\n`,
    }),
    en: (link: string) => ({
      subject: 'Reset your password – Kommunallotse',
      text: `Hello,\n\nuse this link to set a new password (valid for one hour, single use):\n\n${link}\n\nIf you did not ask for this, ignore this message; your password stays unchanged.\n`,
    }),
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Sign-up and verification

/**
 * Create an account and send the verification mail. The answer is the same whether or not the address
 * already has an account (an existing owner gets a hint mail instead), so sign-up reveals nothing.
 */
export async function signUp(d: IdentityDeps, input: { email: string; password: string; lang: Lang }): Promise<void> {
  const email = normaliseEmail(input.email);
  const errors = [];
  if (!email)
    errors.push({
      field: 'email',
      message:
        input.lang === 'en' ? 'Enter a valid e-mail address.' : 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
    });
  const pwError = policyError('password', input.password, input.lang, email ?? undefined);
  if (pwError) errors.push(pwError);
  if (errors.length || !email) throw new ValidationError('Registrierung unvollständig.', errors);
  const passwordHash = await hashPassword(input.password);
  await d.db.transaction(async (tx) => {
    const td = { ...d, db: tx };
    const existing = await repo.userByEmail(tx, email);
    if (existing) {
      const link = await oneTimeLink(td, existing.id, 'password-reset', RESET_TTL_MS, '/passwort-neu');
      await d.mailer.send({ to: email, kind: 'signup-exists', ...MAILS.exists[input.lang](link) }, tx);
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
    const link = await oneTimeLink(td, userId, 'verify-email', VERIFY_TTL_MS, '/konto/bestaetigen');
    await d.mailer.send({ to: email, kind: 'verify-email', ...MAILS.verify[input.lang](link) }, tx);
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
    expiresAt: new Date(now(d).getTime() + (d.sessionMaxMs ?? SESSION_MAX_MS)),
  });
  return { token, csrfSecret };
}

export interface ActiveSession {
  idHash: string;
  csrfSecret: string;
  actingOrgName: string | null;
  user: repo.UserRow;
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
  if (t - s.lastSeenAt.getTime() > 60_000) await repo.touchSession(d.db, idHash);
  return { idHash, csrfSecret: s.csrfSecret, actingOrgName: s.actingOrgName ?? null, user: s.user };
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

/** Send a reset link if the address has an account; the caller answers the same either way. */
export async function requestPasswordReset(d: IdentityDeps, emailInput: string, lang: Lang): Promise<void> {
  const email = normaliseEmail(emailInput);
  if (!email) return;
  await d.db.transaction(async (tx) => {
    const user = await repo.userByEmail(tx, email);
    if (!user) return;
    await repo.invalidateTokens(tx, user.id, 'password-reset');
    const link = await oneTimeLink({ ...d, db: tx }, user.id, 'password-reset', RESET_TTL_MS, '/passwort-neu');
    await d.mailer.send({ to: email, kind: 'password-reset', ...MAILS.reset[lang](link) }, tx);
  });
  flushMail(d);
}

export async function resetLinkValid(d: IdentityDeps, token: string): Promise<boolean> {
  return (await repo.peekOneTimeToken(d.db, hashToken(token), 'password-reset', now(d))) !== null;
}

/** Set a new password through a reset link; ends all sessions. Returns false for a bad link. */
export async function resetPassword(d: IdentityDeps, token: string, password: string, lang: Lang): Promise<boolean> {
  const pwError = policyError('password', password, lang);
  if (pwError) throw new ValidationError('Passwort ungültig.', [pwError]);
  const hash = await hashPassword(password);
  return d.db.transaction(async (tx) => {
    const t = await repo.consumeOneTimeToken(tx, hashToken(token), 'password-reset', now(d));
    if (!t) return false;
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
    return true;
  });
}

/** Change the password of a signed-in user; every other session ends. */
export async function changePassword(
  d: IdentityDeps,
  session: ActiveSession,
  current: string,
  next: string,
  lang: Lang,
): Promise<void> {
  const user = await repo.userById(d.db, session.user.id);
  const errors = [];
  if (user?.passwordHash && !(await verifyPassword(user.passwordHash, current))) {
    errors.push({
      field: 'current',
      message: lang === 'en' ? 'The current password is wrong.' : 'Das bisherige Passwort stimmt nicht.',
    });
  }
  const pwError = policyError('password', next, lang, session.user.email);
  if (pwError) errors.push(pwError);
  if (errors.length) throw new ValidationError('Passwort nicht geändert.', errors);
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
  if (!email)
    throw new ValidationError('Ungültige E-Mail-Adresse.', [
      { field: 'email', message: `"${emailInput}" ist keine E-Mail-Adresse.` },
    ]);
  return d.db.transaction(async (tx) => {
    const existing = await repo.userByEmail(tx, email);
    let userId: number;
    if (existing) {
      userId = existing.id;
      await repo.markVerified(tx, userId);
      if (admin) await tx.query('UPDATE users SET is_platform_admin = true WHERE id = $1', [userId]);
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
