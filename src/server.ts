import type { FastifyInstance } from 'fastify';
import type { Config } from './platform/config.js';
import { type Db, openDatabase } from './platform/db/db.js';
import { migrate } from './platform/db/migrate.js';
import { type AppState, buildApp } from './platform/http/app.js';
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
  const db = deferredDb(config.databaseUrl ? 'postgres' : 'pglite');
  const app = await buildApp({ config, db, state });
  await app.listen({ port: config.port, host: config.host });

  const ready = (async () => {
    const real = await openDatabase(config);
    db.set(real);
    const applied = await migrate(real);
    if (applied.length) app.log.info({ applied }, 'migrations applied');
    if (await ensureEmbeddedDefault(real)) app.log.info('embedded default register (Länder, Kreise) loaded');
    state.ready = true;
    app.log.info({ database: real.kind, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'ready');
  })();

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await ready.catch(() => {});
      await db.close();
    })();
    return stopping;
  };
  return { app, db, ready, stop };
}
