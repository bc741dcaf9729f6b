/**
 * Register routes benchmark: the key lookup `GET /api/v1/regions/{key}`, the profile page `/kommunen/{key}` and
 * the home page `/` on the real server (child process) with the full 2025 register, each next to the bare route
 * `GET /health` of the same run, in interleaved rounds. Also the memory the in-memory register takes, measured
 * in-process. See bench/README.md.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Request } from 'autocannon';
import { type Db, openPglite, openPostgres } from '../src/platform/db/db.js';
import * as register from '../src/register/register.service.js';
import {
  type Backend,
  backends,
  formatCpu,
  freePort,
  measureRoute,
  median,
  ms,
  type PreparedRegister,
  prepareRegister,
  printEnvironment,
  printTable,
  processRssBytes,
  type RouteLoad,
  round,
  serverEntry,
  skipNote,
  spawnServer,
  stopServer,
  time,
  waitForHealth,
  writeResult,
} from './common.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const HTML = { accept: 'text/html' };

interface RouteSpec {
  id: string;
  route: string;
  requests: Request[];
  /** Share of the bare route's req/s the route must reach (both databases); null: for information. */
  minShare: number | null;
  /** p95 the route must stay under on PostgreSQL; null: for information. */
  maxP95Ms: number | null;
}

export const ROUTES: RouteSpec[] = [
  {
    id: 'bare',
    route: 'GET /health (bare route)',
    requests: [{ method: 'GET', path: '/health' }],
    minShare: null,
    maxP95Ms: null,
  },
  {
    id: 'key',
    route: 'GET /api/v1/regions/09162000',
    requests: [{ method: 'GET', path: '/api/v1/regions/09162000' }],
    minShare: 0.5,
    maxP95Ms: 20,
  },
  {
    id: 'profile',
    route: 'GET /kommunen/09162000',
    requests: [{ method: 'GET', path: '/kommunen/09162000', headers: HTML }],
    minShare: 0.25,
    maxP95Ms: 50,
  },
  { id: 'home', route: 'GET /', requests: [{ method: 'GET', path: '/', headers: HTML }], minShare: 0.25, maxP95Ms: 50 },
  {
    id: 'kreis',
    route: 'GET /kommunen/09184 (Landkreis, 29 Gemeinden)',
    requests: [{ method: 'GET', path: '/kommunen/09184', headers: HTML }],
    minShare: null,
    maxP95Ms: null,
  },
];

// ---------------------------------------------------------------------------------------------
// Memory of the in-memory register, in-process

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
}

function memory(): MemorySample {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

interface MemoryFigures {
  steps: { step: string; ms: number; rssMiB: number; heapUsedMiB: number; externalMiB: number }[];
}

const mib = (n: number) => round(n / 2 ** 20, 1);

/** Open the prepared database in this process and measure heap and RSS around the first register calls. */
async function measureMemory(kind: Backend, prepared: PreparedRegister): Promise<MemoryFigures> {
  const db: Db =
    kind === 'pglite'
      ? await openPglite(prepared.target.dataDir!)
      : await openPostgres(prepared.target.databaseUrl!, 5);
  const steps: MemoryFigures['steps'] = [];
  try {
    await db.query('SELECT count(*) FROM regions');
    const base = memory();
    const record = (step: string, t: number, m: MemorySample) =>
      steps.push({
        step,
        ms: round(t, 1),
        rssMiB: mib(m.rss - base.rss),
        heapUsedMiB: mib(m.heapUsed - base.heapUsed),
        externalMiB: mib(m.external - base.external),
      });
    steps.push({
      step: 'database open (absolute)',
      ms: 0,
      rssMiB: mib(base.rss),
      heapUsedMiB: mib(base.heapUsed),
      externalMiB: mib(base.external),
    });
    const first = await time(() => register.getRegion(db, '09162000'));
    record('first getRegion (builds the register view)', first.ms, memory());
    const search = await time(() => register.searchRegions(db, { q: 'München' }));
    record('+ first searchRegions (search index)', search.ms, memory());
    const status = await time(() => register.registerStatus(db));
    record('+ first registerStatus', status.ms, memory());
  } finally {
    await db.close();
  }
  return { steps };
}

// ---------------------------------------------------------------------------------------------

interface RouteResult {
  spec: RouteSpec;
  firstMs: number;
  bytes: number;
  rounds: RouteLoad[];
  /** Per round: req/s of the route divided by req/s of the bare route of the same round. */
  shares: number[];
}

interface BackendResult {
  backend: Backend;
  regions: number;
  memory: MemoryFigures;
  serverRss: { ready: number | null; afterFirstRequests: number | null; end: number | null };
  routes: RouteResult[];
}

async function firstRequest(port: number, spec: RouteSpec): Promise<{ ms: number; bytes: number }> {
  const r = spec.requests[0]!;
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { headers: r.headers ?? {} });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) throw new Error(`GET ${r.path} answered ${res.status}`);
  return { ms: performance.now() - t0, bytes };
}

export async function runRegisterBench(): Promise<void> {
  const loadAtStart = printEnvironment(
    `Register routes benchmark: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_S} s ` +
      `per route (+ ${WARMUP_S} s warm-up)`,
  );
  const results: BackendResult[] = [];
  const entry = await serverEntry();
  for (const kind of backends()) {
    console.log(`  ${kind}: preparing the register (2025 release) …`);
    const prepared = await prepareRegister(kind);
    try {
      console.log(`  ${kind}: memory of the register in-process …`);
      const mem = await measureMemory(kind, prepared);
      const port = await freePort();
      const child = spawnServer(port, prepared.target, { entry });
      try {
        await waitForHealth(port, performance.now(), child);
        const rssReady = processRssBytes(child.pid!);
        const routes: RouteResult[] = [];
        for (const spec of ROUTES) {
          const first = await firstRequest(port, spec);
          routes.push({ spec, firstMs: first.ms, bytes: first.bytes, rounds: [], shares: [] });
        }
        const rssFirst = processRssBytes(child.pid!);
        for (let round = 1; round <= ROUNDS; round++) {
          for (const r of routes) {
            console.log(`  ${kind}: round ${round}/${ROUNDS}: ${r.spec.route} …`);
            r.rounds.push(
              await measureRoute(port, child.pid!, r.spec.route, r.spec.requests, {
                connections: CONNECTIONS,
                durationS: DURATION_S,
                warmupS: WARMUP_S,
              }),
            );
          }
          const bare = routes[0]!.rounds[round - 1]!.reqPerSec;
          for (const r of routes) r.shares.push(r.rounds[round - 1]!.reqPerSec / bare);
        }
        results.push({
          backend: kind,
          regions: prepared.regions,
          memory: mem,
          serverRss: { ready: rssReady, afterFirstRequests: rssFirst, end: processRssBytes(child.pid!) },
          routes,
        });
      } finally {
        await stopServer(child);
      }
    } finally {
      await prepared.dispose();
    }
  }

  const med = (r: RouteResult, f: (l: RouteLoad) => number) => median(r.rounds.map(f));
  printTable(
    `Throughput and latency under load (median of ${ROUNDS} interleaved rounds; share = route req/s ÷ bare route ` +
      'req/s of the same round, median)',
    results.flatMap((b) =>
      b.routes.map((r) => {
        const share = median(r.shares);
        const p95 = med(r, (l) => l.p95);
        const checks: string[] = [];
        let ok = true;
        if (r.spec.minShare !== null) {
          checks.push(`≥ ${r.spec.minShare * 100} %`);
          ok &&= share >= r.spec.minShare;
        }
        if (r.spec.maxP95Ms !== null && b.backend === 'postgres') {
          checks.push(`p95 ≤ ${r.spec.maxP95Ms} ms`);
          ok &&= p95 <= r.spec.maxP95Ms;
        }
        return {
          backend: b.backend,
          route: r.spec.route,
          'req/s': round(
            med(r, (l) => l.reqPerSec),
            0,
          ),
          'per round': r.rounds.map((l) => round(l.reqPerSec, 0)).join(' / '),
          share: r.spec.id === 'bare' ? '' : `${round(share * 100, 0)} %`,
          p50: ms(med(r, (l) => l.p50)),
          p95: ms(p95),
          p99: ms(med(r, (l) => l.p99)),
          first: ms(r.firstMs),
          size: `${round(r.bytes / 1024, 1)} KiB`,
          'errors/non-2xx': `${r.rounds.reduce((n, l) => n + l.errors + l.timeouts, 0)}/${r.rounds.reduce((n, l) => n + l.non2xx, 0)}`,
          'CPU ms/req server|pg|load': formatCpu(r.rounds[r.rounds.length - 1]!.cpuMsPerRequest),
          target: checks.join(', '),
          result: checks.length ? (ok ? 'PASS' : 'MISS') : '',
        };
      }),
    ),
  );
  printTable(
    'Memory of the register in-process (deltas after GC against the open database; first call includes building)',
    results.flatMap((b) =>
      b.memory.steps.map((s) => ({
        backend: b.backend,
        step: s.step,
        time: s.ms ? ms(s.ms) : '',
        RSS: `${s.rssMiB} MiB`,
        'heap used': `${s.heapUsedMiB} MiB`,
        external: `${s.externalMiB} MiB`,
      })),
    ),
  );
  printTable(
    'Server process RSS',
    results.map((b) => ({
      backend: b.backend,
      'at ready': b.serverRss.ready === null ? '–' : `${mib(b.serverRss.ready)} MiB`,
      'after the first request of each route':
        b.serverRss.afterFirstRequests === null ? '–' : `${mib(b.serverRss.afterFirstRequests)} MiB`,
      'at the end': b.serverRss.end === null ? '–' : `${mib(b.serverRss.end)} MiB`,
    })),
  );
  skipNote('register');
  writeResult('register', {
    connections: CONNECTIONS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    rounds: ROUNDS,
    loadAtStart,
    results: results.map((b) => ({
      backend: b.backend,
      regions: b.regions,
      memory: b.memory,
      serverRss: b.serverRss,
      routes: b.routes.map((r) => ({
        id: r.spec.id,
        route: r.spec.route,
        targets: { minShare: r.spec.minShare, maxP95Ms: r.spec.maxP95Ms },
        firstMs: round(r.firstMs, 2),
        bytes: r.bytes,
        medianReqPerSec: round(
          med(r, (l) => l.reqPerSec),
          1,
        ),
        medianShare: round(median(r.shares), 3),
        medianP95: round(
          med(r, (l) => l.p95),
          2,
        ),
        rounds: r.rounds.map((l) => ({
          ...l,
          reqPerSec: round(l.reqPerSec, 1),
          p50: round(l.p50, 2),
          p95: round(l.p95, 2),
          p99: round(l.p99, 2),
          max: round(l.max, 2),
        })),
      })),
    })),
  });
}
