/**
 * Statistics for peer comparison and the national picture, and the k-anonymity rule for publishing them.
 *
 * Pure functions, no I/O. Descriptive statistics (`quantile`, `median`, `quartiles`, `percentileRank`, `gini`,
 * `quintileGap`, `distribution`) compute on whatever they are given; anything that is shown to someone other
 * than the municipality itself must go through the `safe…` functions, which hold the publication rule:
 *
 * - Every aggregate of results (scores, levels) covers at least K_MIN = 5 municipalities — pass one value per
 *   municipality (e.g. its latest check); several values of one municipality defeat the rule.
 * - Aggregates never contain min, max or mean (see `safeAggregate`).
 * - Counts of participation (how many municipalities submitted a check) are not results and may be shown for
 *   any n; counts per level are results (`safeDistribution`).
 * - Differencing between nested groups (Land vs. its Kreise) is handled by `complementarySuppression`;
 *   the caller decides where to apply it.
 * - Differencing between two margins that both add up to the same total (Länder and size classes, each with the
 *   national figure) is handled by `suppressAcrossMargins`, whose audit `findSmallDifference` searches every
 *   union of blocks of one margin against every union of blocks of the other (ADR 0006).
 */
import type { Level } from './scoring.js';

/** Minimum number of municipalities behind every published aggregate of results. */
export const K_MIN = 5;

function checkK(k: number): void {
  // The parameter exists so that a stricter rule can be applied; it can never weaken K_MIN.
  if (!Number.isInteger(k) || k < K_MIN) throw new RangeError(`k must be an integer >= ${K_MIN}, got ${k}`);
}

function checkFinite(values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`values must be finite numbers, got ${v}`);
  }
}

function sortedCopy(values: readonly number[]): number[] {
  checkFinite(values);
  // A typed-array sort is numeric and several times faster than sort() with a comparator (the Lagebild sorts
  // ~11,000 scores several times per snapshot).
  return Array.from(Float64Array.from(values).sort());
}

function mean(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}

// ---------------------------------------------------------------------------------------------
// Descriptive statistics

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` values with linear interpolation between order statistics
 * — Hyndman & Fan type 7, the default of R's `quantile()` and numpy's `percentile()`:
 * h = (n − 1)·q, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) (0-based).
 * The input must be sorted ascending (not checked). Throws RangeError for an empty array or q outside [0, 1].
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty array');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be within [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/** Median (type-7 quantile 0.5) of unsorted values; null for no values. */
export function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : quantile(sortedCopy(values), 0.5);
}

export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
}

/** Type-7 quartiles of unsorted values; null for no values. */
export function quartiles(values: readonly number[]): Quartiles | null {
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  return { q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75) };
}

/**
 * Percentile rank of x among `values` (0..100): (number of values < x + ½ · number of values = x) / n · 100,
 * the "mid-rank" definition. It is symmetric — ties share the middle of their band, so a municipality whose
 * score equals everybody else's is at 50, not 0 or 100 — and the ranks of all members of a group average 50.
 * Whether `values` includes the municipality's own value is the caller's choice (`peerComparison` excludes
 * it). Null for no values.
 */
export function percentileRank(values: readonly number[], x: number): number | null {
  if (!Number.isFinite(x)) throw new RangeError(`x must be a finite number, got ${x}`);
  checkFinite(values);
  if (values.length === 0) return null;
  let below = 0;
  let equal = 0;
  for (const v of values) {
    if (v < x) below++;
    else if (v === x) equal++;
  }
  return ((below + equal / 2) / values.length) * 100;
}

/**
 * Gini coefficient of non-negative values: G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄), computed on the sorted values as
 * Σᵢ (2i − n − 1)·x₍ᵢ₎ / (n · Σ x) (i = 1..n). Population form without the n/(n−1) correction, so it ranges from
 * 0 (all equal) to (n − 1)/n (one municipality has everything): [0, 0, 0, 10] → 0.75.
 * All values 0 count as all equal → 0. Null for fewer than 2 values; RangeError for negative values.
 */
export function gini(values: readonly number[]): number | null {
  return giniOfSorted(sortedCopy(values));
}

function giniOfSorted(sorted: readonly number[]): number | null {
  if (sorted.length > 0 && sorted[0]! < 0) throw new RangeError('gini is defined for non-negative values only');
  const n = sorted.length;
  if (n < 2) return null;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i]!;
    weighted += (2 * (i + 1) - n - 1) * sorted[i]!;
  }
  if (total === 0) return 0;
  return Math.max(0, weighted / (n * total));
}

/**
 * Quintile gap: mean of the top quintile minus mean of the bottom quintile. The quintiles are the
 * m = ⌊n / 5⌋ highest and the m lowest values (ties at the boundary are irrelevant: equal values give equal
 * means). For n divisible by 5 these are exactly 20 % each; otherwise slightly less, never overlapping.
 * Null for fewer than 5 values. Note that for n < 10 each quintile is a single value (gap = max − min);
 * `safeAggregate` therefore publishes it only when each quintile covers at least k municipalities.
 */
export function quintileGap(values: readonly number[]): number | null {
  return quintileGapOfSorted(sortedCopy(values));
}

function quintileGapOfSorted(sorted: readonly number[]): number | null {
  const m = Math.floor(sorted.length / 5);
  if (m === 0) return null;
  return mean(sorted.slice(sorted.length - m)) - mean(sorted.slice(0, m));
}

/** Counts per level 0..4, index = level. */
export type LevelDistribution = [number, number, number, number, number];

/** Number of values at each level 0..4. RangeError for anything that is not a level. */
export function distribution(levels: readonly Level[]): LevelDistribution {
  const counts: LevelDistribution = [0, 0, 0, 0, 0];
  for (const level of levels) {
    if (!(Number.isInteger(level) && level >= 0 && level <= 4)) throw new RangeError(`invalid level ${level}`);
    counts[level]++;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Publication rule (k-anonymity)

/** A publishable aggregate of results of at least k municipalities. */
export interface Aggregate {
  /** Number of municipalities (one value each). */
  n: number;
  q1: number;
  median: number;
  q3: number;
  /** Gini coefficient of the values (0..1). */
  gini: number | null;
  /** Quintile gap; null unless each quintile covers at least k municipalities (n ≥ 5k, i.e. 25 for k = 5). */
  quintileGap: number | null;
}

/**
 * The single place where the publication rule for results lives: null when fewer than k values (k ≥ K_MIN),
 * else n, quartiles, Gini and (for n ≥ 5k) the quintile gap.
 *
 * Deliberately left out:
 * - min and max — each is exactly one municipality's result, and in a small group (a Land's "Städte > 100 000")
 *   everybody knows who that is;
 * - the mean — n·mean of a group minus (n−1)·mean of an overlapping filter combination with one municipality
 *   less is that municipality's exact result; medians and quartiles do not difference like that;
 * - the quintile gap for n < 5k — its quintile means would cover fewer than k municipalities (for n < 10 it is
 *   max − min).
 * Gini values must be non-negative (scores 0..100 are).
 */
export function safeAggregate(values: readonly number[], k = K_MIN): Aggregate | null {
  checkK(k);
  if (values.length < k) return null;
  const sorted = sortedCopy(values);
  const n = sorted.length;
  return {
    n,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    gini: giniOfSorted(sorted),
    quintileGap: Math.floor(n / 5) >= k ? quintileGapOfSorted(sorted) : null,
  };
}

export interface SafeDistribution {
  n: number;
  counts: LevelDistribution;
}

/**
 * Level distribution of a group, null when fewer than k municipalities. Caveat for the caller: a group in which
 * all municipalities share one level reveals that level for each of them even when n ≥ k (homogeneity);
 * k-anonymity alone does not prevent this.
 */
export function safeDistribution(levels: readonly Level[], k = K_MIN): SafeDistribution | null {
  checkK(k);
  if (levels.length < k) return null;
  return { n: levels.length, counts: distribution(levels) };
}

/**
 * 'visible': may be published; 'primary': fewer than k municipalities; 'complementary': suppressed so that the
 * primary suppressions cannot be recovered by differencing with the parent.
 */
export type Suppression = 'visible' | 'primary' | 'complementary';

/**
 * Complementary (secondary) suppression for one parent group split into disjoint child groups
 * (a Land and its Kreise, a Land and its size classes).
 *
 * Rule:
 * 1. A child with 1..k−1 municipalities is suppressed ('primary'). A child with 0 has nothing to show and
 *    counts as visible. If the parent itself has fewer than k, every non-empty child is 'primary' as well.
 * 2. The residue r = parentN − Σ n of the visible children (suppressed children plus parent members in no
 *    child) can be derived by differencing parent and visible children — exactly for level distributions, and
 *    r = 1 pins down one result. If 1 ≤ r ≤ k−1, the smallest visible child (ties: lowest index) is suppressed
 *    as well ('complementary'). One is always enough, because a visible child has ≥ k members, so afterwards
 *    r ≥ k + 1.
 *
 * Scope: one level of one partition. For nested hierarchies apply it top-down per level; for filter
 * combinations (Land × size class × type) each margin is a parent, and a suppression made for one margin must
 * be re-checked against the others until nothing changes — general cell suppression in cross tables is a
 * harder problem this function does not solve. Also remember differencing over time (the same group in two
 * years with one municipality more).
 *
 * Throws RangeError for negative or non-integer counts, or children larger in sum than the parent.
 */
export function complementarySuppression(parentN: number, childNs: readonly number[], k = K_MIN): Suppression[] {
  checkK(k);
  for (const n of [parentN, ...childNs]) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`counts must be non-negative integers, got ${n}`);
  }
  const childSum = childNs.reduce((s, n) => s + n, 0);
  if (childSum > parentN) throw new RangeError(`children (${childSum}) exceed the parent (${parentN})`);

  const result: Suppression[] = childNs.map((n) => (n > 0 && (n < k || parentN < k) ? 'primary' : 'visible'));
  const visibleSum = childNs.reduce((s, n, i) => (result[i] === 'visible' ? s + n : s), 0);
  const residue = parentN - visibleSum;
  if (parentN >= k && residue >= 1 && residue < k) {
    let pick = -1;
    childNs.forEach((n, i) => {
      if (result[i] === 'visible' && n > 0 && (pick === -1 || n < childNs[pick]!)) pick = i;
    });
    // pick === -1 would mean no visible non-empty child, i.e. residue = parentN ≥ k — excluded above.
    if (pick !== -1) result[pick] = 'complementary';
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Differencing audit across two margins

/**
 * One unit of a differencing audit: a set of results that is always published as a whole (a Land × size class
 * cell, or a Land). It belongs to one block of partition X and one block of partition Y; a block is what is
 * published as one figure (a visible Land, or the residue of all suppressed Länder, which national minus the
 * visible Länder yields). For a union A of X blocks and a union B of Y blocks, the unit adds to the difference
 * between A and B:
 * - `onlyX` results if its X block is in A and its Y block is not in B,
 * - `onlyY` if only its Y block is in B,
 * - `both` if both are (0 when A and B are counted over the same results; the number of changed results when A
 *   and B are the same table in two releases),
 * - nothing if neither is.
 */
export interface DifferenceUnit {
  x: string;
  y: string;
  onlyX: number;
  onlyY: number;
  both: number;
  /**
   * False when the unit holds nothing that needs protection (only demo data); a difference made only of such
   * units is not a finding. Default true.
   */
  sensitive?: boolean;
}

/** A union A of X blocks and B of Y blocks whose difference is a group of 1..k−1 results. */
export interface DifferenceWitness {
  x: string[];
  y: string[];
  /** Indices of the units that contribute to the difference. */
  units: number[];
  /** Number of results in the difference (1..k−1). */
  size: number;
}

const unitCost = (u: DifferenceUnit, xIn: boolean, yIn: boolean) =>
  xIn ? (yIn ? u.both : u.onlyX) : yIn ? u.onlyY : 0;

/** Bit sets of reachable totals 0..k−1: `n` without a sensitive contribution, `s` with one. */
interface Reach {
  n: number;
  s: number;
}

function sumsets(a: number, b: number, full: number): number {
  let out = 0;
  for (let j = 0; b >> j !== 0; j++) if ((b >> j) & 1) out |= a << j;
  return out & full;
}

/**
 * Searches all pairs (union A of X blocks, union B of Y blocks) for a difference of 1..k−1 results that
 * contains a sensitive unit, and returns one (deterministically the first found), or null.
 *
 * Why this is the right question: any linear combination of the published counts of both margins (integer,
 * rational or real coefficients) that isolates a set S of results can be written as a sum of terms 1_A − 1_B
 * whose supports A Δ B are all contained in S (level-set decomposition of the coefficients, ADR 0006). So if every
 * A Δ B is empty or has ≥ k results, no combination isolates fewer than k — differences of nested unions
 * (national − visible Länder, Land − size class contained in it) as well as crossing ones.
 *
 * Cost: the side with fewer multi-unit blocks is enumerated (2^m subsets; for Länder × size classes m ≤ 8),
 * every other choice is a knapsack over totals < k (bit sets), so the search is O(2^m · units · k).
 */
export function findSmallDifference(units: readonly DifferenceUnit[], k = K_MIN): DifferenceWitness | null {
  checkK(k);
  if (k > 30) throw new RangeError('k must be at most 30 for the audit');
  for (const u of units) {
    for (const w of [u.onlyX, u.onlyY, u.both]) {
      if (!Number.isInteger(w) || w < 0) throw new RangeError(`unit weights must be non-negative integers, got ${w}`);
    }
  }
  const multi = (side: 'x' | 'y') => {
    const count = new Map<string, number>();
    for (const u of units) count.set(u[side], (count.get(u[side]) ?? 0) + 1);
    return [...count.values()].filter((c) => c > 1).length;
  };
  if (multi('x') < multi('y')) {
    const swapped = units.map((u) => ({ ...u, x: u.y, y: u.x, onlyX: u.onlyY, onlyY: u.onlyX }));
    const w = smallDifferenceCore(swapped, k);
    return w && { x: w.y, y: w.x, units: w.units, size: w.size };
  }
  return smallDifferenceCore(units, k);
}

function smallDifferenceCore(units: readonly DifferenceUnit[], k: number): DifferenceWitness | null {
  const full = (1 << k) - 1;
  const yCount = new Map<string, number>();
  for (const u of units) yCount.set(u.y, (yCount.get(u.y) ?? 0) + 1);
  const enumerated = [...yCount]
    .filter(([, c]) => c > 1)
    .map(([id]) => id)
    .sort();
  if (enumerated.length > 24) throw new RangeError(`too many multi-unit blocks on both sides (${enumerated.length})`);
  const bit = new Map(enumerated.map((id, i) => [id, i]));
  const groups = new Map<string, number[]>();
  units.forEach((u, i) => {
    const g = groups.get(u.x);
    if (g) g.push(i);
    else groups.set(u.x, [i]);
  });
  const xIds = [...groups.keys()].sort();
  const sensitive = (u: DifferenceUnit) => u.sensitive !== false;

  const itemReach = (idx: number[], mask: number): Reach => {
    let rn = 0;
    let rs = 0;
    for (const xIn of [false, true]) {
      let n = 1;
      let s = 0;
      for (const ui of idx) {
        const u = units[ui]!;
        const b = bit.get(u.y);
        const options = b === undefined ? [false, true] : [((mask >> b) & 1) === 1];
        let nn = 0;
        let ns = 0;
        for (const yIn of options) {
          const c = unitCost(u, xIn, yIn);
          if (c >= k) continue;
          if (c > 0 && sensitive(u)) ns |= (n | s) << c;
          else {
            nn |= n << c;
            ns |= s << c;
          }
        }
        n = nn & full;
        s = ns & full;
        if (n === 0 && s === 0) break;
      }
      rn |= n;
      rs |= s;
    }
    return { n: rn, s: rs };
  };

  for (let mask = 0; mask < 1 << enumerated.length; mask++) {
    let acc: Reach = { n: 1, s: 0 };
    for (const id of xIds) {
      const r = itemReach(groups.get(id)!, mask);
      acc = {
        n: sumsets(acc.n, r.n, full),
        s: sumsets(acc.s, r.n, full) | sumsets(acc.n, r.s, full) | sumsets(acc.s, r.s, full),
      };
      if (acc.n === 0 && acc.s === 0) break;
    }
    if ((acc.s & ~1 & full) !== 0) return reconstruct(units, k, mask, bit, xIds, groups);
  }
  return null;
}

/** The slow path for the one subset that has a finding: the same knapsack, keeping one choice per total. */
function reconstruct(
  units: readonly DifferenceUnit[],
  k: number,
  mask: number,
  bit: Map<string, number>,
  xIds: string[],
  groups: Map<string, number[]>,
): DifferenceWitness {
  interface Choice {
    xIn: boolean;
    yIn: boolean[];
  }
  const key = (total: number, sens: number) => total * 2 + sens;
  const items = xIds.map((id) => {
    const idx = groups.get(id)!;
    const out = new Map<number, Choice>();
    for (const xIn of [false, true]) {
      let states = new Map<number, boolean[]>([[0, []]]);
      for (const ui of idx) {
        const u = units[ui]!;
        const b = bit.get(u.y);
        const options = b === undefined ? [false, true] : [((mask >> b) & 1) === 1];
        const next = new Map<number, boolean[]>();
        for (const [st, ys] of states) {
          for (const yIn of options) {
            const c = unitCost(u, xIn, yIn);
            const t = (st >> 1) + c;
            if (t >= k) continue;
            const nk = key(t, (st & 1) | (c > 0 && u.sensitive !== false ? 1 : 0));
            if (!next.has(nk)) next.set(nk, [...ys, yIn]);
          }
        }
        states = next;
      }
      for (const [st, ys] of states) if (!out.has(st)) out.set(st, { xIn, yIn: ys });
    }
    return out;
  });
  let layer = new Map<number, number[]>([[0, []]]);
  for (const item of items) {
    const next = new Map<number, number[]>();
    for (const [st, path] of layer) {
      for (const ik of item.keys()) {
        const t = (st >> 1) + (ik >> 1);
        if (t >= k) continue;
        const nk = key(t, (st | ik) & 1);
        if (!next.has(nk)) next.set(nk, [...path, ik]);
      }
    }
    layer = next;
  }
  let size = 1;
  while (!layer.has(key(size, 1))) size++;
  const path = layer.get(key(size, 1))!;
  const x: string[] = [];
  const y = new Set(enumerated(bit, mask));
  const contributing: number[] = [];
  xIds.forEach((id, i) => {
    const choice = items[i]!.get(path[i]!)!;
    if (choice.xIn) x.push(id);
    groups.get(id)!.forEach((ui, j) => {
      const u = units[ui]!;
      const yIn = choice.yIn[j]!;
      if (yIn) y.add(u.y);
      if (unitCost(u, choice.xIn, yIn) > 0) contributing.push(ui);
    });
  });
  return { x, y: [...y].sort(), units: contributing.sort((a, b) => a - b), size };
}

function enumerated(bit: Map<string, number>, mask: number): string[] {
  return [...bit].filter(([, b]) => ((mask >> b) & 1) === 1).map(([id]) => id);
}

/** One Land × size class cell (or any row × column cell) of a two-margin table: n results. */
export interface MarginCell {
  row: string;
  col: string;
  n: number;
}

export interface MarginAuditOptions {
  /** Rows (e.g. Länder) that are published as figures; rows of cells not listed here are never published. */
  rows: readonly string[];
  /** Columns (e.g. size classes) that are published. */
  cols: readonly string[];
  k?: number;
  /** Rows and columns suppressed in the previous release: they stay suppressed (marks are sticky). */
  initial?: { rows?: readonly string[]; cols?: readonly string[] };
  /**
   * Sets of rows / columns whose sum is still known from an earlier publication (an earlier residue whose
   * results have not changed since): they refine the residue in the audit.
   */
  known?: { rows?: readonly (readonly string[])[]; cols?: readonly (readonly string[])[] };
  /** Rows / columns whose figure is known from an earlier release and unchanged: suppressing them hides nothing. */
  fixed?: { rows?: readonly string[]; cols?: readonly string[] };
}

export interface MarginMarks {
  /** A mark for every published row. */
  rows: Record<string, Suppression>;
  cols: Record<string, Suppression>;
  /**
   * Set when a finding could not be repaired (every block it involves is fixed): the caller must not publish this
   * state (lagebild-release.ts then holds back changes).
   */
  unresolved: DifferenceWitness | null;
}

type Margin = 'rows' | 'cols';

/**
 * Suppression across two margins of one table (Länder and size classes of the same results, both adding up to the
 * published national figure), so that no linear combination of the published counts isolates 1..k−1 results.
 *
 * 1. Primary: a row or column with 1..k−1 results ('primary'); all of them if the total is below k (then the
 *    national figure itself is not published and nothing can be differenced). Rows and columns in `initial` stay
 *    suppressed ('complementary' unless primary).
 * 2. Audit: each visible row/column is a block, all suppressed rows (plus rows that are never published) form one
 *    residue block (refined by `known` sets), the same for columns. `findSmallDifference` looks for a union of row
 *    blocks and a union of column blocks whose symmetric difference has 1..k−1 results. This covers the
 *    per-margin residue (national − visible rows) as well as the cross-margin cases (a column contained in a few
 *    rows, …).
 * 3. Repair: suppress one more block ('complementary') — the visible row or column with the fewest results among
 *    those chosen in the finding (ties: rows before columns, then by key); if the finding involves only residues,
 *    the smallest visible row/column of that margin. Rows/columns in `fixed` are never picked. Repeat from 2.
 *    Terminates because every round suppresses one more block.
 *
 * Deterministic for a given input.
 */
export function suppressAcrossMargins(cells: readonly MarginCell[], options: MarginAuditOptions): MarginMarks {
  const k = options.k ?? K_MIN;
  checkK(k);
  const n: Record<Margin, Map<string, number>> = { rows: new Map(), cols: new Map() };
  let total = 0;
  for (const c of cells) {
    if (!Number.isInteger(c.n) || c.n < 0) throw new RangeError(`counts must be non-negative integers, got ${c.n}`);
    n.rows.set(c.row, (n.rows.get(c.row) ?? 0) + c.n);
    n.cols.set(c.col, (n.cols.get(c.col) ?? 0) + c.n);
    total += c.n;
  }
  const keys: Record<Margin, readonly string[]> = { rows: options.rows, cols: options.cols };
  const mark: Record<Margin, Map<string, Suppression>> = { rows: new Map(), cols: new Map() };
  for (const m of ['rows', 'cols'] as const) {
    for (const key of keys[m]) {
      const size = n[m].get(key) ?? 0;
      mark[m].set(key, size > 0 && (size < k || total < k) ? 'primary' : 'visible');
    }
  }
  const result = (unresolved: DifferenceWitness | null): MarginMarks => ({
    rows: Object.fromEntries(mark.rows),
    cols: Object.fromEntries(mark.cols),
    unresolved,
  });
  if (total < k) return result(null);
  for (const m of ['rows', 'cols'] as const) {
    for (const key of options.initial?.[m] ?? []) {
      if (mark[m].get(key) === 'visible' && (n[m].get(key) ?? 0) > 0) mark[m].set(key, 'complementary');
    }
  }
  const fixed: Record<Margin, Set<string>> = {
    rows: new Set(options.fixed?.rows ?? []),
    cols: new Set(options.fixed?.cols ?? []),
  };
  const known: Record<Margin, Set<string>[]> = {
    rows: (options.known?.rows ?? []).map((s) => new Set(s)),
    cols: (options.known?.cols ?? []).map((s) => new Set(s)),
  };
  const visible = (m: Margin, key: string) => mark[m].get(key) === 'visible';
  const blockOf = (m: Margin, key: string) => {
    if (visible(m, key)) return `v:${key}`;
    const parts = ['R'];
    known[m].forEach((set, i) => {
      if (set.has(key)) parts.push(String(i));
    });
    return parts.join(':');
  };
  const nonEmpty = cells.filter((c) => c.n > 0);
  const smallest = (candidates: { m: Margin; key: string }[]) => {
    let best: { m: Margin; key: string } | null = null;
    for (const c of candidates) {
      if (!visible(c.m, c.key) || fixed[c.m].has(c.key) || (n[c.m].get(c.key) ?? 0) === 0) continue;
      if (best === null) best = c;
      else {
        const a = n[c.m].get(c.key)!;
        const b = n[best.m].get(best.key)!;
        if (a < b || (a === b && (c.m < best.m || (c.m === best.m && c.key < best.key)))) best = c;
      }
    }
    return best;
  };
  const all = (m: Margin) => keys[m].map((key) => ({ m, key }));
  for (;;) {
    const units = nonEmpty.map((c) => ({
      x: blockOf('rows', c.row),
      y: blockOf('cols', c.col),
      onlyX: c.n,
      onlyY: c.n,
      both: 0,
    }));
    const w = findSmallDifference(units, k);
    if (!w) return result(null);
    const chosen = [
      ...w.x.filter((id) => id.startsWith('v:')).map((id) => ({ m: 'rows' as const, key: id.slice(2) })),
      ...w.y.filter((id) => id.startsWith('v:')).map((id) => ({ m: 'cols' as const, key: id.slice(2) })),
    ];
    const residues = [
      ...(w.x.some((id) => id.startsWith('R')) ? all('rows') : []),
      ...(w.y.some((id) => id.startsWith('R')) ? all('cols') : []),
    ];
    const pick = smallest(chosen) ?? smallest(residues) ?? smallest([...all('rows'), ...all('cols')]);
    if (!pick) return result(w);
    mark[pick.m].set(pick.key, 'complementary');
  }
}

export interface PeerComparison {
  /** Aggregate over the peers (excluding the municipality itself). */
  peers: Aggregate;
  /** percentileRank(peers, own). */
  percentile: number;
}

/**
 * Comparison of a municipality's score with its peers (same size class, Land and type). `peerScores` are the
 * other municipalities' scores, without its own: the municipality knows its own value, so a group of k
 * including itself would show it an aggregate of only k − 1 others. Null when fewer than k peers.
 */
export function peerComparison(peerScores: readonly number[], own: number, k = K_MIN): PeerComparison | null {
  const peers = safeAggregate(peerScores, k);
  if (peers === null) return null;
  return { peers, percentile: percentileRank(peerScores, own)! };
}
