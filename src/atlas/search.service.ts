/**
 * The practice search (ADR 0016): every instance keeps an in-memory index of the published projects (built on first
 * use or before /health reports ready, kept current by the `atlas.practices-changed` events of the outbox), behind
 * the `SearchEngine` interface of search/engine.ts so that a national operator can put OpenSearch behind it.
 * This file turns HTTP query parameters into a query (400 naming the field for unknown values), asks the engine,
 * and loads the rows of one page of hits.
 */
import { SIZE_CLASSES } from '../assessment/index.js';
import type { Db } from '../platform/db/db.js';
import { type FieldError, fieldError, ValidationError } from '../platform/errors.js';
import type { DomainEvent } from '../platform/events/events.js';
import { STATES } from '../register/index.js';
import * as repo from './atlas.repository.js';
import { ATLAS_EVENTS } from './events.js';
import { plainText } from './markdown.js';
import { PRACTICE_STATUSES, practiceVocabulary } from './model.js';
import { type ItemParts, itemParts, listItemJson } from './practice-json.js';
import { loadLexicon, loadThesaurus } from './search/analysis.js';
import { type CachedEngine, withResultCache } from './search/cache.js';
import { createMemoryEngine, FACETS, type Facet, type SearchDoc, type SearchEngine } from './search/engine.js';

const BATCH = 2000;
/** Answers kept by the result cache unless the server says otherwise (SEARCH_CACHE_ENTRIES). */
export const DEFAULT_CACHE_ENTRIES = 1000;

interface IndexState {
  engine: CachedEngine;
  ready: Promise<void>;
  /** Each published project's list item, pre-serialised (kept in step with the engine). */
  items: Map<number, ItemParts>;
  /** Confirmed reuses per published project (followed through `atlas.reuse-changed`). */
  reuses: Map<number, number>;
}

const indexes = new WeakMap<Db, IndexState>();

/** The search document of a published project (facets from its published content and lead-region facts). */
export function toSearchDoc(row: repo.PracticeRow, names: ReadonlyMap<string, string>): SearchDoc | null {
  const c = row.published;
  if (!c) return null;
  const regionNames = c.regions.map((k) => names.get(k) ?? '').filter(Boolean);
  return {
    id: row.id,
    title: c.title,
    summary: c.summary,
    tags: c.tags,
    description: [
      plainText(c.description),
      c.lessons,
      ...c.indicators,
      ...c.providers,
      ...c.partners,
      ...regionNames,
      c.funding,
    ]
      .filter(Boolean)
      .join(' \n'),
    facets: {
      sector: c.sectors,
      dimension: c.dimensions,
      state: [...new Set(c.regions.map((k) => k.slice(0, 2)))],
      sizeClass: row.sizeClass ? [row.sizeClass] : [],
      status: [c.status],
      standard: c.standards,
      measure: c.measures,
    },
    sortKey: (row.publishedAt ?? row.updatedAt).getTime(),
  };
}

async function namesOf(db: Db, rows: readonly repo.PracticeRow[]): Promise<Map<string, string>> {
  const keys = [...new Set(rows.flatMap((r) => r.published?.regions ?? []))];
  return new Map((await repo.regionFacts(db, keys)).map((r) => [r.key, r.name]));
}

interface Loaded {
  docs: SearchDoc[];
  items: Map<number, ItemParts>;
  reuses: Map<number, number>;
}

async function loadAll(db: Db): Promise<Loaded> {
  const docs: SearchDoc[] = [];
  const items = new Map<number, ItemParts>();
  for (let after = 0; ; ) {
    const rows = await repo.publishedBatch(db, after, BATCH);
    if (rows.length === 0) break;
    const names = await namesOf(db, rows);
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
  return { docs, items, reuses: await repo.allConfirmedCounts(db) };
}

/** Replace everything the index holds with `loaded`. */
function install(s: IndexState, loaded: Loaded): void {
  s.engine.replaceAll(loaded.docs);
  s.items = loaded.items;
  s.reuses = loaded.reuses;
}

function state(db: Db): IndexState {
  let s = indexes.get(db);
  if (!s) {
    // The curated domain lexicon and thesaurus of content/atlas/ (loaded per index; both are small).
    const engine = withResultCache(
      createMemoryEngine({ lexicon: loadLexicon(), thesaurus: loadThesaurus() }),
      DEFAULT_CACHE_ENTRIES,
    );
    const fresh: IndexState = { engine, ready: Promise.resolve(), items: new Map(), reuses: new Map() };
    fresh.ready = loadAll(db).then((loaded) => install(fresh, loaded));
    s = fresh;
    indexes.set(db, s);
    fresh.ready.catch(() => {
      if (indexes.get(db) === fresh) indexes.delete(db);
    });
  }
  return s;
}

/** The index of `db`'s published projects, built on first use (pass the long-lived handle, not a transaction). */
export async function practiceIndex(db: Db): Promise<SearchEngine> {
  const s = state(db);
  await s.ready;
  return s.engine;
}

/**
 * Build the index now (the server, before /health reports ready), with a result cache of `cacheEntries` answers
 * (0: none). Any change of the index empties the cache.
 */
export async function warmPracticeIndex(db: Db, opts: { cacheEntries?: number } = {}): Promise<void> {
  const s = state(db);
  if (opts.cacheEntries !== undefined) s.engine.resize(opts.cacheEntries);
  await s.ready;
}

/** Hits and misses of the result cache of `db`'s index (null before it is built). */
export function practiceCacheStats(db: Db): CachedEngine['stats'] | null {
  return indexes.get(db)?.engine.stats ?? null;
}

/**
 * Apply `atlas.practices-changed` events (reload the named projects, or everything, into this instance's index) and
 * `atlas.reuse-changed` events (reload the confirmed reuses of the named projects).
 */
export async function applyIndexEvents(db: Db, events: readonly DomainEvent[]): Promise<void> {
  const s = indexes.get(db);
  if (!s) return; // not built yet: it will read the current state when it is
  await s.ready;
  const reused = [
    ...new Set(
      events.flatMap((e) =>
        e.type === ATLAS_EVENTS.reuseChanged && typeof e.payload.practiceId === 'number' ? [e.payload.practiceId] : [],
      ),
    ),
  ];
  if (reused.length > 0) {
    const counts = await repo.confirmedCounts(db, reused);
    for (const id of reused) s.reuses.set(id, counts.get(id) ?? 0);
  }
  const changes = events.filter((e) => e.type !== ATLAS_EVENTS.reuseChanged);
  if (changes.some((e) => e.payload.all === true)) {
    install(s, await loadAll(db));
    return;
  }
  const ids = [...new Set(changes.flatMap((e) => (Array.isArray(e.payload.ids) ? (e.payload.ids as number[]) : [])))];
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const rows = await repo.practicesByIds(db, chunk);
    const names = await namesOf(db, rows);
    const found = new Set<number>();
    for (const r of rows) {
      const doc = toSearchDoc(r, names);
      const parts = itemParts(r);
      found.add(r.id);
      if (doc && parts) {
        s.engine.upsert(doc);
        s.items.set(r.id, parts);
      } else {
        s.engine.remove(r.id);
        s.items.delete(r.id);
      }
    }
    for (const id of chunk) {
      if (!found.has(id)) {
        s.engine.remove(id);
        s.items.delete(id);
      }
    }
    const counts = await repo.confirmedCounts(db, chunk);
    for (const id of chunk) s.reuses.set(id, counts.get(id) ?? 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

export const SEARCH_LIMITS = { defaultLimit: 20, maxLimit: 100, q: 200 } as const;

export interface PracticeQuery {
  q: string;
  filters: Partial<Record<Facet, string[]>>;
  limit: number;
  offset: number;
}

/** The values each filter accepts. */
export function facetValues(): Record<Facet, ReadonlySet<string>> {
  const v = practiceVocabulary();
  return {
    sector: v.sectors,
    dimension: v.dimensions,
    state: new Set(Object.keys(STATES)),
    sizeClass: new Set(SIZE_CLASSES.map((c) => c.id)),
    status: new Set(PRACTICE_STATUSES),
    standard: v.standards,
    measure: v.measures,
  };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return typeof v.o === 'number' && Number.isSafeInteger(v.o) && v.o >= 0 ? v.o : null;
  } catch {
    return null;
  }
}

/** A filter's values from a query parameter: repeated (`sector=a&sector=b`) or comma-separated. */
function values(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Parse the query parameters of GET /api/v1/practices and /praxis; a bad value is a 400 naming its field. */
export function parsePracticeQuery(raw: Record<string, unknown>): PracticeQuery {
  const errors: FieldError[] = [];
  const q = typeof raw.q === 'string' ? raw.q.trim() : '';
  if (q.length > SEARCH_LIMITS.q)
    errors.push(fieldError('q', 'atlas.err.tooLong', { max: SEARCH_LIMITS.q, length: q.length }));
  const known = facetValues();
  const filters: Partial<Record<Facet, string[]>> = {};
  for (const f of FACETS) {
    const list = values(raw[f]);
    const bad = list.find((v) => !known[f].has(v));
    if (bad !== undefined) errors.push(fieldError(f, 'atlas.err.unknownFilter', { value: bad.slice(0, 60) }));
    else if (list.length > 0) filters[f] = [...new Set(list)];
  }
  let limit: number = SEARCH_LIMITS.defaultLimit;
  if (raw.limit !== undefined && raw.limit !== '') {
    const n = Number(raw.limit);
    if (!Number.isInteger(n) || n < 1 || n > SEARCH_LIMITS.maxLimit) {
      errors.push(fieldError('limit', 'atlas.err.limit', { max: SEARCH_LIMITS.maxLimit }));
    } else limit = n;
  }
  let offset = 0;
  if (typeof raw.cursor === 'string' && raw.cursor !== '') {
    const o = decodeCursor(raw.cursor);
    if (o === null) errors.push(fieldError('cursor', 'atlas.err.cursor'));
    else offset = o;
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return { q, filters, limit, offset };
}

export interface PracticeHit {
  row: repo.PracticeRow;
  score: number;
  matched: string[];
  confirmedReuses: number;
}

export interface PracticeResults {
  total: number;
  hits: PracticeHit[];
  facets: Record<Facet, { value: string; count: number }[]>;
  corrected: { from: string; to: string }[];
  nextCursor: string | null;
}

export async function searchPractices(db: Db, query: PracticeQuery): Promise<PracticeResults> {
  const engine = await practiceIndex(db);
  const result = engine.search({ q: query.q, filters: query.filters, limit: query.limit, offset: query.offset });
  const ids = result.hits.map((h) => h.id);
  const [rows, counts] = await Promise.all([repo.practicesByIds(db, ids), repo.confirmedCounts(db, ids)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = result.hits.flatMap((h) => {
    const row = byId.get(h.id);
    return row?.published ? [{ row, score: h.score, matched: h.matched, confirmedReuses: counts.get(h.id) ?? 0 }] : [];
  });
  const end = query.offset + result.hits.length;
  return {
    total: result.total,
    hits,
    facets: result.facets,
    corrected: result.corrected,
    nextCursor: end < result.total ? encodeCursor(end) : null,
  };
}

/**
 * The body of `GET /api/v1/practices` (JSON) for `query`: byte for byte what serialising `practiceJson` of each
 * hit's row would give, but from the index's pre-serialised items and reuse counts, without reading the
 * database (ADR 0016).
 */
export async function searchPracticesJson(db: Db, query: PracticeQuery, publicUrl: string): Promise<Buffer> {
  const s = state(db);
  await s.ready;
  const result = s.engine.search({ q: query.q, filters: query.filters, limit: query.limit, offset: query.offset });
  const chunks: Buffer[] = [Buffer.from(`{"total":${result.total},"items":[`)];
  let first = true;
  for (const h of result.hits) {
    const parts = s.items.get(h.id);
    if (!parts) continue;
    if (!first) chunks.push(COMMA);
    first = false;
    chunks.push(...listItemJson(h.id, parts, publicUrl, s.reuses.get(h.id) ?? 0, h.score, h.matched));
  }
  const end = query.offset + result.hits.length;
  chunks.push(
    Buffer.from(
      `],"facets":${JSON.stringify(result.facets)},"corrected":${JSON.stringify(result.corrected)}` +
        `,"nextCursor":${JSON.stringify(end < result.total ? encodeCursor(end) : null)}}`,
    ),
  );
  return Buffer.concat(chunks);
}

const COMMA = Buffer.from(',');

export async function suggestPractices(db: Db, prefix: string): Promise<string[]> {
  const p = prefix.trim().slice(0, SEARCH_LIMITS.q);
  if (p.length < 2) return [];
  return (await practiceIndex(db)).suggest(p, 8);
}
