/**
 * The practice search engine in process (ADR 0016): index build time, memory and search latency at 100,000
 * generated practices. `node --expose-gc --import tsx bench/run.ts atlas-engine` (BENCH_ATLAS_DOCS changes the count;
 * the seed sentences come from the judged corpus test/fixtures/atlas/corpus.json, 221 practices;
 * BENCH_ATLAS_CORPUS=<corpus.json> takes another corpus, BENCH_ATLAS_CORPUS=samples the 30 unit-test samples).
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { EMPTY_FACETS, SAMPLE_PRACTICES } from '../src/atlas/search/__tests__/sample-practices.js';
import { loadLexicon, loadThesaurus } from '../src/atlas/search/analysis.js';
import {
  createMemoryEngine,
  type Facet,
  lastScored,
  type SearchDoc,
  type SearchQuery,
  setMaxScore,
} from '../src/atlas/search/engine.js';
import { median, ms, percentile, printEnvironment, printTable, round, verdict, writeResult } from './common.js';

const DOCS = Number(process.env.BENCH_ATLAS_DOCS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ATLAS_ROUNDS ?? 20);
const TARGET_P95_MS = 5;
const DEFAULT_CORPUS = fileURLToPath(new URL('../test/fixtures/atlas/corpus.json', import.meta.url));

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seed {
  title: string;
  summary: string;
  description: string;
  tags: readonly string[];
}

function loadSeeds(): Seed[] {
  const file = process.env.BENCH_ATLAS_CORPUS ?? DEFAULT_CORPUS;
  if (file === 'samples') return [...SAMPLE_PRACTICES];
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { practices: Seed[] };
  return json.practices.map((p) => ({ ...p, tags: p.tags ?? [] }));
}

const SYLLABLES = [
  'neu',
  'burg',
  'stadt',
  'dorf',
  'feld',
  'hausen',
  'bach',
  'berg',
  'heim',
  'au',
  'rode',
  'wald',
  'tal',
  'see',
  'hof',
  'kirchen',
  'brück',
  'lingen',
  'ow',
  'itz',
];
const FACET_VALUES: Record<Facet, string[]> = {
  sector: [
    'verwaltung',
    'mobilitaet',
    'energie',
    'bildung',
    'soziales',
    'umwelt',
    'infrastruktur',
    'sicherheit',
    'wirtschaft',
  ],
  dimension: ['strategie', 'organisation', 'daten', 'infrastruktur', 'dienste', 'kompetenz'],
  state: ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16'],
  sizeClass: ['0-5000', '5000-20000', '20000-100000', '100000+'],
  status: ['idea', 'planning', 'implementation', 'operation', 'ended'],
  standard: ['xbau', 'xoev', 'din-spec-91357', 'xrechnung', 'oparl', 'gtfs', 'lorawan', 'ogc-sensorthings'],
  measure: Array.from({ length: 60 }, (_, i) => `m${i + 1}`),
};

/** 100,000 practices recombined from the seed sentences, with invented place names (a growing vocabulary). */
export function generateDocs(n: number, seeds: readonly Seed[], seed = 1): SearchDoc[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const sentences = seeds.flatMap((s) => s.description.split(/(?<=[.!?])\s+/).filter((x) => x.length > 10));
  const place = () => {
    const a = pick(SYLLABLES);
    const b = pick(SYLLABLES);
    const name = a[0]!.toUpperCase() + a.slice(1) + b + (r() < 0.5 ? String(Math.floor(r() * 100)) : '');
    return name;
  };
  const docs: SearchDoc[] = [];
  for (let i = 1; i <= n; i++) {
    const s = pick(seeds);
    const desc: string[] = [];
    const count = 5 + Math.floor(r() * 6);
    for (let k = 0; k < count; k++) desc.push(pick(sentences));
    const facets = { ...EMPTY_FACETS } as Record<Facet, readonly string[]>;
    for (const f of ['sector', 'state', 'sizeClass', 'status'] as Facet[]) facets[f] = [pick(FACET_VALUES[f])];
    if (r() < 0.3) facets.sector = [...new Set([...facets.sector, pick(FACET_VALUES.sector)])];
    facets.dimension = [pick(FACET_VALUES.dimension)];
    facets.standard = r() < 0.4 ? [pick(FACET_VALUES.standard)] : [];
    facets.measure = [pick(FACET_VALUES.measure), pick(FACET_VALUES.measure)];
    const town = place();
    docs.push({
      id: i,
      title: `${s.title} in ${town}`,
      summary: `${pick(seeds).summary} ${town} berichtet über ${pick(seeds).title}.`,
      tags: [...new Set([...s.tags, ...pick(seeds).tags])],
      description: `${desc.join(' ')} Ansprechpartner sitzen in ${town} und ${place()}.`,
      facets,
      sortKey: i,
    });
  }
  return docs;
}

/** 60 queries of the kinds of the relevance set; every third with filters. */
export const QUERY_TEXTS = [
  'Digitaler Bauantrag',
  'Bauanträge digital einreichen',
  'Wie kann ich Bauanträge digital einreichen?',
  'Verwaltungsdigitalisierung',
  'Digitalisierung der Verwaltung',
  'Glasfaser Schulen',
  'Schulglasfaseranbindung',
  'Burgerbuero',
  'Bürgerbüro Termin',
  'Glasfaserausbua',
  'Bauantarg',
  'Rufbus',
  'Wie finde ich einen Rufbus auf dem Land?',
  'On-Demand-Verkehr',
  'ÖPNV',
  'Nahverkehr Echtzeit',
  'E-Akte',
  'elektronische Akte einführen',
  'Bürgeramt',
  'Straßenlaterne',
  'Straßenbeleuchtung LED',
  'Kita Anmeldung',
  'Kindertagesstätte',
  'Photovoltaik Dach',
  'PV',
  'Breitband',
  'Breitbandausbau ländlicher Raum',
  'OZG',
  'Onlinezugangsgesetz',
  'Ratsinfo',
  'Ratsinformationssystem',
  'WLAN',
  'freies WLAN Innenstadt',
  'Parkplatzsensoren',
  'Parkplatz Sensor App',
  'Abfallkalender',
  'Müllabfuhr App',
  'Hochwasser Pegel',
  'Hochwasserwarnung',
  'Tablets Schulen',
  'Lernplattform',
  'Urbane Datenplattform',
  'Open Data',
  'Chatbot',
  'KI Verwaltung',
  'Ladesäulen',
  'Elektromobilität Rathaus',
  'Bürgerbeteiligung',
  'Telemedizin',
  'Dorf-App',
  'Kfz-Zulassung',
  'Wärmeplanung',
  'digitaler Zwilling',
  'IT-Sicherheit',
  'Schulung Beschäftigte',
  'Open Source',
  'Mängelmelder',
  'Bewässerung Bäume Sensoren',
  'Fahrgastinformation',
  'Smart City',
];

function queries(): SearchQuery[] {
  const r = rng(7);
  return QUERY_TEXTS.map((text, i) => {
    const filters: SearchQuery['filters'] = {};
    if (i % 3 === 1) filters.state = [FACET_VALUES.state[Math.floor(r() * 16)]!];
    if (i % 3 === 2) {
      filters.sector = ['verwaltung', 'mobilitaet'];
      filters.status = ['operation'];
    }
    return { q: text, filters, limit: 20, offset: 0 };
  });
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 0);

export async function runAtlasEngineBench(): Promise<void> {
  const loadAtStart = printEnvironment(`Practice search engine in process: ${DOCS.toLocaleString('en')} documents`);
  const seeds = loadSeeds();
  const docs = generateDocs(DOCS, seeds);
  const textMb = mb(docs.reduce((s, d) => s + d.title.length + d.summary.length + d.description.length, 0));
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  const engine = createMemoryEngine({ lexicon: loadLexicon(), thesaurus: loadThesaurus() });
  const t0 = performance.now();
  engine.replaceAll(docs);
  const buildMs = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const after = process.memoryUsage();

  const qs = queries();
  for (const q of qs) engine.search(q); // warm-up
  // every query with MaxScore pruning (times) and without (fullTimes), interleaved per query in the same process,
  // so that both see the same load; the results must be equal
  const times: number[] = [];
  const fullTimes: number[] = [];
  let differ = 0;
  const perQuery: {
    q: string;
    filters: string;
    total: number;
    p50: number;
    p95: number;
    fullP95: number;
    scored: string;
    corrected: string;
  }[] = [];
  for (const q of qs) {
    const t: number[] = [];
    const tf: number[] = [];
    let total = 0;
    let corrected = '';
    let scored = '';
    for (let i = 0; i < ROUNDS; i++) {
      setMaxScore(engine, false);
      let s = performance.now();
      const full = engine.search(q);
      tf.push(performance.now() - s);
      const fullScored = lastScored(engine);
      setMaxScore(engine, true);
      s = performance.now();
      const res = engine.search(q);
      t.push(performance.now() - s);
      if (i === 0 && JSON.stringify(res) !== JSON.stringify(full)) differ++;
      total = res.total;
      scored = `${lastScored(engine)}/${fullScored}`;
      corrected = res.corrected.map((c) => `${c.from}→${c.to}`).join(', ');
    }
    times.push(...t);
    fullTimes.push(...tf);
    perQuery.push({
      q: q.q,
      filters: Object.keys(q.filters).join('+') || '-',
      total,
      p50: median(t),
      p95: percentile(t, 95),
      fullP95: percentile(tf, 95),
      scored,
      corrected,
    });
  }
  const emptyQuery: SearchQuery = { q: '', filters: { state: ['09'] }, limit: 20, offset: 0 };
  engine.search(emptyQuery); // warm-up, like the queries
  engine.suggest('ab', 8); // warm-up (builds the suggestion arrays once after the build)
  const empty: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const s = performance.now();
    engine.search(emptyQuery);
    empty.push(performance.now() - s);
  }
  const suggestT: number[] = [];
  for (const p of ['di', 'bü', 'glas', 'bauan', 'ruf', 'sens', 'ver', 'schul']) {
    for (let i = 0; i < ROUNDS; i++) {
      const s = performance.now();
      engine.suggest(p, 8);
      suggestT.push(performance.now() - s);
    }
  }
  const upsertT: number[] = [];
  const extra = generateDocs(200, seeds, 99);
  for (const d of extra) {
    const s = performance.now();
    engine.upsert({ ...d, id: Math.floor(d.id * 37) % DOCS || 1 });
    upsertT.push(performance.now() - s);
  }

  printTable(
    'Slowest queries (p95)',
    [...perQuery]
      .sort((a, b) => b.p95 - a.p95)
      .slice(0, 12)
      .map((p) => ({ ...p, p50: ms(p.p50), p95: ms(p.p95), fullP95: ms(p.fullP95) })),
  );
  const p95 = percentile(times, 95);
  const rows = [
    { measure: 'documents', value: DOCS.toLocaleString('en'), note: `${textMb} MB of text, seeds: ${seeds.length}` },
    {
      measure: 'index build (replaceAll)',
      value: ms(buildMs),
      note: `${round((buildMs / DOCS) * 1000, 1)} µs per document`,
    },
    {
      measure: 'heap used after build',
      value: `${mb(after.heapUsed)} MB`,
      note: `+${mb(after.heapUsed - before.heapUsed)} MB for the index (documents included in the base)`,
    },
    { measure: 'RSS after build', value: `${mb(after.rss)} MB`, note: `+${mb(after.rss - before.rss)} MB` },
    { measure: 'search p50 (60 queries × rounds)', value: ms(median(times)), note: '' },
    { measure: 'search p95', value: ms(p95), note: `target ≤ ${TARGET_P95_MS} ms: ${verdict(p95, TARGET_P95_MS)}` },
    { measure: 'search max', value: ms(Math.max(...times)), note: '' },
    { measure: 'search p50 without MaxScore', value: ms(median(fullTimes)), note: 'every posting scored, same run' },
    { measure: 'search p95 without MaxScore', value: ms(percentile(fullTimes, 95)), note: '' },
    { measure: 'results differing with/without MaxScore', value: String(differ), note: 'must be 0' },
    { measure: 'empty query + filter p95', value: ms(percentile(empty, 95)), note: 'newest first, facet counts' },
    { measure: 'empty query + filter p50', value: ms(median(empty)), note: '' },
    { measure: 'suggest p50', value: ms(median(suggestT)), note: '' },
    { measure: 'suggest p95', value: ms(percentile(suggestT, 95)), note: '8 prefixes' },
    { measure: 'upsert p95', value: ms(percentile(upsertT, 95)), note: '200 replacements' },
  ];
  printTable('Practice search engine', rows);
  const file = writeResult('atlas-engine', {
    docs: DOCS,
    loadAtStart,
    loadAtEnd: os.loadavg(),
    buildMs,
    before,
    after,
    rows,
    perQuery,
  });
  console.log(
    `\n  load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`\n  result: ${file}`);
}

if (process.argv[1]?.endsWith('atlas-engine.ts')) {
  runAtlasEngineBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
