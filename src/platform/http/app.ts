import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { assessmentApi } from '../../assessment/assessment.api.js';
import { assessmentPages } from '../../assessment/assessment.pages.js';
import { auditPages } from '../../audit/audit.pages.js';
import { adminPages } from '../../identity/admin.pages.js';
import { apiTokenPages } from '../../identity/api-tokens.pages.js';
import { identityDeps, identityPages } from '../../identity/identity.pages.js';
import { oidcPages } from '../../identity/oidc.pages.js';
import { privacyPages } from '../../identity/privacy.pages.js';
import { organisationPages } from '../../organisations/organisations.pages.js';
import { actorOf, auditableOrganisation } from '../../organisations/organisations.service.js';
import { registerApi } from '../../register/register.api.js';
import { registerPages } from '../../register/register.pages.js';
import { sitePages } from '../../site/site.pages.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { createMailer, type Mailer } from '../mail/mailer.js';
import { ASSETS_DIR } from '../paths.js';
import { apiDocsRoute } from './api-docs.js';
import { installAuth, type RouteAccess } from './auth.js';
import { LANG_COOKIE } from './context.js';
import { installErrorHandlers, sendProblem } from './errors.js';

export interface AppState {
  /** True once the database is reachable and migrated. */
  ready: boolean;
}

export interface AppDeps {
  config: Config;
  db: Db;
  state?: AppState;
  /** The mail module; by default one on `db` with the configured SMTP or the outbox in DATA_DIR/outbox. */
  mailer?: Mailer;
}

const require = createRequire(import.meta.url);
const KERN_DIR = path.join(path.dirname(require.resolve('@kern-ux/native/package.json')), 'dist');

export const API_VERSION = '0.1.0';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access (see auth.ts). */
    routeAccess: RouteAccess[];
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const state = deps.state ?? { ready: true };
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  // HSTS only where the request really came over TLS (directly or via a trusted proxy).
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  // Brotli at quality 4: nearly the size of quality 11 at a fraction of the CPU (assets are compressed per request).
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });

  installErrorHandlers(app);
  const mailer =
    deps.mailer ??
    createMailer({
      db,
      smtpUrl: config.mail.smtpUrl,
      from: config.mail.from,
      outboxDir: config.mail.smtpUrl ? null : path.join(config.dataDir, 'outbox'),
      onError: (err) => app.log.error({ err }, 'mail delivery'),
    });
  const identity = { db, config, mailer };
  const routes = installAuth(app, () => identityDeps(identity));
  app.decorate('routeAccess', routes);

  // Until the database is migrated, everything but /health answers 503.
  app.addHook('onRequest', async (request, reply) => {
    if (!state.ready && request.url !== '/health') {
      reply.header('retry-after', '2');
      return sendProblem(request, reply, 503, 'unavailable', 'error.unavailable', 'Die Datenbank wird vorbereitet.');
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kommunallotse API',
        version: API_VERSION,
        description:
          'Open interface of the Kommunallotse platform: the register of all German regions (Länder … Gemeinden) ' +
          'from the official Destatis releases. Errors are application/problem+json (RFC 9457).',
        license: { name: 'EUPL-1.2', url: 'https://eupl.eu/1.2/de/' },
      },
      servers: config.baseUrl ? [{ url: config.baseUrl }] : [],
      tags: [
        { name: 'register', description: 'Regions of Germany and their key figures' },
        { name: 'assessment', description: 'Digitalcheck maturity model and the national picture (Lagebild)' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description:
              'Personal API token (klt_…), created under /konto/tokens with scopes such as register:read. ' +
              'Optional for public routes; an unknown, expired or revoked token is refused with 401.',
          },
        },
      },
    },
    hideUntagged: true,
  });

  await app.register(fastifyStatic, {
    root: ASSETS_DIR,
    prefix: '/assets/',
    maxAge: '365d',
    immutable: true,
    decorateReply: false,
  });
  await app.register(fastifyStatic, {
    root: KERN_DIR,
    prefix: '/assets/kern/',
    maxAge: '365d',
    immutable: true,
    decorateReply: false,
    allowedPath: (p) => p === '/kern.min.css' || p.startsWith('/fonts/'),
  });

  app.get('/health', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    if (!state.ready) return reply.code(503).send({ status: 'starting' });
    try {
      await db.query('SELECT 1');
      return { status: 'ok', database: db.kind };
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });

  // Language switch: works without JavaScript, remembers the choice in a cookie.
  app.get('/sprache', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const q = request.query as { lang?: string; zurueck?: string };
    const lang = q.lang === 'en' ? 'en' : 'de';
    const back = typeof q.zurueck === 'string' && /^\/(?!\/)/.test(q.zurueck) ? q.zurueck : '/';
    reply.setCookie(LANG_COOKIE, lang, {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: request.protocol === 'https',
      maxAge: 365 * 24 * 3600,
    });
    return reply.redirect(back, 303);
  });

  await app.register(registerApi(db, config), { prefix: '/api/v1' });
  await app.register(assessmentApi(db), { prefix: '/api/v1' });
  app.get('/api/v1/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  await app.register(apiDocsRoute(() => app.swagger() as unknown as Record<string, unknown>));
  await app.register(registerPages(db));
  await app.register(sitePages(db));
  await app.register(identityPages(identity));
  await app.register(apiTokenPages({ db }));
  await app.register(oidcPages(identity));
  await app.register(adminPages(identity));
  await app.register(auditPages(db, (request, orgId) => auditableOrganisation(db, actorOf(request.auth!.user), orgId)));
  await app.register(privacyPages(identity));
  await app.register(organisationPages(identity));
  await app.register(assessmentPages(db));
  return app;
}
