import type { Db } from '../platform/db/db.js';
import type { Level, RegionRecord } from './region.js';
import type { IndexEntry } from './search-index.js';
import { type SearchForms, searchForms } from './search-normalize.js';

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

/** Does the register hold any region? (At every start: EXISTS stops at the first row, count(*) reads all.) */
export async function hasRegions(db: Db): Promise<boolean> {
  const rows = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM regions) AS any');
  return rows[0]?.any === true;
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

// ---------------------------------------------------------------------------------------------
// The register in memory (register-view.ts) and its search index (search-index.ts)

/**
 * Changes whenever a release or boundaries are imported: the id of the newest release, the number of regions
 * and the number of boundaries.
 */
export async function registerVersion(db: Db): Promise<string> {
  const rows = await db.query<{ v: number; n: number; b: number }>(
    `SELECT coalesce(max(id), 0)::int AS v, (SELECT count(*)::int FROM regions) AS n,
       (SELECT count(*)::int FROM region_boundaries) AS b FROM register_releases`,
  );
  return `${rows[0]?.v ?? 0}:${rows[0]?.n ?? 0}:${rows[0]?.b ?? 0}`;
}

export interface RegionWithForms extends RegionRow, SearchForms {}

/**
 * Every region (current and ended) with its search forms, in the order of `name_fold, key`. PGlite decodes a
 * result field by field in JavaScript, which for 16,500 rows × 26 columns takes about twice as long as reading
 * them as one json value (decoded natively, same values); on PostgreSQL the plain rows are faster.
 */
export async function allRegionsByName(db: Db): Promise<RegionWithForms[]> {
  const select = `SELECT ${REGION_COLUMNS}, r.name_fold AS "nameFold", r.name_translit AS "nameTranslit",
       r.base_fold AS "baseFold", r.base_translit AS "baseTranslit"
     FROM ${FROM_REGIONS}`;
  if (db.kind === 'pglite') {
    const rows = await db.query<{ regions: RegionWithForms[] }>(
      `SELECT coalesce(json_agg(x ORDER BY x."nameFold", x.key), '[]'::json) AS regions FROM (${select}) x`,
    );
    return rows[0]?.regions ?? [];
  }
  return db.query<RegionWithForms>(`${select} ORDER BY r.name_fold, r.key`);
}

/**
 * Everything the search index needs, for all regions (current and ended), with Kreis and Land names. (The
 * service builds the entries from the register view; this query is the reference its test compares with.)
 */
export async function searchEntries(db: Db): Promise<IndexEntry[]> {
  return db.query<IndexEntry>(
    `SELECT r.key, r.level, r.ars, r.parent_key AS "parentKey", r.state_key AS "stateKey", r.kreis_key AS "kreisKey",
       r.name, r.designation_code AS "designationCode", r.population, r.area_km2 AS "areaKm2", r.postcode,
       to_char(r.valid_to, 'YYYY-MM-DD') AS "validTo", r.successor_key AS "successorKey",
       CASE WHEN r.level IN ('gemeinde', 'gemeindeverband') THEN k.name END AS "kreisName", l.name AS "stateName",
       r.name_fold AS "nameFold", r.name_translit AS "nameTranslit", r.base_fold AS "baseFold",
       r.base_translit AS "baseTranslit"
     FROM regions r LEFT JOIN regions k ON k.key = r.kreis_key LEFT JOIN regions l ON l.key = r.state_key`,
  );
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

/** Serialise imports: the register is replaced as one (other readers keep reading). */
export async function lockRegions(tx: Db) {
  await tx.query('LOCK TABLE regions IN EXCLUSIVE MODE');
}

/** Fresh planner statistics after a bulk change. */
export async function analyzeRegions(db: Db) {
  await db.exec('ANALYZE regions');
}

export interface GemeindeFigures {
  key: string;
  level: Level;
  stateKey: string;
  kreisKey: string | null;
  designationCode: string | null;
  population: number | null;
}

/** Current Gemeinden with Land, Kreis, designation and population (the Lagebild's denominators, demo data). */
export async function currentGemeindenFigures(db: Db): Promise<GemeindeFigures[]> {
  return db.query<GemeindeFigures>(
    `SELECT key, level, state_key AS "stateKey", kreis_key AS "kreisKey", designation_code AS "designationCode",
       population FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL ORDER BY key`,
  );
}

export interface BoundaryWithName {
  key: string;
  level: string;
  name: string;
  geometry: unknown;
}

/** Boundaries of current regions of the given levels, with their names. */
export async function currentBoundaries(db: Db, levels: readonly string[]): Promise<BoundaryWithName[]> {
  return db.query<BoundaryWithName>(
    `SELECT b.key, b.level, r.name, b.geometry FROM region_boundaries b JOIN regions r ON r.key = b.key
     WHERE b.level = ANY($1::text[]) AND r.valid_to IS NULL ORDER BY b.key`,
    [levels],
  );
}

export interface BoundaryOfLevel {
  key: string;
  level: string;
  geometry: unknown;
  sourceFile: string;
}

/** All stored boundaries of the given levels (also of regions that have ended since), by key. */
export async function boundariesOfLevels(db: Db, levels: readonly string[]): Promise<BoundaryOfLevel[]> {
  return db.query<BoundaryOfLevel>(
    `SELECT key, level, geometry, source_file AS "sourceFile" FROM region_boundaries
     WHERE level = ANY($1::text[]) ORDER BY key`,
    [levels],
  );
}

/** The stored boundaries of the given keys (any level), for their centroids (the desk's peer mentors). */
export async function boundaryGeometries(
  db: Db,
  keys: readonly string[],
): Promise<{ key: string; geometry: unknown }[]> {
  if (keys.length === 0) return [];
  return db.query<{ key: string; geometry: unknown }>(
    'SELECT key, geometry FROM region_boundaries WHERE key = ANY($1::text[])',
    [keys],
  );
}
