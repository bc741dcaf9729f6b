import type { LagebildFigures } from '../platform/module.js';
import { type Level, levelForScore } from './scoring.js';
import {
  type Aggregate,
  complementarySuppression,
  type DifferenceWitness,
  K_MIN,
  type MarginAuditOptions,
  type MarginCell,
  type SafeDistribution,
  type Suppression,
  safeAggregate,
  safeDistribution,
  suppressAcrossMargins,
} from './stats.js';

/**
 * The national picture (Lagebild), computed from the latest submitted check of every region. Pure.
 *
 * Counts of participation are public; scores and levels only as aggregates over ≥ K_MIN municipalities
 * (stats.ts). The tables that add up to each other — national, by Land, by size class — share one set of
 * suppression marks chosen by `suppressAcrossMargins`, so that no linear combination of published counts
 * (national − visible Länder, a Land − a size class, …) isolates fewer than K_MIN results. Kreise inside a Land
 * get complementary suppression and are withheld entirely when their Land is suppressed. Sector figures are
 * national only. See ADR 0006.
 *
 * Over time: `computeLagebild` is one snapshot. Publishing snapshots one after another is only safe through
 * `lagebild-release.ts`, which admits changes in batches, keeps the suppression pattern consistent with earlier
 * releases and passes `pattern` and `memory` in here.
 */
export interface CheckFact {
  regionKey: string;
  stateKey: string;
  kreisKey: string | null;
  sizeClass: string;
  overall: number | null;
  level: number | null;
  bySector: Record<string, number | null>;
  submittedYear: number;
  isDemo: boolean;
}

/**
 * One entry of the time series: per calendar year, each region's latest check submitted in that year (so a
 * region that submitted in 2026 and again in 2027 appears in both years); `assessment.repository.ts#yearFacts`
 * selects it. At most one entry per region and year.
 */
export interface YearFact {
  regionKey: string;
  /** Calendar year (UTC) of the submission. */
  year: number;
  overall: number | null;
  isDemo: boolean;
}

export interface Denominators {
  /** Municipalities (Gemeinden) in the register, per Land and per size class. */
  total: number;
  byState: Record<string, number>;
  bySize: Record<string, number>;
}

/** Why a figure is withheld: 'primary' = fewer than kMin results; 'complementary' = withheld to protect others. */
export type Withheld = 'primary' | 'complementary';

/** The suppression marks of the Land and size-class tables (only withheld groups are listed). */
export interface SuppressionPattern {
  byState: Record<string, Withheld>;
  bySize: Record<string, Withheld>;
}

/**
 * A figure as last published, with the values it was computed from. Private: it holds single results and lives in
 * the release state, never in the published Lagebild.
 */
export interface CarriedFigure<T> {
  /** regionKey → the value that went into the figure. */
  basis: Record<string, number>;
  /** Whether demo checks were among them. */
  demo: boolean;
  value: T;
}

export interface YearFigure {
  n: number;
  gini: number | null;
  quintileGap: number | null;
}

export interface SectorFigure {
  aggregate: Aggregate;
  levels: SafeDistribution;
}

/**
 * The last published value of every figure that is not a union of the release's admission groups (Kreis medians,
 * national sector figures, the time series). Such a figure is only recomputed when at least K_MIN of its members
 * changed since its last published value; otherwise that value is published again (see `carry`).
 */
export interface FigureMemory {
  kreis: Record<string, CarriedFigure<number>>;
  sector: Record<string, CarriedFigure<SectorFigure>>;
  year: Record<string, CarriedFigure<YearFigure>>;
}

export const emptyMemory = (): FigureMemory => ({ kreis: {}, sector: {}, year: {} });

export interface LagebildOptions {
  /**
   * The time series input (see `YearFact`). Without it `divergence.byYear` falls back to the given facts grouped
   * by `submittedYear`, i.e. only each region's latest check — which undercounts earlier years.
   */
  yearFacts?: readonly YearFact[];
  /** Suppression marks decided by the release (`nextRelease`); computed from the facts alone when absent. */
  pattern?: SuppressionPattern;
  /** Figures of the previous release; without it every figure is computed afresh. */
  memory?: FigureMemory;
  /** Release metadata to publish with the picture. */
  release?: { seq: number; releasedAt: string; pending: number };
}

export interface Lagebild {
  computedAt: string;
  /** True when demo checks are part of the figures (they are marked everywhere). */
  includesDemo: boolean;
  kMin: number;
  participation: {
    total: { submitted: number; municipalities: number };
    byState: Record<string, { submitted: number; municipalities: number }>;
    bySize: Record<string, { submitted: number; municipalities: number }>;
  };
  scores: {
    national: Aggregate | null;
    byState: Record<string, Aggregate | null>;
    bySize: Record<string, Aggregate | null>;
    bySector: Record<string, Aggregate | null>;
    byKreis: Record<string, { n: number; median: number | null }>;
  };
  levels: {
    national: { n: number; counts: number[] } | null;
    byState: Record<string, { n: number; counts: number[] } | null>;
    bySize: Record<string, { n: number; counts: number[] } | null>;
    /** Levels of the sector scores (0–100 → 0..4 as for the overall level). */
    bySector: Record<string, { n: number; counts: number[] } | null>;
  };
  /** Spread between municipalities: Gini and top-minus-bottom quintile, per Land and per year. */
  divergence: {
    national: { gini: number | null; quintileGap: number | null } | null;
    byState: Record<string, { gini: number | null; quintileGap: number | null } | null>;
    byYear: Record<string, { n: number; gini: number | null; quintileGap: number | null } | null>;
  };
  /**
   * Figures of other modules, by contribution name (`Module.lagebildFigures`, e.g. `strategy`: the share of
   * municipalities with an adopted digital strategy). Set by the release; absent in snapshots written before.
   */
  contributions?: Record<string, LagebildFigures>;
  /**
   * Why withheld groups are withheld (groups not listed are published or empty). Absent in snapshots written
   * before it existed.
   */
  suppressed?: {
    byState: Record<string, Withheld>;
    bySize: Record<string, Withheld>;
    byKreis: Record<string, Withheld>;
  };
  /** Set when the picture is a scheduled release (lagebild-release.ts). `pending`: changes not yet released. */
  release?: { seq: number; releasedAt: string; pending: number };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string | null): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    if (!out[k]) out[k] = [];
    out[k].push(item);
  }
  return out;
}

/** Facts that enter score and level tables: both an overall score and a level. */
export const isScored = (f: CheckFact) => f.overall !== null && f.level !== null;
const scoresOf = (facts: readonly CheckFact[]) => facts.map((f) => f.overall!);
const levelsOf = (facts: readonly CheckFact[]) => facts.map((f) => f.level as Level);

function divergence(a: Aggregate | null) {
  return a ? { gini: a.gini, quintileGap: a.quintileGap } : null;
}

/** Land × size class cells of the scored facts (the units of the cross-margin audit). */
export function resultCells(facts: readonly CheckFact[]): MarginCell[] {
  const n = new Map<string, MarginCell>();
  for (const f of facts) {
    if (!isScored(f)) continue;
    const key = `${f.stateKey}|${f.sizeClass}`;
    const cell = n.get(key);
    if (cell) cell.n++;
    else n.set(key, { row: f.stateKey, col: f.sizeClass, n: 1 });
  }
  return sortCells([...n.values()]);
}

/** The order of `resultCells` (by Land, then size class). */
export function sortCells(cells: MarginCell[]): MarginCell[] {
  return cells.sort((a, b) =>
    a.row !== b.row ? (a.row < b.row ? -1 : 1) : a.col < b.col ? -1 : a.col > b.col ? 1 : 0,
  );
}

/**
 * The suppression marks of the Land and size-class tables for one snapshot. `audit` passes the release's
 * constraints (sticky marks, known earlier residues, fixed cells); without it the pattern is computed from the
 * facts alone. `unresolved` is non-null when the constraints cannot be met (the release then holds back changes).
 */
export function lagebildPattern(
  facts: readonly CheckFact[],
  denominators: Denominators,
  audit: Pick<MarginAuditOptions, 'initial' | 'known' | 'fixed'> = {},
): { pattern: SuppressionPattern; unresolved: DifferenceWitness | null } {
  return patternOfCells(resultCells(facts), denominators, audit);
}

/** `lagebildPattern` for cells counted already (`resultCells`); witness unit i is `cells[i]`. */
export function patternOfCells(
  cells: readonly MarginCell[],
  denominators: Denominators,
  audit: Pick<MarginAuditOptions, 'initial' | 'known' | 'fixed'> = {},
): { pattern: SuppressionPattern; unresolved: DifferenceWitness | null } {
  const marks = suppressAcrossMargins(cells, {
    rows: Object.keys(denominators.byState),
    cols: Object.keys(denominators.bySize),
    k: K_MIN,
    ...audit,
  });
  const withheld = (m: Record<string, Suppression>) =>
    Object.fromEntries(Object.entries(m).filter(([, s]) => s !== 'visible')) as Record<string, Withheld>;
  return { pattern: { byState: withheld(marks.rows), bySize: withheld(marks.cols) }, unresolved: marks.unresolved };
}

/** Number of regions whose value differs between two bases (including regions in only one of them). */
export function changedMembers(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): number {
  let changed = 0;
  for (const [key, v] of Object.entries(a)) if (b[key] !== v) changed++;
  for (const key of Object.keys(b)) if (!(key in a)) changed++;
  return changed;
}

/**
 * The carry-over rule for figures that are not unions of admission groups. A figure that may be shown now
 * (`publishable`) is recomputed when it was never published, or when at least k members changed since its last
 * published value; with 1..k−1 changed members the last published value is shown again (and stays the reference).
 * A figure that may not be shown is null and its last published value stays the reference for later. So two
 * published values of one figure always differ by at least k members, or not at all.
 */
export function carry<T>(
  previous: CarriedFigure<T> | undefined,
  publishable: boolean,
  basis: Record<string, number>,
  demo: boolean,
  compute: () => T,
  k = K_MIN,
): { value: T | null; memory: CarriedFigure<T> | undefined } {
  if (!publishable) return { value: null, memory: previous };
  if (previous) {
    const changed = changedMembers(previous.basis, basis);
    if (changed < k) return { value: previous.value, memory: previous };
  }
  const value = compute();
  return { value, memory: { basis, demo, value } };
}

export function computeLagebild(
  facts: readonly CheckFact[],
  denominators: Denominators,
  now = new Date(),
  options: LagebildOptions = {},
): Lagebild {
  return buildLagebild(facts, denominators, now, options).lagebild;
}

/**
 * `computeLagebild` plus the figures to remember for the next release. Figures are only remembered (and carried)
 * when `options.memory` is given — pass `emptyMemory()` for the first release.
 */
export function buildLagebild(
  facts: readonly CheckFact[],
  denominators: Denominators,
  now: Date,
  options: LagebildOptions = {},
): { lagebild: Lagebild; memory: FigureMemory } {
  const k = K_MIN;
  const pattern = options.pattern ?? lagebildPattern(facts, denominators).pattern;
  const track = options.memory !== undefined;
  const previous = options.memory ?? emptyMemory();
  const memory: FigureMemory = {
    kreis: { ...previous.kreis },
    sector: { ...previous.sector },
    year: { ...previous.year },
  };
  let carriedDemo = false;
  const remember = <T>(
    store: Record<string, CarriedFigure<T>>,
    key: string,
    publishable: boolean,
    members: readonly { regionKey: string; value: number; isDemo: boolean }[],
    compute: () => T,
  ): T | null => {
    if (!track) return publishable ? compute() : null;
    const basis: Record<string, number> = {};
    for (const m of members) basis[m.regionKey] = m.value;
    const r = carry(
      store[key],
      publishable,
      basis,
      members.some((m) => m.isDemo),
      compute,
      k,
    );
    if (r.memory) store[key] = r.memory;
    if (r.value !== null && r.memory?.demo) carriedDemo = true;
    return r.value;
  };

  const scored = facts.filter(isScored);
  const byState = groupBy(scored, (f) => f.stateKey);
  const bySize = groupBy(scored, (f) => f.sizeClass);
  const stateKeys = Object.keys(denominators.byState);
  const sizeKeys = Object.keys(denominators.bySize);
  const stateShown = (s: string) => !(s in pattern.byState);
  const sizeShown = (s: string) => !(s in pattern.bySize);

  const stateAgg: Record<string, Aggregate | null> = {};
  for (const s of stateKeys) stateAgg[s] = stateShown(s) ? safeAggregate(scoresOf(byState[s] ?? []), k) : null;
  const sizeAgg: Record<string, Aggregate | null> = {};
  for (const s of sizeKeys) sizeAgg[s] = sizeShown(s) ? safeAggregate(scoresOf(bySize[s] ?? []), k) : null;

  // Kreise: primary suppression below k, complementary suppression within each Land, and nothing at all in a Land
  // whose own figures are withheld (its Kreis medians would stand in for them). Medians carried over releases.
  const kreisOut: Record<string, { n: number; median: number | null }> = {};
  const kreisWithheld: Record<string, Withheld> = {};
  const allByKreis = groupBy(facts, (f) => f.kreisKey);
  const scoredByKreis = groupBy(scored, (f) => f.kreisKey);
  const kreiseByState = groupBy(Object.keys(allByKreis).sort(), (kr) => kr.slice(0, 2));
  for (const [state, kreise] of Object.entries(kreiseByState)) {
    const childNs = kreise.map((kr) => scoredByKreis[kr]?.length ?? 0);
    const childSum = childNs.reduce((a, b) => a + b, 0);
    const parentN = Math.max(byState[state]?.length ?? 0, childSum);
    const marks = complementarySuppression(parentN, childNs, k);
    const landWithheld = !(state in denominators.byState) || !stateShown(state);
    kreise.forEach((kr, i) => {
      let mark = marks[i]!;
      if (mark === 'visible' && landWithheld && childNs[i]! > 0) mark = 'complementary';
      if (mark !== 'visible') kreisWithheld[kr] = mark;
      const members = (scoredByKreis[kr] ?? []).map((f) => ({
        regionKey: f.regionKey,
        value: f.overall!,
        isDemo: f.isDemo,
      }));
      const median = remember(
        memory.kreis,
        kr,
        mark === 'visible' && members.length >= k,
        members,
        () => safeAggregate(scoresOf(scoredByKreis[kr]!), k)!.median,
      );
      kreisOut[kr] = { n: allByKreis[kr]!.length, median };
    });
  }

  // Sectors: national only, carried over releases.
  const sectors = new Set<string>();
  for (const f of facts) for (const s of Object.keys(f.bySector)) sectors.add(s);
  const sectorOut: Record<string, SectorFigure | null> = {};
  for (const s of [...sectors].sort()) {
    const members = facts
      .filter((f) => typeof f.bySector[s] === 'number')
      .map((f) => ({ regionKey: f.regionKey, value: f.bySector[s] as number, isDemo: f.isDemo }));
    const values = members.map((m) => m.value);
    sectorOut[s] = remember(memory.sector, s, values.length >= k, members, () => ({
      aggregate: safeAggregate(values, k)!,
      levels: safeDistribution(
        values.map((v) => levelForScore(v)),
        k,
      )!,
    }));
  }

  // Time series: per year, each region's latest check of that year (yearFacts), carried over releases.
  const yearMembers: Record<string, { regionKey: string; value: number; isDemo: boolean }[]> = {};
  const addYear = (year: number, regionKey: string, value: number, isDemo: boolean) => {
    const list = yearMembers[String(year)];
    if (list) list.push({ regionKey, value, isDemo });
    else yearMembers[String(year)] = [{ regionKey, value, isDemo }];
  };
  if (options.yearFacts) {
    const seen = new Set<string>();
    for (const y of options.yearFacts) {
      const id = `${y.regionKey}|${y.year}`;
      if (seen.has(id)) throw new RangeError(`yearFacts: more than one check of ${y.regionKey} in ${y.year}`);
      seen.add(id);
      if (y.overall !== null) addYear(y.year, y.regionKey, y.overall, y.isDemo);
    }
  } else {
    for (const f of scored) addYear(f.submittedYear, f.regionKey, f.overall!, f.isDemo);
  }
  const byYear: Lagebild['divergence']['byYear'] = {};
  for (const year of Object.keys(yearMembers).sort()) {
    const members = yearMembers[year]!;
    byYear[year] = remember(memory.year, year, members.length >= k, members, () => {
      const a = safeAggregate(
        members.map((m) => m.value),
        k,
      )!;
      return { n: a.n, gini: a.gini, quintileGap: a.quintileGap };
    });
  }

  const national = safeAggregate(scoresOf(scored), k);
  const allByState = groupBy(facts, (f) => f.stateKey);
  const allBySize = groupBy(facts, (f) => f.sizeClass);
  const participation = {
    total: { submitted: facts.length, municipalities: denominators.total },
    byState: Object.fromEntries(
      Object.entries(denominators.byState).map(([s, n]) => [
        s,
        { submitted: allByState[s]?.length ?? 0, municipalities: n },
      ]),
    ),
    bySize: Object.fromEntries(
      Object.entries(denominators.bySize).map(([s, n]) => [
        s,
        { submitted: allBySize[s]?.length ?? 0, municipalities: n },
      ]),
    ),
  };
  const pick = (m: Record<string, Withheld>, keys: string[]) =>
    Object.fromEntries(keys.filter((s) => s in m).map((s) => [s, m[s]!])) as Record<string, Withheld>;
  const lagebild: Lagebild = {
    computedAt: now.toISOString(),
    includesDemo: facts.some((f) => f.isDemo) || carriedDemo,
    kMin: k,
    participation,
    scores: {
      national,
      byState: stateAgg,
      bySize: sizeAgg,
      bySector: Object.fromEntries(Object.entries(sectorOut).map(([s, v]) => [s, v ? v.aggregate : null])),
      byKreis: kreisOut,
    },
    levels: {
      national: safeDistribution(levelsOf(scored), k),
      byState: Object.fromEntries(
        stateKeys.map((s) => [s, stateShown(s) ? safeDistribution(levelsOf(byState[s] ?? []), k) : null]),
      ),
      bySize: Object.fromEntries(
        sizeKeys.map((s) => [s, sizeShown(s) ? safeDistribution(levelsOf(bySize[s] ?? []), k) : null]),
      ),
      bySector: Object.fromEntries(Object.entries(sectorOut).map(([s, v]) => [s, v ? v.levels : null])),
    },
    divergence: {
      national: divergence(national),
      byState: Object.fromEntries(Object.entries(stateAgg).map(([s, a]) => [s, divergence(a)])),
      byYear,
    },
    suppressed: {
      byState: pick(pattern.byState, stateKeys),
      bySize: pick(pattern.bySize, sizeKeys),
      byKreis: kreisWithheld,
    },
  };
  if (options.release) lagebild.release = options.release;
  return { lagebild, memory };
}
