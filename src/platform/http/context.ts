import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Lang, negotiateLang, translator } from '../i18n/messages.js';
import type { PageContext } from './layout.js';

export const LANG_COOKIE = 'lang';

/** The language of a request: the `lang` cookie set by the language switch, else Accept-Language. */
export function requestLang(request: FastifyRequest): Lang {
  const cookie = request.cookies?.[LANG_COOKIE];
  if (cookie === 'de' || cookie === 'en') return cookie;
  return negotiateLang(request.headers['accept-language']);
}

export function pageContext(request: FastifyRequest): PageContext {
  const lang = requestLang(request);
  const user = request.auth?.user;
  return {
    lang,
    t: translator(lang),
    url: request.url,
    requestId: String(request.id),
    user: user
      ? { email: user.email, isPlatformAdmin: user.isPlatformAdmin, actingFor: request.auth?.actingOrgName ?? null }
      : null,
    csrfToken: request.csrfToken,
  };
}

export function sendHtml(reply: FastifyReply, html: string, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}
