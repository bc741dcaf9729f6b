import type { Db } from '../platform/db/db.js';
import { ValidationError } from '../platform/errors.js';
import { type Lang, translator } from '../platform/i18n/messages.js';
import { hashToken, newToken } from './tokens.js';
import * as repo from './tokens.repository.js';

export type { ApiTokenRow } from './tokens.repository.js';

/**
 * The modules an API token can grant access to, with their names. This is the one place to add a
 * module: it then gets the scopes `<module>:read` and `<module>:write`, checkboxes on /konto/tokens
 * and validation. Routes check a scope with `requireScope(request, 'register:write')` (auth.ts).
 */
export const TOKEN_SCOPES = {
  register: { de: 'Kommunenregister', en: 'Register of municipalities' },
} as const satisfies Record<string, Record<Lang, string>>;

export type TokenModule = keyof typeof TOKEN_SCOPES;
export type TokenAccess = 'read' | 'write';
export type TokenScope = `${TokenModule}:${TokenAccess}`;

const ACCESS: TokenAccess[] = ['read', 'write'];

/** Every valid scope, in display order. */
export const ALL_SCOPES: TokenScope[] = (Object.keys(TOKEN_SCOPES) as TokenModule[]).flatMap((m) =>
  ACCESS.map((a) => `${m}:${a}` as TokenScope),
);

export function isTokenScope(value: string): value is TokenScope {
  return (ALL_SCOPES as string[]).includes(value);
}

/** Does a token with `granted` scopes have `needed`? `<module>:write` includes `<module>:read`. */
export function hasScope(granted: readonly string[], needed: TokenScope): boolean {
  if (granted.includes(needed)) return true;
  const [module, access] = needed.split(':');
  return access === 'read' && granted.includes(`${module}:write`);
}

export const TOKEN_PREFIX = 'klt_';
/** How many leading characters of a token lists show ("klt_" and 4 random characters). */
export const SHOWN_PREFIX_LENGTH = 8;
export const DEFAULT_EXPIRY_DAYS = 90;
export const MAX_EXPIRY_DAYS = 365;
export const MAX_NAME_LENGTH = 100;
/** last_used_at is written at most this often per token (one write per request would be wasteful). */
export const LAST_USED_GRANULARITY_MS = 60_000;
const TOKEN_PATTERN = /^klt_[A-Za-z0-9_-]{43}$/;
const DAY_MS = 24 * 3600_000;

/** A new API token: "klt_" and 256 random bits in base64url (43 characters). */
export function newApiToken(): string {
  return TOKEN_PREFIX + newToken();
}

export function looksLikeApiToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export interface ApiTokenDeps {
  db: Db;
  now?: () => Date;
}

const now = (d: ApiTokenDeps) => (d.now ? d.now() : new Date());

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function tokenStatus(t: Pick<repo.ApiTokenRow, 'expiresAt' | 'revokedAt'>, at: Date): TokenStatus {
  if (t.revokedAt) return 'revoked';
  return new Date(t.expiresAt).getTime() <= at.getTime() ? 'expired' : 'active';
}

export interface TokenInput {
  name: string;
  scopes: TokenScope[];
  expiryDays: number;
}

/** Check the form input; throws a ValidationError with one message per field (name, scopes, expiryDays). */
export function parseTokenInput(raw: { name: unknown; scopes: unknown; expiryDays: unknown }, lang: Lang): TokenInput {
  const t = translator(lang);
  const errors = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here
  const name = (typeof raw.name === 'string' ? raw.name : '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (!name) errors.push({ field: 'name', message: t('tokens.errName') });
  else if (name.length > MAX_NAME_LENGTH)
    errors.push({ field: 'name', message: t('tokens.errNameLong', { max: MAX_NAME_LENGTH }) });

  const given = (Array.isArray(raw.scopes) ? raw.scopes : [raw.scopes]).filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  const scopes = ALL_SCOPES.filter((s) => given.includes(s));
  if (given.some((s) => !isTokenScope(s))) errors.push({ field: 'scopes', message: t('tokens.errScopeUnknown') });
  else if (scopes.length === 0) errors.push({ field: 'scopes', message: t('tokens.errScopes') });

  const daysText = typeof raw.expiryDays === 'string' ? raw.expiryDays.trim() : '';
  const expiryDays = /^\d{1,4}$/.test(daysText) ? Number(daysText) : Number.NaN;
  if (!(expiryDays >= 1 && expiryDays <= MAX_EXPIRY_DAYS)) {
    errors.push({ field: 'expiryDays', message: t('tokens.errDays', { max: MAX_EXPIRY_DAYS }) });
  }
  if (errors.length) throw new ValidationError('Token nicht erstellt.', errors);
  return { name, scopes, expiryDays };
}

/**
 * Create a token for the user. Returns the token itself (to show exactly once; only its hash is
 * stored) and the stored row.
 */
export async function createApiToken(
  d: ApiTokenDeps,
  userId: number,
  input: TokenInput,
): Promise<{ token: string; row: repo.ApiTokenRow }> {
  const token = newApiToken();
  const createdAt = now(d);
  const row = await repo.insertApiToken(d.db, {
    userId,
    name: input.name,
    tokenHash: hashToken(token),
    prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    scopes: input.scopes,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + input.expiryDays * DAY_MS),
  });
  return { token, row };
}

export async function listApiTokens(d: ApiTokenDeps, userId: number): Promise<repo.ApiTokenRow[]> {
  return repo.apiTokensOfUser(d.db, userId);
}

/** Revoke one of the user's own tokens. False when the user has no token with this id. */
export async function revokeApiToken(d: ApiTokenDeps, userId: number, tokenId: number): Promise<boolean> {
  if (!Number.isSafeInteger(tokenId) || tokenId <= 0) return false;
  return repo.revokeApiToken(d.db, userId, tokenId, now(d));
}

export interface ApiTokenAuth {
  tokenId: number;
  userId: number;
  scopes: string[];
}

/** The token behind a Bearer value, or null when it is malformed, unknown, expired or revoked. */
export async function resolveApiToken(d: ApiTokenDeps, token: string): Promise<ApiTokenAuth | null> {
  if (!looksLikeApiToken(token)) return null;
  const row = await repo.apiTokenByHash(d.db, hashToken(token));
  const at = now(d);
  if (!row || tokenStatus(row, at) !== 'active') return null;
  if (!row.lastUsedAt || at.getTime() - new Date(row.lastUsedAt).getTime() >= LAST_USED_GRANULARITY_MS) {
    await repo.touchApiToken(d.db, row.id, at);
  }
  return { tokenId: row.id, userId: row.userId, scopes: row.scopes };
}
