import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Denominators } from '../../assessment/index.js';
import { type MeasureAxes, type StrategyFact, type StrategyLagebild, strategyLagebild } from '../lagebild.js';

const fact = (regionKey: string, sizeClass = '<2000', o: Partial<StrategyFact> = {}): StrategyFact => ({
  regionKey,
  stateKey: regionKey.slice(0, 2),
  sizeClass,
  isDemo: false,
  catalogueVersion: '1',
  done: [],
  ...o,
});
/** `n` Gemeinden of Land `state` (keys state + 6 digits from `from`). */
const many = (state: string, n: number, sizeClass = '<2000', from = 0, o: Partial<StrategyFact> = {}) =>
  Array.from({ length: n }, (_, i) => fact(`${state}${String(from + i).padStart(6, '0')}`, sizeClass, o));

const denominators: Denominators = {
  total: 300,
  byState: { '01': 100, '03': 120, '16': 80 },
  bySize: { '<2000': 200, '2000-5000': 100 },
};
const noMeasures: MeasureAxes = () => null;
const AXES = { sectors: ['verwaltung', 'bildung'], dimensions: ['sg', 'ps', 'di'] };
const figures = (facts: StrategyFact[], d = denominators, axes: MeasureAxes = noMeasures) =>
  strategyLagebild(facts, d, axes, AXES);

/**
 * The audit's property, by brute force: for every union A of published Länder (plus the residue of the withheld
 * ones, which national − published Länder yields) and every union B of the same for size classes, the adoptions
 * in exactly one of them, |A Δ B|, are 0 or ≥ k. (Any linear combination of the published counts is a sum of
 * such differences; ADR 0006.)
 */
function smallestDifference(facts: StrategyFact[], lb: StrategyLagebild): number | null {
  if (lb.adopted.total.adopted === null) return null; // nothing published to difference against
  const rowBlock = (s: string) => (lb.adopted.byState[s]?.adopted == null ? 'R' : s);
  const colBlock = (c: string) => (lb.adopted.bySize[c]?.adopted == null ? 'R' : c);
  const rows = [...new Set(facts.map((f) => rowBlock(f.stateKey)))];
  const cols = [...new Set(facts.map((f) => colBlock(f.sizeClass)))];
  let smallest: number | null = null;
  for (let a = 0; a < 1 << rows.length; a++) {
    for (let b = 0; b < 1 << cols.length; b++) {
      const inA = (f: StrategyFact) => ((a >> rows.indexOf(rowBlock(f.stateKey))) & 1) === 1;
      const inB = (f: StrategyFact) => ((b >> cols.indexOf(colBlock(f.sizeClass))) & 1) === 1;
      const d = facts.filter((f) => inA(f) !== inB(f)).length;
      if (d > 0 && (smallest === null || d < smallest)) smallest = d;
    }
  }
  return smallest;
}

describe('adopted strategies by Land and size class', () => {
  test('a Land with 4 adoptions is withheld, and the smallest other Land with it (hand-computed)', () => {
    // Schleswig-Holstein 6, Niedersachsen 5, Thüringen 4 — all under 2,000 inhabitants.
    const facts = [...many('01', 6), ...many('03', 5), ...many('16', 4)];
    const lb = figures(facts);
    assert.deepEqual(lb.adopted.total, { adopted: 15, municipalities: 300, share: 0.05 });
    assert.deepEqual(lb.adopted.byState['01'], { adopted: 6, municipalities: 100, share: 0.06 });
    assert.deepEqual(lb.adopted.byState['16'], { adopted: null, municipalities: 80, share: null }, 'fewer than 5');
    // National 15 − Schleswig-Holstein 6 − Niedersachsen 5 would be Thüringen's 4: Niedersachsen is withheld too.
    assert.deepEqual(lb.adopted.byState['03'], { adopted: null, municipalities: 120, share: null });
    assert.deepEqual(lb.suppressed, { byState: { '03': 'complementary', '16': 'primary' }, bySize: {} });
    assert.deepEqual(lb.adopted.bySize['<2000'], { adopted: 15, municipalities: 200, share: 0.075 });
    assert.deepEqual(lb.adopted.bySize['2000-5000'], { adopted: 0, municipalities: 100, share: 0 }, 'none: 0');
    assert.equal(lb.kMin, 5);
    assert.equal(lb.includesDemo, false);
    // The smallest set any combination isolates: Schleswig-Holstein itself (6); the residue has 9.
    assert.equal(smallestDifference(facts, lb), 6);
  });

  test('fewer than 5 in all: not even the national count is published', () => {
    const lb = figures(many('01', 3));
    assert.deepEqual(lb.adopted.total, { adopted: null, municipalities: 300, share: null });
    assert.equal(lb.adopted.byState['01']!.adopted, null);
    assert.equal(lb.adopted.bySize['<2000']!.adopted, null);
    assert.equal(lb.suppressed.byState['01'], 'primary');
    assert.equal(lb.adopted.byState['03']!.adopted, 0, 'a Land without any adoption shows 0');
  });

  test('no adoption anywhere: zeros', () => {
    const lb = figures([]);
    assert.deepEqual(lb.adopted.total, { adopted: 0, municipalities: 300, share: 0 });
    assert.deepEqual(lb.suppressed, { byState: {}, bySize: {} });
  });

  test('crossing differences between the margins are closed as well (ADR 0006, attack 1)', () => {
    // Each Land and each size class has 11, yet Land 01 − size class "small" = 1 large in 01 minus 1 small in 03.
    const facts = [
      ...many('01', 10, '<2000', 0),
      ...many('01', 1, '2000-5000', 100),
      ...many('03', 1, '<2000', 0),
      ...many('03', 10, '2000-5000', 100),
    ];
    const lb = figures(facts);
    assert.equal(lb.adopted.total.adopted, 22);
    assert.ok(
      Object.keys(lb.suppressed.byState).length + Object.keys(lb.suppressed.bySize).length > 0,
      'something is withheld although every group has 11',
    );
    const d = smallestDifference(facts, lb);
    assert.ok(d === null || d >= 5, `a difference of ${d} adoptions can be read off`);
  });

  test('random tables: no combination of published counts isolates 1–4 adoptions', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const states = ['01', '03', '16'];
    const sizes = ['<2000', '2000-5000'];
    for (let round = 0; round < 200; round++) {
      const facts: StrategyFact[] = [];
      for (const s of states)
        for (const c of sizes) facts.push(...many(s, Math.floor(rand() * 9), c, facts.length, {}));
      const lb = figures(facts);
      const d = smallestDifference(facts, lb);
      assert.ok(d === null || d >= 5, `round ${round}: difference ${d} in ${JSON.stringify(lb.adopted)}`);
      for (const [s, f] of Object.entries(lb.adopted.byState))
        assert.ok(f.adopted === null || f.adopted === 0 || f.adopted >= 5, `Land ${s}: ${f.adopted}`);
    }
  });

  test('an unknown size class counts nationally and in its Land only; demo strategies are flagged', () => {
    const facts = [...many('01', 5), fact('01999999', '', { isDemo: true })];
    const lb = figures(facts);
    assert.equal(lb.adopted.total.adopted, 6);
    assert.equal(lb.adopted.byState['01']!.adopted, 6);
    // The one without a size class must not be derivable as national − size classes: "<2000" (5) is withheld.
    assert.equal(lb.adopted.bySize['<2000']!.adopted, null);
    assert.equal(lb.includesDemo, true);
  });

  test('one strategy per Gemeinde', () => {
    assert.throws(() => figures([fact('01000001'), fact('01000001')]), /more than one adopted strategy/);
  });
});

describe('measures done by sector and dimension', () => {
  // M1: Verwaltung; Strategie & Steuerung and Prozesse. M2: Bildung; Infrastruktur. M3: Bildung; Strategie.
  const catalogue: Record<string, { sectors: string[]; dimensions: string[] }> = {
    m1: { sectors: ['verwaltung'], dimensions: ['sg', 'ps'] },
    m2: { sectors: ['bildung'], dimensions: ['di'] },
    m3: { sectors: ['bildung', 'mobilitaet'], dimensions: ['sg'] },
  };
  const axes: MeasureAxes = (version, id) => (version === '1' ? (catalogue[id] ?? null) : null);

  test('counts measures and the Gemeinden they come from; fewer than 5 Gemeinden: withheld (hand-computed)', () => {
    const facts = [
      // Five Gemeinden did M1 (one of them lists it twice).
      ...many('01', 4, '<2000', 0, { done: ['m1'] }),
      fact('01000004', '<2000', { done: ['m1', 'm1'] }),
      // One did M2, four did M3; one of the M3 Gemeinden did M1 as well (not counted: not done).
      fact('03000000', '<2000', { done: ['m2'] }),
      ...many('03', 4, '<2000', 1, { done: ['m3'] }),
      // Unknown measure and unknown catalogue version: not counted.
      fact('16000000', '<2000', { done: ['gibt-es-nicht'] }),
      fact('16000001', '<2000', { done: ['m2'], catalogueVersion: '99' }),
    ];
    const lb = strategyLagebild(facts, denominators, axes, AXES);
    assert.deepEqual(lb.done.bySector, {
      verwaltung: { measures: 5, municipalities: 5 },
      // M2 from 1 Gemeinde + M3 from 4 = 5 measures from 5 Gemeinden.
      bildung: { measures: 5, municipalities: 5 },
    });
    assert.deepEqual(lb.done.byDimension, {
      // M1 × 5 + M3 × 4 = 9 from 9 Gemeinden.
      sg: { measures: 9, municipalities: 9 },
      ps: { measures: 5, municipalities: 5 },
      // M2 only in one Gemeinde.
      di: null,
    });
  });

  test('a Gemeinde with many done measures is one contributor: 4 Gemeinden never show', () => {
    const facts = many('01', 4, '<2000', 0, { done: ['m1', 'm3'] });
    const lb = strategyLagebild(facts, denominators, axes, AXES);
    assert.deepEqual(lb.done.bySector, { verwaltung: null, bildung: null });
    assert.deepEqual(lb.done.byDimension, { sg: null, ps: null, di: null });
  });
});
