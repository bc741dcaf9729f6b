import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newToken, safeEqual } from '../crypto.js';
import { AppError, UnauthorizedError } from '../errors.js';
import { text } from '../i18n/i18n.js';
import { sendProblem } from './errors.js';

/**
 * Who may call a route. Every route declares one (deny by default: a route without a declaration stops the
 * server from starting); finer rules that depend on the data live in the services (policy.ts), and the
 * route × role table of every module (Module.access) is checked by the access-table test.
 */
export type Access = 'public' | 'user' | 'platform-admin';

/** The signed-in person as the platform sees them (the identity module fills it). */
export interface AuthUser {
  id: number;
  email: string;
  isPlatformAdmin: boolean;
  emailVerified: boolean;
  hasPassword: boolean;
}

export interface AuthSession {
  /** SHA-256 of the cookie value (the session's id in the database). */
  idHash: string;
  csrfSecret: string;
  /** The organisation the person acts for in this session, if any. */
  actingOrgName: string | null;
  user: AuthUser;
}

export interface ApiAuth {
  tokenId: number;
  userId: number;
  scopes: readonly string[];
}

/** How the HTTP layer recognises people: the identity module provides it to the composition root. */
export interface Authenticator {
  /** The session behind a cookie value, or null (unknown, idle too long, past its lifetime). */
  session(token: string, request: FastifyRequest): Promise<AuthSession | null>;
  /** The API token behind a Bearer value, or null (malformed, unknown, expired, revoked). */
  apiToken(token: string): Promise<ApiAuth | null>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The route takes multipart forms (file uploads); CSRF is checked on their `_csrf` field as well. */
    upload?: boolean;
  }
  interface FastifyRequest {
    auth: AuthSession | null;
    /** The CSRF token forms of this request must carry (session-bound, or a pre-session cookie). */
    csrfToken: string;
    /** The API token of an `/api/` request sent with `Authorization: Bearer klt_…`, else null. */
    apiToken: ApiAuth | null;
  }
}

export const SESSION_COOKIE = 'kl_session';
export const CSRF_COOKIE = 'kl_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes that plugins register for static files; they are public by nature. */
function isStaticRoute(url: string) {
  return url.startsWith('/assets/');
}

export const isApiRequest = (request: FastifyRequest) => request.url.startsWith('/api/') || request.url === '/health';

export function cookieOptions(request: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: request.protocol === 'https' };
}

export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string) {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(request));
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest) {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Install sessions, CSRF and access control. Returns the live list of every route with its declared
 * access (the access-table test walks it).
 *
 * Order: `onRequest` recognises the person and applies the route's access (before any body is read, so an
 * anonymous call of a protected route is sent to the login whatever it carries); `preValidation` checks
 * the form's content type and CSRF token (the body is parsed by then, schema validation comes after).
 */
export function installAuth(app: FastifyInstance, auth: Authenticator): RouteAccess[] {
  app.decorateRequest('auth', null);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('apiToken', null);
  const routes: RouteAccess[] = [];

  app.addHook('onRoute', (route) => {
    if (isStaticRoute(route.url)) return;
    const access = route.config?.access;
    if (!access) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare who may call it (config.access)`);
    }
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url, access });
  });

  app.addHook('onRequest', async (request, reply) => {
    // No route matched: the not-found handler answers (it changes nothing and reveals nothing).
    if (request.is404) return;
    const access = request.routeOptions.config?.access ?? (isStaticRoute(request.url) ? 'public' : undefined);
    if (access === undefined) return sendProblem(request, reply, 403, 'forbidden', 'error.forbidden');
    // The API never reads cookies (it authenticates with Bearer tokens), so it needs no CSRF token.
    const api = isApiRequest(request);
    const token = api ? undefined : request.cookies[SESSION_COOKIE];
    request.auth = token ? await auth.session(token, request) : null;
    if (token && !request.auth) clearSessionCookie(reply, request);
    request.csrfToken = request.auth ? request.auth.csrfSecret : api ? '' : ensureCsrfCookie(request, reply);
    // API tokens (RFC 6750): a Bearer value that is malformed, unknown, expired or revoked is refused outright.
    const bearer = request.url.startsWith('/api/') ? bearerToken(request.headers.authorization) : null;
    if (bearer !== null) {
      request.apiToken = await auth.apiToken(bearer);
      if (!request.apiToken) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        return sendProblem(
          request,
          reply,
          401,
          'invalid-token',
          'error.invalidToken',
          text('error.invalidTokenDetail'),
        );
      }
    }
    if (access !== 'public' && !request.auth) {
      if (request.url.startsWith('/api/')) {
        reply.header('www-authenticate', 'Bearer');
        return sendProblem(request, reply, 401, 'unauthorized', 'error.unauthorized');
      }
      return reply.redirect(`/anmelden?weiter=${encodeURIComponent(request.url)}`, 303);
    }
    if (access === 'platform-admin' && !request.auth?.user.isPlatformAdmin) {
      return sendProblem(request, reply, 403, 'forbidden', 'error.forbidden');
    }
  });

  app.addHook('preValidation', async (request, reply) => {
    if (request.is404 || !UNSAFE.has(request.method) || isApiRequest(request)) return;
    // Pages take HTML forms only; anything else (JSON, XML, text) is refused before it reaches a handler. A route
    // declared for uploads (`config: { upload: true }`) takes multipart forms, parsed in its own plugin scope.
    const type = String(request.headers['content-type'] ?? '');
    const upload = request.routeOptions.config?.upload === true;
    if (!type.startsWith('application/x-www-form-urlencoded') && !(upload && type.startsWith('multipart/form-data'))) {
      return sendProblem(request, reply, 415, 'unsupported-media-type', 'error.validation', text('error.formsOnly'));
    }
    // A multipart body is parsed by the upload route's own plugin after this hook: its token is checked before the
    // handler (preHandler below).
    if (upload && type.startsWith('multipart/form-data')) return;
    return checkCsrf(request, reply, (request.body as Record<string, unknown> | undefined)?._csrf);
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.is404 || !UNSAFE.has(request.method) || isApiRequest(request)) return;
    if (request.routeOptions.config?.upload !== true) return;
    if (!String(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return;
    // A multipart field arrives as an object with its value.
    const field = (request.body as Record<string, unknown> | undefined)?._csrf;
    return checkCsrf(
      request,
      reply,
      field && typeof field === 'object' && 'value' in field ? (field as { value: unknown }).value : undefined,
    );
  });

  // The challenge of requireScope's errors (RFC 6750 section 3), set before the error handler answers.
  app.addHook('onError', async (request, reply, error) => {
    if (!request.url.startsWith('/api/') || reply.hasHeader('www-authenticate')) return;
    if (error instanceof InsufficientScopeError) {
      reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${error.scope}"`);
    } else if (error instanceof AppError && error.status === 401) {
      reply.header('www-authenticate', 'Bearer');
    }
  });
  return routes;
}

/** 403 unless the form's `_csrf` field is this request's CSRF token. */
function checkCsrf(request: FastifyRequest, reply: FastifyReply, sent: unknown) {
  if (typeof sent !== 'string' || !request.csrfToken || !safeEqual(sent, request.csrfToken)) {
    return sendProblem(request, reply, 403, 'csrf', 'error.csrf', text('error.csrfDetail'));
  }
  return undefined;
}

/** The credentials of `Authorization: Bearer <token>` (scheme case-insensitive), else null. */
export function bearerToken(header: string | undefined): string | null {
  return header && /^Bearer(\s|$)/i.test(header) ? header.slice(6).trim() : null;
}

/** Does a token with `granted` scopes have `needed`? `<scope>:write` includes `<scope>:read`. */
export function hasScope(granted: readonly string[], needed: string): boolean {
  if (granted.includes(needed)) return true;
  const [module, level] = needed.split(':');
  return level === 'read' && granted.includes(`${module}:write`);
}

export class InsufficientScopeError extends AppError {
  constructor(readonly scope: string) {
    super(403, 'insufficient-scope', 'error.insufficientScope', text('error.insufficientScopeDetail', { scope }), [], {
      requiredScope: scope,
    });
  }
}

/**
 * For API routes that need a token: throws 401 without a token and 403 (insufficient_scope) when the
 * token lacks `scope` (`<module>:write` includes `<module>:read`). Returns the token's identity.
 */
export function requireScope(request: FastifyRequest, scope: string): ApiAuth {
  const token = request.apiToken;
  if (!token) throw new UnauthorizedError(text('error.needsToken', { scope }));
  if (!hasScope(token.scopes, scope)) throw new InsufficientScopeError(scope);
  return token;
}

/** The pre-session CSRF token (double-submit cookie), created on first need. */
function ensureCsrfCookie(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newToken();
  reply.setCookie(CSRF_COOKIE, token, cookieOptions(request));
  request.cookies[CSRF_COOKIE] = token;
  return token;
}
