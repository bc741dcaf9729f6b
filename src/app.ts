/**
 * The composition root: builds the platform from the platform frame (src/platform/) and the modules listed in
 * src/modules.ts. Nothing below src/platform/ imports a module; the modules meet here.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { authenticator } from './identity/index.js';
import { createI18n, MODULES } from './modules.js';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db/db.js';
import { EventBus } from './platform/events/events.js';
import { type AppState, createHttpApp } from './platform/http/http-app.js';
import { createMailer, type Mailer } from './platform/mail/mailer.js';
import type { Module, ModuleDeps, NavEntry } from './platform/module.js';
import { BatchedLimiter, RateLimits } from './platform/ratelimit/rate-limit.js';
import { createTasks } from './platform/tasks.js';

export type { AppState };

export interface AppDeps {
  config: Config;
  db: Db;
  state?: AppState;
  /** The mail module; by default one on `db` with the configured SMTP or the outbox in DATA_DIR/outbox. */
  mailer?: Mailer;
  clock?: () => Date;
  modules?: readonly Module[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What the modules were built with (tests use `platform.events.drain()` and `platform.tasks.idle()`). */
    platform: ModuleDeps;
  }
}

const NAV_API: NavEntry = { href: '/api/docs', label: 'nav.api', order: 90, audience: 'everyone' };

/** Check what must be unique across modules; a mistake here stops the start with the module named. */
export function checkDeclarations(modules: readonly Module[]): void {
  const seen = new Map<string, string>();
  const claim = (what: string, name: string, module: string) => {
    const key = `${what} ${name}`;
    const prev = seen.get(key);
    if (prev) throw new Error(`${what} "${name}" is declared by both ${prev} and ${module}`);
    seen.set(key, module);
  };
  for (const m of modules) {
    claim('module', m.name, m.name);
    for (const a of Object.values(m.actions ?? {})) claim('action', a.name, m.name);
    for (const s of Object.keys(m.tokenScopes ?? {})) claim('token scope', s, m.name);
    for (const t of m.tables ?? []) claim('table', t, m.name);
    for (const r of Object.keys(m.access)) claim('access row', r, m.name);
    for (const c of m.cli ?? []) claim('command', c.name, m.name);
  }
}

/** The dependencies every module gets (also for CLI commands, without HTTP). */
export function buildModuleDeps(deps: AppDeps, log: () => FastifyInstance['log'] | null = () => null): ModuleDeps {
  const { config, db } = deps;
  const modules = deps.modules ?? MODULES;
  const clock = deps.clock ?? (() => new Date());
  const mailer =
    deps.mailer ??
    createMailer({
      db,
      smtpUrl: config.mail.smtpUrl,
      from: config.mail.from,
      outboxDir: config.mail.smtpUrl ? null : path.join(config.dataDir, 'outbox'),
      onError: (err) => log()?.error({ err }, 'mail delivery'),
    });
  const events = new EventBus(db, [], {
    onError: (err, sub) => {
      const l = log();
      if (l) l.error({ err, subscription: sub }, 'event handler');
      else process.emitWarning(`event handler ${sub}: ${(err as Error).message}`);
    },
  });
  const platform: ModuleDeps = {
    config,
    db,
    mailer,
    events,
    limits: new RateLimits(db, clock),
    i18n: createI18n(modules),
    clock,
    tasks: createTasks((name, err) => {
      const l = log();
      if (l) l.error({ err, task: name }, 'background task failed');
      else process.emitWarning(`background task ${name}: ${(err as Error).message}`);
    }),
    modules,
  };
  events.subscribe(...modules.flatMap((m) => m.subscriptions?.(platform) ?? []));
  return platform;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const modules = deps.modules ?? MODULES;
  checkDeclarations(modules);
  const state = deps.state ?? { ready: true };
  let log: FastifyInstance['log'] | null = null;
  const platform = buildModuleDeps(deps, () => log);
  const { clock, i18n } = platform;
  const apiLimiter =
    config.apiRateLimit > 0
      ? new BatchedLimiter(
          db,
          { name: 'api', max: config.apiRateLimit, windowMs: 60_000 },
          { clock, onError: (err) => log?.warn({ err }, 'API rate limit not shared') },
        )
      : null;
  const app = await createHttpApp({
    config,
    db,
    state,
    i18n,
    nav: [...modules.flatMap((m) => m.nav ?? []), NAV_API],
    auth: authenticator(platform),
    apiLimiter,
    apiTags: modules.flatMap((m) => m.apiTags ?? []),
    apiExamples: Object.assign({}, ...modules.map((m) => m.apiExamples ?? {})),
  });
  log = app.log;
  app.decorate('platform', platform);
  for (const m of modules) if (m.api) await app.register(m.api(platform), { prefix: '/api/v1' });
  for (const m of modules) if (m.pages) await app.register(m.pages(platform));
  app.addHook('onClose', async () => {
    await apiLimiter?.stop().catch(() => {});
    await platform.tasks.idle();
  });
  return app;
}
