/**
 * Search benchmark: the real server (`node bin/lotse.js serve` in a child process) with the full 2025
 * register, loaded by autocannon with rotating search queries, against the bare GET /health route.
 * See bench/README.md.
 */
import fs from 'node:fs';
import autocannon, { type Request, type Result } from 'autocannon';
import {
  type Backend,
  backends,
  freePort,
  median,
  ms,
  percentile,
  prepareRegister,
  printEnvironment,
  printTable,
  round,
  skipNote,
  spawnServer,
  stopServer,
  verdict,
  waitForHealth,
  writeResult,
} from './common.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PROBES = Number(process.env.BENCH_PROBES ?? 30);
const TARGET_P95_MS = 10;

/** Names (with typo and transliterated forms), a Gemeinde key, a postcode and short prefixes. */
export const QUERIES = [
  'Neustadt',
  'München',
  'Mnchen',
  'Muenchen',
  'Berlin',
  'Frankfurt',
  'Halle',
  '09162000',
  '80331',
  'Kiel',
  'Ober',
  'Sankt',
];

const searchPath = (q: string) => `/api/v1/regions?q=${encodeURIComponent(q)}`;

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (user + system, ms) of one process, from /proc; null where there is no /proc. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return null;
  }
}

/** CPU time of all PostgreSQL server processes on this machine (postmaster and backends). */
function postgresCpuMs(): number | null {
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

interface CpuSample {
  server: number | null;
  postgres: number | null;
  loadGenerator: number;
}

function cpuSample(serverPid: number): CpuSample {
  const own = process.cpuUsage();
  return { server: processCpuMs(serverPid), postgres: postgresCpuMs(), loadGenerator: (own.user + own.system) / 1000 };
}

/** CPU milliseconds per request of the server process, PostgreSQL and the load generator. */
function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number) {
  const per = (a: number | null, b: number | null) => (a === null || b === null ? null : round((b - a) / requests, 3));
  return {
    server: per(before.server, after.server),
    postgres: per(before.postgres, after.postgres),
    loadGenerator: per(before.loadGenerator, after.loadGenerator),
  };
}

interface LoadResult {
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
  /** CPU ms per request: server process (including PGlite), PostgreSQL server, autocannon. */
  cpuMsPerRequest: ReturnType<typeof cpuPerRequest>;
}

/** autocannon with every response latency kept, so that p95 is exact (autocannon reports p90/p97.5). */
function load(port: number, requests: Request[], durationS: number): Promise<{ result: Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: durationS, requests, timeout: 10 },
      (err, result) => (err ? reject(err) : resolve({ result, latencies })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

async function measure(port: number, serverPid: number, route: string, requests: Request[]): Promise<LoadResult> {
  if (WARMUP_S > 0) {
    await load(port, requests, WARMUP_S);
    // Requests of the warm-up that the server still works on would slow the measured run: PGlite runs one
    // statement at a time, so one /health answer means the queue is empty.
    await (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(120_000) })).arrayBuffer();
  }
  const before = cpuSample(serverPid);
  const { result, latencies } = await load(port, requests, DURATION_S);
  const after = cpuSample(serverPid);
  return {
    route,
    requests: latencies.length,
    reqPerSec: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpuMsPerRequest: cpuPerRequest(before, after, latencies.length),
  };
}

/** Sequential requests per query (one connection, no load): which query is the slow one. */
async function probeQueries(port: number): Promise<{ q: string; total: number; p50: number; p95: number }[]> {
  const out: { q: string; total: number; p50: number; p95: number }[] = [];
  for (const q of QUERIES) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < PROBES; i++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${searchPath(q)}`);
      const body = (await res.json()) as { total?: number };
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`GET ${searchPath(q)} answered ${res.status}`);
      total = body.total ?? 0;
    }
    out.push({ q, total, p50: median(times), p95: percentile(times, 95) });
  }
  return out;
}

export async function runSearchBench(): Promise<void> {
  const loadAtStart = printEnvironment(
    `Search benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per route (+ ${WARMUP_S} s warm-up)`,
  );
  const rows: Record<string, string | number>[] = [];
  const results: (LoadResult & { backend: Backend })[] = [];
  const probes: Record<string, Awaited<ReturnType<typeof probeQueries>>> = {};
  for (const kind of backends()) {
    console.log(`  ${kind}: preparing the register (2025 release) …`);
    const prepared = await prepareRegister(kind);
    const port = await freePort();
    const child = spawnServer(port, prepared.target);
    try {
      await waitForHealth(port, performance.now(), child);
      console.log(`  ${kind}: server ready (${prepared.regions} current regions), probing queries …`);
      probes[kind] = await probeQueries(port);
      console.log(`  ${kind}: GET /health …`);
      const health = await measure(port, child.pid!, 'GET /health', [{ method: 'GET', path: '/health' }]);
      console.log(`  ${kind}: GET /api/v1/regions?q=… (${QUERIES.length} rotating queries) …`);
      const search = await measure(
        port,
        child.pid!,
        `GET /api/v1/regions?q=… (${QUERIES.length} rotating)`,
        QUERIES.map((q) => ({ method: 'GET', path: searchPath(q) })),
      );
      for (const r of [health, search]) {
        results.push({ backend: kind, ...r });
        const isSearch = r === search;
        rows.push({
          backend: kind,
          route: r.route,
          'req/s': round(r.reqPerSec, 0),
          p50: ms(r.p50),
          p95: ms(r.p95),
          p99: ms(r.p99),
          max: ms(r.max),
          'errors/non-2xx': `${r.errors + r.timeouts}/${r.non2xx}`,
          'CPU ms/req server|pg|load': [
            r.cpuMsPerRequest.server,
            r.cpuMsPerRequest.postgres,
            r.cpuMsPerRequest.loadGenerator,
          ]
            .map((v) => (v === null ? '–' : v))
            .join(' | '),
          target: isSearch && kind === 'postgres' ? `p95 ≤ ${TARGET_P95_MS} ms` : '',
          result: isSearch && kind === 'postgres' ? verdict(r.p95, TARGET_P95_MS) : '',
        });
      }
    } finally {
      await stopServer(child);
      await prepared.dispose();
    }
  }
  printTable('Throughput and latency under load (latency: from autocannon, per response)', rows);
  for (const [kind, list] of Object.entries(probes)) {
    printTable(
      `Per query, sequential, no load (${kind}, ${PROBES} requests each, client fetch included)`,
      list.map((p) => ({ q: p.q, hits: p.total, p50: ms(p.p50), p95: ms(p.p95) })),
    );
  }
  skipNote('search');
  writeResult('search', {
    connections: CONNECTIONS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    queries: QUERIES,
    loadAtStart,
    results: results.map((r) => ({
      ...r,
      reqPerSec: round(r.reqPerSec, 1),
      p50: round(r.p50, 2),
      p95: round(r.p95, 2),
      p99: round(r.p99, 2),
      max: round(r.max, 2),
    })),
    probes,
  });
}
