/**
 * Lagebild benchmark: every current Gemeinde with one submitted check of 60 answers (generated), then the
 * precompute on submit (`releaseLagebild`), `GET /api/v1/lagebild` and the page `GET /lagebild` under load
 * (real server in a child process, autocannon), and the peer comparison of a real member's check
 * (`checkResult`, in-process). See bench/README.md.
 */

import fs from 'node:fs';
import path from 'node:path';
import autocannon, { type Request, type Result } from 'autocannon';
import { h, type VNode } from 'preact';
import * as repo from '../src/assessment/assessment.repository.js';
import {
  checkContext,
  checkResult,
  saveAnswer,
  startCheck,
  submitCheck,
} from '../src/assessment/assessment.service.js';
import { prng } from '../src/assessment/demo.js';
import { type CheckFact, computeLagebild } from '../src/assessment/lagebild.js';
import { LagebildView } from '../src/assessment/lagebild.pages.js';
import { currentLagebild, mapBoundaries, releaseLagebild } from '../src/assessment/lagebild.service.js';
import { applicableQuestions, loadModel, regionKindOf, sizeClass } from '../src/assessment/model.js';
import { type Answer, type Level, scoreCheck } from '../src/assessment/scoring.js';
import { createUserWithLoginLink } from '../src/identity/identity.service.js';
import { createI18n, migrateAll } from '../src/modules.js';
import { type Actor, decideRequest, requestAccess } from '../src/organisations/organisations.service.js';
import { type Db, openPglite, openPostgres } from '../src/platform/db/db.js';
import { type PageContext, renderPage } from '../src/platform/http/layout.js';
import {
  ensureEmbeddedDefault,
  importBoundaries,
  importGv100ad,
  type RegionRow,
} from '../src/register/register.service.js';
import { KREISE_GEOJSON, LAENDER_GEOJSON } from '../test/helpers/shared-data.js';
import {
  type Backend,
  backends,
  createPgDatabase,
  freePort,
  GV100AD_2025,
  median,
  ms,
  percentile,
  printEnvironment,
  printTable,
  round,
  type ServerEnv,
  skipNote,
  spawnServer,
  stopServer,
  tempDir,
  time,
  verdict,
  waitForHealth,
  writeResult,
} from './common.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PEER_RUNS = Number(process.env.BENCH_PEER_RUNS ?? 50);
const PROBES = Number(process.env.BENCH_PROBES ?? 20);
/** Checks per INSERT statement (× 60 answers each). */
const BATCH = 500;
const ANSWERS_PER_CHECK = 60;
const TARGET_LAGEBILD_P95_MS = 100;
const TARGET_PEER_MS = 50;
/** More distinct URLs than the page cache keeps (16), so that every request renders the page. */
const UNCACHED_URLS = 40;

const noMail = { send: async () => ({}) };

// ---------------------------------------------------------------------------------------------
// Preparation

export interface Prepared {
  db: Db;
  target: ServerEnv;
  drop(): Promise<void>;
  steps: Record<string, number>;
}

/** Migrations, the embedded default, GV100AD 2025 and (unless `boundaries: false`) the Länder and Kreise boundaries. */
export async function prepare(kind: Backend, opts: { boundaries?: boolean } = {}): Promise<Prepared> {
  let db: Db;
  let target: ServerEnv;
  let drop: () => Promise<void>;
  if (kind === 'pglite') {
    const tmp = tempDir('lagebild');
    db = await openPglite(tmp.dir);
    target = { dataDir: tmp.dir };
    drop = async () => tmp.remove();
  } else {
    const created = await createPgDatabase();
    db = await openPostgres(created.url, 5);
    target = { databaseUrl: created.url };
    drop = created.drop;
  }
  const steps: Record<string, number> = {};
  try {
    steps.migrate = (await time(() => migrateAll(db))).ms;
    await ensureEmbeddedDefault(db);
    steps.importGv100ad = (
      await time(() =>
        importGv100ad(db, { fileName: path.basename(GV100AD_2025), data: fs.readFileSync(GV100AD_2025) }),
      )
    ).ms;
    if (opts.boundaries !== false)
      steps.importBoundaries = (
        await time(async () => {
          for (const file of [LAENDER_GEOJSON, KREISE_GEOJSON])
            await importBoundaries(db, path.basename(file), fs.readFileSync(file, 'utf8'));
        })
      ).ms;
  } catch (err) {
    await db.close();
    await drop();
    throw err;
  }
  return { db, target, drop, steps };
}

export interface Generated {
  checks: number;
  answers: number;
  applicableAnswers: number;
  ms: number;
}

/**
 * One submitted demo check (org_id NULL, is_demo) for every current Gemeinde, with 60 answers: the 54
 * questions of the model (whether they apply or not) plus 6 generated ids `bench-01..06`. The score is that
 * of the applicable questions, as `submitCheck` and demo.ts compute it. Submission dates spread over the last
 * two years so that the Lagebild has more than one year.
 */
export async function generateChecks(db: Db): Promise<Generated> {
  const t0 = performance.now();
  const rand = prng(20261126);
  const model = loadModel();
  if (model.questions.length > ANSWERS_PER_CHECK)
    throw new Error(`the model has more than ${ANSWERS_PER_CHECK} questions`);
  const extra = Array.from(
    { length: ANSWERS_PER_CHECK - model.questions.length },
    (_, i) => `bench-${String(i + 1).padStart(2, '0')}`,
  );
  const regions = await db.query<RegionRow>(
    `SELECT key, level, designation_code AS "designationCode", population, state_key AS "stateKey"
     FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL ORDER BY key`,
  );
  let answers = 0;
  let applicableAnswers = 0;
  for (let i = 0; i < regions.length; i += BATCH) {
    const batch = regions.slice(i, i + BATCH);
    const checks: Record<string, unknown>[] = [];
    const givenByRegion = new Map<string, Answer[]>();
    for (const region of batch) {
      const type = regionKindOf(region) ?? 'gemeinde';
      const questions = applicableQuestions(model, { population: region.population, kind: type });
      const base = Math.min(
        3.2,
        0.6 + Math.log10(Math.max(region.population ?? 100, 100)) * 0.35 + (rand() - 0.5) * 1.2,
      );
      const answer = (questionId: string): Answer => {
        if (rand() < 0.05) return { questionId, level: null };
        return { questionId, level: Math.max(0, Math.min(4, Math.round(base + (rand() - 0.5) * 2.2))) as Level };
      };
      const given = [...model.questions.map((q) => answer(q.id)), ...extra.map(answer)];
      const applicable = new Set(questions.map((q) => q.id));
      applicableAnswers += given.filter((a) => applicable.has(a.questionId)).length;
      const score = scoreCheck(
        questions,
        given.filter((a) => applicable.has(a.questionId)),
      );
      givenByRegion.set(region.key, given);
      checks.push({
        region_key: region.key,
        age_days: Math.floor(rand() * 700),
        overall: score.overall,
        level: score.level,
        scores: { byDimension: score.byDimension, bySector: score.bySector },
        state_key: region.stateKey,
        size_class: sizeClass(region.population ?? 0),
        region_type: type,
      });
    }
    await db.transaction(async (tx) => {
      const ids = await tx.query<{ id: number; regionKey: string }>(
        `INSERT INTO checks (org_id, region_key, model_version, is_demo, status, created_at, submitted_at,
           overall, level, scores, state_key, size_class, region_type)
         SELECT NULL, x.region_key, $2, true, 'draft', now() - make_interval(days => x.age_days),
           NULL, x.overall, x.level, x.scores, x.state_key, x.size_class, x.region_type
         FROM jsonb_to_recordset($1::jsonb) AS x(region_key text, age_days int, overall double precision, level smallint,
           scores jsonb, state_key text, size_class text, region_type text)
         RETURNING id::int AS id, region_key AS "regionKey"`,
        [JSON.stringify(checks), model.version],
      );
      const rows: unknown[] = [];
      for (const { id, regionKey } of ids) {
        for (const a of givenByRegion.get(regionKey)!)
          rows.push({ check_id: id, question_id: a.questionId, level: a.level, not_applicable: a.level === null });
      }
      answers += rows.length;
      await tx.query(
        `INSERT INTO check_answers (check_id, question_id, level, not_applicable)
         SELECT check_id, question_id, level, not_applicable
         FROM jsonb_to_recordset($1::jsonb) AS x(check_id bigint, question_id text, level smallint, not_applicable boolean)`,
        [JSON.stringify(rows)],
      );
      // Submitted only now: the answers of a submitted check are frozen (ADR 0013).
      await tx.query("UPDATE checks SET status = 'submitted', submitted_at = created_at WHERE id = ANY($1::bigint[])", [
        ids.map((c) => c.id),
      ]);
    });
  }
  await repo.markLatest(db, null);
  if (db.kind === 'postgres') await db.query('ANALYZE');
  return { checks: regions.length, answers, applicableAnswers, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------
// The precompute (releaseLagebild) and its parts

interface RefreshFigures {
  medianMs: number;
  runsMs: number[];
  snapshotBytes: number;
  breakdown: Record<string, number>;
}

async function measureRefresh(db: Db): Promise<RefreshFigures> {
  const runsMs: number[] = [];
  for (let i = 0; i < RUNS; i++) runsMs.push((await time(() => db.transaction((tx) => releaseLagebild(tx)))).ms);
  // The same steps as releaseLagebild, timed one by one.
  const breakdown: Record<string, number> = {};
  const latest = await time(() => repo.latestFacts(db));
  breakdown['latestFacts query (rows → JS)'] = latest.ms;
  const t1 = performance.now();
  const facts: CheckFact[] = latest.value.map((c) => ({
    regionKey: c.regionKey,
    stateKey: c.stateKey ?? c.regionKey.slice(0, 2),
    kreisKey: c.kreisKey,
    sizeClass: c.sizeClass ?? '',
    overall: c.overall,
    level: c.level,
    bySector: c.sectorScores ?? {},
    submittedYear: new Date(c.submittedAt ?? 0).getUTCFullYear(),
    isDemo: c.isDemo,
  }));
  breakdown['facts mapping (JS)'] = performance.now() - t1;
  const denomRows = await time(() =>
    db.query<{ stateKey: string; population: number | null }>(
      `SELECT state_key AS "stateKey", population FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL`,
    ),
  );
  breakdown['denominator query'] = denomRows.ms;
  const denominators = { total: denomRows.value.length, byState: {} as Record<string, number>, bySize: {} };
  const bySize: Record<string, number> = denominators.bySize;
  for (const r of denomRows.value) {
    denominators.byState[r.stateKey] = (denominators.byState[r.stateKey] ?? 0) + 1;
    const s = sizeClass(r.population ?? 0);
    bySize[s] = (bySize[s] ?? 0) + 1;
  }
  const computed = await time(async () => computeLagebild(facts, denominators));
  breakdown['computeLagebild (JS)'] = computed.ms;
  breakdown['saveSnapshot (INSERT + DELETE)'] = (await time(() => repo.saveSnapshot(db, computed.value, facts))).ms;
  return {
    medianMs: median(runsMs),
    runsMs,
    snapshotBytes: Buffer.byteLength(JSON.stringify(computed.value)),
    breakdown,
  };
}

// ---------------------------------------------------------------------------------------------
// In-process parts of the two routes

async function timeN(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await time(fn)).ms);
  return { p50: median(times), p95: percentile(times, 95) };
}

interface RouteParts {
  timings: Record<string, { p50: number; p95: number }>;
  htmlBytes: number;
  apiBytes: number;
}

async function routeParts(db: Db): Promise<RouteParts> {
  const ctx: PageContext = {
    lang: 'de',
    t: createI18n().translator('de'),
    url: '/lagebild',
    requestId: 'bench',
    user: null,
    csrfToken: 'bench',
    nav: [],
  };
  const lagebild = await currentLagebild(db);
  const boundaries = await mapBoundaries(db);
  const render = () => renderPage(h(LagebildView, { ctx, lagebild, boundaries }) as VNode);
  const htmlBytes = Buffer.byteLength(render());
  return {
    timings: {
      'currentLagebild (snapshot query + JSON parse)': await timeN(PROBES, () => currentLagebild(db)),
      'JSON.stringify of the snapshot (API body)': await timeN(PROBES, async () => JSON.stringify(lagebild)),
      'mapBoundaries (Länder + Kreise geometry)': await timeN(PROBES, () => mapBoundaries(db)),
      'render LagebildView (Preact → HTML)': await timeN(PROBES, async () => render()),
    },
    htmlBytes,
    apiBytes: Buffer.byteLength(JSON.stringify(lagebild)),
  };
}

// ---------------------------------------------------------------------------------------------
// Peer comparison of a real member's check

interface PeerFigures {
  region: { key: string; name: string; population: number | null };
  answered: number;
  submitMs: number;
  checkResult: { p50: number; p95: number; runs: number };
  parts: Record<string, { p50: number; p95: number }>;
  peerGroups: { kind: string; key: string; n: number | null }[];
  peerGroupRows: number;
}

async function peerBench(db: Db): Promise<PeerFigures> {
  const deps = { db, mailer: noMail, publicUrl: 'http://localhost', t: createI18n().translator('de') };
  const adminId = (await createUserWithLoginLink(deps, 'bench-admin@example.org', true)).userId;
  const memberId = (await createUserWithLoginLink(deps, 'bench-member@example.org', false)).userId;
  const admin: Actor = { id: adminId, email: 'bench-admin@example.org', isPlatformAdmin: true };
  const member: Actor = { id: memberId, email: 'bench-member@example.org', isPlatformAdmin: false };
  // A real small town: the first Gemeinde (by key) with 4,000–6,000 inhabitants.
  const [region] = await db.query<{ key: string; name: string; population: number | null }>(
    `SELECT key, name, population FROM regions
     WHERE level = 'gemeinde' AND valid_to IS NULL AND population BETWEEN 4000 AND 6000 ORDER BY key LIMIT 1`,
  );
  if (!region) throw new Error('no Gemeinde with 4,000–6,000 inhabitants');
  const orgId = await requestAccess(deps, member, region.key, '');
  const [req] = await db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [orgId]);
  await decideRequest(deps, admin, orgId, req!.id, true, 'admin');
  const checkId = await startCheck(db, member, orgId);
  const ctx = await checkContext(db, member, checkId);
  const rand = prng(4711);
  for (const q of ctx.questions) {
    const value = rand() < 0.05 ? 'na' : String(Math.floor(rand() * 5));
    const r = await saveAnswer(db, member, checkId, q.id, { value, comment: '', evidenceUrl: '', expectedVersion: 0 });
    if (!r.ok) throw new Error(`saving ${q.id} failed`);
  }
  const submitMs = (await time(() => submitCheck(db, member, checkId))).ms;

  const first = await checkResult(db, member, checkId, 'de');
  const times: number[] = [];
  for (let i = 0; i < PEER_RUNS; i++) times.push((await time(() => checkResult(db, member, checkId, 'de'))).ms);
  const peerArgs = {
    regionKey: first.ctx.check.regionKey,
    sizeClass: first.ctx.check.sizeClass,
    stateKey: first.ctx.check.stateKey,
    regionType: first.ctx.check.regionType,
    own: first.ctx.check.overall ?? 0,
  };
  const candidates = await repo.peerStats(db, peerArgs);
  return {
    region,
    answered: ctx.questions.length,
    submitMs,
    checkResult: { p50: median(times), p95: percentile(times, 95), runs: PEER_RUNS },
    parts: {
      'checkContext (permissions, region, answers)': await timeN(PROBES, () => checkContext(db, member, checkId)),
      'peerStats (three peer groups aggregated in SQL)': await timeN(PROBES, () => repo.peerStats(db, peerArgs)),
      'checksOfOrg (history)': await timeN(PROBES, () => repo.checksOfOrg(db, orgId)),
    },
    peerGroups: first.peers.map((p) => ({ kind: p.kind, key: p.key, n: p.comparison?.peers.n ?? null })),
    peerGroupRows: candidates.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Load (as in search.ts: every 2xx latency kept so that p95 is exact)

const CLOCK_TICK_MS = 10;

function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return null;
  }
}

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

export interface LoadResult {
  route: string;
  /** The first request, before the warm-up (for /lagebild: rendered, not from the page cache). */
  firstMs: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  cpuMsPerRequest: { server: number | null; postgres: number | null };
}

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

export async function measure(port: number, serverPid: number, route: string, paths: string[]): Promise<LoadResult> {
  const requests: Request[] = paths.map((p) => ({ method: 'GET', path: p }));
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}${paths[0]}`);
  const bytes = (await res.arrayBuffer()).byteLength;
  const firstMs = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${paths[0]} answered ${res.status}`);
  if (WARMUP_S > 0) {
    await load(port, requests, WARMUP_S);
    await (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(120_000) })).arrayBuffer();
  }
  const before = { server: processCpuMs(serverPid), postgres: postgresCpuMs() };
  const { result, latencies } = await load(port, requests, DURATION_S);
  const after = { server: processCpuMs(serverPid), postgres: postgresCpuMs() };
  const per = (a: number | null, b: number | null) =>
    a === null || b === null || latencies.length === 0 ? null : round((b - a) / latencies.length, 2);
  return {
    route,
    firstMs,
    requests: latencies.length,
    reqPerSec: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.length ? Math.max(...latencies) : Number.NaN,
    bytesPerResponse: bytes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpuMsPerRequest: { server: per(before.server, after.server), postgres: per(before.postgres, after.postgres) },
  };
}

// ---------------------------------------------------------------------------------------------

interface BackendResult {
  backend: Backend;
  preparationMs: Record<string, number>;
  generated: Generated;
  refresh: RefreshFigures;
  routeParts: RouteParts;
  peer: PeerFigures;
  load: LoadResult[];
}

const kb = (n: number) => `${round(n / 1024, 0)} KiB`;

export async function runLagebildBench(): Promise<void> {
  const loadAtStart = printEnvironment(
    `Lagebild benchmark: every Gemeinde with a check of ${ANSWERS_PER_CHECK} answers; ${CONNECTIONS} connections, ` +
      `${DURATION_S} s per route (+ ${WARMUP_S} s warm-up)`,
  );
  const results: BackendResult[] = [];
  for (const kind of backends()) {
    console.log(`  ${kind}: preparing (migrate, GV100AD 2025, BKG Länder + Kreise) …`);
    const prep = await prepare(kind);
    const db = prep.db;
    let open = true;
    try {
      console.log(`  ${kind}: generating checks …`);
      const generated = await generateChecks(db);
      console.log(
        `  ${kind}: ${generated.checks} checks, ${generated.answers} answers in ${ms(generated.ms)}; releaseLagebild …`,
      );
      const refresh = await measureRefresh(db);
      console.log(`  ${kind}: peer comparison (a member's check: answer, submit, checkResult × ${PEER_RUNS}) …`);
      const peer = await peerBench(db);
      const parts = await routeParts(db);
      await db.close();
      open = false;
      const port = await freePort();
      const child = spawnServer(port, prep.target);
      let stopping = false;
      child.once('exit', (code, signal) => {
        if (!stopping) console.error(`  ${kind}: server exited early (${code ?? signal})`);
      });
      const loads: LoadResult[] = [];
      try {
        await waitForHealth(port, performance.now(), child);
        for (const [route, paths] of [
          ['GET /health', ['/health']],
          ['GET /api/v1/lagebild', ['/api/v1/lagebild']],
          ['GET /lagebild (anonymous)', ['/lagebild']],
          [
            `GET /lagebild?v=1..${UNCACHED_URLS} (defeats the page cache)`,
            Array.from({ length: UNCACHED_URLS }, (_, i) => `/lagebild?v=${i + 1}`),
          ],
        ] as const) {
          console.log(`  ${kind}: ${route} …`);
          loads.push(await measure(port, child.pid!, route, [...paths]));
        }
      } finally {
        stopping = true;
        await stopServer(child);
      }
      results.push({
        backend: kind,
        preparationMs: prep.steps,
        generated,
        refresh,
        routeParts: parts,
        peer,
        load: loads,
      });
    } finally {
      if (open) await db.close();
      await prep.drop();
    }
  }

  printTable(
    'Data (generated): one submitted check per current Gemeinde, 54 model questions + 6 extra ids each',
    results.map((r) => ({
      backend: r.backend,
      checks: r.generated.checks,
      answers: r.generated.answers,
      'of them applicable': r.generated.applicableAnswers,
      'generation (insert)': ms(r.generated.ms),
      'snapshot JSON': kb(r.refresh.snapshotBytes),
      'page HTML': kb(r.routeParts.htmlBytes),
    })),
  );
  printTable(
    'Throughput and latency under load (latency from autocannon, per 2xx response)',
    results.flatMap((r) =>
      r.load.map((l) => {
        const target =
          (l.route === 'GET /api/v1/lagebild' || l.route === 'GET /lagebild (anonymous)') && r.backend === 'postgres';
        return {
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
          'CPU ms/req server|pg': [l.cpuMsPerRequest.server, l.cpuMsPerRequest.postgres]
            .map((v) => (v === null ? '–' : v))
            .join(' | '),
          target: target ? `p95 ≤ ${TARGET_LAGEBILD_P95_MS} ms` : '',
          result: target ? verdict(l.p95, TARGET_LAGEBILD_P95_MS) : '',
        };
      }),
    ),
  );
  printTable(
    `Recompute on submit and peer comparison (in-process; releaseLagebild median of ${RUNS}, checkResult × ${PEER_RUNS})`,
    results.flatMap((r) => [
      {
        backend: r.backend,
        what: 'releaseLagebild (recompute after submissions)',
        p50: ms(r.refresh.medianMs),
        p95: '',
        target: '',
        result: '',
      },
      {
        backend: r.backend,
        what: 'submitCheck (the Lagebild follows by event), once',
        p50: ms(r.peer.submitMs),
        p95: '',
        target: '',
        result: '',
      },
      {
        backend: r.backend,
        what: `checkResult (peer comparison, ${r.peer.region.name})`,
        p50: ms(r.peer.checkResult.p50),
        p95: ms(r.peer.checkResult.p95),
        target: `≤ ${TARGET_PEER_MS} ms`,
        result: verdict(r.peer.checkResult.p95, TARGET_PEER_MS),
      },
    ]),
  );
  printTable(
    'Where the time goes (in-process, sequential)',
    results.flatMap((r) => [
      ...Object.entries(r.refresh.breakdown).map(([step, v]) => ({
        backend: r.backend,
        part: `releaseLagebild: ${step}`,
        p50: ms(v),
        p95: '',
      })),
      ...Object.entries(r.routeParts.timings).map(([step, v]) => ({
        backend: r.backend,
        part: `/lagebild: ${step}`,
        p50: ms(v.p50),
        p95: ms(v.p95),
      })),
      ...Object.entries(r.peer.parts).map(([step, v]) => ({
        backend: r.backend,
        part: `checkResult: ${step}`,
        p50: ms(v.p50),
        p95: ms(v.p95),
      })),
    ]),
  );
  for (const r of results) {
    console.log(
      `\n  ${r.backend}: peer groups of ${r.peer.region.name} (${r.peer.region.key}, ${r.peer.answered} applicable questions): ` +
        r.peer.peerGroups.map((g) => `${g.kind} ${g.key} n=${g.n ?? '–'}`).join(', '),
    );
  }
  skipNote('lagebild');
  writeResult('lagebild', {
    connections: CONNECTIONS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    answersPerCheck: ANSWERS_PER_CHECK,
    loadAtStart,
    targets: { lagebildP95Ms: TARGET_LAGEBILD_P95_MS, peerMs: TARGET_PEER_MS },
    results: results.map((r) => ({
      ...r,
      load: r.load.map((l) => ({
        ...l,
        reqPerSec: round(l.reqPerSec, 1),
        p50: round(l.p50, 2),
        p95: round(l.p95, 2),
        p99: round(l.p99, 2),
        max: round(l.max, 2),
      })),
    })),
  });
}
