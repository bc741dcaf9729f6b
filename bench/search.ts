import type { Request } from 'autocannon';
import {
  type Backend,
  backends,
  freePort,
  measureRoute,
  median,
  ms,
  percentile,
  prepareRegister,
  printEnvironment,
  printTable,
  type RouteLoad,
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

const measure = (port: number, serverPid: number, route: string, requests: Request[]): Promise<RouteLoad> =>
  measureRoute(port, serverPid, route, requests, {
    connections: CONNECTIONS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
  });

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
  const results: (RouteLoad & { backend: Backend })[] = [];
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
