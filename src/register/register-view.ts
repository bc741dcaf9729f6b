import { cityOfKreis, KEY_LENGTH, LEVELS, type Level } from './region.js';
import type { RegionRow, RegionWithForms, ReleaseRow } from './register.repository.js';
import type { IndexEntry } from './search-index.js';
import type { SearchForms } from './search-normalize.js';

/**
 * The register in memory: every region (current and ended) with the lookups the detail, children, profile
 * and home page need, so that they answer without SQL. Built from one read of the whole register (≈ 16,500
 * rows, a few MB) and replaced when the register's version changes (register.service.ts keeps one per
 * database handle, next to the search index). Pure: no I/O.
 *
 * Every answer equals what the SQL in register.repository.ts returns (register-view.realdata.int.test.ts
 * compares them on the real releases). Orders that depend on the database's collation (Gemeinden of a Kreis by
 * `name_fold`) are taken from the database: the rows come in its `ORDER BY name_fold, key`. Keys are digits
 * only, so ordering them in JavaScript equals any collation.
 *
 * The rows are shared by all requests: the service hands out copies.
 */
export interface RegisterViewSource {
  /** All regions with their search forms, in the database's order of `name_fold, key`. */
  regions: readonly RegionWithForms[];
  releases: readonly ReleaseRow[];
  boundaryCounts: Record<string, number>;
}

/** The facts about a region other modules need most (population, type, validity) — see `regionFacts`. */
export interface RegionFacts {
  key: string;
  level: Level;
  name: string;
  stateKey: string;
  kreisKey: string | null;
  population: number | null;
  designationCode: string | null;
  validTo: string | null;
  successorKey: string | null;
}

export interface RegionRef {
  key: string;
  level: Level;
  name: string;
}

const byKeyOrder = (a: RegionRow, b: RegionRow) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
/** The lengths a key can have (2, 3, 4, 5, 8, 9): only prefixes of these lengths can be keys. */
const KEY_LENGTHS = [...new Set(Object.values(KEY_LENGTH))].sort((a, b) => a - b);

/** The same string for equal values (dates, levels, sources repeat on thousands of rows). */
function interner() {
  const seen = new Map<string, string>();
  return <T extends string | null>(s: T): T => {
    if (s === null) return s;
    const known = seen.get(s);
    if (known !== undefined) return known as T;
    seen.set(s, s);
    return s;
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class RegisterView {
  /** All rows, in the database's name order. */
  private readonly rows: RegionRow[];
  private readonly forms: SearchForms[];
  private readonly byKey = new Map<string, RegionRow>();
  private readonly byArs = new Map<string, RegionRow>();
  /** parent key → current children, by key */
  private readonly children = new Map<string, RegionRow[]>();
  /** Kreis key → its current Gemeinden, in name order */
  private readonly gemeinden = new Map<string, RegionRow[]>();
  /** successor key → the regions that name it as successor, by key */
  private readonly predecessors = new Map<string, RegionRow[]>();
  /** `level|stateKey` → current regions with a population */
  private readonly peerGroups = new Map<string, RegionRow[]>();
  /** key → current regions below it (by key prefix), by level */
  private readonly descendants = new Map<string, Record<string, number>>();
  private readonly currentByLevel: Record<string, number> = {};
  readonly releases: readonly ReleaseRow[];
  readonly boundaryCounts: Readonly<Record<string, number>>;

  constructor(source: RegisterViewSource) {
    const intern = interner();
    this.rows = [];
    this.forms = [];
    for (const r of source.regions) {
      // Exactly the fields (and their order) of a RegionRow read by the repository.
      const row: RegionRow = {
        key: r.key,
        level: intern(r.level),
        ars: r.ars,
        parentKey: intern(r.parentKey),
        stateKey: intern(r.stateKey),
        kreisKey: intern(r.kreisKey),
        name: r.name,
        designationCode: intern(r.designationCode),
        seat: r.seat,
        areaKm2: r.areaKm2,
        population: r.population,
        populationMale: r.populationMale,
        populationFemale: r.populationFemale,
        postcode: r.postcode,
        multiplePostcodes: r.multiplePostcodes,
        release: intern(r.release),
        source: intern(r.source),
        validFrom: intern(r.validFrom),
        validTo: intern(r.validTo),
        successorKey: r.successorKey,
        successorMethod: intern(r.successorMethod),
        successorInferred: r.successorInferred,
      };
      this.rows.push(row);
      this.forms.push({
        nameFold: r.nameFold,
        nameTranslit: r.nameTranslit,
        baseFold: r.baseFold,
        baseTranslit: r.baseTranslit,
      });
      this.byKey.set(row.key, row);
      // `WHERE ars = $1 ORDER BY valid_to DESC NULLS FIRST LIMIT 1`: the current one, else the latest ended.
      const other = this.byArs.get(row.ars);
      if (!other || (other.validTo !== null && (row.validTo === null || row.validTo > other.validTo))) {
        this.byArs.set(row.ars, row);
      }
      if (row.successorKey !== null) push(this.predecessors, row.successorKey, row);
      if (row.validTo !== null) continue;
      this.currentByLevel[row.level] = (this.currentByLevel[row.level] ?? 0) + 1;
      if (row.parentKey !== null) push(this.children, row.parentKey, row);
      if (row.level === 'gemeinde' && row.kreisKey !== null) push(this.gemeinden, row.kreisKey, row);
      if (row.population !== null) push(this.peerGroups, `${row.level}|${row.stateKey}`, row);
    }
    for (const list of this.children.values()) list.sort(byKeyOrder);
    for (const list of this.predecessors.values()) list.sort(byKeyOrder);
    for (const list of this.peerGroups.values()) list.sort((a, b) => a.population! - b.population!);
    // `key LIKE $1 || '%' AND length(key) > length($1)`, counted for every key of the register. (Keys are
    // digits, so LIKE has no wildcards to mind; a Gemeinde's key is also a prefix of its Verband's 9 digits.)
    const counts = new Map<string, Partial<Record<Level, number>>>();
    for (const row of this.rows) {
      if (row.validTo !== null) continue;
      for (const n of KEY_LENGTHS) {
        if (n >= row.key.length) break;
        const prefix = row.key.slice(0, n);
        if (!this.byKey.has(prefix)) continue;
        let c = counts.get(prefix);
        if (!c) {
          c = {};
          counts.set(prefix, c);
        }
        c[row.level] = (c[row.level] ?? 0) + 1;
      }
    }
    for (const [key, c] of counts) {
      const ordered: Record<string, number> = {};
      for (const level of LEVELS) if (c[level] !== undefined) ordered[level] = c[level];
      this.descendants.set(key, ordered);
    }
    this.releases = source.releases;
    this.boundaryCounts = source.boundaryCounts;
  }

  get size(): number {
    return this.rows.length;
  }

  /** A region by its key, current or ended. */
  region(key: string): RegionRow | undefined {
    return this.byKey.get(key);
  }

  /** A region by its ARS: the current one, else the one that ended last. */
  regionByArs(ars: string): RegionRow | undefined {
    return this.byArs.get(ars);
  }

  /** From the Land down to the direct parent, following stored parent keys (at most 6, no cycles). */
  parents(region: RegionRow): RegionRef[] {
    let cursor = region.parentKey;
    const seen = new Set<string>();
    const parents: RegionRef[] = [];
    while (cursor && !seen.has(cursor) && parents.length < 6) {
      seen.add(cursor);
      const p = this.byKey.get(cursor);
      if (!p) break;
      parents.unshift({ key: p.key, level: p.level, name: p.name });
      cursor = p.parentKey;
    }
    return parents;
  }

  /** Current regions below a key, by level (a fresh object). */
  descendantCounts(key: string): Record<string, number> {
    return { ...this.descendants.get(key) };
  }

  /** Current direct children, by key. */
  childrenOf(key: string): readonly RegionRow[] {
    return this.children.get(key) ?? [];
  }

  /** Current Gemeinden of a Kreis (across its Verbände), in name order. */
  gemeindenOfKreis(kreisKey: string): readonly RegionRow[] {
    return this.gemeinden.get(kreisKey) ?? [];
  }

  /**
   * The municipality a key stands for: for the Kreis of a kreisfreie Stadt (09162) its only Gemeinde
   * (09162000), else the region itself (see `cityOfKreis`).
   */
  municipalityOf(region: RegionRow): RegionRow {
    return cityOfKreis(region, this.gemeindenOfKreis(region.key)) ?? region;
  }

  /** Regions (ended) that name `key` as their successor, by key. */
  predecessorsOf(key: string): readonly RegionRow[] {
    return this.predecessors.get(key) ?? [];
  }

  /**
   * Current regions of the same level and Land with the closest population (then by key), without itself:
   * `ORDER BY abs(population - $p), key LIMIT $limit`. The group is sorted by population, so the closest
   * ones lie around the position of `p`: take the nearer neighbour `limit` times, then every further one at
   * the same distance as the last (ties are decided by key).
   */
  peersOf(region: Pick<RegionRow, 'key' | 'level' | 'stateKey' | 'population'>, limit: number): RegionRow[] {
    const p = region.population;
    const group = this.peerGroups.get(`${region.level}|${region.stateKey}`);
    if (p === null || limit <= 0 || !group) return [];
    const distance = (i: number) => Math.abs(group[i]!.population! - p);
    let lo = 0;
    let hi = group.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (group[mid]!.population! < p) lo = mid + 1;
      else hi = mid;
    }
    let left = lo - 1;
    let right = lo;
    const taken: RegionRow[] = [];
    let last = 0;
    const take = (i: number) => {
      if (group[i]!.key === region.key) return;
      taken.push(group[i]!);
      last = distance(i);
    };
    while (taken.length < limit && (left >= 0 || right < group.length)) {
      if (right >= group.length || (left >= 0 && distance(left) <= distance(right))) take(left--);
      else take(right++);
    }
    while (left >= 0 && distance(left) === last) take(left--);
    while (right < group.length && distance(right) === last) take(right++);
    const d = (r: RegionRow) => Math.abs(r.population! - p);
    taken.sort((a, b) => d(a) - d(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return taken.slice(0, limit);
  }

  /** Current regions of a level, by key. */
  currentOfLevel(level: Level): RegionRow[] {
    return this.rows.filter((r) => r.level === level && r.validTo === null).sort(byKeyOrder);
  }

  /**
   * The current region a region lives on in: itself while current, else the end of its successor chain (at most
   * 10 links, no cycles); null when the chain ends in nothing current.
   */
  currentSuccessor(key: string): RegionRow | null {
    let r = this.byKey.get(key);
    const seen = new Set<string>();
    while (r && r.validTo !== null && r.successorKey !== null && !seen.has(r.key) && seen.size < 10) {
      seen.add(r.key);
      r = this.byKey.get(r.successorKey);
    }
    return r && r.validTo === null ? r : null;
  }

  /** Number of current regions by level (a fresh object). */
  countCurrentByLevel(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const level of LEVELS)
      if (this.currentByLevel[level] !== undefined) counts[level] = this.currentByLevel[level];
    return counts;
  }

  facts(row: RegionRow): RegionFacts {
    return {
      key: row.key,
      level: row.level,
      name: row.name,
      stateKey: row.stateKey,
      kreisKey: row.kreisKey,
      population: row.population,
      designationCode: row.designationCode,
      validTo: row.validTo,
      successorKey: row.successorKey,
    };
  }

  /** The entries of the search index (as `repo.searchEntries` reads them), with Kreis and Land names. */
  searchEntries(): IndexEntry[] {
    return this.rows.map((r, i) => {
      const f = this.forms[i]!;
      return {
        key: r.key,
        level: r.level,
        ars: r.ars,
        parentKey: r.parentKey,
        stateKey: r.stateKey,
        kreisKey: r.kreisKey,
        name: r.name,
        designationCode: r.designationCode,
        population: r.population,
        areaKm2: r.areaKm2,
        postcode: r.postcode,
        validTo: r.validTo,
        successorKey: r.successorKey,
        kreisName:
          (r.level === 'gemeinde' || r.level === 'gemeindeverband') && r.kreisKey !== null
            ? (this.byKey.get(r.kreisKey)?.name ?? null)
            : null,
        stateName: this.byKey.get(r.stateKey)?.name ?? null,
        nameFold: f.nameFold,
        nameTranslit: f.nameTranslit,
        baseFold: f.baseFold,
        baseTranslit: f.baseTranslit,
      };
    });
  }
}
