import { cityOfKreis, type Level } from './region.js';

/**
 * In-memory search over the register (about 16,000 regions, a few MB). The register changes only when a
 * release is imported, so the service keeps one index per database and rebuilds it when the register's
 * version changes (see register.service.ts). Pure: no I/O.
 *
 * Matching (see docs/adr/0003-register-search.md):
 *  - digits: key or ARS prefix, and with 5 digits the postcode of the seat;
 *  - text, strict: exact base name, name prefix, or prefix of a word of the name, in the folded
 *    ("munchen") and transliterated ("muenchen") forms;
 *  - text, fuzzy (only when nothing matches strictly, ≥ 3 letters): trigram similarity in the manner of
 *    pg_trgm, against the whole base name (≥ 0.3) or its best single word (≥ 0.5).
 * Ranking: tier 0 exact key/ARS, 1 exact name or postcode, 2 name prefix, 3 word prefix, 4 similar
 * (by similarity); within a tier, larger population first, then key.
 */
export interface IndexEntry {
  key: string;
  level: Level;
  ars: string;
  parentKey: string | null;
  stateKey: string;
  kreisKey: string | null;
  name: string;
  designationCode: string | null;
  population: number | null;
  areaKm2: number | null;
  postcode: string | null;
  validTo: string | null;
  successorKey: string | null;
  kreisName: string | null;
  stateName: string | null;
  nameFold: string;
  nameTranslit: string;
  baseFold: string;
  baseTranslit: string;
}

export type SearchSort = 'relevance' | 'key' | 'name' | 'population' | '-population';
export type SortValue = string | number;

export interface IndexQuery {
  digits: string | null;
  fold: string | null;
  translit: string | null;
  levels: Level[] | null;
  parent: string | null;
  state: string | null;
  minPopulation: number | null;
  maxPopulation: number | null;
  includeEnded: boolean;
  sort: SearchSort;
  limit: number;
  /** Keyset cursor: the sort tuple of the last row of the previous page. */
  after: SortValue[] | null;
}

export interface IndexHit extends IndexEntry {
  sortTuple: SortValue[];
}

const STRICT_MIN_FUZZY_LENGTH = 3;
const BASE_SIMILARITY = 0.3;
const WORD_SIMILARITY = 0.5;

/** Trigrams of a text the way pg_trgm forms them: per word, padded with two blanks before and one after. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.split(' ')) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/** Jaccard similarity of two trigram sets (pg_trgm's `similarity`). */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

function compareTuples(a: SortValue[], b: SortValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

interface Prepared {
  entry: IndexEntry;
  baseTrigrams: Set<string>;
  baseTranslitTrigrams: Set<string>;
  wordTrigrams: Set<string>[];
}

/** A sorted list of (text, item) pairs for prefix lookups by binary search. */
class PrefixList {
  private readonly texts: string[];
  private readonly ids: Int32Array;

  constructor(pairs: [string, number][]) {
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    this.texts = pairs.map((p) => p[0]);
    this.ids = Int32Array.from(pairs.map((p) => p[1]));
  }

  /** Items whose text starts with `prefix`. */
  collect(prefix: string, into: Set<number>) {
    let lo = 0;
    let hi = this.texts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.texts[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.texts.length && this.texts[i]!.startsWith(prefix); i++) into.add(this.ids[i]!);
  }
}

export class SearchIndex {
  private readonly items: Prepared[];
  /** trigram → positions in `items` whose base name (either form) contains it */
  private readonly postings = new Map<string, Int32Array>();
  /** name forms, and every word-start suffix of them ("titisee neustadt" → "neustadt"), for prefix lookup */
  private readonly names: PrefixList;
  private readonly wordStarts: PrefixList;
  private readonly keys: PrefixList;
  private readonly postcodes = new Map<string, number[]>();
  /** Kreise of kreisfreie Städte: their Gemeinde stands for them in unfiltered searches (see `cityOfKreis`). */
  private readonly cityKreise = new Set<string>();

  constructor(entries: readonly IndexEntry[]) {
    const gemeinden = new Map<string, IndexEntry[]>();
    for (const e of entries) {
      if (e.level !== 'gemeinde' || e.validTo !== null || e.kreisKey === null) continue;
      const list = gemeinden.get(e.kreisKey);
      if (list) list.push(e);
      else gemeinden.set(e.kreisKey, [e]);
    }
    for (const e of entries) {
      if (e.level === 'kreis' && cityOfKreis(e, gemeinden.get(e.key) ?? [])) this.cityKreise.add(e.key);
    }
    this.items = entries.map((entry) => {
      const words = new Set([...entry.baseFold.split(' '), ...entry.baseTranslit.split(' ')].filter(Boolean));
      return {
        entry,
        baseTrigrams: trigrams(entry.baseFold),
        baseTranslitTrigrams: trigrams(entry.baseTranslit),
        wordTrigrams: [...words].map((w) => trigrams(w)),
      };
    });
    const postings = new Map<string, number[]>();
    const names: [string, number][] = [];
    const wordStarts: [string, number][] = [];
    const keys: [string, number][] = [];
    this.items.forEach((item, i) => {
      const e = item.entry;
      for (const t of new Set([...item.baseTrigrams, ...item.baseTranslitTrigrams])) {
        const list = postings.get(t);
        if (list) list.push(i);
        else postings.set(t, [i]);
      }
      for (const form of new Set([e.nameFold, e.nameTranslit])) {
        names.push([form, i]);
        for (let p = form.indexOf(' '); p >= 0; p = form.indexOf(' ', p + 1)) wordStarts.push([form.slice(p + 1), i]);
      }
      if (e.postcode) {
        const list = this.postcodes.get(e.postcode);
        if (list) list.push(i);
        else this.postcodes.set(e.postcode, [i]);
      }
      keys.push([e.key, i]);
      if (e.ars !== e.key) keys.push([e.ars, i]);
    });
    for (const [t, list] of postings) this.postings.set(t, Int32Array.from(list));
    this.names = new PrefixList(names);
    this.wordStarts = new PrefixList(wordStarts);
    this.keys = new PrefixList(keys);
  }

  get size(): number {
    return this.items.length;
  }

  search(q: IndexQuery): { total: number; hits: IndexHit[] } {
    let matches = this.match(q, false);
    if (matches.length === 0 && !q.digits && q.fold && q.fold.length >= STRICT_MIN_FUZZY_LENGTH) {
      matches = this.match(q, true);
    }
    const sort: SearchSort = q.sort === 'relevance' && !q.digits && !q.fold ? 'key' : q.sort;
    const rows = matches.map(({ entry, tier, sim }) => ({ entry, tuple: sortTuple(sort, entry, tier, sim) }));
    rows.sort((a, b) => compareTuples(a.tuple, b.tuple));
    const after = q.after;
    const start = after && after.length === rows[0]?.tuple.length ? firstAfter(rows, after) : 0;
    const hits = rows.slice(start, start + q.limit).map((r) => ({ ...r.entry, sortTuple: r.tuple }));
    return { total: rows.length, hits };
  }

  private passesFilters(e: IndexEntry, q: IndexQuery): boolean {
    if (!q.includeEnded && e.validTo !== null) return false;
    if (q.levels) {
      if (!q.levels.includes(e.level)) return false;
    } else if (e.level === 'gemeindeverband' && e.designationCode === '50') {
      // The Verband entry of a verbandsfreie Gemeinde or kreisfreie Stadt repeats the Gemeinde.
      return false;
    }
    // The Kreis record of a kreisfreie Stadt repeats its Gemeinde: the town shows once, as the Gemeinde
    // (asked for Kreise only, it shows as a Kreis).
    if (e.level === 'kreis' && (!q.levels || q.levels.includes('gemeinde')) && this.cityKreise.has(e.key)) {
      return false;
    }
    if (q.parent !== null && e.parentKey !== q.parent) return false;
    if (q.state !== null && e.stateKey !== q.state) return false;
    if (q.minPopulation !== null && (e.population === null || e.population < q.minPopulation)) return false;
    if (q.maxPopulation !== null && (e.population === null || e.population > q.maxPopulation)) return false;
    return true;
  }

  /** Candidate items: by prefix lists for strict text and digits, all items when there is no query. */
  private candidates(q: IndexQuery): Iterable<number> {
    const found = new Set<number>();
    if (q.digits) {
      this.keys.collect(q.digits, found);
      for (const i of this.postcodes.get(q.digits) ?? []) found.add(i);
      return found;
    }
    if (q.fold) {
      const t = q.translit ?? q.fold;
      for (const form of new Set([q.fold, t])) {
        this.names.collect(form, found);
        this.wordStarts.collect(form, found);
      }
      return found;
    }
    return this.items.keys();
  }

  private match(q: IndexQuery, fuzzy: boolean): { entry: IndexEntry; tier: number; sim: number }[] {
    const out: { entry: IndexEntry; tier: number; sim: number }[] = [];
    if (fuzzy) {
      const f = q.fold!;
      const t = q.translit ?? f;
      const qf = trigrams(f);
      const qt = trigrams(t);
      // Count shared trigrams per item; similarity ≥ 0.3 needs at least 0.3 · |query trigrams| shared.
      const counts = new Uint16Array(this.items.length);
      for (const tri of new Set([...qf, ...qt])) for (const i of this.postings.get(tri) ?? []) counts[i]!++;
      const needed = Math.max(1, Math.ceil(BASE_SIMILARITY * Math.min(qf.size, qt.size)));
      for (let i = 0; i < counts.length; i++) {
        if (counts[i]! < needed) continue;
        const item = this.items[i]!;
        if (!this.passesFilters(item.entry, q)) continue;
        const base = Math.max(similarity(qf, item.baseTrigrams), similarity(qt, item.baseTranslitTrigrams));
        let word = 0;
        for (const w of item.wordTrigrams) word = Math.max(word, similarity(qf, w), similarity(qt, w));
        if (base >= BASE_SIMILARITY || word >= WORD_SIMILARITY) {
          out.push({ entry: item.entry, tier: 4, sim: Math.round(Math.max(base, word) * 1000) / 1000 });
        }
      }
      return out;
    }
    for (const i of this.candidates(q)) {
      const e = this.items[i]!.entry;
      if (!this.passesFilters(e, q)) continue;
      const tier = q.digits ? digitTier(e, q.digits) : q.fold ? textTier(e, q.fold, q.translit ?? q.fold) : 0;
      if (tier >= 0) out.push({ entry: e, tier, sim: 0 });
    }
    return out;
  }
}

function digitTier(e: IndexEntry, d: string): number {
  if (e.key === d || e.ars === d) return 0;
  if (d.length === 5 && e.postcode === d) return 1;
  if (e.key.startsWith(d) || e.ars.startsWith(d)) return 2;
  return -1;
}

function textTier(e: IndexEntry, f: string, t: string): number {
  if (e.baseFold === f || e.baseTranslit === t) return 1;
  if (e.nameFold.startsWith(f) || e.nameTranslit.startsWith(t)) return 2;
  if (e.nameFold.includes(` ${f}`) || e.nameTranslit.includes(` ${t}`)) return 3;
  return -1;
}

function sortTuple(sort: SearchSort, e: IndexEntry, tier: number, sim: number): SortValue[] {
  const pop = e.population ?? -1;
  switch (sort) {
    case 'relevance':
      return [tier, -sim, -pop, e.key];
    case 'name':
      return [e.nameFold, e.key];
    case 'population':
      return [pop, e.key];
    case '-population':
      return [-pop, e.key];
    default:
      return [e.key];
  }
}

/** Index of the first row whose tuple sorts after `after` (binary search; rows are sorted). */
function firstAfter(rows: { tuple: SortValue[] }[], after: SortValue[]): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareTuples(rows[mid]!.tuple, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
