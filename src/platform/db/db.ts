import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * The one database interface of the platform: plain parameterised SQL over either the
 * embedded PGlite or a PostgreSQL server. Only `*.repository.ts` files and the migrator use it.
 */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** Run one parameterised statement and return its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Run a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Run `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Receive NOTIFY messages on `channel` (delivered after the notifying transaction commits; none on
   * rollback). Resolves to a function that stops listening. Inside a transaction this is not available.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const NO_LISTEN_IN_TX = async (): Promise<() => Promise<void>> => {
  throw new Error('listen() is not available inside a transaction');
};

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${pid}). ` +
        'Stop that process first (e.g. the running server), or use PostgreSQL via DATABASE_URL for concurrent access.',
    );
    this.name = 'DatabaseLockedError';
  }
}

// DATE columns stay ISO strings ("2025-11-30"), never shifted by time zones.
const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;
const parseNumber = (v: string) => Number(v);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock file beside the embedded database, so that a second process (a CLI import
 * while the server runs) refuses instead of corrupting the data directory.
 */
function acquireLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'lotse.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new DatabaseLockedError(dataDir, pid);
      }
      // Stale lock of a process that is gone (crash, kill -9): take it over.
      fs.unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

function pgliteDb(conn: PgliteLike, root: PGlite, onClose: () => Promise<void>): Db {
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await conn.query<T>(sql, params as unknown[]);
      return res.rows;
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (conn !== root) return fn(pgliteDb(conn, root, onClose)); // nested: join the outer one
      return root.transaction((tx) => fn(pgliteDb(tx as unknown as PgliteLike, root, onClose)));
    },
    listen:
      conn === root
        ? async (channel, onMessage) => {
            const stop = await root.listen(channel, onMessage);
            return async () => stop();
          }
        : NO_LISTEN_IN_TX,
    close: onClose,
  };
}

/** Open (and create if needed) the embedded database in `dataDir/pglite`. */
export async function openPglite(dataDir: string | null): Promise<Db> {
  let release = () => {};
  let dir: string | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = acquireLock(dataDir);
    dir = path.join(dataDir, 'pglite');
  }
  try {
    const db = await PGlite.create(dir, {
      parsers: { [DATE_OID]: (v: string) => v, [NUMERIC_OID]: parseNumber, [INT8_OID]: parseNumber },
    });
    const exitHandler = () => release();
    process.once('exit', exitHandler);
    return pgliteDb(db, db, async () => {
      await db.close();
      release();
      process.removeListener('exit', exitHandler);
    });
  } catch (err) {
    release();
    throw err;
  }
}

function pgTypes() {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === DATE_OID) return (v: string) => v;
      if (oid === NUMERIC_OID || oid === INT8_OID) return parseNumber;
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
}

function clientDb(client: pg.PoolClient): Db {
  // One connection runs one statement at a time: queue them, so code inside a transaction may use
  // Promise.all like it does on the pool (pg would otherwise queue them itself, deprecated since pg 8.x).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
  const self: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await serial(() => client.query(sql, params as unknown[]));
      return res.rows as T[];
    },
    async exec(sql: string) {
      await serial(() => client.query(sql));
    },
    transaction: (fn) => fn(self), // nested: join the outer transaction (and its queue)
    listen: NO_LISTEN_IN_TX,
    async close() {},
  };
  return self;
}

/** Connect to a PostgreSQL server (a pool; each transaction takes one client). */
export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  const listeners: pg.Client[] = [];
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes() });
  // An idle connection that the server drops (restart, admin command) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL pool: idle connection lost (${err.message})`);
  });
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await pool.query(sql, params as unknown[]);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onMessage) {
      // LISTEN needs a connection of its own for as long as it listens.
      const client = new pg.Client({ connectionString: url, types: pgTypes() });
      client.on('error', (err) => process.emitWarning(`PostgreSQL listener: ${err.message}`));
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) onMessage(n.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.splice(0).map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}

export function openDatabase(opts: { databaseUrl: string | null; dataDir: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}

/** Whether the database answers (for /health). */
export async function ping(db: Db): Promise<void> {
  await db.query('SELECT 1');
}
