import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ActiveSession, type IdentityDeps, resolveSession } from '../../identity/identity.service.js';
import { newToken, safeEqual } from '../../identity/tokens.js';
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

    if (access !== 'public' && !request.auth) {
      if (request.url.startsWith('/api/')) {
        return sendProblem(request, reply, 401, 'unauthorized', 'error.unauthorized');
      }
      return reply.redirect(`/anmelden?weiter=${encodeURIComponent(request.url)}`, 303);
    }
    if (access === 'platform-admin' && !request.auth?.user.isPlatformAdmin) {
      return sendProblem(request, reply, 403, 'forbidden', 'error.forbidden');
    }
    if (UNSAFE.has(request.method) && !isApi) {
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
  return routes;
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
