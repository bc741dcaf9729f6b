/**
 * The strategy module's figures on the public Lagebild (ADR 0006, "Contributions"). Pure: the repository loads one
 * `StrategyFact` per municipality with an adopted digital strategy, this file turns them into public figures.
 *
 * 1. Adopted strategies: per Land and per size class, the Gemeinden with an adopted strategy and their share of
 *    the Gemeinden in the register. The two tables add up to the same national total, so they share one set of
 *    suppression marks from `suppressAcrossMargins` (as the Digitalcheck's tables do): a Land or size class with
 *    1..k−1 adoptions is withheld ('primary'), and further groups are withheld ('complementary') until no
 *    combination of published counts — national minus the visible Länder, a Land minus a size class, … —
 *    isolates 1..k−1 adoptions. The national count is withheld below k. A group with no adoption shows 0.
 * 2. Measures done: per sector and per dimension of the maturity model, the measures marked done in the adopted
 *    strategies (a measure counts in each of its sectors and dimensions, from the catalogue version the strategy
 *    names) and the number of municipalities they come from; a cell is shown only when at least k municipalities
 *    contribute to it.
 *
 * Not covered here: differences between two releases (one adoption more in a Land shows as +1 there — council
 * decisions are public acts, the rule is applied anyway), and combinations of the sector and dimension tables
 * (a measure counts in several cells, so they are no partition; a withheld cell can be approximated, not
 * isolated). See ADR 0006.
 */
import { type Static, Type } from '@fastify/type-provider-typebox';
import { type Denominators, K_MIN, suppressAcrossMargins } from '../assessment/index.js';

/** The adopted strategy of one Gemeinde, as far as the Lagebild needs it. */
export interface StrategyFact {
  regionKey: string;
  stateKey: string;
  /** Size class of the Gemeinde ('' when unknown: counted nationally and in its Land only). */
  sizeClass: string;
  isDemo: boolean;
  /** The catalogue version the measure ids refer to (`StrategyContent.catalogueVersion`). */
  catalogueVersion: string;
  /** Ids of the measures with status 'done'. */
  done: readonly string[];
}

/** Sectors and dimensions of a measure of a catalogue version; null when the version or measure is unknown. */
export type MeasureAxes = (
  catalogueVersion: string,
  measureId: string,
) => { sectors: readonly string[]; dimensions: readonly string[] } | null;

const Withheld = Type.Union([Type.Literal('primary'), Type.Literal('complementary')]);

const ShareCell = Type.Object({
  adopted: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Gemeinden with an adopted strategy; null: withheld (see suppressed)',
  }),
  municipalities: Type.Integer({ minimum: 0, description: 'Gemeinden in the register' }),
  share: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'adopted / municipalities (0..1, 4 decimals); null: withheld',
  }),
});

const DoneCell = Type.Union(
  [
    Type.Object({
      measures: Type.Integer({ minimum: 0, description: 'measures marked done' }),
      municipalities: Type.Integer({ minimum: 0, description: 'Gemeinden they come from' }),
    }),
    Type.Null(),
  ],
  { description: 'null: fewer than kMin Gemeinden contribute' },
);

/** The figures as published (snapshot, page, open data); the schema is the OpenAPI description. */
export const STRATEGY_LAGEBILD_SCHEMA = Type.Object(
  {
    kMin: Type.Integer(),
    includesDemo: Type.Boolean({ description: 'demo strategies (lotse seed demo) are among the figures' }),
    adopted: Type.Object({
      total: ShareCell,
      byState: Type.Record(Type.String(), ShareCell, { description: 'by Land key (01..16)' }),
      bySize: Type.Record(Type.String(), ShareCell, { description: 'by size class' }),
    }),
    suppressed: Type.Object({
      byState: Type.Record(Type.String(), Withheld),
      bySize: Type.Record(Type.String(), Withheld),
    }),
    done: Type.Object({
      bySector: Type.Record(Type.String(), DoneCell, { description: 'by sector id of the maturity model' }),
      byDimension: Type.Record(Type.String(), DoneCell, { description: 'by dimension id of the maturity model' }),
    }),
  },
  {
    description:
      'Digital strategies: Gemeinden with a strategy adopted by their council, by Land and size class (withheld below ' +
      'kMin and where smaller groups could be derived), and the measures done by sector and dimension (shown from ' +
      'kMin contributing Gemeinden).',
  },
);

export type StrategyLagebild = Static<typeof STRATEGY_LAGEBILD_SCHEMA>;
export type ShareFigure = StrategyLagebild['adopted']['total'];
export type DoneFigure = StrategyLagebild['done']['bySector'][string];

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The public figures from one fact per Gemeinde with an adopted strategy. `axes` lists the sectors and dimensions
 * to report (in their order; others are ignored). Deterministic.
 */
export function strategyLagebild(
  facts: readonly StrategyFact[],
  denominators: Denominators,
  measureAxes: MeasureAxes,
  axes: { sectors: readonly string[]; dimensions: readonly string[] },
  k = K_MIN,
): StrategyLagebild {
  const seen = new Set<string>();
  for (const f of facts) {
    if (seen.has(f.regionKey)) throw new RangeError(`more than one adopted strategy counted for ${f.regionKey}`);
    seen.add(f.regionKey);
  }

  // 1. Adopted strategies: Land × size class cells, one suppression pattern for both margins.
  const cells = new Map<string, { row: string; col: string; n: number }>();
  const byState: Record<string, number> = {};
  const bySize: Record<string, number> = {};
  for (const f of facts) {
    const key = `${f.stateKey}|${f.sizeClass}`;
    const cell = cells.get(key);
    if (cell) cell.n++;
    else cells.set(key, { row: f.stateKey, col: f.sizeClass, n: 1 });
    byState[f.stateKey] = (byState[f.stateKey] ?? 0) + 1;
    bySize[f.sizeClass] = (bySize[f.sizeClass] ?? 0) + 1;
  }
  const stateKeys = Object.keys(denominators.byState).sort();
  const sizeKeys = Object.keys(denominators.bySize);
  const marks = suppressAcrossMargins(
    [...cells.values()].sort((a, b) => (a.row + a.col < b.row + b.col ? -1 : a.row + a.col > b.row + b.col ? 1 : 0)),
    { rows: stateKeys, cols: sizeKeys, k },
  );
  const share = (adopted: number | null, municipalities: number): ShareFigure => ({
    adopted,
    municipalities,
    share: adopted === null ? null : municipalities > 0 ? round4(adopted / municipalities) : 0,
  });
  const shown = (mark: string | undefined) => mark === undefined || mark === 'visible';
  const suppressed: StrategyLagebild['suppressed'] = { byState: {}, bySize: {} };
  const stateOut: Record<string, ShareFigure> = {};
  for (const s of stateKeys) {
    const mark = marks.rows[s];
    if (!shown(mark)) suppressed.byState[s] = mark as 'primary' | 'complementary';
    stateOut[s] = share(shown(mark) ? (byState[s] ?? 0) : null, denominators.byState[s] ?? 0);
  }
  const sizeOut: Record<string, ShareFigure> = {};
  for (const s of sizeKeys) {
    const mark = marks.cols[s];
    if (!shown(mark)) suppressed.bySize[s] = mark as 'primary' | 'complementary';
    sizeOut[s] = share(shown(mark) ? (bySize[s] ?? 0) : null, denominators.bySize[s] ?? 0);
  }
  const total = facts.length;

  // 2. Measures done, per sector and per dimension (each measure once per Gemeinde).
  const count = (keys: readonly string[]) => new Map(keys.map((key) => [key, { measures: 0, regions: new Set() }]));
  const sectorCount = count(axes.sectors);
  const dimensionCount = count(axes.dimensions);
  for (const f of facts) {
    for (const id of new Set(f.done)) {
      const m = measureAxes(f.catalogueVersion, id);
      if (!m) continue;
      for (const [target, keys] of [
        [sectorCount, m.sectors],
        [dimensionCount, m.dimensions],
      ] as const) {
        for (const key of new Set(keys)) {
          const c = target.get(key);
          if (!c) continue;
          c.measures++;
          c.regions.add(f.regionKey);
        }
      }
    }
  }
  const publish = (m: ReturnType<typeof count>): Record<string, DoneFigure> =>
    Object.fromEntries(
      [...m].map(([key, c]) => [
        key,
        c.regions.size >= k ? { measures: c.measures, municipalities: c.regions.size } : null,
      ]),
    );

  return {
    kMin: k,
    includesDemo: facts.some((f) => f.isDemo),
    adopted: {
      total: share(total === 0 || total >= k ? total : null, denominators.total),
      byState: stateOut,
      bySize: sizeOut,
    },
    suppressed,
    done: { bySector: publish(sectorCount), byDimension: publish(dimensionCount) },
  };
}
