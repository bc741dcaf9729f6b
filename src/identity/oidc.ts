/**
 * Single sign-on through OpenID Connect (authorization code flow with PKCE, state and nonce).
 *
 * The pending login (state, nonce, PKCE verifier, where to continue) lives in a short-lived HttpOnly cookie
 * of this browser, so nothing is written before the provider answers. Accounts link by the provider's
 * verified e-mail address once; from then on by issuer and subject (table user_identities).
 */
import * as client from 'openid-client';
import type { OidcConfig } from '../platform/config.js';
import { safeEqual } from '../platform/crypto.js';
import type { Db } from '../platform/db/db.js';
import { normaliseEmail } from '../platform/mail/address.js';
import * as repo from './identity.repository.js';

export const OIDC_CALLBACK_PATH = '/anmelden/oidc/callback';
/** How long a started login may take at the provider. */
export const PENDING_TTL_MS = 10 * 60_000;
const SCOPE = 'openid email profile';

/** The login started in this browser, kept in the cookie until the provider sends the user back. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Safe local path to continue to after the login. */
  next: string;
  /** Epoch milliseconds of the start. */
  startedAt: number;
}

export function encodePending(p: PendingLogin): string {
  return Buffer.from(JSON.stringify([p.state, p.nonce, p.codeVerifier, p.next, p.startedAt])).toString('base64url');
}

/** The pending login from the cookie value, or null when missing, malformed or older than PENDING_TTL_MS. */
export function decodePending(raw: string | undefined, now = Date.now()): PendingLogin | null {
  if (!raw || raw.length > 2048) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 5) return null;
    const [state, nonce, codeVerifier, next, startedAt] = v as unknown[];
    if (typeof state !== 'string' || typeof nonce !== 'string' || typeof codeVerifier !== 'string') return null;
    if (typeof next !== 'string' || typeof startedAt !== 'number') return null;
    if (startedAt > now || now - startedAt > PENDING_TTL_MS) return null;
    return { state, nonce, codeVerifier, next, startedAt };
  } catch {
    return null;
  }
}

/** Why a callback did not sign anyone in (each has its own message page). */
export type OidcFailure =
  | 'cancelled'
  | 'provider-error'
  | 'state'
  | 'invalid-response'
  | 'unavailable'
  | 'no-email'
  | 'unverified-email';

export class OidcError extends Error {
  constructor(
    readonly reason: OidcFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcError';
  }
}

/** The verified identity a successful callback yields. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** Normalised, and verified by the provider. */
  email: string;
}

/** The relying party: discovers the provider once (again after a failure) and runs the two halves of the flow. */
export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(readonly config: OidcConfig) {}

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const insecure = new URL(this.config.issuer).protocol === 'http:'; // only loopback (see config.ts)
      this.configuration = client
        .discovery(
          new URL(this.config.issuer),
          this.config.clientId,
          { client_secret: this.config.clientSecret },
          client.ClientSecretBasic(this.config.clientSecret),
          { timeout: 10, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) },
        )
        .catch((err: unknown) => {
          this.configuration = null;
          throw new OidcError('unavailable', 'OpenID provider discovery failed', { cause: err });
        });
    }
    return this.configuration;
  }

  /** Where to send the browser, and the pending login to keep in its cookie. */
  async start(redirectUri: string, next: string): Promise<{ url: URL; pending: PendingLogin }> {
    const configuration = await this.discover();
    const pending: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      next,
      startedAt: Date.now(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Check the provider's answer against the pending login, exchange the code, validate the ID token
   * (issuer, audience, signature, nonce) and return the identity with its verified e-mail address.
   */
  async finish(redirectUri: string, query: URLSearchParams, pending: PendingLogin | null): Promise<OidcIdentity> {
    const error = query.get('error');
    if (error) {
      throw new OidcError(error === 'access_denied' ? 'cancelled' : 'provider-error', `provider answered ${error}`);
    }
    const state = query.get('state');
    if (!pending || !state || !safeEqual(state, pending.state)) {
      throw new OidcError('state', 'state missing or not the one of this browser');
    }
    const configuration = await this.discover();
    const currentUrl = new URL(redirectUri);
    currentUrl.search = query.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new OidcError(isNetworkError(err) ? 'unavailable' : 'invalid-response', 'code exchange failed', {
        cause: err,
      });
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcError('invalid-response', 'no ID token');
    let email: unknown = claims.email;
    let verified: unknown = claims.email_verified;
    // Providers that follow the spec strictly put scope claims only into the userinfo response.
    if (typeof email !== 'string' || typeof verified !== 'boolean') {
      try {
        const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        email = info.email;
        verified = info.email_verified;
      } catch (err) {
        throw new OidcError(isNetworkError(err) ? 'unavailable' : 'invalid-response', 'userinfo failed', {
          cause: err,
        });
      }
    }
    const normalised = typeof email === 'string' ? normaliseEmail(email) : null;
    if (!normalised) throw new OidcError('no-email', 'no usable e-mail address');
    if (verified !== true) throw new OidcError('unverified-email', 'e-mail address not verified by the provider');
    return { issuer: claims.iss, subject: claims.sub, email: normalised };
  }
}

function isNetworkError(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
  }
  return false;
}

/**
 * The account for a verified provider identity, in one transaction:
 * - an identity linked before signs in to its account (even if the address changed at the provider);
 * - else the account with that e-mail address is linked (and verified: the provider vouched for the address);
 * - else a new verified account without password is created and linked.
 *
 * An unverified account found by address loses its password: whoever registered it never proved the address,
 * so the password must not open the account the real owner has just verified (pre-account takeover).
 */
export async function signInWithIdentity(
  db: Db,
  id: OidcIdentity,
): Promise<{ userId: number; outcome: 'linked-before' | 'linked' | 'created' }> {
  return db.transaction(async (tx) => {
    const known = await repo.touchLinkedIdentity(tx, id.issuer, id.subject);
    if (known !== null) return { userId: known, outcome: 'linked-before' as const };
    const existing = await repo.userByEmail(tx, id.email);
    let userId: number;
    if (existing) {
      userId = existing.id;
      if (!existing.emailVerifiedAt) {
        await repo.clearPassword(tx, userId);
        await repo.deleteUserSessions(tx, userId);
        await repo.markVerified(tx, userId);
      }
    } else {
      userId = await repo.insertUser(tx, {
        email: id.email,
        passwordHash: null,
        verified: true,
        isPlatformAdmin: false,
      });
    }
    await repo.linkIdentity(tx, userId, id.issuer, id.subject);
    return { userId, outcome: existing ? ('linked' as const) : ('created' as const) };
  });
}
