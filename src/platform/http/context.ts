import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError, ShownFieldError, Text } from '../errors.js';
import { type I18n, type Lang, negotiateLang } from '../i18n/i18n.js';
import type { NavEntry } from '../module.js';
import type { PageContext } from './layout.js';

export const LANG_COOKIE = 'lang';

declare module 'fastify' {
  interface FastifyInstance {
    /** The merged message catalogues of all modules. */
    i18n: I18n;
    /** The main navigation, from the modules' declarations. */
    nav: readonly NavEntry[];
  }
}

/** The language of a request: the `lang` cookie set by the language switch, else Accept-Language. */
export function requestLang(request: FastifyRequest): Lang {
  const cookie = request.cookies?.[LANG_COOKIE];
  if (cookie === 'de' || cookie === 'en') return cookie;
  return negotiateLang(request.headers['accept-language']);
}

export function pageContext(request: FastifyRequest): PageContext {
  const lang = requestLang(request);
  const user = request.auth?.user;
  const i18n = request.server.i18n;
  return {
    lang,
    t: i18n.translator(lang),
    url: request.url,
    requestId: String(request.id),
    user: user
      ? { email: user.email, isPlatformAdmin: user.isPlatformAdmin, actingFor: request.auth?.actingOrgName ?? null }
      : null,
    csrfToken: request.csrfToken,
    nav: request.server.nav,
  };
}

/** A message reference in the language of the request. */
export function localText(request: FastifyRequest, t: Text): string {
  return request.server.i18n.text(requestLang(request), t);
}

/** Field errors in the language of the request. */
export function localFieldErrors(request: FastifyRequest, errors: readonly FieldError[]): ShownFieldError[] {
  return errors.map((e) => ({ field: e.field, message: localText(request, e.text) }));
}

/**
 * Send a page. Pages for a signed-in person are never stored by browsers or proxies (`no-store`); public
 * pages may be kept but must be revalidated (`no-cache`).
 */
export function sendHtml(reply: FastifyReply, html: string, status = 200) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', reply.request.auth ? 'private, no-store' : 'no-cache')
    .send(html);
}
