/**
 * Shared helpers of the benchmarks: statistics, table output, result files, throwaway databases and
 * child-process servers. Nothing here is used by the application.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Request, type Result } from 'autocannon';
import { migrateAll } from '../src/modules.js';
import { type Db, openPglite, openPostgres } from '../src/platform/db/db.js';
import { ensureEmbeddedDefault, importGv100ad } from '../src/register/register.service.js';
import { createPgDatabase as createDatabase } from '../test/helpers/pg-database.js';
import { GV100AD_2023, GV100AD_2025 } from '../test/helpers/shared-data.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
export const LOTSE_BIN = path.join(ROOT, 'bin', 'lotse.js');
export { GV100AD_2023, GV100AD_2025 };

export type Backend = 'pglite' | 'postgres';

/** The PostgreSQL server of the benchmarks, or null (then the PostgreSQL rows are skipped). */
export function benchDatabaseUrl(): string | null {
  return process.env.BENCH_DATABASE_URL?.trim() || null;
}

export function backends(): Backend[] {
  return benchDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export function skipNote(what: string): void {
  if (!benchDatabaseUrl()) {
    console.log(`\n  Note: BENCH_DATABASE_URL is not set – the PostgreSQL rows of "${what}" are skipped.`);
  }
}

/** Print the machine and its load: other processes on the machine skew every figure. */
export function printEnvironment(title: string): number[] {
  const load = os.loadavg().map((l) => round(l, 2));
  console.log(`\n== ${title} ==`);
  console.log(
    `  ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${load.join(' / ')}` +
      (load[0]! > os.cpus().length * 0.5 ? '  (machine busy: figures will be noisy)' : ''),
  );
  return load;
}

export function assertRealData(): void {
  for (const f of [GV100AD_2023, GV100AD_2025]) {
    if (!fs.existsSync(f))
      throw new Error(`real data missing: ${f} (expected under ../shared/data beside the checkout)`);
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and output

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const ms = (n: number): string => (Number.isFinite(n) ? `${round(n, 1)} ms` : '–');

export function verdict(value: number, target: number): 'PASS' | 'MISS' {
  return value <= target ? 'PASS' : 'MISS';
}

/** Print rows as an aligned text table. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) {
    console.log('  (no rows)');
    return;
  }
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => `  ${vals.map((v, i) => v.padEnd(width[i]!)).join('  ')}`;
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

/** Write the result of one benchmark to bench/results/<name>-<date>.json and return the path. */
export function writeResult(name: string, data: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  const env = {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
    postgres: benchDatabaseUrl() ? redactUrl(benchDatabaseUrl()!) : null,
  };
  fs.writeFileSync(
    file,
    `${JSON.stringify({ name, date: new Date().toISOString(), env, ...(data as object) }, null, 2)}\n`,
  );
  console.log(`\n  Result written to ${path.relative(ROOT, file)}`);
  return file;
}

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

// ---------------------------------------------------------------------------------------------
// Throwaway databases

export interface BenchDb {
  db: Db;
  /** Connection string of the database (PostgreSQL only). */
  url: string | null;
  dispose(): Promise<void>;
}

/** Create an empty database on the benchmark server; returns its URL and a drop function. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = benchDatabaseUrl();
  if (!base) throw new Error('BENCH_DATABASE_URL is not set');
  return createDatabase(base, 'kl_bench');
}

/**
 * A fresh, migrated database with the embedded default loaded, as after the first start of the
 * server: PGlite in memory, or a new database on the PostgreSQL server.
 */
export async function freshDb(kind: Backend, opts: { embeddedDefault?: boolean } = {}): Promise<BenchDb> {
  let result: BenchDb;
  if (kind === 'pglite') {
    const db = await openPglite(null);
    result = { db, url: null, dispose: () => db.close() };
  } else {
    const created = await createPgDatabase();
    const db = await openPostgres(created.url, 5);
    result = {
      db,
      url: created.url,
      async dispose() {
        await db.close();
        await created.drop();
      },
    };
  }
  await migrateAll(result.db);
  if (opts.embeddedDefault !== false) await ensureEmbeddedDefault(result.db);
  return result;
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kl-bench-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// Server child processes

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerEnv {
  dataDir?: string;
  databaseUrl?: string;
}

export function serverEnv(port: number, target: ServerEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    API_RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
  };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  if (target.dataDir) env.DATA_DIR = target.dataDir;
  return env;
}

/**
 * The server entry of this checkout for load benchmarks: the sources bundled like bin/lotse.js does, but into
 * this checkout's git-ignored `tmp/bench-server/` instead of `node_modules/.cache/lotse/`. Where node_modules
 * is shared between checkouts (a symlink, as in git worktrees), bin/lotse.js would run whichever checkout's
 * bundle is newest, and building it would change what the other checkouts run. Rebuilt on every call (≈ 1 s).
 *
 * `dir` (relative to the checkout, default `tmp/bench-server`) puts the bundle elsewhere; ignored with a revision.
 *
 * With `BENCH_SERVER_REV` (a git revision) the server is that revision instead (extracted with `git archive`
 * into `tmp/bench-rev-<rev>/`), to compare before and after a change with the same benchmark code.
 */
export async function serverEntry(opts: { dir?: string } = {}): Promise<string> {
  const rev = process.env.BENCH_SERVER_REV?.trim();
  let root = ROOT;
  if (rev) {
    root = path.join(ROOT, 'tmp', `bench-rev-${rev.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    const tar = execFileSync('git', ['archive', '--format=tar', rev, 'src', 'migrations', 'content', 'package.json'], {
      cwd: ROOT,
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', root], { input: tar });
    console.log(
      `  server: revision ${rev} (${execFileSync('git', ['rev-parse', '--short', rev], { cwd: ROOT }).toString().trim()})`,
    );
  }
  const dir = path.join(root, rev ? '.server' : (opts.dir ?? path.join('tmp', 'bench-server')));
  fs.mkdirSync(dir, { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(root, 'src', 'cli.ts')],
    outfile: path.join(dir, 'cli.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'inline',
    logLevel: 'error',
  });
  const entry = path.join(dir, 'serve.mjs');
  fs.writeFileSync(entry, "import { run } from './cli.mjs';\nawait run();\n");
  return entry;
}

/**
 * `npm start` without npm: `node bin/lotse.js serve` in a child process (or `node <entry> serve` with an
 * entry from `serverEntry()`).
 */
export function spawnServer(
  port: number,
  target: ServerEnv,
  opts: { entry?: string; env?: Record<string, string> } = {},
): ChildProcess {
  const child = spawn(process.execPath, [opts.entry ?? LOTSE_BIN, 'serve'], {
    cwd: ROOT,
    env: { ...serverEnv(port, target), ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  child.once('exit', (code, signal) => {
    if (code && code !== 0)
      console.error(`  server (pid ${child.pid}) exited with ${code ?? signal}: ${stderr.trim()}`);
  });
  return child;
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface HealthTimes {
  /** Until the first HTTP answer of any status (the port listens). */
  firstResponseMs: number;
  /** Until GET /health answered 200 (database open and migrated). */
  readyMs: number;
}

/** Poll GET /health every `intervalMs` until it answers 200; times are relative to `since`. */
export async function waitForHealth(
  port: number,
  since: number,
  child: ChildProcess,
  { intervalMs = 20, timeoutMs = 120_000 } = {},
): Promise<HealthTimes> {
  let firstResponseMs = Number.NaN;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    const elapsed = performance.now() - since;
    if (elapsed > timeoutMs) throw new Error(`server not ready after ${timeoutMs} ms`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      const now = performance.now() - since;
      if (Number.isNaN(firstResponseMs)) firstResponseMs = now;
      if (res.status === 200) return { firstResponseMs, readyMs: now };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---------------------------------------------------------------------------------------------
// A prepared register for the server benchmarks

export interface PreparedRegister {
  target: ServerEnv;
  regions: number;
  dispose(): Promise<void>;
}

/**
 * A database as after the first start plus the import of the 2025 release: a PGlite data
 * directory (closed again, so a server can open it) or a new database on the PostgreSQL server.
 */
export async function prepareRegister(
  kind: Backend,
  opts: { importRelease?: boolean; seed?: (db: Db) => Promise<void> } = {},
): Promise<PreparedRegister> {
  const data = { fileName: path.basename(GV100AD_2025), data: fs.readFileSync(GV100AD_2025) };
  let db: Db;
  let target: ServerEnv;
  let drop: () => Promise<void>;
  if (kind === 'pglite') {
    const tmp = tempDir('data');
    db = await openPglite(tmp.dir);
    target = { dataDir: tmp.dir };
    drop = async () => tmp.remove();
  } else {
    const created = await createPgDatabase();
    db = await openPostgres(created.url, 5);
    target = { databaseUrl: created.url };
    drop = created.drop;
  }
  let regions: number;
  try {
    await migrateAll(db);
    await ensureEmbeddedDefault(db);
    if (opts.importRelease !== false) await importGv100ad(db, data);
    if (opts.seed) await opts.seed(db);
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM regions WHERE valid_to IS NULL');
    regions = rows[0]?.n ?? 0;
  } finally {
    await db.close();
  }
  return { target, regions, dispose: drop };
}

// ---------------------------------------------------------------------------------------------
// HTTP load (autocannon) with exact percentiles and CPU per request

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (user + system, ms) of one process, from /proc; null where there is no /proc. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return null;
  }
}

/** Resident set size of one process in bytes, from /proc; null where there is no /proc. */
export function processRssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time of all PostgreSQL server processes on this machine (postmaster and backends). */
export function postgresCpuMs(): number | null {
  if (!fs.existsSync('/proc')) return null;
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    total += processCpuMs(Number(entry)) ?? 0;
  }
  return total;
}

export interface CpuSample {
  server: number | null;
  postgres: number | null;
  loadGenerator: number;
}

export function cpuSample(serverPid: number): CpuSample {
  const own = process.cpuUsage();
  return { server: processCpuMs(serverPid), postgres: postgresCpuMs(), loadGenerator: (own.user + own.system) / 1000 };
}

export interface CpuPerRequest {
  server: number | null;
  postgres: number | null;
  loadGenerator: number | null;
}

/** CPU milliseconds per request of the server process, PostgreSQL and the load generator. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuPerRequest {
  const per = (a: number | null, b: number | null) =>
    a === null || b === null || requests === 0 ? null : round((b - a) / requests, 3);
  return {
    server: per(before.server, after.server),
    postgres: per(before.postgres, after.postgres),
    loadGenerator: per(before.loadGenerator, after.loadGenerator),
  };
}

export function formatCpu(c: CpuPerRequest): string {
  return [c.server, c.postgres, c.loadGenerator].map((v) => (v === null ? '–' : v)).join(' | ');
}

/** autocannon with every 2xx response latency kept, so that p95 is exact (autocannon reports p90/p97.5). */
export function autocannonRun(
  port: number,
  requests: Request[],
  opts: { connections: number; durationS: number },
): Promise<{ result: Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: opts.connections,
        duration: opts.durationS,
        requests,
        timeout: 10,
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

export interface RouteLoad {
  route: string;
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  cpuMsPerRequest: CpuPerRequest;
}

/**
 * Warm-up, then a measured autocannon run against one route (or a rotation of requests). After the warm-up,
 * one GET /health is awaited: PGlite runs one statement at a time, so its answer means the queue is empty.
 */
export async function measureRoute(
  port: number,
  serverPid: number,
  route: string,
  requests: Request[],
  opts: { connections: number; durationS: number; warmupS: number },
): Promise<RouteLoad> {
  if (opts.warmupS > 0) {
    await autocannonRun(port, requests, { connections: opts.connections, durationS: opts.warmupS });
    await (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(120_000) })).arrayBuffer();
  }
  const before = cpuSample(serverPid);
  const { result, latencies } = await autocannonRun(port, requests, opts);
  const after = cpuSample(serverPid);
  return {
    route,
    requests: latencies.length,
    reqPerSec: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.length ? latencies.reduce((a, b) => Math.max(a, b), latencies[0]!) : Number.NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpuMsPerRequest: cpuPerRequest(before, after, latencies.length),
  };
}
