import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions, setSessionCookie } from '../platform/http/auth.js';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { OptionalText, Query, safeNext } from '../platform/http/forms.js';
import { Layout, renderPage } from '../platform/http/layout.js';
import type { MessageKey } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { identityDeps, landingFor } from './identity.pages.js';
import * as identity from './identity.service.js';
import {
  decodePending,
  encodePending,
  OIDC_CALLBACK_PATH,
  OidcClient,
  OidcError,
  type OidcFailure,
  PENDING_TTL_MS,
  signInWithIdentity,
} from './oidc.js';

const FAILURES: Record<OidcFailure, { status: number; text: MessageKey }> = {
  cancelled: { status: 401, text: 'oidc.cancelled' },
  'provider-error': { status: 502, text: 'oidc.providerError' },
  state: { status: 400, text: 'oidc.stateInvalid' },
  'invalid-response': { status: 502, text: 'oidc.invalidResponse' },
  unavailable: { status: 503, text: 'oidc.unavailable' },
  'no-email': { status: 403, text: 'oidc.noEmail' },
  'unverified-email': { status: 403, text: 'oidc.unverifiedEmail' },
};

/** The pending-login cookie; on https with the __Host- prefix, so no sibling (sub)domain can plant one. */
function pendingCookie(request: FastifyRequest) {
  const options = { ...cookieOptions(request), maxAge: PENDING_TTL_MS / 1000 };
  return { name: options.secure ? '__Host-kl_oidc' : 'kl_oidc', options };
}

function sendFailure(request: FastifyRequest, reply: FastifyReply, reason: OidcFailure, providerName: string) {
  const ctx = pageContext(request);
  const failure = FAILURES[reason];
  const title = ctx.t('oidc.failedTitle');
  return sendHtml(
    reply,
    renderPage(
      <Layout ctx={ctx} title={title}>
        <div class="form-narrow">
          <h1 class="kern-heading-large">{title}</h1>
          <p>{ctx.t(failure.text, { name: providerName })}</p>
          <p>
            <a href="/anmelden">{ctx.t('oidc.retry')}</a>
          </p>
        </div>
      </Layout>,
    ),
    failure.status,
  );
}

/**
 * GET /anmelden/oidc starts the single sign-on, GET /anmelden/oidc/callback completes it. Both exist always
 * (the access table lists them) and answer 404 when OIDC is not configured.
 */
export const oidcPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const oidc = d.config.oidc ? new OidcClient(d.config.oidc) : null;
    const pub = { config: { access: 'public' as const } };
    // From the configured public URL only, never from the request's Host header.
    const redirectUri = `${d.config.publicUrl}${OIDC_CALLBACK_PATH}`;

    app.get(
      '/anmelden/oidc',
      { ...pub, schema: { querystring: Query({ weiter: OptionalText(512) }) } },
      async (request, reply) => {
        if (!oidc) return reply.callNotFound();
        const next = safeNext(request.query.weiter ?? '', '');
        let started: Awaited<ReturnType<OidcClient['start']>>;
        try {
          started = await oidc.start(redirectUri, next);
        } catch (err) {
          if (!(err instanceof OidcError)) throw err;
          request.log.warn({ err }, 'oidc start failed');
          return sendFailure(request, reply, err.reason, oidc.config.name);
        }
        const cookie = pendingCookie(request);
        reply.setCookie(cookie.name, encodePending(started.pending), cookie.options);
        reply.header('cache-control', 'no-store');
        return reply.redirect(started.url.href, 303);
      },
    );

    app.get(OIDC_CALLBACK_PATH, pub, async (request, reply) => {
      if (!oidc) return reply.callNotFound();
      const cookie = pendingCookie(request);
      const pending = decodePending(request.cookies[cookie.name]);
      reply.clearCookie(cookie.name, cookieOptions(request));
      reply.header('cache-control', 'no-store');
      const query = new URLSearchParams(request.url.split('?')[1] ?? '');
      let userId: number;
      try {
        const who = await oidc.finish(redirectUri, query, pending);
        const result = await signInWithIdentity(d.db, who);
        userId = result.userId;
        request.log.info({ userId, outcome: result.outcome }, 'oidc login');
      } catch (err) {
        if (!(err instanceof OidcError)) throw err;
        request.log.warn({ err, reason: err.reason }, 'oidc login refused');
        return sendFailure(request, reply, err.reason, oidc.config.name);
      }
      const deps = identityDeps(d, request);
      if (request.auth) await identity.endSession(deps, request.auth.idHash);
      const session = await identity.createSession(deps, userId);
      setSessionCookie(reply, request, session.token);
      return reply.redirect(safeNext(pending?.next, '') || (await landingFor(d, userId)), 303);
    });
  };
