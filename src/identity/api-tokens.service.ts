import { hashToken, newToken } from '../platform/crypto.js';
import type { Db } from '../platform/db/db.js';
import { type FieldError, fieldError, ValidationError } from '../platform/errors.js';
import type { ApiAuth } from '../platform/http/auth.js';
import type { MessageKey } from '../platform/i18n/i18n.js';
import type { Module } from '../platform/module.js';
import * as repo from './tokens.repository.js';

export type { ApiTokenRow } from './tokens.repository.js';

export type TokenAccess = 'read' | 'write';
export type TokenScope = `${string}:${TokenAccess}`;

const ACCESS: TokenAccess[] = ['read', 'write'];

/**
 * The scopes an API token can have: each module declares its own (`Module.tokenScopes`), which gives
 * `<scope>:read` and `<scope>:write`, a checkbox on /konto/tokens and validation. Routes check a scope with
 * `requireScope(request, 'register:write')` (platform/http/auth.ts).
 */
export interface ScopeCatalogue {
  /** Every valid scope, in display order. */
  all: TokenScope[];
  /** The module part of a scope → its name (message key). */
  names: Record<string, MessageKey>;
}

export function scopeCatalogue(modules: readonly Pick<Module, 'tokenScopes'>[]): ScopeCatalogue {
  const names: Record<string, MessageKey> = {};
  for (const m of modules) Object.assign(names, m.tokenScopes ?? {});
  return { names, all: Object.keys(names).flatMap((m) => ACCESS.map((a) => `${m}:${a}` as TokenScope)) };
}

export { hasScope } from '../platform/http/auth.js';

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
export function parseTokenInput(
  raw: { name: unknown; scopes: unknown; expiryDays: unknown },
  catalogue: ScopeCatalogue,
): TokenInput {
  const errors: FieldError[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here
  const name = (typeof raw.name === 'string' ? raw.name : '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (!name) errors.push(fieldError('name', 'tokens.errName'));
  else if (name.length > MAX_NAME_LENGTH)
    errors.push(fieldError('name', 'tokens.errNameLong', { max: MAX_NAME_LENGTH }));

  const given = (Array.isArray(raw.scopes) ? raw.scopes : [raw.scopes]).filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  const scopes = catalogue.all.filter((s) => given.includes(s));
  if (given.some((s) => !(catalogue.all as string[]).includes(s)))
    errors.push(fieldError('scopes', 'tokens.errScopeUnknown'));
  else if (scopes.length === 0) errors.push(fieldError('scopes', 'tokens.errScopes'));

  const daysText = typeof raw.expiryDays === 'string' ? raw.expiryDays.trim() : '';
  const expiryDays = /^\d{1,4}$/.test(daysText) ? Number(daysText) : Number.NaN;
  if (!(expiryDays >= 1 && expiryDays <= MAX_EXPIRY_DAYS)) {
    errors.push(fieldError('expiryDays', 'tokens.errDays', { max: MAX_EXPIRY_DAYS }));
  }
  if (errors.length) throw new ValidationError(errors);
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

export type ApiTokenAuth = ApiAuth;

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
