/**
 * Lagebild with strategies (issue 9): every current Gemeinde with a submitted check (as bench/lagebild.ts) AND an
 * adopted strategy of 10 measures (some done), then the release with the strategy figures, `GET /api/v1/lagebild`
 * and `GET /lagebild` under load (real server in a child process, autocannon). Target: p95 ≤ 100 ms on
 * PostgreSQL; PGlite beside it. See bench/README.md.
 */

import { h, type VNode } from 'preact';
import { prng } from '../src/assessment/demo.js';
import { LagebildView } from '../src/assessment/lagebild.pages.js';
import { currentLagebild, mapBoundaries, releaseLagebild } from '../src/assessment/lagebild.service.js';
import { loadModel, sizeClassOf } from '../src/assessment/model.js';
import { createI18n } from '../src/modules.js';
import type { Db } from '../src/platform/db/db.js';
import { type PageContext, renderPage } from '../src/platform/http/layout.js';
import type { LagebildContribution } from '../src/platform/module.js';
import { adoptedStrategies } from '../src/strategy/lagebild.repository.js';
import { strategyLagebildFigures } from '../src/strategy/lagebild.service.js';
import { strategyLagebildContribution } from '../src/strategy/lagebild-view.js';
import { loadMeasures } from '../src/strategy/measures.js';
import type { MeasureStatus } from '../src/strategy/plan.js';
import { insertStrategies, testContent } from '../test/helpers/strategies.js';
import {
  type Backend,
  backends,
  freePort,
  median,
  ms,
  percentile,
  printEnvironment,
  printTable,
  round,
  serverEntry,
  skipNote,
  spawnServer,
  stopServer,
  time,
  verdict,
  waitForHealth,
  writeResult,
} from './common.js';
import { type Generated, generateChecks, type LoadResult, measure, prepare } from './lagebild.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PROBES = Number(process.env.BENCH_PROBES ?? 20);
const ITEMS = 10;
const BATCH = 1000;
const TARGET_P95_MS = 100;
const CONTRIBUTIONS: readonly LagebildContribution[] = [strategyLagebildContribution as LagebildContribution];

interface GeneratedStrategies {
  strategies: number;
  items: number;
  done: number;
  contentBytes: number;
  ms: number;
}

/**
 * One adopted demo strategy per current Gemeinde: 10 measures of the catalogue (drawn at random), each planned,
 * in progress, done (about a third) or dropped, with the goals of the seven dimensions — about the size of a real
 * draft's content.
 */
async function generateStrategies(db: Db): Promise<GeneratedStrategies> {
  const t0 = performance.now();
  const rand = prng(9_2026);
  const catalogue = loadMeasures();
  const model = loadModel();
  const regions = await db.query<{ key: string; stateKey: string; population: number | null }>(
    `SELECT key, state_key AS "stateKey", population FROM regions
     WHERE level = 'gemeinde' AND valid_to IS NULL ORDER BY key`,
  );
  const statuses: MeasureStatus[] = ['planned', 'in_progress', 'done', 'done', 'done', 'dropped', 'in_progress'];
  let items = 0;
  let done = 0;
  let contentBytes = 0;
  for (let i = 0; i < regions.length; i += BATCH) {
    const batch = regions.slice(i, i + BATCH).map((r) => {
      const pool = [...catalogue.measures];
      const chosen = Array.from({ length: ITEMS }, () => pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
      const list = chosen.map((m) => ({
        measureId: m.id,
        status: statuses[Math.floor(rand() * statuses.length)]!,
      }));
      items += list.length;
      done += list.filter((x) => x.status === 'done').length;
      return {
        regionKey: r.key,
        status: 'adopted' as const,
        isDemo: true,
        stateKey: r.stateKey,
        sizeClass: sizeClassOf(r.population),
        items: list,
      };
    });
    // The content with goals as a real draft has them (testContent leaves them empty).
    const withGoals = batch.map((s) => {
      const content = testContent(s.items);
      content.goals = model.dimensions.map((d) => ({
        dimension: d.id,
        currentScore: 40,
        currentLevel: 1,
        targetLevel: 3,
        reason: { key: 'lagebild.strategy.title', params: { dimension: d.id, median: 3, level: 1 } },
      }));
      contentBytes += Buffer.byteLength(JSON.stringify(content));
      return { ...s, content };
    });
    await insertStrategies(db, withGoals);
  }
  if (db.kind === 'postgres') await db.query('ANALYZE strategies');
  return { strategies: regions.length, items, done, contentBytes, ms: performance.now() - t0 };
}

async function timeN(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await time(fn)).ms);
  return { p50: median(times), p95: percentile(times, 95) };
}

interface ReleaseFigures {
  firstMs: number;
  unchangedMs: number[];
  afterOneChangeMs: number;
  released: boolean;
  parts: Record<string, { p50: number; p95: number }>;
  figuresBytes: number;
  snapshotBytes: number;
  renderMs: { p50: number; p95: number };
  htmlBytes: number;
}

async function measureRelease(db: Db): Promise<ReleaseFigures> {
  const release = () => db.transaction((tx) => releaseLagebild(tx, { contributions: CONTRIBUTIONS }));
  const first = await time(release);
  const unchangedMs: number[] = [];
  for (let i = 0; i < RUNS; i++) unchangedMs.push((await time(release)).ms);
  // One Gemeinde's strategy goes (a deletion; an adopted one is frozen): the figures change, the release stores.
  await db.query(
    "DELETE FROM strategies WHERE id = (SELECT min(id) FROM strategies WHERE status = 'adopted' AND is_demo)",
  );
  const changed = await time(release);
  const lagebild = await currentLagebild(db, CONTRIBUTIONS);
  const boundaries = await mapBoundaries(db);
  const ctx: PageContext = {
    lang: 'de',
    t: createI18n().translator('de'),
    url: '/lagebild',
    requestId: 'bench',
    user: null,
    csrfToken: 'bench',
    nav: [],
  };
  const render = () =>
    renderPage(
      h(LagebildView, {
        ctx,
        lagebild,
        boundaries,
        sections: CONTRIBUTIONS.map((c) => c.render(lagebild.contributions![c.name]!, ctx)),
      }) as VNode,
    );
  return {
    firstMs: first.ms,
    unchangedMs,
    afterOneChangeMs: changed.ms,
    released: changed.value.released,
    parts: {
      'adoptedStrategies query (done ids out of the content)': await timeN(PROBES, () => adoptedStrategies(db)),
      'strategyLagebildFigures (query + denominators + JS)': await timeN(PROBES, () => strategyLagebildFigures(db)),
    },
    figuresBytes: Buffer.byteLength(JSON.stringify(lagebild.contributions)),
    snapshotBytes: Buffer.byteLength(JSON.stringify(lagebild)),
    renderMs: await timeN(PROBES, async () => render()),
    htmlBytes: Buffer.byteLength(render()),
  };
}

interface BackendResult {
  backend: Backend;
  generated: Generated;
  strategies: GeneratedStrategies;
  release: ReleaseFigures;
  load: LoadResult[];
}

const kb = (n: number) => `${round(n / 1024, 0)} KiB`;

export async function runLagebildStrategiesBench(): Promise<void> {
  const loadAtStart = printEnvironment(
    `Lagebild with strategies: every Gemeinde with a check and an adopted strategy of ${ITEMS} measures`,
  );
  const results: BackendResult[] = [];
  for (const kind of backends()) {
    console.log(`  ${kind}: preparing (migrate, GV100AD 2025, BKG Länder + Kreise) …`);
    const prep = await prepare(kind);
    const db = prep.db;
    let open = true;
    try {
      console.log(`  ${kind}: generating checks and strategies …`);
      const generated = await generateChecks(db);
      const strategies = await generateStrategies(db);
      console.log(
        `  ${kind}: ${generated.checks} checks, ${strategies.strategies} strategies (${strategies.done} measures done) in ` +
          `${ms(generated.ms + strategies.ms)}; releases …`,
      );
      const release = await measureRelease(db);
      await db.close();
      open = false;
      const port = await freePort();
      const child = spawnServer(port, prep.target, { entry: await serverEntry() });
      let stopping = false;
      child.once('exit', (code, signal) => {
        if (!stopping) console.error(`  ${kind}: server exited early (${code ?? signal})`);
      });
      const loads: LoadResult[] = [];
      try {
        await waitForHealth(port, performance.now(), child);
        for (const [route, paths] of [
          ['GET /api/v1/lagebild', ['/api/v1/lagebild']],
          ['GET /lagebild (anonymous)', ['/lagebild']],
        ] as const) {
          console.log(`  ${kind}: ${route} …`);
          loads.push(await measure(port, child.pid!, route, [...paths]));
        }
      } finally {
        stopping = true;
        await stopServer(child);
      }
      results.push({ backend: kind, generated, strategies, release, load: loads });
    } finally {
      if (open) await db.close();
      await prep.drop();
    }
  }

  printTable(
    'Data (generated): per current Gemeinde one submitted check and one adopted strategy',
    results.map((r) => ({
      backend: r.backend,
      checks: r.generated.checks,
      strategies: r.strategies.strategies,
      'measures (done)': `${r.strategies.items} (${r.strategies.done})`,
      'content JSON': kb(r.strategies.contentBytes),
      'strategy figures JSON': kb(r.release.figuresBytes),
      'snapshot JSON': kb(r.release.snapshotBytes),
      'page HTML': kb(r.release.htmlBytes),
    })),
  );
  printTable(
    'Throughput and latency under load (latency from autocannon, per 2xx response)',
    results.flatMap((r) =>
      r.load.map((l) => ({
        backend: r.backend,
        route: l.route,
        'req/s': round(l.reqPerSec, 0),
        p50: ms(l.p50),
        p95: ms(l.p95),
        p99: ms(l.p99),
        max: ms(l.max),
        first: ms(l.firstMs),
        size: kb(l.bytesPerResponse),
        'errors/non-2xx': `${l.errors + l.timeouts}/${l.non2xx}`,
        target: r.backend === 'postgres' ? `p95 ≤ ${TARGET_P95_MS} ms` : '',
        result: r.backend === 'postgres' ? verdict(l.p95, TARGET_P95_MS) : '',
      })),
    ),
  );
  printTable(
    `The release with the strategy figures (in-process; unchanged: median of ${RUNS})`,
    results.flatMap((r) => [
      {
        backend: r.backend,
        what: 'first release (all checks admitted, figures computed)',
        p50: ms(r.release.firstMs),
        p95: '',
      },
      {
        backend: r.backend,
        what: 'release, nothing changed (computes, stores nothing)',
        p50: ms(median(r.release.unchangedMs)),
        p95: '',
      },
      {
        backend: r.backend,
        what: `release after one strategy went (stores: ${r.release.released})`,
        p50: ms(r.release.afterOneChangeMs),
        p95: '',
      },
      ...Object.entries(r.release.parts).map(([what, v]) => ({
        backend: r.backend,
        what,
        p50: ms(v.p50),
        p95: ms(v.p95),
      })),
      {
        backend: r.backend,
        what: 'render LagebildView with the section',
        p50: ms(r.release.renderMs.p50),
        p95: ms(r.release.renderMs.p95),
      },
    ]),
  );
  skipNote('lagebild-strategies');
  writeResult('lagebild-strategies', {
    loadAtStart,
    targets: { p95Ms: TARGET_P95_MS },
    results: results.map((r) => ({
      ...r,
      load: r.load.map((l) => ({ ...l, p50: round(l.p50, 2), p95: round(l.p95, 2), p99: round(l.p99, 2) })),
    })),
  });
}
