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
  return [...values].sort((a, b) => a - b);
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
  const sorted = sortedCopy(values);
  if (sorted.length > 0 && sorted[0]! < 0) throw new RangeError('gini is defined for non-negative values only');
  const n = sorted.length;
  if (n < 2) return null;
  const total = sorted.reduce((s, x) => s + x, 0);
  if (total === 0) return 0;
  let weighted = 0;
  sorted.forEach((x, i) => {
    weighted += (2 * (i + 1) - n - 1) * x;
  });
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
  const sorted = sortedCopy(values);
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
    gini: gini(sorted),
    quintileGap: Math.floor(n / 5) >= k ? quintileGap(sorted) : null,
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

/** `safeAggregate` for each group: the aggregate, or null where the group has fewer than k values. */
export function suppressSmallGroups(
  groups: Readonly<Record<string, readonly number[]>>,
  k = K_MIN,
): Record<string, Aggregate | null> {
  checkK(k);
  const out: Record<string, Aggregate | null> = {};
  for (const [key, values] of Object.entries(groups)) out[key] = safeAggregate(values, k);
  return out;
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
