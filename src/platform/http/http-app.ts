import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { type Db, ping } from '../db/db.js';
import { fieldError, ValidationError } from '../errors.js';
import type { I18n } from '../i18n/i18n.js';
import type { NavEntry } from '../module.js';
import { ASSETS_DIR, KERN_DIR } from '../paths.js';
import type { BatchedLimiter } from '../ratelimit/rate-limit.js';
import { apiDocsRoute } from './api-docs.js';
import { type Authenticator, installAuth, type RouteAccess } from './auth.js';
import { LANG_COOKIE } from './context.js';
import { installErrorHandlers, sendProblem } from './errors.js';
import { safeLocalPath } from './redirect.js';

export interface AppState {
  /** True once the database is reachable and migrated. */
  ready: boolean;
}

export const API_VERSION = '0.2.0';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access (see auth.ts). */
    routeAccess: RouteAccess[];
  }
}

export interface HttpAppOptions {
  config: Config;
  db: Db;
  state: AppState;
  i18n: I18n;
  nav: readonly NavEntry[];
  auth: Authenticator;
  /** The API's per-client limit (API_RATE_LIMIT); null = off. */
  apiLimiter: BatchedLimiter | null;
  apiTags: readonly { name: string; description: string }[];
  /** operationId → example request path of the modules' API routes (shown with its live answer on /api/docs). */
  apiExamples: Readonly<Record<string, string>>;
}

/** The first string value in `value` (a parsed body, query or params) that contains a NUL character. */
function nulField(value: unknown, prefix = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? prefix || 'request' : null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const f = nulField(v, prefix);
      if (f) return f;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const f = nulField(v, prefix ? `${prefix}.${k}` : k);
      if (f) return f;
    }
  }
  return null;
}

/**
 * The platform's HTTP frame, without any module: security headers, compression, cookies and forms, static
 * assets, error answers, sessions/CSRF/access (through the injected Authenticator), the API rate limit, the
 * OpenAPI document, /health and the language switch. The composition root (src/app.ts) adds the modules.
 */
export async function createHttpApp(opts: HttpAppOptions): Promise<FastifyInstance> {
  const { config, db, state } = opts;
  const options: FastifyServerOptions = {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    genReqId: () => randomUUID(),
    // Only the configured proxy hops or addresses (never "trust everything": X-Forwarded-For is client input).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  };
  const app = Fastify(options).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('i18n', opts.i18n);
  app.decorate('nav', opts.nav);

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

  // Until the database is migrated, everything but /health answers 503.
  app.addHook('onRequest', async (request, reply) => {
    if (!state.ready && request.url !== '/health') {
      reply.header('retry-after', '2');
      return sendProblem(request, reply, 503, 'unavailable', 'error.unavailable', { key: 'error.unavailableDetail' });
    }
  });

  // The API's rate limit: every /api/ route, per client address (as TRUST_PROXY determines it).
  if (opts.apiLimiter) {
    const limiter = opts.apiLimiter;
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      const r = limiter.hit(request.ip);
      reply.header('x-ratelimit-limit', String(limiter.limit.max));
      if (!r.ok) {
        reply.header('retry-after', String(r.retryAfterS));
        reply.header('x-ratelimit-remaining', '0');
        return sendProblem(request, reply, 429, 'too-many-requests', 'error.tooMany', {
          key: 'error.tooManyDetail',
          params: { seconds: r.retryAfterS },
        });
      }
      reply.header('x-ratelimit-remaining', String(r.remaining));
    });
  }

  const routes = installAuth(app, opts.auth);
  app.decorate('routeAccess', routes);

  // A NUL character is never part of a text a person means to send (and PostgreSQL refuses it in text).
  app.addHook('preValidation', async (request) => {
    const field = nulField(request.body) ?? nulField(request.query) ?? nulField(request.params);
    if (field) throw new ValidationError([fieldError(field, 'form.controlCharacter', { field })]);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kommunallotse API',
        version: API_VERSION,
        description:
          'Open interface of the Kommunallotse platform: the register of all German regions (Länder … Gemeinden) ' +
          'from the official Destatis releases, the Digitalcheck model and the national picture. Errors are ' +
          'application/problem+json (RFC 9457). Every route is rate-limited per client (429 with Retry-After).',
        license: { name: 'EUPL-1.2', url: 'https://eupl.eu/1.2/de/' },
      },
      servers: [{ url: config.publicUrl }],
      tags: [...opts.apiTags],
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
      await ping(db);
      return { status: 'ok', database: db.kind };
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });

  // Language switch: works without JavaScript, remembers the choice in a cookie.
  app.get(
    '/sprache',
    {
      schema: {
        hide: true,
        querystring: Type.Object(
          {
            lang: Type.Optional(Type.String({ maxLength: 5 })),
            zurueck: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: true },
        ),
      },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const lang = request.query.lang === 'en' ? 'en' : 'de';
      reply.setCookie(LANG_COOKIE, lang, {
        path: '/',
        sameSite: 'lax',
        httpOnly: true,
        secure: request.protocol === 'https',
        maxAge: 365 * 24 * 3600,
      });
      return reply.redirect(safeLocalPath(request.query.zurueck, '/'), 303);
    },
  );

  app.get('/api/v1/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  await app.register(
    apiDocsRoute({
      getDoc: () => app.swagger() as unknown as Record<string, unknown>,
      i18n: opts.i18n,
      publicUrl: config.publicUrl,
      examples: opts.apiExamples,
    }),
  );
  return app;
}
