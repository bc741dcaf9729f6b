import { type Level, levelForScore } from './scoring.js';
import { type Aggregate, complementarySuppression, K_MIN, safeAggregate, safeDistribution } from './stats.js';

/**
 * The national picture (Lagebild), computed from the latest submitted check of every region. Pure.
 * Counts of participation are public; scores and levels only as aggregates over ≥ K_MIN municipalities
 * (stats.ts), with complementary suppression of Kreise inside a Land so that no Kreis figure can be
 * subtracted from its Land's figure to reveal a single result.
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

export interface Denominators {
  /** Municipalities (Gemeinden) in the register, per Land and per size class. */
  total: number;
  byState: Record<string, number>;
  bySize: Record<string, number>;
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
  /** The share of municipalities with an adopted strategy comes with the strategy module. */
  strategyShare: null;
}

function groupBy<T>(items: T[], key: (t: T) => string | null): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    if (!out[k]) out[k] = [];
    out[k].push(item);
  }
  return out;
}

const scoresOf = (facts: CheckFact[]) => facts.map((f) => f.overall).filter((v): v is number => v !== null);
const levelsOf = (facts: CheckFact[]) => facts.map((f) => f.level).filter((v): v is Level => v !== null) as Level[];

function divergence(a: Aggregate | null) {
  return a ? { gini: a.gini, quintileGap: a.quintileGap } : null;
}

export function computeLagebild(facts: CheckFact[], denominators: Denominators, now = new Date()): Lagebild {
  const byState = groupBy(facts, (f) => f.stateKey);
  const bySize = groupBy(facts, (f) => f.sizeClass);
  const byKreis = groupBy(facts, (f) => f.kreisKey);
  const byYear = groupBy(facts, (f) => String(f.submittedYear));

  const stateAgg: Record<string, Aggregate | null> = {};
  for (const k of Object.keys(denominators.byState)) stateAgg[k] = safeAggregate(scoresOf(byState[k] ?? []), K_MIN);
  const sizeAgg: Record<string, Aggregate | null> = {};
  for (const k of Object.keys(denominators.bySize)) sizeAgg[k] = safeAggregate(scoresOf(bySize[k] ?? []), K_MIN);

  // Kreise: primary suppression below K_MIN, complementary suppression within each Land.
  const kreisOut: Record<string, { n: number; median: number | null }> = {};
  const kreiseByState = groupBy(Object.keys(byKreis), (k) => k.slice(0, 2));
  for (const [state, kreise] of Object.entries(kreiseByState)) {
    const parentN = scoresOf(byState[state] ?? []).length;
    const childNs = kreise.map((k) => scoresOf(byKreis[k]!).length);
    const marks = complementarySuppression(parentN, childNs, K_MIN);
    kreise.forEach((k, i) => {
      const agg = marks[i] === 'visible' ? safeAggregate(scoresOf(byKreis[k]!), K_MIN) : null;
      kreisOut[k] = { n: byKreis[k]!.length, median: agg ? agg.median : null };
    });
  }

  const sectors = new Set<string>();
  for (const f of facts) for (const s of Object.keys(f.bySector)) sectors.add(s);
  const sectorAgg: Record<string, Aggregate | null> = {};
  for (const s of [...sectors].sort()) {
    sectorAgg[s] = safeAggregate(
      facts.map((f) => f.bySector[s]).filter((v): v is number => typeof v === 'number'),
      K_MIN,
    );
  }

  const national = safeAggregate(scoresOf(facts), K_MIN);
  const participation = {
    total: { submitted: facts.length, municipalities: denominators.total },
    byState: Object.fromEntries(
      Object.entries(denominators.byState).map(([k, n]) => [
        k,
        { submitted: byState[k]?.length ?? 0, municipalities: n },
      ]),
    ),
    bySize: Object.fromEntries(
      Object.entries(denominators.bySize).map(([k, n]) => [
        k,
        { submitted: bySize[k]?.length ?? 0, municipalities: n },
      ]),
    ),
  };
  return {
    computedAt: now.toISOString(),
    includesDemo: facts.some((f) => f.isDemo),
    kMin: K_MIN,
    participation,
    scores: { national, byState: stateAgg, bySize: sizeAgg, bySector: sectorAgg, byKreis: kreisOut },
    levels: {
      national: safeDistribution(levelsOf(facts), K_MIN),
      byState: Object.fromEntries(
        Object.keys(denominators.byState).map((k) => [k, safeDistribution(levelsOf(byState[k] ?? []), K_MIN)]),
      ),
      bySize: Object.fromEntries(
        Object.keys(denominators.bySize).map((k) => [k, safeDistribution(levelsOf(bySize[k] ?? []), K_MIN)]),
      ),
      bySector: Object.fromEntries(
        [...sectors].sort().map((s) => [
          s,
          safeDistribution(
            facts
              .map((f) => f.bySector[s])
              .filter((v): v is number => typeof v === 'number')
              .map((v) => levelForScore(v)),
            K_MIN,
          ),
        ]),
      ),
    },
    divergence: {
      national: divergence(national),
      byState: Object.fromEntries(Object.entries(stateAgg).map(([k, a]) => [k, divergence(a)])),
      byYear: Object.fromEntries(
        Object.entries(byYear).map(([y, fs]) => {
          const a = safeAggregate(scoresOf(fs), K_MIN);
          return [y, a ? { n: a.n, gini: a.gini, quintileGap: a.quintileGap } : null];
        }),
      ),
    },
    strategyShare: null,
  };
}
