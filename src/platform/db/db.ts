import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The one database interface of the platform: plain parameterised SQL over either the
 * embedded PGlite or a PostgreSQL server. Only `*.repository.ts` files and the migrator use it.
 */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Run one parameterised statement and return its rows. With `prepare`, PostgreSQL keeps the statement per
   * connection and may reuse its plan: for the few statements of every request (session, principal) and hot
   * pages whose planning costs more than running them (see `preparedName`). PGlite ignores it.
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<T[]>;
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

export interface QueryOptions {
  prepare?: boolean;
}

/** At most this many distinct statements are prepared per process (each connection keeps a plan of each). */
const MAX_PREPARED = 200;
const preparedNames = new Map<string, string>();

/**
 * The name of a statement to prepare, from its text; null (unnamed, planned every time) once MAX_PREPARED
 * texts have names, so that statements built with a varying text cannot fill the server's memory.
 */
function preparedName(sql: string, opts: QueryOptions | undefined): string | undefined {
  if (!opts?.prepare) return undefined;
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED) {
    name = `kl_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    preparedNames.set(sql, name);
  }
  return name;
}

const NO_LISTEN_IN_TX = async (): Promise<() => Promise<void>> => {
  throw new Error('listen() is not available inside a transaction');
};

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      pid === process.pid
        ? `The embedded database in ${dataDir} is already open in this process (pid ${pid}); close it first.`
        : `The embedded database in ${dataDir} is in use by another process (pid ${pid}). ` +
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

let bootIdCache: string | undefined;
function bootId(): string {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootIdCache = '';
    }
  }
  return bootIdCache;
}

/**
 * When the process `pid` started, as an opaque string that stays the same for the life of that process and
 * differs for a later process that got the same PID (after a crash and reboot, or a PID wrap-around):
 * on Linux the boot id and the start time in clock ticks from /proc/<pid>/stat; elsewhere the start time
 * that `ps` reports (BSD and macOS record it once, at fork). Null when it cannot be read (Windows, no `ps`,
 * a /proc that hides other users' processes).
 */
function processStartTime(pid: number): string | null {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 2 (the command name) is in parentheses and may itself contain spaces and parentheses;
      // after it come field 3 (state) … field 22 (starttime).
      const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      return ticks && /^\d+$/.test(ticks) ? `linux:${bootId()}:${ticks}` : null;
    } catch {
      return null;
    }
  }
  if (process.platform === 'win32') return null;
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return out ? `ps:${out}` : null;
  } catch {
    return null;
  }
}

/** Whether `pid` runs Node.js, judged by its program name; null when that cannot be read. */
function runsNode(pid: number): boolean | null {
  let program: string;
  try {
    if (process.platform === 'linux') {
      program = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    } else if (process.platform === 'win32') {
      return null;
    } else {
      program = execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim();
    }
  } catch {
    return null;
  }
  if (!program) return null;
  const name = path.basename(program).toLowerCase();
  return name.startsWith('node') || name === path.basename(process.execPath).toLowerCase();
}

interface LockInfo {
  pid: number;
  /** processStartTime() of the holder when it took the lock; absent in locks of earlier versions (bare PID). */
  started?: string | null;
}

function parseLock(raw: string): LockInfo | null {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return { pid: Number(text) }; // written by an earlier version
  try {
    const lock = JSON.parse(text) as LockInfo;
    return Number.isInteger(lock.pid) && lock.pid > 0 ? lock : null;
  } catch {
    return null;
  }
}

/** Lock files this process holds (its open embedded databases), by resolved path. */
const heldHere = new Set<string>();

/**
 * The PID of the process that holds `lock`, or null when the lock is stale. A PID alone does not say it:
 * after a crash the PID may belong to another process by now, so the holder's start time must match too.
 */
function liveHolder(lockPath: string, lock: LockInfo): number | null {
  if (lock.pid === process.pid) return heldHere.has(lockPath) ? lock.pid : null;
  if (!isAlive(lock.pid)) return null;
  const now = processStartTime(lock.pid);
  if (lock.started && now) return lock.started === now ? lock.pid : null;
  // Nothing to compare (a lock of an earlier version, or a system where the start time cannot be read):
  // a live PID counts as the holder unless it visibly is not a Node.js process.
  return runsNode(lock.pid) === false ? null : lock.pid;
}

/** Create `lockPath` with `content` if it does not exist, atomically (no reader sees it half written). */
function createLockFile(lockPath: string, content: string): boolean {
  const tmp = `${lockPath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  try {
    fs.linkSync(tmp, lockPath);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    // A file system without hard links: exclusive create, then write.
    try {
      fs.writeFileSync(lockPath, content, { flag: 'wx' });
      return true;
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err2;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * An exclusive lock file beside the embedded database, so that a second process (a CLI import
 * while the server runs) refuses instead of corrupting the data directory. It names the holder by
 * PID and start time; a lock whose holder is gone (crash, kill -9, reboot) is taken over.
 */
function acquireLock(dataDir: string): () => void {
  const lockPath = path.join(fs.realpathSync(dataDir), 'lotse.lock');
  if (heldHere.has(lockPath)) throw new DatabaseLockedError(dataDir, process.pid);
  const content = JSON.stringify({ pid: process.pid, started: processStartTime(process.pid) } satisfies LockInfo);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createLockFile(lockPath, content)) {
      heldHere.add(lockPath);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(lockPath);
        try {
          if (fs.readFileSync(lockPath, 'utf8') === content) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    }
    const raw = readIfExists(lockPath);
    if (raw === null) continue; // released meanwhile
    const lock = parseLock(raw);
    const holder = lock && liveHolder(lockPath, lock);
    if (holder) throw new DatabaseLockedError(dataDir, holder);
    // Stale (or unreadable): remove it, unless another process has replaced it in the meantime.
    if (readIfExists(lockPath) === raw) fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`Could not lock ${lockPath}`);
}

/** Where bin/lotse.js leaves the compilation of PGlite's WebAssembly that it started early. */
const PGLITE_WASM = Symbol.for('kommunallotse.pgliteWasm');

/**
 * PGlite's WebAssembly (9 MB), compiled once per process and shared by every PGlite instance (PGlite
 * alone compiles it again for each). bin/lotse.js starts the compilation before it loads the bundle,
 * so that it runs on V8's background threads while the modules load. Null: PGlite compiles it itself.
 */
function pgliteWasm(): Promise<WebAssembly.Module | null> {
  const slot = globalThis as { [PGLITE_WASM]?: Promise<WebAssembly.Module | null> };
  slot[PGLITE_WASM] ??= (async () => {
    const file = new URL('pglite.wasm', import.meta.resolve('@electric-sql/pglite'));
    return WebAssembly.compile(fs.readFileSync(file)); // synchronous: no wait behind a busy event loop
  })().catch(() => null);
  return slot[PGLITE_WASM];
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
    // Each driver is loaded only when it is used: a server on PGlite never loads pg, and vice versa.
    const [{ PGlite }, wasmModule] = await Promise.all([import('@electric-sql/pglite'), pgliteWasm()]);
    const db = await PGlite.create(dir, {
      parsers: { [DATE_OID]: (v: string) => v, [NUMERIC_OID]: parseNumber, [INT8_OID]: parseNumber },
      ...(wasmModule ? { pgliteWasmModule: wasmModule } : {}),
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

function pgTypes(driver: typeof pg) {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === DATE_OID) return (v: string) => v;
      if (oid === NUMERIC_OID || oid === INT8_OID) return parseNumber;
      return driver.types.getTypeParser(oid, format);
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
    async query<T>(sql: string, params: readonly unknown[] = [], opts?: QueryOptions) {
      const name = preparedName(sql, opts);
      const res = await serial(() => client.query({ text: sql, values: params as unknown[], name }));
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
  const { default: pg } = await import('pg');
  const listeners: pg.Client[] = [];
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes(pg) });
  // An idle connection that the server drops (restart, admin command) must not crash the process;
  // the pool replaces it on the next query.
  const onIdleError = (err: Error) => process.emitWarning(`PostgreSQL pool: idle connection lost (${err.message})`);
  pool.on('error', onIdleError);
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  // Prepared statements run on connections of their own that always reuse the statement's generic plan:
  // PostgreSQL would otherwise plan a statement anew whenever its generic plan looks dearer than a custom one,
  // which for the advisors' queue it always does, by an estimate, while the plans are the same (ADR 0018).
  // Unprepared statements keep being planned for their parameters on the main pool.
  let preparedPool: pg.Pool | null = null;
  const prepared = () => {
    if (!preparedPool) {
      preparedPool = new pg.Pool({
        connectionString: url,
        max: Math.max(2, Math.ceil(poolSize / 2)),
        types: pgTypes(pg),
        options: '-c plan_cache_mode=force_generic_plan',
      });
      preparedPool.on('error', onIdleError);
    }
    return preparedPool;
  };
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = [], opts?: QueryOptions) {
      const name = preparedName(sql, opts);
      const res = await (name ? prepared() : pool).query({ text: sql, values: params as unknown[], name });
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
      const client = new pg.Client({ connectionString: url, types: pgTypes(pg) });
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
      await Promise.all([pool.end(), (preparedPool as pg.Pool | null)?.end()]);
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
