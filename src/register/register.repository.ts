import type { Db } from '../platform/db/db.js';
import type { Level, RegionRecord } from './region.js';
import { searchForms } from './search-normalize.js';

/** A region as stored: the record plus validity, successor and release bookkeeping. */
export interface RegionRow extends RegionRecord {
  stateKey: string;
  kreisKey: string | null;
  source: string;
  validFrom: string;
  validTo: string | null;
  successorKey: string | null;
  successorMethod: string | null;
  successorInferred: boolean | null;
}

export interface ReleaseRow {
  id: number;
  source: string;
  release: string;
  fileName: string | null;
  fileSha256: string | null;
  importedAt: Date;
  summary: Record<string, unknown>;
}

const REGION_COLUMNS = `r.key, r.level, r.ars, r.parent_key AS "parentKey", r.state_key AS "stateKey",
  r.kreis_key AS "kreisKey", r.name, r.designation_code AS "designationCode", r.seat,
  r.area_km2 AS "areaKm2", r.population, r.population_male AS "populationMale",
  r.population_female AS "populationFemale", r.postcode, r.multiple_postcodes AS "multiplePostcodes",
  to_char(r.release, 'YYYY-MM-DD') AS release, rel.source, to_char(r.valid_from, 'YYYY-MM-DD') AS "validFrom",
  to_char(r.valid_to, 'YYYY-MM-DD') AS "validTo", r.successor_key AS "successorKey",
  r.successor_method AS "successorMethod", r.successor_inferred AS "successorInferred"`;

const FROM_REGIONS = 'regions r JOIN register_releases rel ON rel.id = r.release_id';

const RELEASE_COLUMNS = `id, source, to_char(release, 'YYYY-MM-DD') AS release, file_name AS "fileName",
  file_sha256 AS "fileSha256", imported_at AS "importedAt", summary`;

export async function latestRelease(db: Db, source?: string): Promise<ReleaseRow | null> {
  const rows = await db.query<ReleaseRow>(
    `SELECT ${RELEASE_COLUMNS} FROM register_releases
     WHERE ($1::text IS NULL OR source = $1) ORDER BY release DESC, id DESC LIMIT 1`,
    [source ?? null],
  );
  return rows[0] ?? null;
}

export async function listReleases(db: Db): Promise<ReleaseRow[]> {
  return db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM register_releases ORDER BY id`);
}

export async function countRegions(db: Db): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM regions');
  return rows[0]?.n ?? 0;
}

export async function countCurrentByLevel(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ level: string; n: number }>(
    'SELECT level, count(*)::int AS n FROM regions WHERE valid_to IS NULL GROUP BY level',
  );
  return Object.fromEntries(rows.map((r) => [r.level, r.n]));
}

export async function currentRegions(db: Db): Promise<RegionRow[]> {
  return db.query<RegionRow>(`SELECT ${REGION_COLUMNS} FROM ${FROM_REGIONS} WHERE r.valid_to IS NULL`);
}

export async function regionsByKeys(db: Db, keys: readonly string[]): Promise<RegionRow[]> {
  if (keys.length === 0) return [];
  return db.query<RegionRow>(`SELECT ${REGION_COLUMNS} FROM ${FROM_REGIONS} WHERE r.key = ANY($1::text[])`, [keys]);
}

export async function regionByKey(db: Db, key: string): Promise<RegionRow | null> {
  return (await regionsByKeys(db, [key]))[0] ?? null;
}

export async function regionByArs(db: Db, ars: string): Promise<RegionRow | null> {
  const rows = await db.query<RegionRow>(
    `SELECT ${REGION_COLUMNS} FROM ${FROM_REGIONS} WHERE r.ars = $1 ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1`,
    [ars],
  );
  return rows[0] ?? null;
}

export async function childrenOf(db: Db, key: string): Promise<RegionRow[]> {
  return db.query<RegionRow>(
    `SELECT ${REGION_COLUMNS} FROM ${FROM_REGIONS} WHERE r.parent_key = $1 AND r.valid_to IS NULL ORDER BY r.key`,
    [key],
  );
}

/** Current Gemeinden of a Kreis (across its Verbände), by name. */
export async function gemeindenOfKreis(db: Db, kreisKey: string): Promise<RegionRow[]> {
  return db.query<RegionRow>(
    `SELECT ${REGION_COLUMNS} FROM ${FROM_REGIONS}
     WHERE r.kreis_key = $1 AND r.level = 'gemeinde' AND r.valid_to IS NULL ORDER BY r.name_fold, r.key`,
    [kreisKey],
  );
}

/** Count of current descendants by level, for a key prefix (all regions below share its prefix). */
export async function descendantCounts(db: Db, key: string): Promise<Record<string, number>> {
  const rows = await db.query<{ level: string; n: number }>(
    `SELECT level, count(*)::int AS n FROM regions
     WHERE valid_to IS NULL AND key LIKE $1 || '%' AND key <> $1 AND length(key) > length($1)
     GROUP BY level`,
    [key],
  );
  return Object.fromEntries(rows.map((r) => [r.level, r.n]));
}

/** Regions that ended and named `key` as their successor. */
export async function predecessorsOf(db: Db, key: string): Promise<RegionRow[]> {
  return db.query<RegionRow>(
    `SELECT ${REGION_COLUMNS} FROM ${FROM_REGIONS} WHERE r.successor_key = $1 ORDER BY r.key`,
    [key],
  );
}

/** Peers: current regions of the same level and Land with the closest population. */
export async function peersOf(db: Db, region: RegionRow, limit: number): Promise<RegionRow[]> {
  if (region.population === null) return [];
  return db.query<RegionRow>(
    `SELECT ${REGION_COLUMNS} FROM ${FROM_REGIONS}
     WHERE r.valid_to IS NULL AND r.level = $1 AND r.state_key = $2 AND r.key <> $3 AND r.population IS NOT NULL
     ORDER BY abs(r.population - $4), r.key LIMIT $5`,
    [region.level, region.stateKey, region.key, region.population, limit],
  );
}

export async function namesOf(db: Db, keys: readonly string[]): Promise<Map<string, { name: string; level: Level }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.query<{ key: string; name: string; level: Level }>(
    'SELECT key, name, level FROM regions WHERE key = ANY($1::text[])',
    [keys],
  );
  return new Map(rows.map((r) => [r.key, { name: r.name, level: r.level }]));
}

// ---------------------------------------------------------------------------------------------
// Writing a release

export async function insertRelease(
  db: Db,
  r: { source: string; release: string; fileName: string | null; fileSha256: string | null; summary: object },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO register_releases (source, release, file_name, file_sha256, summary)
     VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id`,
    [r.source, r.release, r.fileName, r.fileSha256, JSON.stringify(r.summary)],
  );
  return rows[0]!.id;
}

function toRow(r: RegionRecord, releaseId: number, validFrom: string) {
  return {
    key: r.key,
    level: r.level,
    ars: r.ars,
    parent_key: r.parentKey,
    state_key: r.key.slice(0, 2),
    kreis_key: r.key.length >= 5 ? r.key.slice(0, 5) : null,
    name: r.name,
    designation_code: r.designationCode,
    seat: r.seat,
    area_km2: r.areaKm2,
    population: r.population,
    population_male: r.populationMale,
    population_female: r.populationFemale,
    postcode: r.postcode,
    multiple_postcodes: r.multiplePostcodes,
    release: r.release,
    release_id: releaseId,
    valid_from: validFrom,
    ...mapForms(r.name),
  };
}

function mapForms(name: string) {
  const f = searchForms(name);
  return { name_fold: f.nameFold, name_translit: f.nameTranslit, base_fold: f.baseFold, base_translit: f.baseTranslit };
}

const RECORDSET = `x(key text, level text, ars text, parent_key text, state_key text, kreis_key text, name text,
  designation_code text, seat text, area_km2 double precision, population integer, population_male integer,
  population_female integer, postcode text, multiple_postcodes boolean, release date, release_id integer,
  valid_from date, name_fold text, name_translit text, base_fold text, base_translit text)`;

const DATA_COLUMNS = `level, ars, parent_key, state_key, kreis_key, name, designation_code, seat, area_km2, population,
  population_male, population_female, postcode, multiple_postcodes, release, release_id, valid_from,
  name_fold, name_translit, base_fold, base_translit`;

/**
 * Run a bulk write with the trigram (GIN) search indexes of `regions` dropped and rebuilt afterwards:
 * building them once over 16,000 rows costs a third of maintaining them row by row. Index definitions are
 * read from the catalogue, so the migrations stay their only source. Call inside a transaction.
 */
export async function withSearchIndexesRebuilt<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const indexes = await db.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'regions' AND indexdef LIKE '%gin_trgm_ops%'`,
  );
  for (const i of indexes) await db.query(`DROP INDEX ${quoteIdent(i.name)}`);
  const result = await fn();
  for (const i of indexes) await db.query(i.def);
  return result;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Insert new regions, or revive a key that had ended earlier (a key can come back).
 * One statement for all rows: the batch travels as one JSON parameter.
 */
export async function upsertRegions(db: Db, records: RegionRecord[], releaseId: number, validFrom: string) {
  if (records.length === 0) return;
  const json = JSON.stringify(records.map((r) => toRow(r, releaseId, validFrom)));
  await db.query(
    `INSERT INTO regions (key, ${DATA_COLUMNS})
     SELECT key, ${DATA_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS ${RECORDSET}
     ON CONFLICT (key) DO UPDATE SET
       ${DATA_COLUMNS.split(',')
         .map((c) => c.trim())
         .map((c) => `${c} = EXCLUDED.${c}`)
         .join(', ')},
       valid_to = NULL, successor_key = NULL, successor_method = NULL, successor_inferred = NULL`,
    [json],
  );
}

/** Keep the earlier state of regions whose data changes, then overwrite them. */
export async function updateRegions(
  db: Db,
  updates: { before: RegionRow; after: RegionRecord; keepVersion: boolean }[],
  releaseId: number,
  validFrom: string,
) {
  if (updates.length === 0) return;
  const versions = updates.filter((u) => u.keepVersion);
  if (versions.length > 0)
    await db.query(
      `INSERT INTO region_versions (key, valid_from, valid_to, release_id, data)
     SELECT v.key, r.valid_from, $2::date, r.release_id, v.data
     FROM jsonb_to_recordset($1::jsonb) AS v(key text, data jsonb) JOIN regions r ON r.key = v.key`,
      [JSON.stringify(versions.map((u) => ({ key: u.before.key, data: u.before }))), validFrom],
    );
  await db.query(
    `UPDATE regions AS t SET ${DATA_COLUMNS.split(',')
      .map((c) => c.trim())
      .filter((c) => c !== 'valid_from') // "in the register since" stays
      .map((c) => `${c} = x.${c}`)
      .join(', ')}
     FROM jsonb_to_recordset($1::jsonb) AS ${RECORDSET}
     WHERE t.key = x.key`,
    [JSON.stringify(updates.map((u) => toRow(u.after, releaseId, validFrom)))],
  );
}

export async function endRegions(
  db: Db,
  ended: {
    key: string;
    validTo: string;
    successorKey: string | null;
    method: string | null;
    inferred: boolean | null;
  }[],
) {
  if (ended.length === 0) return;
  await db.query(
    `UPDATE regions AS t SET valid_to = x.valid_to, successor_key = x.successor_key,
       successor_method = x.method, successor_inferred = x.inferred
     FROM jsonb_to_recordset($1::jsonb) AS x(key text, valid_to date, successor_key text, method text, inferred boolean)
     WHERE t.key = x.key`,
    [
      JSON.stringify(
        ended.map((e) => ({
          key: e.key,
          valid_to: e.validTo,
          successor_key: e.successorKey,
          method: e.method,
          inferred: e.inferred,
        })),
      ),
    ],
  );
}

export interface ChangeRow {
  key: string;
  level: Level;
  kind: 'added' | 'ended' | 'renamed' | 'reparented' | 'updated';
  before: unknown;
  after: unknown;
  successorKey: string | null;
  successorMethod: string | null;
}

export async function insertChanges(db: Db, releaseId: number, changes: ChangeRow[]) {
  if (changes.length === 0) return;
  await db.query(
    `INSERT INTO register_changes (release_id, key, level, kind, before, after, successor_key, successor_method)
     SELECT $2, key, level, kind, before, after, successor_key, successor_method
     FROM jsonb_to_recordset($1::jsonb)
       AS x(key text, level text, kind text, before jsonb, after jsonb, successor_key text, successor_method text)`,
    [
      JSON.stringify(
        changes.map((c) => ({
          key: c.key,
          level: c.level,
          kind: c.kind,
          before: c.before ?? null,
          after: c.after ?? null,
          successor_key: c.successorKey,
          successor_method: c.successorMethod,
        })),
      ),
      releaseId,
    ],
  );
}

export async function changesOfRelease(db: Db, releaseId: number): Promise<ChangeRow[]> {
  return db.query<ChangeRow>(
    `SELECT key, level, kind, before, after, successor_key AS "successorKey", successor_method AS "successorMethod"
     FROM register_changes WHERE release_id = $1 ORDER BY kind, key`,
    [releaseId],
  );
}

// ---------------------------------------------------------------------------------------------
// Search

export type SearchSort = 'relevance' | 'key' | 'name' | 'population' | '-population';

export interface SearchQuery {
  /** Raw digits when the query is a key or postcode. */
  digits: string | null;
  /** Folded and transliterated forms of a text query. */
  fold: string | null;
  translit: string | null;
  /** Typo-tolerant similarity search instead of exact, prefix and word-prefix matches. */
  fuzzy: boolean;
  levels: Level[] | null;
  parent: string | null;
  state: string | null;
  minPopulation: number | null;
  maxPopulation: number | null;
  includeEnded: boolean;
  sort: SearchSort;
  limit: number;
  /** Keyset cursor: the sort tuple of the last row of the previous page. */
  after: (string | number)[] | null;
}

export interface SearchHit extends RegionRow {
  kreisName: string | null;
  stateName: string | null;
  sortTuple: (string | number)[];
}

/**
 * Tiers of relevance: 0 exact key/ARS/postcode, 1 exact name (without designation),
 * 2 name starts with the query, 3 a word of the name starts with it; in fuzzy mode all are
 * tier 4 and ordered by trigram similarity. Within a tier, larger places first.
 */
function buildSearch(q: SearchQuery) {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (!q.includeEnded) where.push('r.valid_to IS NULL');
  if (q.levels) where.push(`r.level = ANY(${p(q.levels)}::text[])`);
  // Without a level filter, leave out the Verband entries of verbandsfreie Gemeinden and kreisfreie
  // Städte (Textkennzeichen 50): they repeat the Gemeinde of the same name.
  else where.push(`NOT (r.level = 'gemeindeverband' AND r.designation_code IS NOT DISTINCT FROM '50')`);
  if (q.parent) where.push(`r.parent_key = ${p(q.parent)}`);
  if (q.state) where.push(`r.state_key = ${p(q.state)}`);
  if (q.minPopulation !== null) where.push(`r.population >= ${p(q.minPopulation)}`);
  if (q.maxPopulation !== null) where.push(`r.population <= ${p(q.maxPopulation)}`);

  let tier = '0';
  let sim = '0';
  if (q.digits) {
    const d = p(q.digits);
    const postcode = q.digits.length === 5 ? ` OR r.postcode = ${d}` : '';
    where.push(`(r.key LIKE ${d} || '%' OR r.ars LIKE ${d} || '%'${postcode})`);
    tier = `CASE WHEN r.key = ${d} OR r.ars = ${d} THEN 0 WHEN r.postcode = ${d} THEN 1 ELSE 2 END`;
  } else if (q.fold && q.translit && !q.fuzzy) {
    const f = p(q.fold);
    const t = p(q.translit);
    where.push(`(r.name_fold LIKE ${f} || '%' OR r.name_translit LIKE ${t} || '%'
      OR r.name_fold LIKE '% ' || ${f} || '%' OR r.name_translit LIKE '% ' || ${t} || '%')`);
    tier = `CASE WHEN r.base_fold = ${f} OR r.base_translit = ${t} THEN 1
      WHEN r.name_fold LIKE ${f} || '%' OR r.name_translit LIKE ${t} || '%' THEN 2 ELSE 3 END`;
  } else if (q.fold && q.translit) {
    const f = p(q.fold);
    const t = p(q.translit);
    where.push(`(r.base_fold % ${f} OR r.base_translit % ${t} OR ${f} <% r.name_fold OR ${t} <% r.name_translit)`);
    tier = '4';
    sim = `round(greatest(word_similarity(${f}, r.name_fold), word_similarity(${t}, r.name_translit),
      similarity(r.base_fold, ${f}), similarity(r.base_translit, ${t}))::numeric, 3)`;
  }

  const sort = q.sort === 'relevance' && !q.digits && !q.fold ? 'key' : q.sort;
  let order: string[];
  switch (sort) {
    case 'relevance':
      order = ['tier', 'negsim', 'negpop', 'key'];
      break;
    case 'name':
      order = ['name_fold', 'key'];
      break;
    case 'population':
      order = ['pop', 'key'];
      break;
    case '-population':
      order = ['negpop', 'key'];
      break;
    default:
      order = ['key'];
  }
  const inner = `SELECT r.key, ${tier} AS tier, -(${sim}) AS negsim, -coalesce(r.population, -1) AS negpop,
      coalesce(r.population, -1) AS pop, r.name_fold
    FROM regions r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  return { params, inner, order, p };
}

export async function searchRegions(db: Db, q: SearchQuery): Promise<{ total: number; hits: SearchHit[] }> {
  const { params, inner, order, p } = buildSearch(q);
  const countParams = [...params];
  let cursorCond = '';
  if (q.after && q.after.length === order.length) {
    cursorCond = `WHERE (${order.map((c) => `s.${c}`).join(', ')}) > (${q.after
      .map((v, i) => {
        const c = order[i]!;
        const cast = c === 'key' || c === 'name_fold' ? 'text' : 'numeric';
        return `${p(v)}::${cast}`;
      })
      .join(', ')})`;
  }
  const limit = p(q.limit);
  const sql = `WITH s AS (${inner})
    SELECT ${REGION_COLUMNS}, k.name AS "kreisName", l.name AS "stateName",
      s.tier, s.negsim, s.negpop, s.pop, s.name_fold
    FROM s JOIN ${FROM_REGIONS} ON r.key = s.key
      LEFT JOIN regions k ON k.key = r.kreis_key AND r.level IN ('gemeinde', 'gemeindeverband')
      LEFT JOIN regions l ON l.key = r.state_key
    ${cursorCond}
    ORDER BY ${order.map((c) => `s.${c}`).join(', ')}
    LIMIT ${limit}`;
  const [rows, count] = await Promise.all([
    db.query<SearchHit & Record<string, string | number>>(sql, params),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${inner}) c`, countParams),
  ]);
  const hits = rows.map((row) => {
    const sortTuple = order.map((c) => row[c] as string | number);
    const { tier: _t, negsim: _s, negpop: _n, pop: _p, name_fold: _f, ...rest } = row;
    return { ...(rest as unknown as SearchHit), sortTuple };
  });
  return { total: count[0]?.n ?? 0, hits };
}

// ---------------------------------------------------------------------------------------------
// Boundaries

export interface BoundaryRow {
  key: string;
  level: Level;
  geometry: unknown;
  bbox: number[];
  vertexCount: number;
}

export async function upsertBoundaries(db: Db, rows: BoundaryRow[], sourceFile: string) {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO region_boundaries (key, level, geometry, bbox, vertex_count, source_file)
     SELECT key, level, geometry, ARRAY(SELECT jsonb_array_elements_text(bbox)::double precision), vertex_count, $2
     FROM jsonb_to_recordset($1::jsonb) AS x(key text, level text, geometry jsonb, bbox jsonb, vertex_count integer)
     ON CONFLICT (key) DO UPDATE SET level = EXCLUDED.level, geometry = EXCLUDED.geometry, bbox = EXCLUDED.bbox,
       vertex_count = EXCLUDED.vertex_count, source_file = EXCLUDED.source_file, imported_at = now()`,
    [
      JSON.stringify(
        rows.map((r) => ({
          key: r.key,
          level: r.level,
          geometry: r.geometry,
          bbox: r.bbox,
          vertex_count: r.vertexCount,
        })),
      ),
      sourceFile,
    ],
  );
}

export async function boundaryCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ level: string; n: number }>(
    'SELECT level, count(*)::int AS n FROM region_boundaries GROUP BY level',
  );
  return Object.fromEntries(rows.map((r) => [r.level, r.n]));
}

export async function allKeys(db: Db): Promise<Set<string>> {
  const rows = await db.query<{ key: string }>('SELECT key FROM regions');
  return new Set(rows.map((r) => r.key));
}
