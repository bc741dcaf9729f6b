import { createHash } from 'node:crypto';
import type { Db } from '../platform/db/db.js';
import { type FieldError, fieldError, ImportError, NotFoundError, ValidationError } from '../platform/errors.js';
import { publish } from '../platform/events/events.js';
import { text } from '../platform/i18n/i18n.js';
import {
  BoundaryError,
  type BoundaryMultiPolygon,
  type LonLat,
  matchBoundaryKeys,
  parseBoundaries,
} from './boundaries.js';
import { multiPolygonCentroid } from './centroid.js';
import { diffRelease, inferSuccessors, type ReleaseDiff, type SuccessorLink } from './changes.js';
import { EMBEDDED_RELEASE, EMBEDDED_SOURCE, embeddedRegions } from './embedded-default.js';
import { decodeRelease, Gv100adError, parseGv100ad } from './gv100ad.js';
import { parseRegionKey } from './keys.js';
import { type EndKnown, endKnown } from './names.js';
import type { Level, RegionRecord } from './region.js';
import * as repo from './register.repository.js';
import { type RegionFacts, RegisterView } from './register-view.js';
import { type IndexHit, SearchIndex, type SearchSort } from './search-index.js';
import { fold, translit } from './search-normalize.js';
import { type OfficialLink, readOfficialChanges } from './territorial-changes.js';

export type { RegionRow } from './register.repository.js';
export type { RegionFacts } from './register-view.js';

/** The register's domain events. */
export const REGISTER_EVENTS = {
  releaseImported: 'register.release-imported',
  boundariesImported: 'register.boundaries-imported',
} as const;
export type SearchHit = IndexHit;

// ---------------------------------------------------------------------------------------------
// Embedded default

/** On an empty register, load the embedded Länder and Kreise. Returns true if it did. */
export async function ensureEmbeddedDefault(db: Db): Promise<boolean> {
  const loaded = await db.transaction(async (tx) => {
    await repo.lockRegions(tx);
    if (await repo.hasRegions(tx)) return false;
    const records = embeddedRegions();
    const releaseId = await repo.insertRelease(tx, {
      source: EMBEDDED_SOURCE,
      release: EMBEDDED_RELEASE,
      fileName: null,
      fileSha256: null,
      summary: { regions: records.length },
    });
    await repo.upsertRegions(tx, records, releaseId, EMBEDDED_RELEASE);
    return true;
  });
  if (loaded) invalidateRegister(db);
  return loaded;
}

// ---------------------------------------------------------------------------------------------
// GV100AD release update

export interface ImportReport {
  status: 'imported' | 'unchanged';
  release: string;
  previousRelease: string | null;
  fileName: string;
  countsByType: Record<string, number>;
  counts: { added: number; ended: number; renamed: number; reparented: number; updated: number; unchanged: number };
  added: { key: string; level: Level; name: string }[];
  ended: {
    key: string;
    level: Level;
    name: string;
    successorKey: string | null;
    successorName: string | null;
    method: string | null;
    inferred: boolean | null;
  }[];
  renamed: { key: string; level: Level; from: string; to: string }[];
  reparented: { key: string; level: Level; name: string; from: string | null; to: string | null }[];
  durationMs: number;
}

/** Sum area and population of the Gemeinden into every level above them. */
export function aggregateUpperLevels(records: RegionRecord[]): RegionRecord[] {
  const byKey = new Map(records.map((r) => [r.key, { ...r }]));
  const totals = new Map<string, { area: number; pop: number; male: number; female: number; hasArea: boolean }>();
  for (const g of byKey.values()) {
    if (g.level !== 'gemeinde') continue;
    let parent = g.parentKey ? byKey.get(g.parentKey) : undefined;
    while (parent) {
      const t = totals.get(parent.key) ?? { area: 0, pop: 0, male: 0, female: 0, hasArea: false };
      if (g.areaKm2 !== null) {
        t.area += g.areaKm2;
        t.hasArea = true;
      }
      t.pop += g.population ?? 0;
      t.male += g.populationMale ?? 0;
      t.female += g.populationFemale ?? 0;
      totals.set(parent.key, t);
      parent = parent.parentKey ? byKey.get(parent.parentKey) : undefined;
    }
  }
  for (const [key, t] of totals) {
    const r = byKey.get(key)!;
    r.areaKm2 = t.hasArea ? Math.round(t.area * 100) / 100 : null;
    r.population = t.pop;
    r.populationMale = t.male;
    r.populationFemale = t.female;
  }
  return [...byKey.values()];
}

function pick(r: RegionRecord, fields: readonly (keyof RegionRecord)[]) {
  return Object.fromEntries(fields.map((f) => [f, r[f]]));
}

function snapshot(r: RegionRecord) {
  return {
    name: r.name,
    parentKey: r.parentKey,
    ars: r.ars,
    designationCode: r.designationCode,
    seat: r.seat,
    areaKm2: r.areaKm2,
    population: r.population,
    postcode: r.postcode,
  };
}

export interface ImportOptions {
  fileName: string;
  data: Uint8Array;
  /** Accept a release older than the current one. */
  force?: boolean;
  /** Official lists of territorial changes (Destatis Gebietsänderungen, BBSR keys) as files. */
  changeLists?: { fileName: string; data: Uint8Array }[];
}

export class ReleaseRefusedError extends ImportError {}

export async function importGv100ad(db: Db, opts: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  let parsed: ReturnType<typeof parseGv100ad>;
  try {
    parsed = parseGv100ad(decodeRelease(opts.data), opts.fileName);
  } catch (err) {
    if (err instanceof Gv100adError) throw new ImportError(err.file, err.line, err.field, err.reason);
    throw err;
  }
  const official: OfficialLink[] = [];
  for (const list of opts.changeLists ?? []) {
    try {
      official.push(...(await readOfficialChanges(Buffer.from(list.data), list.fileName)));
    } catch (err) {
      throw new ImportError(list.fileName, null, null, (err as Error).message);
    }
  }
  const sha = createHash('sha256').update(opts.data).digest('hex');
  const next = aggregateUpperLevels(parsed.records);

  const result = await db.transaction(async (tx) => {
    await repo.lockRegions(tx);
    const previous = await repo.latestRelease(tx, 'gv100ad');
    const base = {
      release: parsed.release,
      previousRelease: previous?.release ?? null,
      fileName: opts.fileName,
      countsByType: parsed.countsByType,
    };
    if (previous && previous.release === parsed.release && previous.fileSha256 === sha) {
      const current = await repo.currentRegions(tx);
      return emptyReport(base, current.length, started);
    }
    if (previous && parsed.release < previous.release && !opts.force) {
      throw new ReleaseRefusedError(
        opts.fileName,
        null,
        'Gebietsstand',
        `Gebietsstand ${parsed.release} ist älter als der aktuelle Stand ${previous.release} im Register. ` +
          'Ein älterer Stand wird nur mit --force eingespielt.',
      );
    }
    const current = await repo.currentRegions(tx);
    const diff = diffRelease(current, next);
    if (!opts.force) refusePartialRelease(opts.fileName, current, diff);
    const links = inferSuccessors(diff, current, next, official);
    const report = buildReport(base, diff, links, current, next, started);
    const releaseId = await repo.insertRelease(tx, {
      source: 'gv100ad',
      release: parsed.release,
      fileName: opts.fileName,
      fileSha256: sha,
      summary: { countsByType: parsed.countsByType, counts: report.counts },
    });
    const currentByKey = new Map(current.map((r) => [r.key, r]));
    const linkByKey = new Map(links.map((l) => [l.key, l]));
    const officialDate = new Map(official.filter((o) => o.date).map((o) => [o.oldKey, o.date!]));

    await repo.upsertRegions(tx, diff.added, releaseId, parsed.release);
    // A rename or re-parenting changes the region's identity: keep its whole earlier state. New figures
    // (population, area …) are kept as before/after of the changed fields in the change report.
    const identityChanged = new Set<string>();
    for (const list of [diff.renamed, diff.reparented]) for (const c of list) identityChanged.add(c.after.key);
    const changedKeys = new Set(identityChanged);
    for (const c of diff.updated) changedKeys.add(c.after.key);
    const nextByKey = new Map(next.map((r) => [r.key, r]));
    await repo.updateRegions(
      tx,
      [...changedKeys].map((k) => ({
        before: currentByKey.get(k)!,
        after: nextByKey.get(k)!,
        keepVersion: identityChanged.has(k),
      })),
      releaseId,
      parsed.release,
    );
    await repo.endRegions(
      tx,
      diff.ended.map((e) => {
        const l = linkByKey.get(e.key);
        return {
          key: e.key,
          validTo: officialDate.get(e.key) ?? parsed.release,
          successorKey: l?.successorKey ?? null,
          method: l?.method ?? null,
          inferred: l ? l.inferred : null,
        };
      }),
    );
    const changes: repo.ChangeRow[] = [
      // An added region's state is its row in `regions`; the change only records that it came.
      ...diff.added.map((r) => change(r.key, r.level, 'added', null, null)),
      ...diff.ended.map((r) => {
        const l = linkByKey.get(r.key);
        return {
          ...change(r.key, r.level, 'ended', snapshot(r), null),
          successorKey: l?.successorKey ?? null,
          successorMethod: l?.method ?? null,
        };
      }),
      ...diff.renamed.map((c) => change(c.after.key, c.after.level, 'renamed', snapshot(c.before), snapshot(c.after))),
      ...diff.reparented.map((c) =>
        change(c.after.key, c.after.level, 'reparented', snapshot(c.before), snapshot(c.after)),
      ),
      ...diff.updated.map((c) =>
        change(c.after.key, c.after.level, 'updated', pick(c.before, c.fields), pick(c.after, c.fields)),
      ),
    ];
    await repo.insertChanges(tx, releaseId, changes);
    await publish(tx, REGISTER_EVENTS.releaseImported, { releaseId, release: parsed.release });
    report.durationMs = Math.round(performance.now() - started);
    return report;
  });
  if (result.status === 'imported') {
    invalidateRegister(db);
    await repo.analyzeRegions(db);
  }
  return result;
}

/**
 * A GV100AD release is always complete. One that would end a large share of the current Kreise or
 * Gemeinden is almost certainly a partial file (an extract of one Land, a truncated download):
 * refuse it unless forced.
 */
function refusePartialRelease(fileName: string, current: RegionRecord[], diff: ReleaseDiff) {
  for (const level of ['kreis', 'gemeinde'] as const) {
    const have = current.filter((r) => r.level === level).length;
    const ending = diff.ended.filter((r) => r.level === level).length;
    if (have >= 50 && ending > Math.max(5, have * 0.1)) {
      throw new ReleaseRefusedError(
        fileName,
        null,
        null,
        `Die Datei würde ${ending} von ${have} Regionen der Ebene ${level} beenden – ` +
          'sie ist vermutlich unvollständig (z. B. nur ein Land). Nur mit --force einspielen.',
      );
    }
  }
}

function change(key: string, level: Level, kind: repo.ChangeRow['kind'], before: unknown, after: unknown) {
  return { key, level, kind, before, after, successorKey: null, successorMethod: null };
}

function emptyReport(
  base: Pick<ImportReport, 'release' | 'previousRelease' | 'fileName' | 'countsByType'>,
  unchanged: number,
  started: number,
): ImportReport {
  return {
    ...base,
    status: 'unchanged',
    counts: { added: 0, ended: 0, renamed: 0, reparented: 0, updated: 0, unchanged },
    added: [],
    ended: [],
    renamed: [],
    reparented: [],
    durationMs: Math.round(performance.now() - started),
  };
}

function buildReport(
  base: Pick<ImportReport, 'release' | 'previousRelease' | 'fileName' | 'countsByType'>,
  diff: ReleaseDiff,
  links: SuccessorLink[],
  current: RegionRecord[],
  next: RegionRecord[],
  started: number,
): ImportReport {
  const names = new Map<string, string>();
  for (const r of current) names.set(r.key, r.name);
  for (const r of next) names.set(r.key, r.name);
  const linkByKey = new Map(links.map((l) => [l.key, l]));
  return {
    ...base,
    status: 'imported',
    counts: {
      added: diff.added.length,
      ended: diff.ended.length,
      renamed: diff.renamed.length,
      reparented: diff.reparented.length,
      updated: diff.updated.length,
      unchanged: diff.unchanged,
    },
    added: diff.added.map((r) => ({ key: r.key, level: r.level, name: r.name })),
    ended: diff.ended.map((r) => {
      const l = linkByKey.get(r.key);
      return {
        key: r.key,
        level: r.level,
        name: r.name,
        successorKey: l?.successorKey ?? null,
        successorName: l ? (names.get(l.successorKey) ?? null) : null,
        method: l?.method ?? null,
        inferred: l ? l.inferred : null,
      };
    }),
    renamed: diff.renamed.map((c) => ({
      key: c.after.key,
      level: c.after.level,
      from: c.before.name,
      to: c.after.name,
    })),
    reparented: diff.reparented.map((c) => ({
      key: c.after.key,
      level: c.after.level,
      name: c.after.name,
      from: c.before.parentKey,
      to: c.after.parentKey,
    })),
    durationMs: Math.round(performance.now() - started),
  };
}

// ---------------------------------------------------------------------------------------------
// Boundaries

export interface BoundaryReport {
  fileName: string;
  imported: number;
  byLevel: Record<string, number>;
  unmatched: string[];
  sourceVertices: number;
  storedVertices: number;
  warnings: string[];
}

export async function importBoundaries(db: Db, fileName: string, text: string): Promise<BoundaryReport> {
  let parsed: ReturnType<typeof parseBoundaries>;
  try {
    parsed = parseBoundaries(text, fileName);
  } catch (err) {
    if (err instanceof BoundaryError) {
      throw new ImportError(err.file, err.feature, err.field, err.reason);
    }
    throw err;
  }
  const report = await db.transaction(async (tx) => {
    const known = await repo.allKeys(tx);
    const { matched, unmatched } = matchBoundaryKeys(
      parsed.features.map((f) => f.key),
      known,
    );
    const matchedSet = new Set(matched);
    const rows = parsed.features.filter((f) => matchedSet.has(f.key));
    await repo.upsertBoundaries(tx, rows, fileName);
    await publish(tx, REGISTER_EVENTS.boundariesImported, { fileName, imported: rows.length });
    const byLevel: Record<string, number> = {};
    for (const r of rows) byLevel[r.level] = (byLevel[r.level] ?? 0) + 1;
    return {
      fileName,
      imported: rows.length,
      byLevel,
      unmatched,
      sourceVertices: parsed.sourceVertexCount,
      storedVertices: rows.reduce((n, r) => n + r.vertexCount, 0),
      warnings: parsed.warnings,
    };
  });
  invalidateRegister(db); // the boundary counts of registerStatus
  return report;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface SearchParams {
  q?: string | undefined;
  level?: string | undefined;
  parent?: string | undefined;
  state?: string | undefined;
  minPopulation?: number | undefined;
  maxPopulation?: number | undefined;
  sort?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  includeEnded?: boolean | undefined;
}

export interface SearchPage {
  total: number;
  items: SearchHit[];
  nextCursor: string | null;
}

const SORTS: SearchSort[] = ['relevance', 'key', 'name', 'population', '-population'];
const LEVEL_NAMES: Level[] = ['land', 'regierungsbezirk', 'region', 'kreis', 'gemeindeverband', 'gemeinde'];

/**
 * The register in memory, one per database handle: the register view (regions by key and ARS, parents,
 * children, counts, predecessors, peers — register-view.ts), the search index (built from the view on the
 * first search) and the status of the home and sources pages. Rebuilt when the register's version (newest
 * release, number of regions and of boundaries) changes. The version is checked at most once per second, so
 * an import by another process (PostgreSQL) shows within a second; an import in this process drops the
 * snapshot at once. Pass the long-lived handle, not a transaction's: a snapshot is built per handle.
 */
const VERSION_CHECK_MS = 1000;

class RegisterSnapshot {
  private index: SearchIndex | null = null;

  constructor(readonly view: RegisterView) {}

  get searchIndex(): SearchIndex {
    this.index ??= new SearchIndex(this.view.searchEntries());
    return this.index;
  }
}

const snapshots = new WeakMap<Db, { version: string; checkedAt: number; snapshot: Promise<RegisterSnapshot> }>();

async function buildSnapshot(db: Db): Promise<RegisterSnapshot> {
  const [regions, releases, boundaryCounts] = await Promise.all([
    repo.allRegionsByName(db),
    repo.listReleases(db),
    repo.boundaryCounts(db),
  ]);
  return new RegisterSnapshot(new RegisterView({ regions, releases, boundaryCounts }));
}

/** Drop this process's in-memory register of `db` (after an import here or, via events, on another instance). */
export function invalidateRegister(db: Db): void {
  snapshots.delete(db);
}

async function registerSnapshot(db: Db): Promise<RegisterSnapshot> {
  const cached = snapshots.get(db);
  const now = Date.now();
  if (cached && now - cached.checkedAt < VERSION_CHECK_MS) return cached.snapshot;
  const version = await repo.registerVersion(db);
  const again = snapshots.get(db);
  if (again && again.version === version) {
    again.checkedAt = now;
    return again.snapshot;
  }
  const snapshot = buildSnapshot(db);
  const entry = { version, checkedAt: now, snapshot };
  snapshots.set(db, entry);
  snapshot.catch(() => {
    if (snapshots.get(db) === entry) snapshots.delete(db);
  });
  return snapshot;
}

async function registerView(db: Db): Promise<RegisterView> {
  return (await registerSnapshot(db)).view;
}

/**
 * Build the register in memory (view and search index) now rather than on the first request that needs it
 * (≈ 0.5–1.5 s on the embedded database, less on PostgreSQL). For the server, once the database is ready.
 */
export async function warmRegister(db: Db): Promise<void> {
  void (await registerSnapshot(db)).searchIndex;
}

export function encodeCursor(tuple: (string | number)[]): string {
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

function decodeCursor(cursor: string): (string | number)[] | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v;
  } catch {
    /* fall through */
  }
  return null;
}

export async function searchRegions(db: Db, p: SearchParams): Promise<SearchPage> {
  const errors: FieldError[] = [];
  const q = (p.q ?? '').trim().slice(0, 100);
  let digits: string | null = null;
  let f: string | null = null;
  let t: string | null = null;
  if (/^\d+$/.test(q)) digits = q;
  else if (q) {
    f = fold(q);
    t = translit(q);
    if (!f) errors.push(fieldError('q', 'register.search.noLetters'));
  }
  let levels: Level[] | null = null;
  if (p.level) {
    const list = p.level.split(',').map((s) => s.trim());
    const bad = list.filter((l) => !LEVEL_NAMES.includes(l as Level));
    if (bad.length) errors.push(fieldError('level', 'register.search.badLevel', { levels: bad.join(', ') }));
    else levels = list as Level[];
  }
  const checkKey = (field: string, value: string | undefined) => {
    if (!value) return null;
    const k = parseRegionKey(value);
    if (!k.ok) errors.push({ field, text: k.reason });
    return k.ok ? (k.kind === 'ars' ? k.ags : k.key) : null;
  };
  const parent = checkKey('parent', p.parent);
  const state = checkKey('state', p.state);
  if (state && state.length !== 2) errors.push(fieldError('state', 'register.search.stateKey'));
  const sort = (p.sort ?? 'relevance') as SearchSort;
  if (!SORTS.includes(sort)) errors.push(fieldError('sort', 'register.search.badSort', { sorts: SORTS.join(', ') }));
  let after: (string | number)[] | null = null;
  if (p.cursor) {
    after = decodeCursor(p.cursor);
    if (!after) errors.push(fieldError('cursor', 'register.search.badCursor'));
  }
  if (errors.length) throw new ValidationError(errors, text('register.search.invalid'));
  const limit = p.limit ?? 20;
  const index = (await registerSnapshot(db)).searchIndex;
  const { total, hits } = index.search({
    digits,
    fold: f,
    translit: t,
    levels,
    parent,
    state,
    minPopulation: p.minPopulation ?? null,
    maxPopulation: p.maxPopulation ?? null,
    includeEnded: p.includeEnded ?? false,
    sort,
    limit: limit + 1,
    after,
  });
  const more = hits.length > limit;
  const items = more ? hits.slice(0, limit) : hits;
  const last = items[items.length - 1];
  return { total, items, nextCursor: more && last ? encodeCursor(last.sortTuple) : null };
}

export interface RegionDetail {
  region: repo.RegionRow;
  parents: { key: string; level: Level; name: string }[];
  childCounts: Record<string, number>;
  successor: { key: string; name: string; level: Level; method: string | null; inferred: boolean | null } | null;
  predecessors: repo.RegionRow[];
  release: { source: string; release: string };
  /** What is known about the end of an ended region (a date, or between two releases); null while current. */
  end: EndKnown | null;
}

/** A shallow copy, so that a caller changing a row does not change the register in memory. */
const copy = (r: repo.RegionRow): repo.RegionRow => ({ ...r });

type ValidKey = Exclude<ReturnType<typeof parseRegionKey>, { ok: false }>;

function validKey(rawKey: string): ValidKey {
  const parsed = parseRegionKey(rawKey);
  if (!parsed.ok) throw new ValidationError([{ field: 'key', text: parsed.reason }], text('register.key.invalid'));
  return parsed;
}

function lookup(view: RegisterView, k: ValidKey): repo.RegionRow | undefined {
  return k.kind === 'ars' ? (view.regionByArs(k.ars) ?? view.region(k.ags)) : view.region(k.key);
}

/** 400 when malformed, 404 when unknown. */
async function resolve(db: Db, rawKey: string): Promise<{ view: RegisterView; region: repo.RegionRow }> {
  const k = validKey(rawKey);
  const view = await registerView(db);
  const region = lookup(view, k);
  if (!region) throw new NotFoundError(text('register.key.unknown', { key: rawKey.trim().slice(0, 20) }));
  return { view, region };
}

/** Resolve a key from the URL: 400 when malformed, 404 when unknown. A 12-digit ARS resolves to its Gemeinde. */
export async function getRegion(db: Db, rawKey: string): Promise<RegionDetail> {
  const { view, region } = await resolve(db, rawKey);
  const s = region.successorKey ? view.region(region.successorKey) : undefined;
  return {
    region: copy(region),
    // The hierarchy: follow parent keys (stored), at most 6 levels.
    parents: view.parents(region),
    childCounts: view.descendantCounts(region.key),
    successor:
      region.successorKey && s
        ? {
            key: region.successorKey,
            name: s.name,
            level: s.level,
            method: region.successorMethod,
            inferred: region.successorInferred,
          }
        : null,
    predecessors: view.predecessorsOf(region.key).map(copy),
    release: { source: region.source, release: region.release },
    end: region.validTo
      ? endKnown(
          region.validTo,
          view.releases.map((r) => r.release),
        )
      : null,
  };
}

/**
 * The facts other modules need about a region (level, type, population, validity), without the detail's
 * parents, counts and predecessors: from memory, null when the key is malformed or unknown. Accepts what
 * `getRegion` accepts (a key of any level, or a 12-digit ARS).
 */
export async function regionFacts(db: Db, rawKey: string): Promise<RegionFacts | null> {
  const k = parseRegionKey(rawKey);
  if (!k.ok) return null;
  const view = await registerView(db);
  const region = lookup(view, k);
  return region ? view.facts(region) : null;
}

/**
 * The key of the municipality a key stands for: a kreisfreie Stadt's Kreis key (09162) gives its Gemeinde's
 * (09162000), every other key itself (an ARS its Gemeinde's AGS). 400 when malformed, 404 when unknown.
 * Profiles redirect to it and workspaces are keyed by it: one town hall, one profile, one workspace.
 */
export async function municipalityKey(db: Db, rawKey: string): Promise<string> {
  const { view, region } = await resolve(db, rawKey);
  return view.municipalityOf(region).key;
}

export async function getChildren(db: Db, rawKey: string) {
  const { view, region } = await resolve(db, rawKey);
  return { region: copy(region), children: view.childrenOf(region.key).map(copy) };
}

/** What a profile lists below a region: for a Kreis its Gemeinden (not the Verbände), else the direct children. */
export async function getProfileChildren(db: Db, region: repo.RegionRow): Promise<repo.RegionRow[]> {
  if (region.validTo) return [];
  const view = await registerView(db);
  return (region.level === 'kreis' ? view.gemeindenOfKreis(region.key) : view.childrenOf(region.key)).map(copy);
}

/** Peers: current regions of the same level and Land with the closest population. */
export async function getPeers(db: Db, region: repo.RegionRow, limit = 6) {
  return (await registerView(db)).peersOf(region, limit).map(copy);
}

/** Releases, current regions by level and boundaries by level (home and sources pages), per register version. */
export async function registerStatus(db: Db) {
  const view = await registerView(db);
  return {
    releases: view.releases.map((r) => ({
      ...r,
      importedAt: new Date(r.importedAt),
      summary: structuredClone(r.summary),
    })),
    counts: view.countCurrentByLevel(),
    boundaries: { ...view.boundaryCounts },
  };
}

export { decodeRelease };

/** The Lagebild's denominators: current Gemeinden with Land and population. */
export function currentGemeindenFigures(db: Db) {
  return repo.currentGemeindenFigures(db);
}

export interface MapRegion {
  key: string;
  level: Level;
  name: string;
  geometry: BoundaryMultiPolygon;
}

export interface MapRegions {
  /** One feature per current region with a boundary; regions that merged since are drawn under their successor. */
  features: MapRegion[];
  /** Current regions of these levels without any boundary (a map lists them in its table only). */
  unmapped: { key: string; level: Level; name: string }[];
  /** How many stored boundaries belong to regions that have ended and are drawn under their successor. */
  merged: number;
  /** The years of the boundary files ("2021" for VG5000_2021_Kreise.geojson), ascending. */
  boundaryYears: string[];
}

/**
 * The regions of the given levels as a map can draw them with the stored boundaries. Boundaries are often
 * older than the register (VG5000 2021 against GV100AD 2025): a region that ended since is drawn under its
 * current successor (following the register's successor links), merged with the successor's own boundary when
 * it has one, so that the map shows today's regions without holes.
 */
export async function mapRegions(db: Db, levels: readonly Level[]): Promise<MapRegions> {
  const [view, rows] = await Promise.all([registerView(db), repo.boundariesOfLevels(db, levels)]);
  const byTarget = new Map<string, MapRegion>();
  const years = new Set<string>();
  let merged = 0;
  for (const row of rows) {
    const target = view.currentSuccessor(row.key);
    if (!target || target.level !== row.level) continue;
    const geometry = row.geometry as BoundaryMultiPolygon;
    if (target.key !== row.key) merged++;
    const year = /(?:19|20)\d{2}/.exec(row.sourceFile)?.[0];
    if (year) years.add(year);
    const known = byTarget.get(target.key);
    if (known) {
      known.geometry = {
        type: 'MultiPolygon',
        coordinates: [...known.geometry.coordinates, ...geometry.coordinates],
      };
    } else {
      byTarget.set(target.key, { key: target.key, level: target.level, name: target.name, geometry });
    }
  }
  const features = [...byTarget.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const unmapped = levels.flatMap((level) =>
    view
      .currentOfLevel(level)
      .filter((r) => !byTarget.has(r.key))
      .map((r) => ({ key: r.key, level: r.level, name: r.name })),
  );
  return { features, unmapped, merged, boundaryYears: [...years].sort() };
}

/** Boundaries of current Länder and Kreise with names (for maps). */
export function currentBoundaries(db: Db, levels: readonly Level[]) {
  return repo.currentBoundaries(db, levels);
}

/**
 * Seat coordinates of regions: the area centroid of each key's imported boundary; a Gemeinde without one takes its
 * Kreis's (VG5000 has Kreise only; a kreisfreie Stadt's Gemeinde key so gets its Kreis's). Keys without either are
 * missing from the map (no boundaries imported: an empty map).
 */
export async function seatCoordinates(db: Db, keys: readonly string[]): Promise<Map<string, LonLat>> {
  const wanted = [...new Set(keys.flatMap((k) => (k.length === 8 ? [k, k.slice(0, 5)] : [k])))];
  const rows = await repo.boundaryGeometries(db, wanted);
  const centre = new Map<string, LonLat>();
  for (const r of rows) {
    const g = r.geometry as BoundaryMultiPolygon | null;
    const c = g?.type === 'MultiPolygon' ? multiPolygonCentroid(g.coordinates) : null;
    if (c) centre.set(r.key, c);
  }
  const out = new Map<string, LonLat>();
  for (const k of keys) {
    const c = centre.get(k) ?? (k.length === 8 ? centre.get(k.slice(0, 5)) : undefined);
    if (c) out.set(k, c);
  }
  return out;
}
