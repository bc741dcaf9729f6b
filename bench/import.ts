/**
 * Import benchmark: the full GV100AD import (2025 release) into a fresh database with the embedded
 * default loaded, the update import 2023 → 2025, and a raw COPY of the same rows as the floor of what
 * the database can do. See bench/README.md.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { allMigrations } from '../src/modules.js';
import type { Db } from '../src/platform/db/db.js';
import { diffRelease, inferSuccessors } from '../src/register/changes.js';
import { decodeRelease, parseGv100ad } from '../src/register/gv100ad.js';
import type { RegionRecord } from '../src/register/region.js';
import * as repo from '../src/register/register.repository.js';
import { aggregateUpperLevels, importGv100ad } from '../src/register/register.service.js';
import { searchForms } from '../src/register/search-normalize.js';
import {
  assertRealData,
  type Backend,
  backends,
  createPgDatabase,
  freshDb,
  GV100AD_2023,
  GV100AD_2025,
  median,
  ms,
  printEnvironment,
  printTable,
  round,
  skipNote,
  tempDir,
  time,
  verdict,
  writeResult,
} from './common.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MS: Record<Backend, number> = { pglite: 3000, postgres: 1500 };

interface Input {
  fileName: string;
  data: Uint8Array;
}

function readInput(file: string): Input {
  return { fileName: path.basename(file), data: fs.readFileSync(file) };
}

// ---------------------------------------------------------------------------------------------
// Where the time of one import goes: a Db that times every statement

interface StatementTiming {
  statement: string;
  ms: number;
  /** Characters of the parameters (the JSON batches). */
  paramChars: number;
  rows: number;
}

const LABELS: [RegExp, string][] = [
  [/^LOCK TABLE/, 'LOCK TABLE regions'],
  [/^SELECT .* FROM register_releases/s, 'latestRelease'],
  [/^SELECT r\.key, r\.level.*valid_to IS NULL$/s, 'currentRegions'],
  [/^INSERT INTO register_releases/, 'insertRelease'],
  [/^INSERT INTO regions /, 'upsertRegions'],
  [/^INSERT INTO region_versions/, 'updateRegions: versions'],
  [/^UPDATE regions AS t SET level/, 'updateRegions: update'],
  [/^UPDATE regions AS t SET valid_to/, 'endRegions'],
  [/^INSERT INTO register_changes/, 'insertChanges'],
];

function label(sql: string): string {
  const s = sql.trim();
  const index = /^(CREATE|DROP) INDEX (?:IF EXISTS )?([\w.]+)/.exec(s);
  if (index) return `${index[1]} INDEX ${index[2]}`;
  for (const [re, name] of LABELS) if (re.test(s)) return name;
  return s.replace(/\s+/g, ' ').slice(0, 50);
}

function timedDb(db: Db, log: StatementTiming[], txOverhead: { ms: number }): Db {
  return {
    kind: db.kind,
    async query<T>(sql: string, params?: readonly unknown[]) {
      const t0 = performance.now();
      const rows = await db.query<T>(sql, params);
      log.push({
        statement: label(sql),
        ms: performance.now() - t0,
        paramChars: (params ?? []).reduce<number>((n, p) => n + (typeof p === 'string' ? p.length : 0), 0),
        rows: rows.length,
      });
      return rows;
    },
    async exec(sql: string) {
      const t0 = performance.now();
      await db.exec(sql);
      log.push({ statement: label(sql), ms: performance.now() - t0, paramChars: 0, rows: 0 });
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      const t0 = performance.now();
      let inner = 0;
      const result = await db.transaction(async (tx) => {
        const i0 = performance.now();
        try {
          return await fn(timedDb(tx, log, txOverhead));
        } finally {
          inner = performance.now() - i0;
        }
      });
      txOverhead.ms += performance.now() - t0 - inner;
      return result;
    },
    listen: (channel, onMessage) => db.listen(channel, onMessage),
    close: () => db.close(),
  };
}

/** The pure (JavaScript) steps of importGv100ad, timed one by one on the same input (median of RUNS). */
function jsSteps(input: Input, current: RegionRecord[]): Record<string, number> {
  const all: Record<string, number>[] = [];
  for (let i = 0; i < Math.max(RUNS, 3); i++) all.push(jsStepsOnce(input, current));
  return Object.fromEntries(Object.keys(all[0]!).map((k) => [k, median(all.map((t) => t[k]!))]));
}

function jsStepsOnce(input: Input, current: RegionRecord[]): Record<string, number> {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const text = decodeRelease(input.data);
  t.decode = performance.now() - t0;
  t0 = performance.now();
  const parsed = parseGv100ad(text, input.fileName);
  t.parse = performance.now() - t0;
  t0 = performance.now();
  createHash('sha256').update(input.data).digest('hex');
  t.sha256 = performance.now() - t0;
  t0 = performance.now();
  const next = aggregateUpperLevels(parsed.records);
  t.aggregate = performance.now() - t0;
  t0 = performance.now();
  const diff = diffRelease(current, next);
  t.diff = performance.now() - t0;
  t0 = performance.now();
  inferSuccessors(diff, current, next, []);
  t.inferSuccessors = performance.now() - t0;
  // What the repository does before each batch statement: rows with search forms, as one JSON string.
  t0 = performance.now();
  JSON.stringify(diff.added.map((r) => ({ ...r, ...searchForms(r.name) })));
  t['rows + JSON (added)'] = performance.now() - t0;
  return t;
}

interface Breakdown {
  wallMs: number;
  statements: StatementTiming[];
  transactionOverheadMs: number;
  js: Record<string, number>;
  counts: Record<string, number>;
}

async function instrumentedImport(kind: Backend, update: boolean, full: Input, old: Input): Promise<Breakdown> {
  const target = await freshDb(kind);
  try {
    if (update) await importGv100ad(target.db, old);
    const current = await repo.currentRegions(target.db);
    const log: StatementTiming[] = [];
    const overhead = { ms: 0 };
    const db = timedDb(target.db, log, overhead);
    const { ms: wallMs, value: report } = await time(() => importGv100ad(db, full));
    return {
      wallMs,
      statements: log,
      transactionOverheadMs: overhead.ms,
      js: jsSteps(full, current),
      counts: report.counts,
    };
  } finally {
    await target.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Raw COPY baseline

const COPY_COLUMNS = [
  'key',
  'level',
  'ars',
  'parent_key',
  'state_key',
  'kreis_key',
  'name',
  'designation_code',
  'seat',
  'area_km2',
  'population',
  'population_male',
  'population_female',
  'postcode',
  'multiple_postcodes',
  'release',
  'release_id',
  'valid_from',
  'name_fold',
  'name_translit',
  'base_fold',
  'base_translit',
] as const;

function csvValue(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return `"${v.replace(/"/g, '""')}"`;
}

/** The same values the repository stores, as CSV in COPY_COLUMNS order. */
function toCsv(records: RegionRecord[], release: string): string {
  const lines: string[] = [];
  for (const r of records) {
    const f = searchForms(r.name);
    lines.push(
      [
        r.key,
        r.level,
        r.ars,
        r.parentKey,
        r.key.slice(0, 2),
        r.key.length >= 5 ? r.key.slice(0, 5) : null,
        r.name,
        r.designationCode,
        r.seat,
        r.areaKm2,
        r.population,
        r.populationMale,
        r.populationFemale,
        r.postcode,
        r.multiplePostcodes,
        r.release,
        1,
        release,
        f.nameFold,
        f.nameTranslit,
        f.baseFold,
        f.baseTranslit,
      ]
        .map(csvValue)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

type CopyVariant = 'plain' | 'indexed';

function createCopyTable(variant: CopyVariant): string {
  return `DROP TABLE IF EXISTS regions_copy;
    CREATE UNLOGGED TABLE regions_copy (LIKE regions${variant === 'indexed' ? ' INCLUDING INDEXES' : ''});`;
}

const COPY_SQL = `COPY regions_copy (${COPY_COLUMNS.join(', ')})`;

async function pgliteCopy(csv: string, variant: CopyVariant, expected: number): Promise<number> {
  const db = await PGlite.create({ extensions: { pg_trgm } });
  try {
    for (const m of allMigrations()) await db.exec(m.sql);
    await db.exec(createCopyTable(variant));
    const blob = new Blob([csv]);
    const t0 = performance.now();
    await db.query(`${COPY_SQL} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob });
    const elapsed = performance.now() - t0;
    const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM regions_copy')).rows[0]?.n;
    if (n !== expected) throw new Error(`PGlite COPY loaded ${n} rows, expected ${expected}`);
    return elapsed;
  } finally {
    await db.close();
  }
}

function runPsql(url: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', command], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited with ${code}: ${err.trim()}`))));
  });
}

/** `psql -c "\copy …"` from a CSV file, timed end to end (psql start, connect, COPY). */
async function postgresCopy(csvFile: string, variant: CopyVariant, expected: number): Promise<number> {
  const created = await createPgDatabase();
  try {
    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    try {
      for (const m of allMigrations()) await client.query(m.sql);
      await client.query(createCopyTable(variant));
      const t0 = performance.now();
      await runPsql(
        created.url,
        `\\copy regions_copy (${COPY_COLUMNS.join(', ')}) FROM '${csvFile}' WITH (FORMAT csv)`,
      );
      const elapsed = performance.now() - t0;
      const n = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM regions_copy')).rows[0]?.n;
      if (n !== expected) throw new Error(`PostgreSQL COPY loaded ${n} rows, expected ${expected}`);
      return elapsed;
    } finally {
      await client.end();
    }
  } finally {
    await created.drop();
  }
}

/** psql start + connect + a trivial statement: the fixed cost inside the \copy figure. */
async function psqlOverhead(url: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push((await time(() => runPsql(url, 'SELECT 1'))).ms);
  return median(runs);
}

// ---------------------------------------------------------------------------------------------

async function importRuns(kind: Backend, full: Input, old: Input | null): Promise<number[]> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const target = await freshDb(kind);
    try {
      if (old) await importGv100ad(target.db, old);
      const { ms: elapsed, value: report } = await time(() => importGv100ad(target.db, full));
      if (report.status !== 'imported') throw new Error(`import reported ${report.status}`);
      runs.push(elapsed);
    } finally {
      await target.dispose();
    }
  }
  return runs;
}

export async function runImportBench(): Promise<void> {
  assertRealData();
  const full = readInput(GV100AD_2025);
  const old = readInput(GV100AD_2023);
  const loadAtStart = printEnvironment(
    `Import benchmark: ${full.fileName} (${round(full.data.length / 2 ** 20, 2)} MiB), ${RUNS} runs`,
  );

  // Pure parse time (no database), median of the runs.
  const parseRuns: number[] = [];
  const aggregateRuns: number[] = [];
  const csvRuns: number[] = [];
  let csv = '';
  let rowCount = 0;
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    const parsed = parseGv100ad(decodeRelease(full.data), full.fileName);
    parseRuns.push(performance.now() - t0);
    t0 = performance.now();
    const records = aggregateUpperLevels(parsed.records);
    aggregateRuns.push(performance.now() - t0);
    t0 = performance.now();
    csv = toCsv(records, parsed.release);
    csvRuns.push(performance.now() - t0);
    rowCount = records.length;
  }
  const tmp = tempDir('import');
  const csvFile = path.join(tmp.dir, 'regions.csv');
  fs.writeFileSync(csvFile, csv);

  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown>[] = [];
  const breakdowns: Record<string, Breakdown> = {};
  const add = (backend: Backend | '–', measure: string, runs: number[], target?: number) => {
    const m = median(runs);
    rows.push({
      backend,
      measure,
      median: ms(m),
      runs: runs.map((r) => round(r, 0)).join(' / '),
      target: target ? `≤ ${target} ms` : '',
      result: target ? verdict(m, target) : '',
    });
    results.push({
      backend,
      measure,
      medianMs: round(m, 1),
      runsMs: runs.map((r) => round(r, 1)),
      targetMs: target ?? null,
    });
  };

  add('–', 'parse (decode + parseGv100ad)', parseRuns);
  add('–', 'aggregateUpperLevels', aggregateRuns);
  add('–', `CSV build for COPY (${rowCount} rows, with search forms)`, csvRuns);

  try {
    for (const kind of backends()) {
      console.log(`  ${kind}: full import …`);
      add(kind, 'full import 2025 (importGv100ad)', await importRuns(kind, full, null), TARGET_MS[kind]);
      console.log(`  ${kind}: update import 2023 → 2025 …`);
      add(kind, 'update import 2023 → 2025', await importRuns(kind, full, old));
      for (const variant of ['plain', 'indexed'] as const) {
        console.log(`  ${kind}: COPY baseline (${variant}) …`);
        const copyRuns: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          copyRuns.push(
            kind === 'pglite'
              ? await pgliteCopy(csv, variant, rowCount)
              : await postgresCopy(csvFile, variant, rowCount),
          );
        }
        const what = variant === 'plain' ? 'no indexes' : "with regions' indexes";
        add(
          kind,
          kind === 'pglite' ? `COPY FROM /dev/blob, unlogged, ${what}` : `psql \\copy end-to-end, unlogged, ${what}`,
          copyRuns,
        );
      }
      if (kind === 'postgres')
        add(kind, 'psql start + connect + SELECT 1 (inside \\copy figure)', [
          await psqlOverhead(process.env.BENCH_DATABASE_URL!),
        ]);
      console.log(`  ${kind}: instrumented runs (breakdown) …`);
      breakdowns[`${kind} full`] = await instrumentedImport(kind, false, full, old);
      breakdowns[`${kind} update`] = await instrumentedImport(kind, true, full, old);
    }
  } finally {
    tmp.remove();
  }

  printTable('Import (wall time, median)', rows);
  for (const [name, b] of Object.entries(breakdowns)) {
    const sqlTotal = b.statements.reduce((n, s) => n + s.ms, 0);
    const jsTotal = Object.values(b.js).reduce((n, v) => n + v, 0);
    const bRows: Record<string, string | number>[] = [
      ...b.statements
        .filter((s) => s.ms >= 1)
        .map((s) => ({
          part: `SQL ${s.statement}`,
          time: ms(s.ms),
          detail: s.paramChars ? `${round(s.paramChars / 2 ** 20, 2)} MiB JSON param` : `${s.rows} rows`,
        })),
      {
        part: 'SQL other statements (< 1 ms each)',
        time: ms(b.statements.filter((s) => s.ms < 1).reduce((n, s) => n + s.ms, 0)),
        detail: '',
      },
      { part: 'BEGIN / COMMIT', time: ms(b.transactionOverheadMs), detail: '' },
      ...Object.entries(b.js).map(([k, v]) => ({ part: `JS ${k}`, time: ms(v), detail: '(measured separately)' })),
      {
        part: 'JS rest = total − above (report, maps, other JSON; noisy)',
        time: ms(b.wallMs - sqlTotal - b.transactionOverheadMs - jsTotal),
        detail: '',
      },
      { part: 'total (instrumented run)', time: ms(b.wallMs), detail: JSON.stringify(b.counts) },
    ];
    printTable(`Breakdown: ${name}`, bRows);
  }
  skipNote('import');
  writeResult('import', { file: full.fileName, runs: RUNS, rows: rowCount, loadAtStart, results, breakdowns });
}
