/**
 * The Praxisatlas at 100,000 practice projects (issue 10), on PGlite and PostgreSQL: the bulk import of a generated
 * file (parse + `importPractices`, published), the server's start with the index built during warm-up (time until
 * /health is ready, RSS), and `GET /api/v1/practices` (the 78 queries of the relevance set, some filtered; the empty
 * query with a filter) and `GET /api/v1/practices/suggestions` under load next to GET /health, plus an in-process
 * breakdown of one search (engine, the page's pre-serialised items, the answer's frame). Targets: search p95 ≤ 20
 * ms on PostgreSQL and ≤ 50 ms on PGlite at 10 connections. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'autocannon';
import { prng } from '../src/assessment/demo.js';
import * as repo from '../src/atlas/atlas.repository.js';
import { parsePracticesFile } from '../src/atlas/import.js';
import { importPractices } from '../src/atlas/import.service.js';
import { practiceVocabulary } from '../src/atlas/model.js';
import { type ItemParts, itemParts, listItemJson } from '../src/atlas/practice-json.js';
import { loadLexicon, loadThesaurus } from '../src/atlas/search/analysis.js';
import { createMemoryEngine, type SearchDoc, type SearchEngine } from '../src/atlas/search/engine.js';
import { encodeCursor, type PracticeQuery, parsePracticeQuery, toSearchDoc } from '../src/atlas/search.service.js';
import type { Db } from '../src/platform/db/db.js';
import { STATES } from '../src/register/index.js';
import { CORPUS, RELEVANCE } from '../test/helpers/atlas-relevance.js';
import {
  type Backend,
  backends,
  formatCpu,
  freePort,
  measureRoute,
  median,
  ms,
  percentile,
  printEnvironment,
  printTable,
  processRssBytes,
  type RouteLoad,
  round,
  serverEntry,
  skipNote,
  spawnServer,
  stopServer,
  tempDir,
  time,
  verdict,
  waitForHealth,
  writeResult,
} from './common.js';
import { prepare } from './lagebild.js';

const PRACTICES = Number(process.env.BENCH_PRACTICES ?? 100_000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Rounds of the in-process breakdown over all queries. */
const PROBES = Number(process.env.BENCH_PROBES ?? 3);
const TARGET_P95_MS: Record<Backend, number> = { postgres: 20, pglite: 50 };
const SEED = 10_2026;

// ---------------------------------------------------------------------------------------------
// Generated practices

interface CorpusRecord {
  title: string;
  summary: string;
  description: string;
  sectors: string[];
  status: string;
  tags: string[];
}

export interface GeneratedRecord {
  externalId: string;
  title: string;
  summary: string;
  description: string;
  regions: string[];
  sectors: string[];
  status: string;
  startYear: number;
  endYear: number | null;
  tags: string[];
  url: string;
  source: string;
  licence: string;
}

/** The part of a title before its subtitle (": …", " – …"). */
const head = (title: string) => title.split(/:\s| – /)[0]!.trim();

/**
 * `n` practice projects in the import format, recombined from the hand-written corpus with a fixed seed: a title
 * (as is, with the lead Gemeinde's name, or two titles' heads), the summary of one record plus at times a sentence
 * of another, the first description paragraph of that record and one to three paragraphs of others, its tags and
 * some of another's, its sectors (a fifth get one more), a status drawn from the corpus's distribution, and one
 * real Gemeinde key (15 %: two or three) from the register.
 */
export function generatePractices(
  n: number,
  corpus: readonly CorpusRecord[],
  gemeinden: readonly { key: string; name: string }[],
  seed = SEED,
): GeneratedRecord[] {
  const rand = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const paragraphs = corpus.flatMap((c) =>
    c.description
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const sentences = corpus.flatMap((c) => c.summary.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20));
  const out: GeneratedRecord[] = [];
  for (let i = 1; i <= n; i++) {
    const a = pick(corpus);
    const b = pick(corpus);
    const regionCount = rand() < 0.85 ? 1 : 2 + Math.floor(rand() * 2);
    const regions = new Map<string, string>();
    while (regions.size < regionCount) {
      const g = pick(gemeinden);
      regions.set(g.key, g.name);
    }
    const lead = [...regions.values()][0]!;
    const r = rand();
    let title = r < 0.6 ? a.title : r < 0.85 ? `${a.title} in ${lead}` : `${head(a.title)}: ${head(b.title)}`;
    if (title.length > 200) title = a.title;
    let summary = a.summary;
    if (rand() < 0.5) {
      const extra = `${summary} ${pick(sentences)}`;
      if (extra.length <= 300) summary = extra;
    }
    const first = a.description.split(/\n\s*\n/)[0]!.trim();
    const more = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(paragraphs));
    const tags = [...new Set([...a.tags, ...(rand() < 0.5 ? b.tags.slice(0, 1 + Math.floor(rand() * 2)) : [])])];
    const sectors = [...new Set([...a.sectors, ...(rand() < 0.2 ? [b.sectors[0]!] : [])])];
    const status = pick(corpus).status;
    const startYear = 2012 + Math.floor(rand() * 14);
    const endYear = status === 'ended' ? Math.min(2025, startYear + 1 + Math.floor(rand() * 3)) : null;
    out.push({
      externalId: `bench-${String(i).padStart(6, '0')}`,
      title,
      summary,
      description: [first, ...more].join('\n\n'),
      regions: [...regions.keys()],
      sectors,
      status,
      startYear,
      endYear,
      tags: tags.slice(0, 20),
      url: '',
      source: 'Generiert aus dem Relevanzkorpus für den Benchmark (Kommunallotse)',
      licence: 'CC-BY-4.0',
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Queries

type RawQuery = Record<string, string>;

const urlOf = (base: string, raw: RawQuery) => `${base}?${new URLSearchParams(raw).toString()}`;
const describe = (raw: RawQuery) =>
  Object.entries(raw)
    .map(([k, v]) => (k === 'q' ? v : `${k}=${v}`))
    .join(' & ');

/** The 78 queries of the relevance set; every fourth with a Land filter, every fourth (offset 2) with a sector. */
function searchQueries(): RawQuery[] {
  const { queries } = JSON.parse(fs.readFileSync(RELEVANCE, 'utf8')) as { queries: { q: string }[] };
  const states = Object.keys(STATES);
  const sectors = [...practiceVocabulary().sectors].sort();
  return queries.map((x, i): RawQuery => {
    if (i % 4 === 1) return { q: x.q, state: states[(i * 7) % states.length]! };
    if (i % 4 === 3) return { q: x.q, sector: sectors[(i * 5) % sectors.length]! };
    return { q: x.q };
  });
}

/** No words, one filter: every Land, every sector, and Land + status (newest first, facet counts). */
function emptyQueries(): RawQuery[] {
  const states = Object.keys(STATES);
  const sectors = [...practiceVocabulary().sectors].sort();
  return [
    ...states.map((state) => ({ state })),
    ...sectors.map((sector) => ({ sector })),
    { state: '09', status: 'operation' },
    { state: '05', status: 'planning' },
  ];
}

/** Beginnings of the relevance queries' words: 2, 3 and 5 letters of each word of at least 4 letters. */
function suggestionPrefixes(): string[] {
  const { queries } = JSON.parse(fs.readFileSync(RELEVANCE, 'utf8')) as { queries: { q: string }[] };
  const words = [...new Set(queries.flatMap((x) => x.q.split(/[\s?,.]+/)).filter((w) => w.length >= 4))];
  return [...new Set(words.flatMap((w) => [w.slice(0, 2), w.slice(0, 3), w.slice(0, 5)]))].slice(0, 120);
}

// ---------------------------------------------------------------------------------------------
// Measurement helpers

/** Peak RSS (VmHWM) of a process in bytes; null where there is no /proc. */
function peakRssBytes(pid: number | 'self'): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Reset this process's peak RSS to its current RSS (Linux ≥ 4.0); false where that is not possible. */
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const mib = (bytes: number | null) => (bytes === null ? '–' : `${round(bytes / 2 ** 20, 0)} MiB`);
const loadNow = () => os.loadavg().map((l) => round(l, 2));

interface ImportFigures {
  records: number;
  fileBytes: number;
  generateMs: number;
  readMs: number;
  parseMs: number;
  importMs: number;
  recordsPerSec: number;
  inserted: number;
  published: number;
  rssBeforeBytes: number;
  /** VmHWM after resetting it before the parse: the peak of parse + import (PGlite: includes the database). */
  rssPeakBytes: number | null;
}

async function generateAndImport(db: Db, dir: string): Promise<ImportFigures> {
  const t0 = performance.now();
  const corpus = (JSON.parse(fs.readFileSync(CORPUS, 'utf8')) as { practices: CorpusRecord[] }).practices;
  const gemeinden = await db.query<{ key: string; name: string }>(
    `SELECT key, name FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL ORDER BY key`,
  );
  const file = path.join(dir, 'practices.json');
  fs.writeFileSync(file, JSON.stringify({ practices: generatePractices(PRACTICES, corpus, gemeinden) }));
  const generateMs = performance.now() - t0;
  const fileBytes = fs.statSync(file).size;

  const read = await time(async () => fs.readFileSync(file));
  const canReset = resetPeakRss();
  const rssBeforeBytes = process.memoryUsage().rss;
  const parsed = await time(async () => parsePracticesFile(path.basename(file), read.value));
  const imported = await time(() =>
    importPractices(db, path.basename(file), parsed.value, { publish: true, now: new Date(), actorUserId: null }),
  );
  const rssPeakBytes = canReset ? peakRssBytes('self') : null;
  fs.rmSync(file);
  return {
    records: parsed.value.length,
    fileBytes,
    generateMs,
    readMs: read.ms,
    parseMs: parsed.ms,
    importMs: imported.ms,
    recordsPerSec: parsed.value.length / ((parsed.ms + imported.ms) / 1000),
    inserted: imported.value.inserted,
    published: imported.value.published,
    rssBeforeBytes,
    rssPeakBytes,
  };
}

interface Part {
  p50: number;
  p95: number;
}
const part = (values: number[]): Part => ({ p50: median(values), p95: percentile(values, 95) });

interface Breakdown {
  /** Reading the published rows in batches of 2,000 with their region names and making the documents. */
  indexReadMs: number;
  /** `createMemoryEngine` + `replaceAll` of those documents. */
  indexEngineMs: number;
  docs: number;
  engine: Part;
  rows: Part;
  serialise: Part;
  total: Part;
  bodyBytes: number;
  totalHits: number;
  slowest: { query: string; total: number; engineMs: number; rowsMs: number; serialiseMs: number; hits: number }[];
}

const INDEX_BATCH = 2000;

/**
 * The index as the server's warm-up builds it (search.service.ts `loadAll` + `replaceAll`), in two timed steps:
 * the rows and documents, then the engine. Mirrors that code (batches of 2,000, names per batch, `toSearchDoc`).
 */
async function buildIndex(db: Db): Promise<{
  engine: SearchEngine;
  items: Map<number, ItemParts>;
  reuses: Map<number, number>;
  readMs: number;
  engineMs: number;
}> {
  const t0 = performance.now();
  const docs: SearchDoc[] = [];
  const items = new Map<number, ItemParts>();
  for (let after = 0; ; ) {
    const rows = await repo.publishedBatch(db, after, INDEX_BATCH);
    if (rows.length === 0) break;
    const keys = [...new Set(rows.flatMap((r) => r.published?.regions ?? []))];
    const names = new Map((await repo.regionFacts(db, keys)).map((f) => [f.key, f.name]));
    for (const r of rows) {
      const doc = toSearchDoc(r, names);
      const parts = itemParts(r);
      if (doc && parts) {
        docs.push(doc);
        items.set(r.id, parts);
      }
    }
    after = rows[rows.length - 1]!.id;
  }
  const reuses = await repo.allConfirmedCounts(db);
  const t1 = performance.now();
  const engine = createMemoryEngine({ lexicon: loadLexicon(), thesaurus: loadThesaurus() });
  engine.replaceAll(docs);
  return { engine, items, reuses, readMs: t1 - t0, engineMs: performance.now() - t1 };
}

/**
 * One search in the bench process, in the steps of `searchPracticesJson` (the API's JSON answer): the engine
 * (`engine.search`, without the result cache), the page's items from the index's pre-serialised JSON and reuse
 * counts in memory, and the frame of the answer (facets, cursor) joined into one buffer.
 */
async function breakdown(db: Db, queries: readonly RawQuery[]): Promise<Breakdown> {
  const { engine, items, reuses, readMs, engineMs } = await buildIndex(db);
  const parsed = queries.map((raw) => ({ raw, query: parsePracticeQuery(raw) }));
  const comma = Buffer.from(',');
  const once = async (query: PracticeQuery) => {
    const t0 = performance.now();
    const result = engine.search({ q: query.q, filters: query.filters, limit: query.limit, offset: query.offset });
    const t1 = performance.now();
    const chunks: Buffer[] = [Buffer.from(`{"total":${result.total},"items":[`)];
    let first = true;
    result.hits.forEach((h) => {
      const parts = items.get(h.id);
      if (!parts) return;
      if (!first) chunks.push(comma);
      first = false;
      chunks.push(...listItemJson(h.id, parts, 'http://127.0.0.1', reuses.get(h.id) ?? 0, h.score, h.matched));
    });
    const t2 = performance.now();
    const end = query.offset + result.hits.length;
    chunks.push(
      Buffer.from(
        `],"facets":${JSON.stringify(result.facets)},"corrected":${JSON.stringify(result.corrected)}` +
          `,"nextCursor":${JSON.stringify(end < result.total ? encodeCursor(end) : null)}}`,
      ),
    );
    const body = Buffer.concat(chunks);
    const t3 = performance.now();
    return { engine: t1 - t0, rows: t2 - t1, serialise: t3 - t2, total: t3 - t0, hits: result.total, body };
  };
  for (const { query } of parsed) await once(query); // warm-up
  const all = { engine: [] as number[], rows: [] as number[], serialise: [] as number[], total: [] as number[] };
  const per = new Map<string, { e: number[]; r: number[]; s: number[]; t: number[]; hits: number }>();
  let bodyBytes = 0;
  let totalHits = 0;
  for (let round = 0; round < PROBES; round++) {
    for (const { raw, query } of parsed) {
      const key = describe(raw);
      const x = await once(query);
      const q = per.get(key) ?? { e: [], r: [], s: [], t: [], hits: x.hits };
      q.e.push(x.engine);
      q.r.push(x.rows);
      q.s.push(x.serialise);
      q.t.push(x.total);
      per.set(key, q);
      all.engine.push(x.engine);
      all.rows.push(x.rows);
      all.serialise.push(x.serialise);
      all.total.push(x.total);
      if (round === 0) {
        bodyBytes += Buffer.byteLength(x.body);
        totalHits += x.hits;
      }
    }
  }
  const slowest = [...per.entries()]
    .map(([query, x]) => ({
      query,
      total: median(x.t),
      engineMs: median(x.e),
      rowsMs: median(x.r),
      serialiseMs: median(x.s),
      hits: x.hits,
    }))
    .sort((a, b) => b.total - a.total)
    .slice(0, 8);
  return {
    indexReadMs: readMs,
    indexEngineMs: engineMs,
    docs: engine.size,
    engine: part(all.engine),
    rows: part(all.rows),
    serialise: part(all.serialise),
    total: part(all.total),
    bodyBytes: bodyBytes / parsed.length,
    totalHits: totalHits / parsed.length,
    slowest,
  };
}

interface ServerFigures {
  firstResponseMs: number;
  readyMs: number;
  rssAtReadyBytes: number | null;
  rssPeakAtReadyBytes: number | null;
  rssAtEndBytes: number | null;
  rssPeakAtEndBytes: number | null;
}

interface LoadRow extends RouteLoad {
  what: string;
  urls: number;
  bytesPerResponse: number;
  loadAverage: number[];
  searchTarget: boolean;
}

interface BackendResult {
  backend: Backend;
  steps: Record<string, number>;
  importFigures: ImportFigures;
  breakdown: Breakdown;
  server: ServerFigures;
  load: LoadRow[];
}

/** The mean size of the answers to a rotation of requests (one sequential pass). */
async function meanBytes(port: number, paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const p of paths) {
    const res = await fetch(`http://127.0.0.1:${port}${p}`);
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status}`);
    bytes += body.byteLength;
  }
  return bytes / paths.length;
}

export async function runAtlasBench(): Promise<void> {
  const loadAtStart = printEnvironment(
    `Praxisatlas at ${PRACTICES.toLocaleString('en')} practice projects: import, index at warm-up, search under load`,
  );
  const search = searchQueries();
  const empty = emptyQueries();
  const prefixes = suggestionPrefixes();
  const routes: { route: string; what: string; paths: string[]; searchTarget: boolean }[] = [
    { route: 'GET /health', what: 'bare route (one SELECT 1)', paths: ['/health'], searchTarget: false },
    {
      route: 'GET /api/v1/practices?q=…',
      what: `${search.length} relevance queries, ${search.filter((q) => Object.keys(q).length > 1).length} filtered`,
      paths: search.map((q) => urlOf('/api/v1/practices', q)),
      searchTarget: true,
    },
    {
      route: 'GET /api/v1/practices?<filter>',
      what: 'no words, one Land or sector (or Land + status)',
      paths: empty.map((q) => urlOf('/api/v1/practices', q)),
      searchTarget: true,
    },
    {
      route: 'GET /api/v1/practices/suggestions?q=…',
      what: `${prefixes.length} prefixes of 2, 3, 5 letters`,
      paths: prefixes.map((p) => urlOf('/api/v1/practices/suggestions', { q: p })),
      searchTarget: false,
    },
  ];

  const results: BackendResult[] = [];
  for (const kind of backends()) {
    console.log(`  ${kind}: preparing (migrate, embedded default, GV100AD 2025) …`);
    const prep = await prepare(kind, { boundaries: false });
    const tmp = tempDir('atlas-file');
    let open = true;
    try {
      console.log(`  ${kind}: generating and importing ${PRACTICES.toLocaleString('en')} practices …`);
      const importFigures = await generateAndImport(prep.db, tmp.dir);
      console.log(
        `  ${kind}: parse ${ms(importFigures.parseMs)}, import ${ms(importFigures.importMs)}; in-process breakdown …`,
      );
      // PostgreSQL's autovacuum would analyse the new table soon after; done here so the plans do not depend on when.
      if (kind === 'postgres') await prep.db.query('ANALYZE practices');
      const bd = await breakdown(prep.db, search);
      await prep.db.close();
      open = false;

      // Three levels below the checkout: src/atlas/search/analysis.ts finds content/atlas/ relative to its own
      // module (`../../../content/atlas/`), which from a bundle one or two levels deep (tmp/bench-server/,
      // dist/) points outside the checkout and the server does not start. Harmless once it uses ROOT.
      const entry = await serverEntry({ dir: path.join('tmp', 'bench-server', 'atlas') });
      const loads: LoadRow[] = [];
      let server: ServerFigures | undefined;
      // Twice: with the result cache of ADR 0016 (the default: the 78 queries repeat, as popular queries do), and
      // with SEARCH_CACHE_ENTRIES=0, where every search runs the engine (what a query nobody asked before costs).
      for (const cache of ['cache', 'no cache'] as const) {
        const port = await freePort();
        const t0 = performance.now();
        const child = spawnServer(port, prep.target, {
          entry,
          env: cache === 'cache' ? {} : { SEARCH_CACHE_ENTRIES: '0' },
        });
        let stopping = false;
        child.once('exit', (code, signal) => {
          if (!stopping) console.error(`  ${kind}: server exited early (${code ?? signal})`);
        });
        try {
          const health = await waitForHealth(port, t0, child, { timeoutMs: 900_000 });
          const pid = child.pid!;
          const rssAtReadyBytes = processRssBytes(pid);
          const rssPeakAtReadyBytes = peakRssBytes(pid);
          console.log(`  ${kind} (${cache}): server ready after ${ms(health.readyMs)}, RSS ${mib(rssAtReadyBytes)}`);
          for (const r of routes) {
            if (cache === 'no cache' && !r.searchTarget && r.route !== 'GET /health') continue;
            console.log(`  ${kind} (${cache}): ${r.route} …`);
            const bytesPerResponse = await meanBytes(port, r.paths);
            const loadAverage = loadNow();
            const requests: Request[] = r.paths.map((p) => ({ method: 'GET', path: p }));
            const l = await measureRoute(port, pid, r.searchTarget ? `${r.route} (${cache})` : r.route, requests, {
              connections: CONNECTIONS,
              durationS: DURATION_S,
              warmupS: WARMUP_S,
            });
            loads.push({
              ...l,
              what: r.what,
              urls: r.paths.length,
              bytesPerResponse,
              loadAverage,
              searchTarget: r.searchTarget,
            });
          }
          if (cache === 'cache') {
            server = {
              firstResponseMs: health.firstResponseMs,
              readyMs: health.readyMs,
              rssAtReadyBytes,
              rssPeakAtReadyBytes,
              rssAtEndBytes: processRssBytes(pid),
              rssPeakAtEndBytes: peakRssBytes(pid),
            };
          }
        } finally {
          stopping = true;
          await stopServer(child);
        }
      }
      if (!server) throw new Error('the server with the cache gave no figures');
      results.push({ backend: kind, steps: prep.steps, importFigures, breakdown: bd, server, load: loads });
    } finally {
      if (open) await prep.db.close();
      tmp.remove();
      await prep.drop();
    }
  }

  printTable(
    `Import of ${PRACTICES.toLocaleString('en')} generated records (JSON, parsePracticesFile + importPractices, published)`,
    results.map((r) => ({
      backend: r.backend,
      records: r.importFigures.records,
      file: mib(r.importFigures.fileBytes),
      parse: ms(r.importFigures.parseMs),
      import: ms(r.importFigures.importMs),
      'parse + import': ms(r.importFigures.parseMs + r.importFigures.importMs),
      'records/s': round(r.importFigures.recordsPerSec, 0),
      'RSS before → peak': `${mib(r.importFigures.rssBeforeBytes)} → ${mib(r.importFigures.rssPeakBytes)}`,
      published: r.importFigures.published,
    })),
  );
  printTable(
    'Server start on that database (bundle of this checkout; the index is built during warm-up)',
    results.map((r) => ({
      backend: r.backend,
      'until listening': ms(r.server.firstResponseMs),
      'until /health ready': ms(r.server.readyMs),
      'index in process: rows + docs': ms(r.breakdown.indexReadMs),
      'engine build': ms(r.breakdown.indexEngineMs),
      'RSS at ready': mib(r.server.rssAtReadyBytes),
      'peak RSS at ready': mib(r.server.rssPeakAtReadyBytes),
      'RSS at end': mib(r.server.rssAtEndBytes),
      'peak RSS at end': mib(r.server.rssPeakAtEndBytes),
    })),
  );
  printTable(
    `Under load: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s per route (latency per 2xx response; CPU ms/req: server | PostgreSQL | load generator)`,
    results.flatMap((r) =>
      r.load.map((l) => ({
        backend: r.backend,
        route: l.route,
        urls: l.urls,
        'req/s': round(l.reqPerSec, 0),
        p50: ms(l.p50),
        p95: ms(l.p95),
        p99: ms(l.p99),
        max: ms(l.max),
        size: `${round(l.bytesPerResponse / 1024, 1)} KiB`,
        'errors/non-2xx': `${l.errors + l.timeouts}/${l.non2xx}`,
        'CPU ms/req': formatCpu(l.cpuMsPerRequest),
        load: l.loadAverage[0]!,
        target: l.searchTarget ? `p95 ≤ ${TARGET_P95_MS[r.backend]} ms` : '',
        result: l.searchTarget ? verdict(l.p95, TARGET_P95_MS[r.backend]) : '',
      })),
    ),
  );
  printTable(
    `One search in process, in parts (${search.length} queries × ${PROBES}; p50 / p95)`,
    results.flatMap((r) => [
      { backend: r.backend, part: 'engine.search (ranking, facets, corrections)', ...fmt(r.breakdown.engine) },
      { backend: r.backend, part: 'items of the page (pre-serialised, in memory)', ...fmt(r.breakdown.rows) },
      { backend: r.backend, part: 'frame of the answer (facets, cursor; one buffer)', ...fmt(r.breakdown.serialise) },
      { backend: r.backend, part: 'all three', ...fmt(r.breakdown.total) },
    ]),
  );
  printTable(
    'Slowest queries in process (median)',
    results.flatMap((r) =>
      r.breakdown.slowest.map((s) => ({
        backend: r.backend,
        query: s.query.length > 60 ? `${s.query.slice(0, 59)}…` : s.query,
        hits: s.hits,
        total: ms(s.total),
        engine: ms(s.engineMs),
        rows: ms(s.rowsMs),
        JSON: ms(s.serialiseMs),
      })),
    ),
  );
  skipNote('atlas');
  writeResult('atlas', {
    loadAtStart,
    practices: PRACTICES,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    targets: { searchP95Ms: TARGET_P95_MS },
    results: results.map((r) => ({
      ...r,
      load: r.load.map((l) => ({
        ...l,
        p50: round(l.p50, 2),
        p95: round(l.p95, 2),
        p99: round(l.p99, 2),
        verdict: l.searchTarget ? verdict(l.p95, TARGET_P95_MS[r.backend]) : null,
      })),
    })),
  });
}

const fmt = (p: Part) => ({ p50: ms(p.p50), p95: ms(p.p95) });
