import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { purgeUnverified } from './identity/identity.service.js';
import type { Config } from './platform/config.js';
import { type Db, openDatabase } from './platform/db/db.js';
import { migrate } from './platform/db/migrate.js';
import { type AppState, buildApp } from './platform/http/app.js';
import { createMailer } from './platform/mail/mailer.js';
import { ensureEmbeddedDefault } from './register/register.service.js';

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
    query: (sql, params) => get().query(sql, params),
    exec: (sql) => get().exec(sql),
    transaction: (fn) => get().transaction(fn),
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
  let purgeTimer: NodeJS.Timeout | null = null;

  const ready = (async () => {
    const real = await opening;
    db.set(real);
    const applied = await migrate(real);
    if (applied.length) app.log.info({ applied }, 'migrations applied');
    if (await ensureEmbeddedDefault(real)) app.log.info('embedded default register (Länder, Kreise) loaded');
    state.ready = true;
    // Deliver pending mails (retries with backoff) and remove accounts unverified for 7 days.
    mailer.start(30_000);
    const purge = () =>
      purgeUnverified({ db: real, mailer, baseUrl: '' }).then(
        (n) => n && app.log.info({ removed: n }, 'unverified accounts removed'),
        (err) => app.log.error({ err }, 'purge of unverified accounts failed'),
      );
    void purge();
    purgeTimer = setInterval(purge, 3600_000);
    purgeTimer.unref();
    app.log.info({ database: real.kind, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'ready');
  })();

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await ready.catch(() => {});
      if (purgeTimer) clearInterval(purgeTimer);
      await mailer.stop();
      await db.close();
    })();
    return stopping;
  };
  return { app, db, ready, stop };
}
