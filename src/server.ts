import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppState, buildApp } from './app.js';
import { MODULES, migrateAll } from './modules.js';
import { type Config, missingOperatorSettings } from './platform/config.js';
import { type Db, openDatabase } from './platform/db/db.js';
import { createMailer } from './platform/mail/mailer.js';

/**
 * A Db that forwards to the real one once it is open, so the server can listen (and answer
 * /health with 503) while the database is still being created or migrated.
 */
function deferredDb(kind: Db['kind']): Db & { set(db: Db): void } {
  let target: Db | null = null;
  const get = () => {
    if (!target) throw new Error('database not ready');
    return target;
  };
  return {
    kind,
    set(db: Db) {
      target = db;
    },
    query: (sql, params, opts) => get().query(sql, params, opts),
    exec: (sql) => get().exec(sql),
    transaction: (fn) => get().transaction(fn),
    listen: (channel, onMessage) => get().listen(channel, onMessage),
    close: async () => {
      await target?.close();
    },
  };
}

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const state: AppState = { ready: false };
  // Open the database right away, while the app is built: PGlite reads and compiles its WebAssembly
  // in the background meanwhile. A second process on the same data directory fails here at once (lock).
  const opening = openDatabase(config);
  opening.catch(() => {}); // awaited below; a failure surfaces through `ready`
  const db = deferredDb(config.databaseUrl ? 'postgres' : 'pglite');
  const mailer = createMailer({
    db,
    smtpUrl: config.mail.smtpUrl,
    from: config.mail.from,
    outboxDir: config.mail.smtpUrl ? null : path.join(config.dataDir, 'outbox'),
  });
  let app: FastifyInstance;
  try {
    app = await buildApp({ config, db, state, mailer });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await opening.then(
      (real) => real.close(),
      () => {},
    );
    throw err;
  }
  const stops: (() => Promise<void>)[] = [];

  const ready = (async () => {
    const real = await opening;
    db.set(real);
    const applied = await migrateAll(real);
    if (applied.length) app.log.info({ applied }, 'migrations applied');
    for (const m of MODULES) await m.init?.(app.platform);
    for (const m of MODULES) await m.warm?.(app.platform);
    state.ready = true;
    await app.platform.events.start();
    // Deliver pending mails (retries with backoff); the modules' own background work.
    mailer.start(30_000);
    for (const m of MODULES) {
      const stop = m.start?.(app.platform);
      if (stop) stops.push(stop);
    }
    app.log.info({ database: real.kind, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'ready');
    const missing = missingOperatorSettings(config.operator);
    if (missing.length) {
      app.log.warn(
        { missing },
        `Imprint incomplete (Impressum unvollständig): ${missing.join(', ')} not set; /impressum shows a warning until the operator sets them (README, configuration)`,
      );
    }
  })();

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await ready.catch(() => {});
      await Promise.all(stops.map((s) => s().catch(() => {})));
      await app.platform.events.stop();
      await mailer.stop();
      await db.close();
    })();
    return stopping;
  };
  return { app, db, ready, stop };
}
