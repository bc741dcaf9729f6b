/**
 * The practice search (ADR 0016): the `SearchEngine` interface and its in-process implementation, an inverted
 * index with compact postings (typed arrays), BM25F ranking with field weights, a phrase and proximity bonus on a
 * bounded candidate set, disjunctive facet counts, typo correction against the index vocabulary and suggestions.
 * Independent of the database: the module builds it at start from the published practices and keeps it current
 * from the event outbox. A national operator may put an OpenSearch adapter behind the same interface.
 */
import {
  decompound,
  editDistance,
  forEachWord,
  isQuestion,
  isStopWord,
  maxTypoDistance,
  normalizeWord,
  phraseKey,
  QUESTION_ACTORS,
  QUESTION_VERBS,
  stem,
  type Thesaurus,
  type Token,
  tokenize,
  trigrams,
} from './analysis.js';

export const FACETS = ['sector', 'dimension', 'state', 'sizeClass', 'status', 'standard', 'measure'] as const;
export type Facet = (typeof FACETS)[number];

export interface SearchDoc {
  id: number;
  title: string;
  summary: string;
  tags: readonly string[];
  /** Plain text (Markdown already stripped by the caller). */
  description: string;
  /** e.g. { sector: ['verwaltung'], state: ['09'], sizeClass: ['5000-20000'], status: ['operation'], … } */
  facets: Record<Facet, readonly string[]>;
  /** Newer = larger (published time); the order of an empty query and the tie-break. */
  sortKey: number;
}
export interface SearchQuery {
  q: string;
  filters: Partial<Record<Facet, readonly string[]>>;
  limit: number;
  offset: number;
}
export interface SearchHit {
  id: number;
  score: number;
  /** The query terms (or the synonyms of them) that matched, for highlighting. */
  matched: string[];
}
export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: Record<Facet, { value: string; count: number }[]>;
  /** Query words not in the index that were replaced by the nearest indexed word ("Meinten Sie …"). */
  corrected: { from: string; to: string }[];
}
export interface SearchEngine {
  replaceAll(docs: Iterable<SearchDoc>): void;
  upsert(doc: SearchDoc): void;
  remove(id: number): void;
  search(q: SearchQuery): SearchResult;
  suggest(prefix: string, limit: number): string[];
  readonly size: number;
}

// ---------------------------------------------------------------------------------------------
// Tuning (the relevance bench measures their effect)

/** Fields in index order and their BM25F weights and length normalisation. */
const FIELD_WEIGHT = [6, 3, 2.5, 1] as const; // title > summary > tags > description
const FIELD_B = [0.4, 0.6, 0.3, 0.75] as const;
const K1 = 1.2;
/** Gap between the positions of two fields, so that no phrase spans a field boundary. */
const FIELD_GAP = 50;
/** Documents ranked with phrase and proximity (the best by BM25F). */
const CANDIDATES = 200;
/** Below this many hits for the AND of all query terms, the search falls back to OR. */
export const AND_MIN_HITS = 10;
/** Extra weight per further covered query term in OR mode. */
const COVERAGE_BONUS = 0.6;
const PART_WEIGHT = 0.85;
const SYNONYM_WEIGHT = 0.6;
const NARROWER_WEIGHT = 0.4;
const MAX_QUERY_TERMS = 24;
const MAX_POSITIONS = 64;
/** Weight of an optional query term (see QTerm.optional). */
const OPTIONAL_WEIGHT = 0.5;
/** A query term in more than this share of the documents is optional when the query has other terms. */
const COMMON_SHARE = 0.3;
/** An unknown query word this long is first corrected at one edit, before it is split into parts. */
const LONG_WORD = 10;
/** Cached per-posting scores (8 bytes each) at most; beyond, the cache starts afresh. */
const SCORE_CACHE_MAX = 4_000_000;
/** Distinct raw words whose analysis is kept (cleared when full). */
const WORD_CACHE_MAX = 200_000;

// ---------------------------------------------------------------------------------------------
// Compact growable storage

/** The postings of one term: slots in ascending order and per slot the term frequency of each field (4 × 8 bit). */
class Postings {
  slots = new Int32Array(2);
  tfs = new Uint32Array(2);
  n = 0;
  /** Live documents containing the term. */
  df = 0;
  /** BM25F of each posting for the current generation (computed when a query first needs it), or null. */
  scores: Float64Array | null = null;
  /** The largest of scores (valid with them): the upper bound of this term's contribution (MaxScore). */
  scoreMax = 0;
  push(slot: number, tf: number): void {
    if (this.n === this.slots.length) {
      const cap = this.n * 2;
      const s = new Int32Array(cap);
      s.set(this.slots);
      this.slots = s;
      const t = new Uint32Array(cap);
      t.set(this.tfs);
      this.tfs = t;
    }
    this.slots[this.n] = slot;
    this.tfs[this.n++] = tf;
  }
}

interface Surface {
  norm: string;
  /** The spelling shown in suggestions and corrections, as written in a document. */
  display: string;
  /** Whether display has a non-ASCII letter (then it is kept). */
  umlaut: boolean;
  /** display in lower case, for suggestions. */
  lower: string;
  df: number;
  /** The analysis, computed once: stem term and the stems of the compound parts. */
  stemId: number;
  partIds: Int32Array | null;
}

/** The cached analysis of one raw word (see MemoryEngine.wordInfo). */
interface WordInfo {
  /** Positions the word takes (a hyphenated word one per part). */
  width: number;
  /** (term id, position offset) pairs in emission order. */
  emits: Int32Array;
  sids: Int32Array;
}

/** Words and phrases for suggestions, sorted by folded key; per long range its entries by base score. */
interface SuggestIndex {
  keys: string[];
  text: string[];
  lower: string[];
  /** df of a word, 2 × count of a phrase. */
  base: Float64Array;
  phrase: Uint8Array;
  byScore: Map<string, Int32Array>;
}

interface FilterSet {
  facet: number;
  /** Union of the bitmaps of the allowed values. */
  bits: Uint32Array;
}

interface Alt {
  ids: number[];
  weight: number;
  label: string;
}
interface QTerm {
  label: string;
  alts: Alt[];
  /** Ranks but is not required (AND) and adds no coverage (OR): a question's actor, a very frequent word. */
  optional?: boolean;
}

const facetRecord = <T>(f: (facet: Facet) => T): Record<Facet, T> =>
  Object.fromEntries(FACETS.map((k) => [k, f(k)])) as Record<Facet, T>;

const hasNonAscii = (s: string) => /[^\p{ASCII}]/u.test(s);

// ---------------------------------------------------------------------------------------------

class MemoryEngine implements SearchEngine {
  // lexicon
  private readonly lexicon = new Set<string>();
  private readonly lexStems = new Set<string>();
  private learning: Set<string> | null = null;
  // thesaurus: key of a term → groups
  private readonly thesaurusIndex = new Map<string, number[]>();
  private readonly groups: { terms: string[]; narrower: string[] }[] = [];

  // vocabulary
  private readonly terms = new Map<string, number>();
  private readonly postings: Postings[] = [];
  private readonly surfaces: Surface[] = [];
  private readonly surfaceIds = new Map<string, number>();
  private readonly trigramIndex = new Map<string, number[]>();
  private readonly suggestBuckets = new Map<string, number[]>();
  private readonly phrases = new Map<string, { display: string; lower: string; count: number }>();
  private readonly phraseBuckets = new Map<string, string[]>();

  // documents by slot
  private cap = 0;
  private slots = 0;
  private live = 0;
  private ids = new Float64Array(0);
  private sortKeys = new Float64Array(0);
  private lens = new Uint16Array(0);
  private alive = new Uint8Array(0);
  private positional: (Int32Array | null)[] = [];
  private docSurfaces: (Int32Array | null)[] = [];
  private docPhrases: (string[] | null)[] = [];
  private readonly idToSlot = new Map<number, number>();
  private readonly lenSum = [0, 0, 0, 0];
  // facets: per facet the value dictionary, per slot one value id (-1 none, -2 several: see multi)
  private readonly facetValues = facetRecord(() => new Map<string, number>());
  private readonly facetNames = facetRecord((): string[] => []);
  private facetSingle = facetRecord(() => new Int32Array(0));
  private facetMulti = facetRecord((): (Int32Array | undefined)[] => []);
  /**
   * The same values of the multi-valued slots in one flat pool per facet ([count, v1, v2, …] at multiOff[slot]),
   * so that counting reads adjacent memory instead of one small array per document; rebuilt on compaction.
   */
  private multiOff = facetRecord(() => new Int32Array(0));
  private readonly multiPool = facetRecord(() => ({ vals: new Int32Array(256), n: 0 }));
  private order: Int32Array | null = null;
  /** Suggestion entries sorted by key, rebuilt after a change (see suggestIndex). */
  private sugg: SuggestIndex | null = null;
  /** Index generation (every change counts): per-posting scores are valid for one generation. */
  private gen = 0;
  private scoredGen = -1;
  private readonly scored: Postings[] = [];
  private scoredSize = 0;
  // bitmaps over slots (32 a word): live documents and per facet value; per facet value the live count
  private words = 0;
  private liveBits = new Uint32Array(0);
  private readonly facetBits = facetRecord((): Uint32Array[] => []);
  private readonly facetTotals = facetRecord(() => new Int32Array(8));

  // scratch
  private acc = new Float64Array(0);
  private termScore = new Float64Array(0);
  private altScore = new Float64Array(0);
  private altCount = new Uint8Array(0);
  private termBits = new Uint32Array(0);
  /** Slots scored by the current query (one bit each). */
  private seenBits = new Uint32Array(0);
  /** MaxScore pruning of the ranked search (off: every posting of a matching document is scored; for tests). */
  maxScore = true;
  /** Documents the last ranked search scored (for tests and the bench). */
  lastScored = 0;
  private slotScratch = new Int32Array(0);
  private entryScratch = new Int32Array(1024);
  private tfScratch = new Uint32Array(0);
  private sidMark = new Uint8Array(0);
  private readonly wordCache = new Map<string, WordInfo | null>();

  constructor(opts: { thesaurus?: Thesaurus; lexicon?: readonly string[] }) {
    for (const w of opts.lexicon ?? []) {
      const n = normalizeWord(w);
      if (n.length < 3) continue;
      this.lexicon.add(n);
      this.lexStems.add(stem(n));
    }
    for (const g of opts.thesaurus?.groups ?? []) {
      const gi = this.groups.length;
      this.groups.push({ terms: [...g.terms], narrower: [...(g.narrower ?? [])] });
      for (const t of g.terms) {
        const key = phraseKey(t);
        if (key === '') continue;
        const list = this.thesaurusIndex.get(key) ?? [];
        if (!list.includes(gi)) list.push(gi);
        this.thesaurusIndex.set(key, list);
      }
    }
  }

  get size(): number {
    return this.live;
  }

  // -------------------------------------------------------------------------------------------
  // Analysis with the engine's lexicon

  private isKnown = (p: string): boolean => {
    if (this.lexicon.has(p) || this.lexStems.has(p)) return true;
    if (p.length < 4) return false;
    if (this.learning?.has(p)) return true;
    const s = this.surfaceIds.get(p);
    if (s !== undefined && this.surfaces[s]!.df > 0) return true;
    const t = this.terms.get(p);
    return t !== undefined && this.postings[t]!.df > 0;
  };

  private termId(stemmed: string): number {
    let id = this.terms.get(stemmed);
    if (id === undefined) {
      id = this.postings.length;
      this.terms.set(stemmed, id);
      this.postings.push(new Postings());
    }
    return id;
  }

  private surface(norm: string, raw: string): number {
    let id = this.surfaceIds.get(norm);
    if (id === undefined) {
      id = this.surfaces.length;
      const parts = decompound(norm, this.isKnown);
      this.surfaces.push({
        norm,
        display: raw,
        lower: raw.toLocaleLowerCase('de-DE'),
        umlaut: hasNonAscii(raw),
        df: 0,
        stemId: this.termId(stem(norm)),
        partIds: parts ? Int32Array.from(new Set(parts.map((p) => this.termId(stem(p))))) : null,
      });
      this.surfaceIds.set(norm, id);
      if (norm.length >= 3 && !/\d/.test(norm) && !isStopWord(norm)) {
        for (const g of new Set(trigrams(norm))) {
          const l = this.trigramIndex.get(g);
          if (l) l.push(id);
          else this.trigramIndex.set(g, [id]);
        }
        const b = norm.slice(0, 2);
        const l = this.suggestBuckets.get(b);
        if (l) l.push(id);
        else this.suggestBuckets.set(b, [id]);
      }
    } else {
      const s = this.surfaces[id]!;
      // the spelling with umlauts wins ("Bürger" over "Buerger"); raw equal to the folded word is plain ASCII
      if (!s.umlaut && raw.length > 0 && raw !== s.display && hasNonAscii(raw)) {
        s.display = raw;
        s.lower = raw.toLocaleLowerCase('de-DE');
        s.umlaut = true;
      }
    }
    return id;
  }

  /**
   * The analysis of one raw word as the tokenizer finds it (normalise → stem → decompound → surfaces), computed once
   * per distinct spelling: the (term id, position offset) pairs it emits, its surfaces and the positions it takes;
   * null for a stop word. Surfaces and terms are never dropped, so a cached entry stays valid; the cache is bounded.
   */
  private wordInfo(raw: string): WordInfo | null {
    const hit = this.wordCache.get(raw);
    if (hit !== undefined) return hit;
    const info = this.analyseWord(raw);
    if (this.wordCache.size >= WORD_CACHE_MAX) this.wordCache.clear();
    this.wordCache.set(raw, info);
    return info;
  }

  private analyseWord(raw: string): WordInfo | null {
    const t = tokenize(raw)[0];
    if (t === undefined) return null;
    const emits: number[] = [];
    const sids: number[] = [];
    const word = (norm: string, r: string, off: number) => {
      const sid = this.surface(norm, r);
      sids.push(sid);
      const s = this.surfaces[sid]!;
      emits.push(s.stemId, off);
      if (s.partIds) for (const p of s.partIds) if (p !== s.stemId) emits.push(p, off);
    };
    if (t.hyphenParts) {
      const sid = this.surface(t.norm, t.raw);
      sids.push(sid);
      emits.push(this.surfaces[sid]!.stemId, 0);
      const rawParts = t.raw.split(/[-\u2010\u2011]/);
      t.hyphenParts.forEach((p, k) => {
        if (p.length >= 2 || /\d/.test(p)) word(p, rawParts[k] ?? p, k);
      });
      return { width: t.hyphenParts.length, emits: Int32Array.from(emits), sids: Int32Array.from(new Set(sids)) };
    }
    word(t.norm, t.raw, 0);
    return { width: 1, emits: Int32Array.from(emits), sids: Int32Array.from(sids) };
  }

  // -------------------------------------------------------------------------------------------
  // Indexing

  private ensureCapacity(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(16, this.cap * 2, n);
    const grow = <T extends Float64Array | Uint16Array | Uint8Array | Int32Array>(a: T, size: number, fill = 0): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      if (fill !== 0) b.fill(fill, a.length);
      return b;
    };
    this.ids = grow(this.ids, cap);
    this.sortKeys = grow(this.sortKeys, cap);
    this.lens = grow(this.lens, cap * 4);
    this.alive = grow(this.alive, cap);
    this.facetSingle = facetRecord((f) => grow(this.facetSingle[f], cap, -1));
    this.multiOff = facetRecord((f) => grow(this.multiOff[f], cap));
    this.acc = new Float64Array(cap);
    this.termScore = new Float64Array(cap);
    this.altScore = new Float64Array(cap);
    this.altCount = new Uint8Array(cap);
    this.words = (cap + 31) >>> 5;
    const growBits = (b: Uint32Array) => {
      const c = new Uint32Array(this.words);
      c.set(b);
      return c;
    };
    this.liveBits = growBits(this.liveBits);
    for (const f of FACETS) this.facetBits[f] = this.facetBits[f].map(growBits);
    this.cap = cap;
  }

  private add(doc: SearchDoc): void {
    if (this.idToSlot.has(doc.id)) this.remove(doc.id);
    if (this.slots >= 1024 && this.slots - this.live > this.live) this.compact();
    const slot = this.slots++;
    this.ensureCapacity(this.slots);
    this.ids[slot] = doc.id;
    this.sortKeys[slot] = doc.sortKey;
    this.alive[slot] = 1;
    this.liveBits[slot >>> 5]! |= 1 << (slot & 31);
    this.idToSlot.set(doc.id, slot);
    this.live++;
    if (this.order) this.order = this.orderInsert(this.order, slot);
    this.sugg = null;
    this.gen++;

    const fields = [doc.title, doc.summary, doc.tags.join(' . '), doc.description];
    let entries = this.entryScratch;
    let ne = 0;
    const tfTouched: number[] = [];
    const sidTouched: number[] = [];
    let base = 0;
    for (let f = 0; f < 4; f++) {
      const shift = f * 8;
      let pos = 0;
      let end = 0;
      forEachWord(fields[f]!, (raw) => {
        const w = this.wordInfo(raw);
        if (w === null) return;
        const em = w.emits;
        if (ne + em.length > entries.length) {
          const e = new Int32Array(Math.max(entries.length * 2, ne + em.length));
          e.set(entries.subarray(0, ne));
          entries = e;
          this.entryScratch = e;
        }
        if (this.tfScratch.length < this.postings.length) {
          const t = new Uint32Array(this.postings.length * 2);
          t.set(this.tfScratch);
          this.tfScratch = t;
        }
        const tfs = this.tfScratch;
        for (let i = 0; i < em.length; i += 2) {
          const termId = em[i]!;
          entries[ne++] = termId;
          entries[ne++] = base + pos + em[i + 1]!;
          const v = tfs[termId]!;
          if (v === 0) tfTouched.push(termId);
          if (((v >>> shift) & 255) < 255) tfs[termId] = (v + (1 << shift)) >>> 0;
        }
        if (this.sidMark.length < this.surfaces.length) {
          const t = new Uint8Array(this.surfaces.length * 2);
          t.set(this.sidMark);
          this.sidMark = t;
        }
        for (const sid of w.sids) {
          if (this.sidMark[sid] === 0) {
            this.sidMark[sid] = 1;
            sidTouched.push(sid);
          }
        }
        pos += w.width;
        end = pos;
      });
      this.lens[slot * 4 + f] = Math.min(end, 65535);
      this.lenSum[f]! += Math.min(end, 65535);
      base += end + FIELD_GAP;
    }
    const tfs = this.tfScratch;
    for (const termId of tfTouched) {
      const p = this.postings[termId]!;
      p.push(slot, tfs[termId]!);
      p.df++;
      tfs[termId] = 0;
    }
    this.positional[slot] = entries.slice(0, ne);
    const sids = Int32Array.from(sidTouched);
    this.docSurfaces[slot] = sids;
    for (const s of sids) {
      this.surfaces[s]!.df++;
      this.sidMark[s] = 0;
    }

    const phrases = [doc.title, ...doc.tags].map((p) => p.trim()).filter((p) => p !== '');
    const keys: string[] = [];
    for (const p of phrases) {
      const key = this.phraseKeyOf(p);
      if (key.length < 2 || keys.includes(key)) continue;
      keys.push(key);
      const e = this.phrases.get(key);
      if (e) e.count++;
      else {
        this.phrases.set(key, { display: p, lower: p.toLocaleLowerCase('de-DE'), count: 1 });
        const b = key.slice(0, 2);
        const l = this.phraseBuckets.get(b);
        if (l) l.push(key);
        else this.phraseBuckets.set(b, [key]);
      }
    }
    this.docPhrases[slot] = keys;

    for (const f of FACETS) {
      const dict = this.facetValues[f];
      const vals = [...new Set(doc.facets[f] ?? [])].map((v) => {
        let id = dict.get(v);
        if (id === undefined) {
          id = this.facetNames[f].length;
          dict.set(v, id);
          this.facetNames[f].push(v);
        }
        return id;
      });
      for (const v of vals) this.markFacet(f, v, slot, 1);
      if (vals.length === 0) this.facetSingle[f][slot] = -1;
      else if (vals.length === 1) this.facetSingle[f][slot] = vals[0]!;
      else {
        this.facetSingle[f][slot] = -2;
        this.facetMulti[f][slot] = Int32Array.from(vals);
        this.multiOff[f][slot] = this.poolAppend(f, vals);
      }
    }
  }

  private poolAppend(f: Facet, vals: ArrayLike<number>): number {
    const p = this.multiPool[f];
    if (p.n + vals.length + 1 > p.vals.length) {
      const g = new Int32Array(Math.max(p.vals.length * 2, p.n + vals.length + 1));
      g.set(p.vals.subarray(0, p.n));
      p.vals = g;
    }
    const at = p.n;
    p.vals[at] = vals.length;
    for (let i = 0; i < vals.length; i++) p.vals[at + 1 + i] = vals[i]!;
    p.n += vals.length + 1;
    return at;
  }

  /** Sets (on = 1) or clears (on = 0) the slot in the bitmap of a facet value and keeps the value's live count. */
  private markFacet(f: Facet, v: number, slot: number, on: 0 | 1): void {
    const list = this.facetBits[f];
    while (list.length <= v) list.push(new Uint32Array(this.words));
    if (this.facetTotals[f].length <= v) {
      const t = new Int32Array(Math.max(8, v * 2));
      t.set(this.facetTotals[f]);
      this.facetTotals[f] = t;
    }
    const b = list[v]!;
    const m = 1 << (slot & 31);
    if (on) {
      if ((b[slot >>> 5]! & m) === 0) this.facetTotals[f][v]!++;
      b[slot >>> 5]! |= m;
    } else {
      if (b[slot >>> 5]! & m) this.facetTotals[f][v]!--;
      b[slot >>> 5]! &= ~m;
    }
  }

  private facetValuesOf(f: Facet, slot: number): Iterable<number> {
    const v = this.facetSingle[f][slot]!;
    if (v >= 0) return [v];
    if (v === -2) return this.facetMulti[f][slot] ?? [];
    return [];
  }

  private phraseKeyOf(text: string): string {
    return text
      .split(/\s+/)
      .map(normalizeWord)
      .filter((w) => w !== '')
      .join(' ');
  }

  replaceAll(docs: Iterable<SearchDoc>): void {
    const list = [...docs];
    for (const id of [...this.idToSlot.keys()]) this.remove(id);
    this.compact();
    // Learn the words of the corpus first, so that every document is split with the same lexicon.
    const learning = new Set<string>();
    const seen = new Set<string>();
    for (const d of list) {
      for (const text of [d.title, d.summary, d.tags.join(' '), d.description]) {
        // the runs of letters, digits and marks (a hyphenated word by its parts)
        forEachWord(text, (word) => {
          if (word.length < 4 || seen.has(word)) return;
          seen.add(word);
          const pieces = /[-\u2010\u2011]/.test(word) ? word.split(/[-\u2010\u2011]/) : [word];
          for (const raw of pieces) {
            if (raw.length < 4) continue;
            const w = normalizeWord(raw);
            if (w.length >= 4 && !learning.has(w) && !/\d/.test(w)) {
              learning.add(w);
              learning.add(stem(w));
            }
          }
        });
      }
    }
    this.learning = learning;
    try {
      for (const d of list) this.add(d);
    } finally {
      this.learning = null;
    }
    // the build's word cache is large (every distinct spelling); upserts start a small one
    this.wordCache.clear();
    this.sortedSlots();
  }

  upsert(doc: SearchDoc): void {
    this.add(doc);
  }

  remove(id: number): void {
    const slot = this.idToSlot.get(id);
    if (slot === undefined) return;
    this.idToSlot.delete(id);
    this.alive[slot] = 0;
    this.liveBits[slot >>> 5]! &= ~(1 << (slot & 31));
    for (const f of FACETS) for (const v of this.facetValuesOf(f, slot)) this.markFacet(f, v, slot, 0);
    this.live--;
    if (this.order) this.order = this.orderDelete(this.order, slot);
    this.sugg = null;
    this.gen++;
    const entries = this.positional[slot]!;
    const seen = new Set<number>();
    for (let i = 0; i < entries.length; i += 2) seen.add(entries[i]!);
    for (const t of seen) this.postings[t]!.df--;
    for (const s of this.docSurfaces[slot]!) this.surfaces[s]!.df--;
    for (const k of this.docPhrases[slot]!) this.phrases.get(k)!.count--;
    for (let f = 0; f < 4; f++) this.lenSum[f]! -= this.lens[slot * 4 + f]!;
    this.positional[slot] = null;
    this.docSurfaces[slot] = null;
    this.docPhrases[slot] = null;
    for (const f of FACETS) this.facetMulti[f][slot] = undefined;
  }

  /** Drops the slots of removed documents from all postings and renumbers the live ones (order kept). */
  private compact(): void {
    const map = new Int32Array(this.slots).fill(-1);
    let n = 0;
    for (let s = 0; s < this.slots; s++) if (this.alive[s]) map[s] = n++;
    for (const p of this.postings) {
      let k = 0;
      for (let i = 0; i < p.n; i++) {
        const m = map[p.slots[i]!]!;
        if (m >= 0) {
          p.slots[k] = m;
          p.tfs[k++] = p.tfs[i]!;
        }
      }
      p.n = k;
    }
    for (let s = 0; s < this.slots; s++) {
      const m = map[s]!;
      if (m < 0 || m === s) continue;
      this.ids[m] = this.ids[s]!;
      this.sortKeys[m] = this.sortKeys[s]!;
      this.alive[m] = 1;
      this.lens.copyWithin(m * 4, s * 4, s * 4 + 4);
      this.positional[m] = this.positional[s]!;
      this.docSurfaces[m] = this.docSurfaces[s]!;
      this.docPhrases[m] = this.docPhrases[s]!;
      for (const f of FACETS) {
        this.facetSingle[f][m] = this.facetSingle[f][s]!;
        this.facetMulti[f][m] = this.facetMulti[f][s];
        this.facetMulti[f][s] = undefined;
      }
      this.idToSlot.set(this.ids[m]!, m);
    }
    this.alive.fill(0, n, this.slots);
    this.liveBits.fill(0);
    for (let s = 0; s < n; s++) this.liveBits[s >>> 5]! |= 1 << (s & 31);
    for (const f of FACETS) {
      for (const b of this.facetBits[f]) b.fill(0);
      this.facetTotals[f].fill(0);
      for (let s = 0; s < n; s++) for (const v of this.facetValuesOf(f, s)) this.markFacet(f, v, s, 1);
    }
    for (const f of FACETS) {
      this.multiPool[f].n = 0;
      for (let s = 0; s < n; s++)
        if (this.facetSingle[f][s] === -2) this.multiOff[f][s] = this.poolAppend(f, this.facetMulti[f][s]!);
    }
    this.positional.length = n;
    this.docSurfaces.length = n;
    this.docPhrases.length = n;
    this.slots = n;
    this.order = null;
    this.sugg = null;
    this.gen++;
  }

  // -------------------------------------------------------------------------------------------
  // Query planning

  private df(termId: number): number {
    return termId < 0 ? 0 : this.postings[termId]!.df;
  }

  private lookupIds(stems: string[]): number[] {
    return stems.map((s) => this.terms.get(s) ?? -1);
  }

  /** The alternatives of one query word: the word itself, and its compound or hyphen parts. */
  private wordAlts(t: Pick<Token, 'norm' | 'hyphenParts'>, label: string, weight: number): Alt[] {
    const alts: Alt[] = [{ ids: this.lookupIds([stem(t.norm)]), weight, label }];
    if (t.hyphenParts) {
      const parts = t.hyphenParts.filter((p) => p.length >= 2 || /\d/.test(p));
      const stems = parts.flatMap((p) => {
        const sub = decompound(p, this.isKnown);
        return sub ? sub.map(stem) : [stem(p)];
      });
      if (stems.length > 0)
        alts.push({ ids: this.lookupIds(stems), weight: weight * (parts.length >= 2 ? PART_WEIGHT : 0.5), label });
    } else {
      const parts = decompound(t.norm, this.isKnown);
      if (parts) alts.push({ ids: this.lookupIds([...new Set(parts.map(stem))]), weight: weight * PART_WEIGHT, label });
    }
    return alts;
  }

  /** A synonym as one alternative: the stems of its words (a compound synonym is not split again). */
  private memberAlts(text: string, weight: number): Alt[] {
    const toks = tokenize(text);
    return [{ ids: this.lookupIds(toks.map((t) => stem(t.norm))), weight, label: text }];
  }

  private synonymAlts(groups: number[], own: string): Alt[] {
    const alts: Alt[] = [];
    for (const gi of groups) {
      const g = this.groups[gi]!;
      for (const m of g.terms) if (phraseKey(m) !== own) alts.push(...this.memberAlts(m, SYNONYM_WEIGHT));
      for (const m of g.narrower) alts.push(...this.memberAlts(m, NARROWER_WEIGHT));
    }
    return alts;
  }

  private satisfiable(alts: Alt[]): boolean {
    return alts.some((a) => a.ids.every((id) => this.df(id) > 0));
  }

  private plan(q: string): { terms: QTerm[]; corrected: { from: string; to: string }[] } {
    const question = isQuestion(q);
    let words = tokenize(q);
    // a question's verbs ("bekommen", "nutzen", "abschaffen") carry no topic; keep them when nothing else is left
    if (question) {
      const content = words.filter((w) => !QUESTION_VERBS.has(w.norm));
      if (content.length > 0) words = content;
    }
    words = words.slice(0, MAX_QUERY_TERMS);
    const terms: QTerm[] = [];
    const corrected: { from: string; to: string }[] = [];
    for (let i = 0; i < words.length; ) {
      let n = Math.min(4, words.length - i);
      let groups: number[] | undefined;
      let key = '';
      for (; n >= 1; n--) {
        key = words
          .slice(i, i + n)
          .map((w) => stem(w.norm))
          .join(' ');
        groups = this.thesaurusIndex.get(key);
        if (groups) break;
      }
      if (!groups) n = 1;
      const span = words.slice(i, i + n);
      const word = span[0]!;
      const label = span.map((w) => w.raw).join(' ');
      const unknown = n === 1 && !word.hyphenParts && !groups && this.df(this.terms.get(stem(word.norm)) ?? -1) === 0;
      // A long unknown word one edit away from an indexed word is a typo of it, even if it splits into known parts
      // ("Ratsinformationsystem" is "Ratsinformationssystem", not "Rat + Information + System").
      const near = unknown && word.norm.length >= LONG_WORD ? this.correct(word.norm, 1) : null;
      if (near !== null) {
        this.pushCorrection(word, this.surfaces[near]!, question, terms, corrected);
        i += 1;
        continue;
      }
      if (!groups && this.pushCompoundTerms(word, terms)) {
        i += 1;
        continue;
      }
      const literal =
        n === 1
          ? this.wordAlts(word, label, 1)
          : [{ ids: this.lookupIds(span.map((w) => stem(w.norm))), weight: 1, label }];
      const alts = groups ? [...literal, ...this.synonymAlts(groups, key)] : literal;
      // A word the index does not know is corrected to the nearest indexed word (or compound).
      if (unknown && this.df(alts[0]!.ids[0]!) === 0) {
        const id = this.correct(word.norm);
        const fix = id !== null ? this.surfaces[id]! : this.correctCompound(word.norm, word.raw);
        if (fix && fix.norm !== word.norm) {
          this.pushCorrection(word, fix, question, terms, corrected);
          i += 1;
          continue;
        }
      }
      const actor = question && n === 1 && QUESTION_ACTORS.has(stem(word.norm));
      terms.push({ label, alts, optional: actor || this.isCommon(alts) });
      i += n;
    }
    // a query of optional terms only requires them all
    if (terms.every((t) => t.optional)) for (const t of terms) t.optional = false;
    return { terms, corrected };
  }

  /** Whether every alternative of a term occurs in more than COMMON_SHARE of the documents (a stop word of the corpus). */
  private isCommon(alts: Alt[]): boolean {
    const limit = COMMON_SHARE * this.live;
    return this.live >= 20 && alts.every((a) => a.ids.some((id) => this.df(id) > limit));
  }

  /**
   * The corrected word is searched as the word itself would be: with its thesaurus groups as one term, else split
   * into its compound parts, else alone. In a question a corrected word is optional: a question's words are often
   * verbs the practices do not use ("beleben"), and their nearest indexed word is another word ("belegen").
   */
  private pushCorrection(
    word: Token,
    fix: { norm: string; display: string },
    question: boolean,
    terms: QTerm[],
    corrected: { from: string; to: string }[],
  ): void {
    corrected.push({ from: word.raw, to: fix.display });
    const fixKey = stem(fix.norm);
    const fixGroups = this.thesaurusIndex.get(fixKey);
    const before = terms.length;
    if (fixGroups) {
      const alts = this.wordAlts({ norm: fix.norm }, fix.display, 1);
      alts.push(...this.synonymAlts(fixGroups, fixKey));
      terms.push({ label: fix.display, alts });
    } else if (!this.pushCompoundTerms({ norm: fix.norm, raw: fix.display }, terms)) {
      terms.push({ label: fix.display, alts: this.wordAlts({ norm: fix.norm }, fix.display, 1) });
    }
    if (question) for (let t = before; t < terms.length; t++) terms[t]!.optional = true;
  }

  /** The nearest indexed word (Damerau-Levenshtein, ties to the more frequent) or null. */
  private correct(norm: string, limit = 2): number | null {
    const max = Math.min(limit, maxTypoDistance(norm.length));
    if (max === 0 || /\d/.test(norm)) return null;
    const grams = [...new Set(trigrams(norm))];
    const need = Math.max(1, grams.length - 3 * max);
    const counts = new Map<number, number>();
    for (const g of grams) {
      const l = this.trigramIndex.get(g);
      if (l) for (const id of l) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    let best: number | null = null;
    let bestD = max + 1;
    let bestDf = 0;
    for (const [id, c] of counts) {
      if (c < need) continue;
      const s = this.surfaces[id]!;
      // the first letter is rarely the misspelt one; requiring it keeps "bewässern" from becoming "Gewässern"
      if (s.df === 0 || s.norm[0] !== norm[0] || Math.abs(s.norm.length - norm.length) > max) continue;
      const d = editDistance(norm, s.norm, max);
      if (d < bestD || (d === bestD && s.df > bestDf)) {
        best = id;
        bestD = d;
        bestDf = s.df;
      }
    }
    return bestD <= max ? best : null;
  }

  /**
   * A compound query word becomes one query term per part, each satisfied by the part or by the whole compound
   * (and the part's synonyms), so that AND, the OR fallback and proximity work on the parts: "Schulglasfaser-
   * anbindung" finds "Glasfaseranschluss der Schulen". Returns false for a word that is not a compound.
   */
  private pushCompoundTerms(word: Pick<Token, 'norm' | 'raw' | 'hyphenParts'>, terms: QTerm[]): boolean {
    const pieces = word.hyphenParts
      ? word.hyphenParts.filter((p) => p.length >= 2 || /\d/.test(p))
      : (decompound(word.norm, this.isKnown) ?? []);
    const parts = [...new Set(pieces.flatMap((p) => (word.hyphenParts ? (decompound(p, this.isKnown) ?? [p]) : [p])))];
    if (parts.length < 2) return false;
    const whole = { ids: this.lookupIds([stem(word.norm)]), weight: 1, label: word.raw };
    for (const part of parts) {
      const key = stem(part);
      const groups = this.thesaurusIndex.get(key);
      const sid = this.surfaceIds.get(part);
      const label = sid !== undefined ? this.surfaces[sid]!.display : part;
      const alts: Alt[] = [whole, { ids: this.lookupIds([key]), weight: PART_WEIGHT, label }];
      if (groups) alts.push(...this.synonymAlts(groups, key));
      terms.push({ label, alts });
    }
    return true;
  }

  /**
   * A typo in the last (or first) part of a compound that is not itself in the index ("Glasfaserausbua"): the
   * other part must be known, the misspelt part is corrected against the index vocabulary and the lexicon, and the
   * corrected compound must find something.
   */
  private correctCompound(norm: string, raw: string): { norm: string; display: string } | null {
    if (norm.length < 8 || /\d/.test(norm)) return null;
    const knownOrCompound = (p: string) =>
      this.isKnown(p) || this.isKnown(stem(p)) || decompound(p, this.isKnown) !== null;
    let best: { norm: string; d: number } | null = null;
    for (let j = 3; j <= norm.length - 4; j++) {
      const head = norm.slice(0, j);
      const tail = norm.slice(j);
      const headKnown = knownOrCompound(head);
      const tailKnown = !headKnown && knownOrCompound(tail);
      if (!headKnown && !tailKnown) continue;
      const wrong = headKnown ? tail : head;
      const max = maxTypoDistance(wrong.length);
      if (max === 0) continue;
      for (const cand of this.nearWords(wrong, max)) {
        const word = headKnown ? head + cand.word : cand.word + tail;
        if (cand.d === 0 || word === norm || (best && cand.d >= best.d)) continue;
        if (this.satisfiable(this.wordAlts({ norm: word }, '', 1))) best = { norm: word, d: cand.d };
      }
    }
    if (!best) return null;
    const sid = this.surfaceIds.get(best.norm);
    const display =
      sid !== undefined
        ? this.surfaces[sid]!.display
        : /^\p{Lu}/u.test(raw)
          ? best.norm[0]!.toUpperCase() + best.norm.slice(1)
          : best.norm;
    return { norm: best.norm, display };
  }

  /** Lexicon words and indexed words within `max` edits of `w`. */
  private nearWords(w: string, max: number): { word: string; d: number }[] {
    const out: { word: string; d: number }[] = [];
    for (const l of this.lexicon) {
      if (Math.abs(l.length - w.length) > max) continue;
      const d = editDistance(w, l, max);
      if (d <= max) out.push({ word: l, d });
    }
    const id = this.correct(w);
    if (id !== null) out.push({ word: this.surfaces[id]!.norm, d: editDistance(w, this.surfaces[id]!.norm, max) });
    return out.sort((a, b) => a.d - b.d);
  }

  // -------------------------------------------------------------------------------------------
  // Searching

  /** The filters as (facet index, union bitmap of the allowed values); a value the index does not know allows none. */
  private filterSets(filters: SearchQuery['filters']): FilterSet[] {
    const out: FilterSet[] = [];
    const words = this.words;
    FACETS.forEach((f, i) => {
      const want = filters[f];
      if (!want || want.length === 0) return;
      const dict = this.facetValues[f];
      const bits = new Uint32Array(words);
      for (const v of new Set(want)) {
        const id = dict.get(v);
        if (id === undefined) continue;
        const b = this.facetBits[f][id]!;
        for (let w = 0; w < words; w++) bits[w]! |= b[w]!;
      }
      out.push({ facet: i, bits });
    });
    return out;
  }

  /** `cand` AND every filter bitmap except the one of facet `skip` (-1: all). */
  private restrict(cand: Uint32Array, sets: FilterSet[], skip: number): Uint32Array {
    const out = cand.slice();
    for (const s of sets) {
      if (s.facet === skip) continue;
      const b = s.bits;
      for (let w = 0; w < out.length; w++) out[w]! &= b[w]!;
    }
    return out;
  }

  /**
   * Exact disjunctive facet counts over the bitmap of the matching documents: a facet's values are counted over the
   * documents that pass every other facet's filter. Facets without a filter share one pass over the filtered set.
   */
  private countFacets(cand: Uint32Array, pass: Uint32Array, sets: FilterSet[], candIsAll: boolean): Int32Array[] {
    const counts = FACETS.map((f) => new Int32Array(this.facetNames[f].length));
    const filtered = new Set(sets.map((s) => s.facet));
    const open: number[] = [];
    for (let i = 0; i < FACETS.length; i++) if (!filtered.has(i)) open.push(i);
    this.countOver(pass, open, counts);
    for (const s of sets) {
      if (candIsAll && sets.length === 1) {
        counts[s.facet]!.set(this.facetTotals[FACETS[s.facet]!].subarray(0, counts[s.facet]!.length));
        continue;
      }
      this.countOver(sets.length === 1 ? cand : this.restrict(cand, sets, s.facet), [s.facet], counts);
    }
    return counts;
  }

  private countOver(bits: Uint32Array, facets: number[], counts: Int32Array[]): void {
    if (facets.length === 0) return;
    // the set's slots once, then one tight loop per facet
    if (this.slotScratch.length < this.cap) this.slotScratch = new Int32Array(this.cap);
    const list = this.slotScratch;
    let m = 0;
    for (let w = 0; w < bits.length; w++) {
      let x = bits[w]!;
      while (x !== 0) {
        const t = x & -x;
        list[m++] = (w << 5) + 31 - Math.clz32(t);
        x ^= t;
      }
    }
    for (const i of facets) {
      const single = this.facetSingle[FACETS[i]!];
      const off = this.multiOff[FACETS[i]!];
      const pool = this.multiPool[FACETS[i]!].vals;
      const c = counts[i]!;
      for (let j = 0; j < m; j++) {
        const slot = list[j]!;
        const v = single[slot]!;
        if (v >= 0) c[v]!++;
        else if (v === -2) {
          const o = off[slot]!;
          const end = o + 1 + pool[o]!;
          for (let y = o + 1; y < end; y++) c[pool[y]!]!++;
        }
      }
    }
  }

  private facetResult(counts: Int32Array[], filters: SearchQuery['filters']): SearchResult['facets'] {
    return facetRecord((f) => {
      const names = this.facetNames[f];
      const c = counts[FACETS.indexOf(f)]!;
      const out: { value: string; count: number }[] = [];
      for (let i = 0; i < names.length; i++) if (c[i]! > 0) out.push({ value: names[i]!, count: c[i]! });
      for (const v of filters[f] ?? []) if (!out.some((o) => o.value === v)) out.push({ value: v, count: 0 });
      return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    });
  }

  /** Whether slot a comes before slot b in the order of an empty query (newer first, then the larger id). */
  private before(a: number, b: number): boolean {
    const d = this.sortKeys[b]! - this.sortKeys[a]!;
    return d < 0 || (d === 0 && this.ids[a]! > this.ids[b]!);
  }

  /** The order with one more slot, placed by binary search (a copy: no full sort after an upsert). */
  private orderInsert(order: Int32Array, slot: number): Int32Array {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before(order[mid]!, slot)) lo = mid + 1;
      else hi = mid;
    }
    const out = new Int32Array(order.length + 1);
    out.set(order.subarray(0, lo));
    out[lo] = slot;
    out.set(order.subarray(lo), lo + 1);
    return out;
  }

  private orderDelete(order: Int32Array, slot: number): Int32Array {
    const i = order.indexOf(slot);
    if (i < 0) return order;
    const out = new Int32Array(order.length - 1);
    out.set(order.subarray(0, i));
    out.set(order.subarray(i + 1), i);
    return out;
  }

  /** Live slots, newest first (kept current by add and remove, rebuilt after compaction): the order of an empty query. */
  private sortedSlots(): Int32Array {
    if (!this.order) {
      const live: number[] = [];
      for (let s = 0; s < this.slots; s++) if (this.alive[s]) live.push(s);
      live.sort((a, b) => this.sortKeys[b]! - this.sortKeys[a]! || this.ids[b]! - this.ids[a]!);
      this.order = Int32Array.from(live);
    }
    return this.order;
  }

  search(query: SearchQuery): SearchResult {
    const limit = Math.max(0, Math.floor(query.limit));
    const offset = Math.max(0, Math.floor(query.offset));
    const sets = this.filterSets(query.filters);
    const { terms, corrected } = this.plan(query.q);
    if (terms.length === 0) {
      const pass = sets.length > 0 ? this.restrict(this.liveBits, sets, -1) : this.liveBits;
      const total = popcountAll(pass);
      const hits: SearchHit[] = [];
      if (limit > 0 && offset < total) {
        let seen = 0;
        for (const slot of this.sortedSlots()) {
          if ((pass[slot >>> 5]! & (1 << (slot & 31))) === 0) continue;
          if (seen++ < offset) continue;
          hits.push({ id: this.ids[slot]!, score: 0, matched: [] });
          if (hits.length >= limit) break;
        }
      }
      const counts = this.countFacets(this.liveBits, pass, sets, true);
      return { total, hits, facets: this.facetResult(counts, query.filters), corrected };
    }

    let required = 0;
    terms.forEach((t, qi) => {
      if (!t.optional) required |= 1 << qi;
    });
    if (required === 0) required = terms.length >= 32 ? 0xffffffff : (1 << terms.length) - 1;
    // the match set from the postings as bitmaps (no scoring): every matching document counts for total and facets
    const match = terms.map((t, qi) => ((required >>> qi) & 1 ? this.termMatch(t) : null));
    const words = this.words;
    const andBits = new Uint32Array(words);
    const orBits = new Uint32Array(words);
    let first = true;
    for (const m of match) {
      if (!m) continue;
      if (first) andBits.set(m);
      else for (let w = 0; w < words; w++) andBits[w]! &= m[w]!;
      for (let w = 0; w < words; w++) orBits[w]! |= m[w]!;
      first = false;
    }
    const allFilters = sets.length > 0 ? this.restrict(this.liveBits, sets, -1) : null;
    let andHits = 0;
    for (let w = 0; w < words; w++) andHits += popcount(allFilters ? andBits[w]! & allFilters[w]! : andBits[w]!);
    const orMode = popcount(required) > 1 && andHits < AND_MIN_HITS;
    const cand = orMode ? orBits : andBits;
    const pass = allFilters ? this.restrict(cand, sets, -1) : cand;
    const total = popcountAll(pass);

    const k = Math.max(CANDIDATES, offset + limit);
    // OR mode: the coverage bonus of a document, from the bitmaps of the required terms
    const reqTerms = match.flatMap((m, qi) => (m ? [qi] : []));
    const mult = (s: number): number => {
      if (!orMode) return 1;
      let c = 0;
      for (const qi of reqTerms) if (match[qi]![s >>> 5]! & (1 << (s & 31))) c++;
      return 1 + COVERAGE_BONUS * (c - 1);
    };
    const maxMult = orMode ? 1 + COVERAGE_BONUS * (reqTerms.length - 1) : 1;
    const touched = this.scoreTerms(terms, required, pass, k, mult, maxMult);
    const heap = new TopK(k, (a, b) => this.sortKeys[a]! - this.sortKeys[b]! || this.ids[b]! - this.ids[a]!);
    for (const s of touched) {
      heap.push(s, this.acc[s]! * mult(s));
      this.acc[s] = 0;
    }
    const counts = this.countFacets(cand, pass, sets, false);

    if (this.termBits.length < this.postings.length) this.termBits = new Uint32Array(this.postings.length * 2);
    const bits = this.termBits;
    const used: number[] = [];
    terms.forEach((t, qi) => {
      for (const a of t.alts)
        for (const id of a.ids)
          if (id >= 0) {
            if (bits[id] === 0) used.push(id);
            bits[id]! |= 1 << qi;
          }
    });
    const ranked = heap.items().map(({ slot, score }) => ({ slot, score: score * this.proximity(slot, terms, bits) }));
    for (const id of used) bits[id] = 0;
    ranked.sort(
      (a, b) =>
        b.score - a.score || this.sortKeys[b.slot]! - this.sortKeys[a.slot]! || this.ids[a.slot]! - this.ids[b.slot]!,
    );
    const hits = ranked.slice(offset, offset + limit).map(({ slot, score }) => ({
      id: this.ids[slot]!,
      score: Math.round(score * 1000) / 1000,
      matched: this.matched(slot, terms),
    }));
    return { total, hits, facets: this.facetResult(counts, query.filters), corrected };
  }

  /** The live documents matching a term (any alternative; an alternative of several terms needs all). */
  private termMatch(term: QTerm): Uint32Array {
    const words = this.words;
    const out = new Uint32Array(words);
    let tmp: Uint32Array | null = null;
    for (const alt of term.alts) {
      if (alt.ids.some((id) => this.df(id) === 0)) continue;
      const ids = [...new Set(alt.ids)].sort((a, b) => this.df(a) - this.df(b));
      if (ids.length === 1) {
        const p = this.postings[ids[0]!]!;
        for (let i = 0; i < p.n; i++) out[p.slots[i]! >>> 5]! |= 1 << (p.slots[i]! & 31);
        continue;
      }
      tmp ??= new Uint32Array(words);
      const p0 = this.postings[ids[0]!]!;
      for (let i = 0; i < p0.n; i++) tmp[p0.slots[i]! >>> 5]! |= 1 << (p0.slots[i]! & 31);
      for (let j = 1; j < ids.length; j++) {
        const p = this.postings[ids[j]!]!;
        const next = new Uint32Array(words);
        for (let i = 0; i < p.n; i++) {
          const s = p.slots[i]!;
          if (tmp[s >>> 5]! & (1 << (s & 31))) next[s >>> 5]! |= 1 << (s & 31);
        }
        tmp = next;
      }
      for (let w = 0; w < words; w++) out[w]! |= tmp[w]!;
      tmp.fill(0);
    }
    const live = this.liveBits;
    for (let w = 0; w < words; w++) out[w]! &= live[w]!;
    return out;
  }

  /**
   * BM25F of every query term into acc (max over a term's alternatives, summed over terms) for the documents of
   * pass; returns the scored slots. Required terms first; an optional term only adds to documents of pass.
   *
   * MaxScore (Turtle & Flood 1995) in term-at-a-time form: the alternatives of a term are walked by falling upper
   * bound (the largest cached posting score × weight). Before each alternative, if a document not scored yet
   * could reach at most (this alternative's bound + the bounds of the later terms) × the largest coverage bonus
   * and that is below the k-th best lower bound (partial score × its coverage bonus) of the scored documents, no
   * new document can enter the top k: the rest of the postings only add to documents already scored. Those get
   * every contribution, so their scores are exact; the skipped ones stay in pass (total, facets).
   */
  private scoreTerms(
    terms: QTerm[],
    required: number,
    pass: Uint32Array,
    k: number,
    mult: (slot: number) => number,
    maxMult: number,
  ): number[] {
    const touched: number[] = [];
    const avg = this.lenSum.map((s) => Math.max(1, s / Math.max(1, this.live)));
    const n = this.live;
    const lens = this.lens;
    const b0 = FIELD_B[0] / avg[0]!;
    const b1 = FIELD_B[1] / avg[1]!;
    const b2 = FIELD_B[2] / avg[2]!;
    const b3 = FIELD_B[3] / avg[3]!;
    const [w0, w1, w2, w3] = FIELD_WEIGHT;
    const [c0, c1, c2, c3] = FIELD_B.map((b) => 1 - b) as [number, number, number, number];
    const bm25 = (idf: number, v: number, slot: number): number => {
      const o = slot * 4;
      let t = 0;
      if (v & 255) t += (w0 * (v & 255)) / (c0 + b0 * lens[o]!);
      if ((v >>> 8) & 255) t += (w1 * ((v >>> 8) & 255)) / (c1 + b1 * lens[o + 1]!);
      if ((v >>> 16) & 255) t += (w2 * ((v >>> 16) & 255)) / (c2 + b2 * lens[o + 2]!);
      if (v >>> 24) t += (w3 * (v >>> 24)) / (c3 + b3 * lens[o + 3]!);
      return (idf * t * (K1 + 1)) / (t + K1);
    };
    const idfOf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    if (this.scoredGen !== this.gen) this.dropScores();
    // BM25F depends on the document lengths, their averages and the df, all fixed within a generation
    const scoresOf = (p: Postings): Float64Array => {
      if (p.scores) return p.scores;
      if (this.scoredSize + p.n > SCORE_CACHE_MAX) this.dropScores();
      const idf = idfOf(p.df);
      const out = new Float64Array(p.n);
      let max = 0;
      for (let i = 0; i < p.n; i++) {
        const v = bm25(idf, p.tfs[i]!, p.slots[i]!);
        out[i] = v;
        if (v > max) max = v;
      }
      p.scores = out;
      p.scoreMax = max;
      this.scored.push(p);
      this.scoredSize += p.n;
      this.scoredGen = this.gen;
      return out;
    };
    const order = terms.map((_, qi) => qi).sort((a, b) => ((required >>> b) & 1) - ((required >>> a) & 1) || a - b);
    // the alternatives of each term with their postings (rarest first) and bound, by falling bound
    const plans = order.map((qi) => {
      const weight = (required >>> qi) & 1 ? 1 : OPTIONAL_WEIGHT;
      const pieces: { ps: Postings[]; pre: Float64Array[]; aw: number; ub: number; size: number }[] = [];
      for (const alt of terms[qi]!.alts) {
        if (alt.ids.some((id) => this.df(id) === 0)) continue;
        const ids = [...new Set(alt.ids)].sort((a, b) => this.df(a) - this.df(b));
        const ps = ids.map((id) => this.postings[id]!);
        const pre = ps.map(scoresOf);
        const aw = alt.weight * weight;
        const ub = (aw * ps.reduce((sum, p) => sum + p.scoreMax, 0)) / ps.length;
        pieces.push({ ps, pre, aw, ub, size: ps.reduce((sum, p) => sum + p.n, 0) });
      }
      pieces.sort((a, b) => b.ub - a.ub);
      return pieces;
    });
    // the bound of the terms after position j
    const later = new Float64Array(order.length + 1);
    for (let j = order.length - 1; j >= 0; j--) later[j] = later[j + 1]! + (plans[j]![0]?.ub ?? 0);
    let left = plans.reduce((sum, pieces) => sum + pieces.reduce((t, x) => t + x.size, 0), 0);
    if (this.seenBits.length < this.words) this.seenBits = new Uint32Array(this.words);
    const seen = this.seenBits;
    const acc = this.acc;
    const termScore = this.termScore;
    let closed = false;
    for (let j = 0; j < order.length; j++) {
      const termTouched: number[] = [];
      for (const piece of plans[j]!) {
        if (this.maxScore && !closed && touched.length >= k && left > 2 * touched.length) {
          // a small margin against rounding: the bound sums in another order than the scores
          const bound = (piece.ub + later[j + 1]!) * maxMult * (1 + 1e-9);
          if (bound < this.kthLower(touched, k, mult)) closed = true;
        }
        left -= piece.size;
        const { ps, pre, aw } = piece;
        if (ps.length === 1) {
          const p = ps[0]!;
          const sc0 = pre[0]!;
          const slots = p.slots;
          for (let i = 0; i < p.n; i++) {
            const s = slots[i]!;
            const w = s >>> 5;
            const bit = 1 << (s & 31);
            if ((pass[w]! & bit) === 0) continue;
            if ((seen[w]! & bit) === 0) {
              if (closed) continue;
              seen[w]! |= bit;
              touched.push(s);
            }
            const sc = aw * sc0[i]!;
            if (termScore[s] === 0) termTouched.push(s);
            if (sc > termScore[s]!) termScore[s] = sc;
          }
          continue;
        }
        // several terms that must all occur: mean BM25F of the parts
        const altTouched: number[] = [];
        ps.forEach((p, m) => {
          const sc0 = pre[m]!;
          for (let i = 0; i < p.n; i++) {
            const s = p.slots[i]!;
            const w = s >>> 5;
            const bit = 1 << (s & 31);
            if ((pass[w]! & bit) === 0 || this.altCount[s] !== m) continue;
            if (closed && (seen[w]! & bit) === 0) continue;
            if (m === 0) altTouched.push(s);
            this.altCount[s] = m + 1;
            this.altScore[s]! += sc0[i]!;
          }
        });
        for (const s of altTouched) {
          if (this.altCount[s] === ps.length) {
            const sc = (aw * this.altScore[s]!) / ps.length;
            if ((seen[s >>> 5]! & (1 << (s & 31))) === 0) {
              seen[s >>> 5]! |= 1 << (s & 31);
              touched.push(s);
            }
            if (termScore[s] === 0) termTouched.push(s);
            if (sc > termScore[s]!) termScore[s] = sc;
          }
          this.altCount[s] = 0;
          this.altScore[s] = 0;
        }
      }
      for (const s of termTouched) {
        acc[s]! += termScore[s]!;
        termScore[s] = 0;
      }
    }
    for (const s of touched) seen[s >>> 5] = 0;
    this.lastScored = touched.length;
    return touched;
  }

  /** The k-th largest lower bound of the final score (partial score × coverage bonus) among the scored slots. */
  private kthLower(touched: number[], k: number, mult: (slot: number) => number): number {
    const heap = new TopK(k, () => 0);
    for (const s of touched) heap.push(s, (this.acc[s]! + this.termScore[s]!) * mult(s));
    return heap.full() ? heap.min() : Number.NEGATIVE_INFINITY;
  }

  private dropScores(): void {
    for (const p of this.scored) p.scores = null;
    this.scored.length = 0;
    this.scoredSize = 0;
    this.scoredGen = this.gen;
  }

  /** Factor ≥ 1 for query terms that occur side by side (in query order) or close together in the document. */
  private proximity(slot: number, terms: QTerm[], bits: Uint32Array): number {
    if (terms.length < 2) return 1;
    const pos: number[][] = terms.map(() => []);
    const e = this.positional[slot]!;
    const nq = terms.length;
    for (let i = 0; i < e.length; i += 2) {
      const b = bits[e[i]!]!;
      if (b === 0) continue;
      for (let qi = 0; qi < nq; qi++) if (b & (1 << qi) && pos[qi]!.length < MAX_POSITIONS) pos[qi]!.push(e[i + 1]!);
    }
    let adjacent = 0;
    let near = 0;
    for (let qi = 0; qi + 1 < terms.length; qi++) {
      let best = Number.POSITIVE_INFINITY;
      let ordered = false;
      for (const a of pos[qi]!)
        for (const b of pos[qi + 1]!) {
          const d = Math.abs(b - a);
          if (b - a >= 0 && b - a <= 1) ordered = true;
          if (d < best) best = d;
        }
      if (ordered) adjacent++;
      else if (best <= 5) near++;
    }
    const pairs = terms.length - 1;
    return 1 + (0.3 * adjacent) / pairs + (0.12 * near) / pairs + (adjacent === pairs ? 0.3 : 0);
  }

  private matched(slot: number, terms: QTerm[]): string[] {
    const have = new Set<number>();
    const e = this.positional[slot]!;
    for (let i = 0; i < e.length; i += 2) have.add(e[i]!);
    const out: string[] = [];
    for (const t of terms) {
      const alt = t.alts.find((a) => a.ids.every((id) => have.has(id)));
      if (alt && !out.includes(alt.label)) out.push(alt.label);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Suggestions

  private suggestIndex(): SuggestIndex {
    if (this.sugg) return this.sugg;
    const all: { key: string; text: string; lower: string; base: number; phrase: number }[] = [];
    for (const list of this.suggestBuckets.values())
      for (const id of list) {
        const s = this.surfaces[id]!;
        if (s.df > 0) all.push({ key: s.norm, text: s.display, lower: s.lower, base: s.df, phrase: 0 });
      }
    for (const [k, p] of this.phrases)
      if (p.count > 0) all.push({ key: k, text: p.display, lower: p.lower, base: p.count * 2, phrase: 1 });
    all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.sugg = {
      keys: all.map((e) => e.key),
      text: all.map((e) => e.text),
      lower: all.map((e) => e.lower),
      base: Float64Array.from(all, (e) => e.base),
      phrase: Uint8Array.from(all, (e) => e.phrase),
      byScore: new Map(),
    };
    return this.sugg;
  }

  /**
   * Words (by df) and title or tag phrases (by 2 × count) whose folded key starts with the typed prefix; a match as
   * typed (with or without umlauts) counts double. The key range is found by binary search in the sorted entries and
   * walked by falling base score, stopping once even a doubled score cannot reach the last of the `limit` best.
   */
  suggest(prefix: string, limit: number): string[] {
    const key = this.phraseKeyOf(prefix);
    if (key.length < 2 || limit <= 0) return [];
    const typed = prefix.trim().toLocaleLowerCase('de-DE');
    const ix = this.suggestIndex();
    const lowerBound = (x: string) => {
      let lo = 0;
      let hi = ix.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ix.keys[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const from = lowerBound(key);
    const to = lowerBound(`${key}\uffff`);
    let order = ix.byScore.get(key);
    if (!order) {
      const idx = Int32Array.from({ length: to - from }, (_, i) => from + i);
      order = idx.sort((a, b) => ix.base[b]! - ix.base[a]!);
      if (to - from > 64) {
        if (ix.byScore.size >= 4096) ix.byScore.clear();
        ix.byScore.set(key, order);
      }
    }
    const words = !key.includes(' ');
    // the best score per displayed form (lower case), as the first of equal forms in the final order wins
    const best = new Map<string, { text: string; score: number }>();
    const top: number[] = [];
    const threshold = () => (top.length < limit ? 0 : top[limit - 1]!);
    for (const i of order) {
      const base = ix.base[i]!;
      if (2 * base < threshold()) break;
      if (ix.phrase[i] ? ix.keys[i] === key : !words || ix.keys[i]!.length < 3) continue;
      const lower = ix.lower[i]!;
      const score = base * (lower.startsWith(typed) ? 2 : 1);
      const text = ix.text[i]!;
      const prev = best.get(lower);
      if (prev && !better(score, text, prev.score, prev.text)) continue;
      best.set(lower, { text, score });
      // the scores of the distinct forms, falling (an upper bound of the limit-th: enough for the stop rule)
      if (!prev) {
        top.push(score);
        top.sort((a, b) => b - a);
      } else {
        top[top.indexOf(prev.score)] = score;
        top.sort((a, b) => b - a);
      }
    }
    return [...best.values()]
      .sort((x, y) => (better(x.score, x.text, y.score, y.text) ? -1 : 1))
      .slice(0, limit)
      .map((c) => c.text);
  }
}

/** The order of suggestions: higher score, then the shorter text, then the text. */
function better(score: number, text: string, otherScore: number, otherText: string): boolean {
  if (score !== otherScore) return score > otherScore;
  if (text.length !== otherText.length) return text.length < otherText.length;
  return text < otherText;
}

function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function popcountAll(bits: Uint32Array): number {
  let c = 0;
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) c += popcount(bits[w]!);
  return c;
}

/**
 * The k best (slot, score) pairs: a binary min-heap. Equal scores are ordered by tie (> 0: a is better than b), so
 * the set kept does not depend on the order of the pushes.
 */
class TopK {
  private n = 0;
  private readonly slots: Int32Array;
  private readonly scores: Float64Array;
  constructor(
    private readonly k: number,
    private readonly tie: (a: number, b: number) => number,
  ) {
    this.slots = new Int32Array(k);
    this.scores = new Float64Array(k);
  }
  /** Whether (sa, a) ranks below (sb, b). */
  private worse(sa: number, a: number, sb: number, b: number): boolean {
    return sa < sb || (sa === sb && this.tie(a, b) < 0);
  }
  push(slot: number, score: number): void {
    if (this.k === 0) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(score, slot, this.scores[p]!, this.slots[p]!)) break;
        this.slots[i] = this.slots[p]!;
        this.scores[i] = this.scores[p]!;
        i = p;
      }
      this.slots[i] = slot;
      this.scores[i] = score;
      return;
    }
    if (!this.worse(this.scores[0]!, this.slots[0]!, score, slot)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.worse(this.scores[r]!, this.slots[r]!, this.scores[l]!, this.slots[l]!) ? r : l;
      if (!this.worse(this.scores[c]!, this.slots[c]!, score, slot)) break;
      this.slots[i] = this.slots[c]!;
      this.scores[i] = this.scores[c]!;
      i = c;
    }
    this.slots[i] = slot;
    this.scores[i] = score;
  }
  full(): boolean {
    return this.n === this.k;
  }
  /** The lowest score kept. */
  min(): number {
    return this.scores[0]!;
  }
  items(): { slot: number; score: number }[] {
    const out: { slot: number; score: number }[] = [];
    for (let i = 0; i < this.n; i++) out.push({ slot: this.slots[i]!, score: this.scores[i]! });
    return out;
  }
}

/** The in-process engine. Without options it knows no thesaurus and only the words of its own documents. */
export function createMemoryEngine(opts: { thesaurus?: Thesaurus; lexicon?: readonly string[] } = {}): SearchEngine {
  return new MemoryEngine(opts);
}

/** Switches the MaxScore pruning of an engine from createMemoryEngine on or off (off: for comparisons). */
export function setMaxScore(engine: SearchEngine, on: boolean): void {
  if (engine instanceof MemoryEngine) engine.maxScore = on;
}

/** How many documents the last ranked search of an engine from createMemoryEngine scored (−1: another engine). */
export function lastScored(engine: SearchEngine): number {
  return engine instanceof MemoryEngine ? engine.lastScored : -1;
}
