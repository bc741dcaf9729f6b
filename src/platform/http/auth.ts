import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiTokenAuth, hasScope, resolveApiToken, type TokenScope } from '../../identity/api-tokens.service.js';
import { type ActiveSession, type IdentityDeps, resolveSession } from '../../identity/identity.service.js';
import { newToken, safeEqual } from '../../identity/tokens.js';
import { AppError } from '../errors.js';
import { sendProblem } from './errors.js';

/**
 * Who may call a route. Every route declares one (deny by default: a route without a declaration
 * stops the server from starting), and test/security/access-table.test.ts checks every route as every role.
 */
export type Access = 'public' | 'user' | 'platform-admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    auth: ActiveSession | null;
    /** The CSRF token forms of this request must carry (session-bound, or a pre-session cookie). */
    csrfToken: string;
    /** The API token of an `/api/` request sent with `Authorization: Bearer klt_…`, else null. */
    apiToken: ApiTokenAuth | null;
  }
}

export const SESSION_COOKIE = 'kl_session';
export const CSRF_COOKIE = 'kl_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes that plugins register for static files; they are public by nature. */
function isStaticRoute(url: string) {
  return url.startsWith('/assets/');
}

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
 */
export function installAuth(app: FastifyInstance, identity: () => IdentityDeps): RouteAccess[] {
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

  app.addHook('preHandler', async (request, reply) => {
    // No route matched: the not-found handler answers (it changes nothing and reveals nothing).
    if (request.is404) return;
    const access = request.routeOptions.config?.access ?? (isStaticRoute(request.url) ? 'public' : undefined);
    if (access === undefined) {
      return sendProblem(request, reply, 403, 'forbidden', 'error.forbidden');
    }
    // The API never reads cookies (it will authenticate with Bearer tokens), so it needs no CSRF token.
    const isApi = request.url.startsWith('/api/') || request.url === '/health';
    const token = isApi ? undefined : request.cookies[SESSION_COOKIE];
    request.auth = token ? await resolveSession(identity(), token) : null;
    if (token && !request.auth) clearSessionCookie(reply, request);
    request.csrfToken = request.auth ? request.auth.csrfSecret : isApi ? '' : ensureCsrfCookie(request, reply);
    // API tokens (RFC 6750): a Bearer value that is malformed, unknown, expired or revoked is refused outright.
    const bearer = request.url.startsWith('/api/') ? bearerToken(request.headers.authorization) : null;
    if (bearer !== null) {
      request.apiToken = await resolveApiToken(identity(), bearer);
      if (!request.apiToken) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        return sendProblem(
          request,
          reply,
          401,
          'invalid-token',
          'error.invalidToken',
          'Das API-Token ist unbekannt, abgelaufen oder widerrufen.',
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
    if (UNSAFE.has(request.method) && !isApi) {
      // Pages take HTML forms only; anything else (JSON, XML, text) is refused before it reaches a handler.
      if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return sendProblem(
          request,
          reply,
          415,
          'unsupported-media-type',
          'error.validation',
          'Formulare werden als application/x-www-form-urlencoded gesendet.',
        );
      }
      const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof sent !== 'string' || !request.csrfToken || !safeEqual(sent, request.csrfToken)) {
        return sendProblem(
          request,
          reply,
          403,
          'csrf',
          'error.csrf',
          'Das Formular ist abgelaufen oder kam nicht von dieser Seite. Bitte laden Sie es neu und senden Sie es erneut.',
        );
      }
    }
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

/** The credentials of `Authorization: Bearer <token>` (scheme case-insensitive), else null. */
export function bearerToken(header: string | undefined): string | null {
  return header && /^Bearer(\s|$)/i.test(header) ? header.slice(6).trim() : null;
}

export class InsufficientScopeError extends AppError {
  constructor(readonly scope: TokenScope) {
    const detail = `Dieses API-Token hat nicht die Berechtigung ${scope}.`;
    super(403, 'insufficient-scope', 'error.insufficientScope', detail, [], { requiredScope: scope });
  }
}

/**
 * For API routes that need a token: throws 401 without a token and 403 (insufficient_scope) when the
 * token lacks `scope` (`<module>:write` includes `<module>:read`). Returns the token's identity.
 */
export function requireScope(request: FastifyRequest, scope: TokenScope): ApiTokenAuth {
  const token = request.apiToken;
  if (!token) {
    throw new AppError(401, 'unauthorized', 'error.unauthorized', `Diese Anfrage braucht ein API-Token mit ${scope}.`);
  }
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
