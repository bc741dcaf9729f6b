/**
 * Signed unsubscribe links (issue 12, "Benachrichtigungen"): `<user>.<kind|all>.<issued>.<generation>.<mac>`, the
 * mac an HMAC-SHA256 over the other fields with a key derived by HKDF from the platform's notify secret (its own
 * key, used for nothing else). A link never expires; raising the person's generation makes every earlier one
 * invalid. Pure (the secret and the current generation come from the caller).
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { NOTIFY_KINDS, type NotifyKind } from '../contract.js';

export type UnsubscribeScope = NotifyKind | 'all';
export const SCOPES: readonly UnsubscribeScope[] = [...NOTIFY_KINDS, 'all'];

export interface UnsubscribeClaims {
  userId: number;
  scope: UnsubscribeScope;
  /** Seconds since the epoch. */
  issuedAt: number;
  generation: number;
}

/** The shape of a token (for the route's parameter schema). */
export const TOKEN_PATTERN = '^[0-9]{1,15}\\.[a-z]{3,9}\\.[0-9]{1,12}\\.[0-9]{1,9}\\.[A-Za-z0-9_-]{43}$';
const TOKEN_RE = new RegExp(TOKEN_PATTERN);

/** The signing key of unsubscribe links, derived from the stored secret (domain-separated by `info`). */
export function unsubscribeKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'kommunallotse', 'desk-notify-unsubscribe-v1', 32));
}

function mac(key: Buffer, c: UnsubscribeClaims): Buffer {
  return createHmac('sha256', key)
    .update(`unsubscribe-v1|${c.userId}|${c.scope}|${c.issuedAt}|${c.generation}`)
    .digest();
}

export function signUnsubscribe(key: Buffer, c: UnsubscribeClaims): string {
  return `${c.userId}.${c.scope}.${c.issuedAt}.${c.generation}.${mac(key, c).toString('base64url')}`;
}

/**
 * The claims of a well-formed token whose mac is right, else null. Whether its generation is still the person's
 * is for the caller to check (`isCurrent`).
 */
export function verifyUnsubscribe(key: Buffer, token: string): UnsubscribeClaims | null {
  if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
  const [user, scope, issued, generation, sent] = token.split('.') as [string, string, string, string, string];
  if (!(SCOPES as readonly string[]).includes(scope)) return null;
  const claims: UnsubscribeClaims = {
    userId: Number(user),
    scope: scope as UnsubscribeScope,
    issuedAt: Number(issued),
    generation: Number(generation),
  };
  if (!Number.isSafeInteger(claims.userId) || claims.userId <= 0) return null;
  const expected = mac(key, claims);
  const given = Buffer.from(sent, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  // Only the canonical text of the claims is accepted (no leading zeros or other spellings of the same numbers).
  if (signUnsubscribe(key, claims) !== token) return null;
  return claims;
}

/** Whether verified claims are still valid for the person's current link generation. */
export const isCurrent = (c: UnsubscribeClaims, generation: number) => c.generation === generation;
