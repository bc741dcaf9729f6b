import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadModel, SIZE_CLASSES } from '../../assessment/index.js';
import { createI18n } from '../../modules.js';
import {
  type DraftInput,
  deriveGoals,
  draftStrategy,
  MAX_ITEMS,
  type PeerLevels,
  priorityOf,
  questionTargets,
} from '../draft.js';
import { loadMeasures, type Measure, type MeasureCatalogue } from '../measures.js';
import { explain, roadmapOrder } from '../plan.js';
import { capacityReport, plannedDuration } from '../schedule.js';

// A hand-made model: dimension A (questions a1, a2), dimension B (question b1).
const MODEL: DraftInput['model'] = {
  version: '1',
  dimensions: [
    { id: 'A', name: { de: 'Bereich A', en: 'Area A' }, description: { de: '', en: '' }, sources: [] },
    { id: 'B', name: { de: 'Bereich B', en: 'Area B' }, description: { de: '', en: '' }, sources: [] },
  ],
  questions: ['a1', 'a2', 'b1'].map((id) => ({
    id,
    dimension: id[0]!.toUpperCase(),
    sector: 'verwaltung',
    text: { de: `Frage ${id}`, en: `Question ${id}` },
    help: { de: '', en: '' },
    why: { de: '', en: '' },
    levels: [] as never,
    sources: [],
    appliesTo: {},
    mapsTo: null,
  })),
};

const ALL_SIZES = SIZE_CLASSES.map((s) => s.id);
function measure(id: string, over: Partial<Measure>): Measure {
  return {
    id,
    title: { de: `Maßnahme ${id}`, en: `Measure ${id}` },
    description: { de: '', en: '' },
    dimensions: ['A'],
    sectors: ['verwaltung'],
    raises: [],
    prerequisites: [],
    effortDays: { min: 1, max: 1 },
    costOneOff: { min: 0, max: 0 },
    costPerYear: { min: 0, max: 0 },
    durationMonths: { min: 1, max: 1 },
    sizes: [...ALL_SIZES],
    types: ['gemeinde', 'kreisfreie-stadt', 'kreis'],
    standards: [],
    funding: [],
    indicators: [],
    sources: [{ id: 's' }],
    ...over,
  };
}

// Hand-computed (targets a1 → 3, a2 → 3, b1 → 4):
// m1: a1 1→2: gap 2 × gain 1 = 2, effort 3 → 0.667
// m2: a1 1→3: 2 × 2 = 4; a2 2→3: 1 × 1 = 1; effort 10 → 0.5 (needs m1)
// m3: b1 3→4: 1 × 1 = 1, effort 1 → 1
// m4: a2 → 1: already reached → 0;  m5: only for the largest cities.
const M = [
  measure('m1', {
    raises: [{ question: 'a1', toLevel: 2 }],
    effortDays: { min: 2, max: 4 },
    durationMonths: { min: 1, max: 3 },
  }),
  measure('m2', {
    raises: [
      { question: 'a1', toLevel: 3 },
      { question: 'a2', toLevel: 3 },
    ],
    prerequisites: ['m1'],
    effortDays: { min: 8, max: 12 },
    durationMonths: { min: 3, max: 5 },
    costOneOff: { min: 8000, max: 12000 },
  }),
  measure('m3', { dimensions: ['B'], raises: [{ question: 'b1', toLevel: 4 }] }),
  measure('m4', { raises: [{ question: 'a2', toLevel: 1 }] }),
  measure('m5', { raises: [{ question: 'a1', toLevel: 4 }], sizes: ['>500000'] }),
];
const catalogue = (measures: Measure[]): MeasureCatalogue => ({
  version: '1',
  published: '2026-12-01',
  modelVersion: '1',
  title: { de: '', en: '' },
  sources: [],
  funding: [],
  measures,
});

const PEERS: PeerLevels = { dimensionQ3: { A: 65, B: 70 }, questionMedian: { a1: 3, a2: 2.5 } };
const input = (over: Partial<DraftInput> = {}): DraftInput => ({
  model: MODEL,
  catalogue: catalogue(M),
  questionIds: ['a1', 'a2', 'b1'],
  levels: new Map([
    ['a1', 1],
    ['a2', 2],
    ['b1', 3],
  ]),
  // A: levels 1 and 2 → 37.5 (level 1); B: level 3 → 75 (level 3).
  dimensionScores: { A: 37.5, B: 75 },
  peers: PEERS,
  sizeClass: '2000-5000',
  kind: 'gemeinde',
  capacity: { staffDaysPerMonth: 2, budgetPerYear: 10_000 },
  startMonth: '2027-01',
  ...over,
});

describe('target levels from the peers', () => {
  it('aims at the upper quartile of the peers, else the next level; never more than two levels', () => {
    const goals = deriveGoals(input());
    assert.deepEqual(
      goals.map((g) => [g.dimension, g.currentLevel, g.targetLevel, g.reason.key]),
      [
        // A: level 1, peers' upper quartile 65 → level 3 → target 3.
        ['A', 1, 3, 'strategy.reason.goal.peers'],
        // B: level 3, peers' upper quartile level 3 → the next level.
        ['B', 3, 4, 'strategy.reason.goal.aheadOfPeers'],
      ],
    );
    // Upper quartile at level 4 from level 1: capped at 1 + 2 = 3.
    const capped = deriveGoals(input({ peers: { dimensionQ3: { A: 90 }, questionMedian: {} } }));
    assert.equal(capped[0]?.targetLevel, 3);
    assert.equal(capped[0]?.reason.key, 'strategy.reason.goal.peersCapped');
    // Without peers: one level up; at level 4: keep it; nothing answered: no goal.
    const alone = deriveGoals(input({ peers: null, dimensionScores: { A: 37.5, B: 100 } }));
    assert.deepEqual(
      alone.map((g) => [g.targetLevel, g.reason.key]),
      [
        [2, 'strategy.reason.goal.next'],
        [4, 'strategy.reason.goal.keep'],
      ],
    );
    assert.equal(deriveGoals(input({ dimensionScores: { A: null, B: 75 } })).length, 1);
  });
});

describe('priority = Σ gap × gain ÷ effort', () => {
  const targets = questionTargets(input(), deriveGoals(input()));
  const levels = input().levels;
  it('matches the hand-computed values', () => {
    const p = Object.fromEntries(M.map((m) => [m.id, priorityOf(m, levels, targets).priority]));
    assert.equal(p.m1?.toFixed(4), (2 / 3).toFixed(4));
    assert.equal(p.m2, 0.5);
    assert.equal(p.m3, 1);
    assert.equal(p.m4, 0);
  });
  it('counts no gap for questions not applicable or unanswered', () => {
    const na = new Map([...levels, ['a1', null]]);
    assert.equal(priorityOf(M[1]!, na, targets).priority, 0.1); // only a2: 1 × 1 ÷ 10
  });
});

describe('the draft', () => {
  it('takes the highest priorities that suit, orders by prerequisites and schedules within capacity', () => {
    const d = draftStrategy(input());
    assert.deepEqual(
      d.items.map((i) => [i.measureId, i.startMonth, i.durationMonths]),
      [
        // m3 first (priority 1) in month 0, 1 day.
        ['m3', 0, 1],
        // m1 (3 days ÷ 2 per month → 2 months) does not fit beside m3 in month 0 (1 + 1.5 > 2).
        ['m1', 1, 2],
        // m2 after its prerequisite m1 (ends month 3); 10 days at 2 per month → 5 months.
        ['m2', 3, 5],
      ],
    );
    assert.deepEqual(
      d.goals.map((g) => g.targetLevel),
      [3, 4],
    );
    const m2 = d.items.find((i) => i.measureId === 'm2');
    assert.deepEqual(m2?.reason, {
      key: 'strategy.reason.measure.peers',
      params: { question: 'a1', level: 1, median: 3 },
    });
    assert.equal(m2?.costOneOff, 10_000);
  });

  it('leaves out what does not fit the budget, and what does not suit the size', () => {
    const d = draftStrategy(input({ capacity: { staffDaysPerMonth: 2, budgetPerYear: 5_000 } }));
    assert.deepEqual(d.items.map((i) => i.measureId).sort(), ['m1', 'm3']);
    assert.ok(!draftStrategy(input({ sizeClass: '>500000' })).items.some((i) => i.measureId === 'm4'));
    assert.ok(!d.items.some((i) => i.measureId === 'm5'));
  });

  it('pulls in a prerequisite with no gain of its own, with the reason naming the measure that needs it', () => {
    const m0 = measure('m0', { raises: [] });
    const m2 = { ...M[1]!, prerequisites: ['m0'] };
    const d = draftStrategy(input({ catalogue: catalogue([m0, m2]) }));
    assert.deepEqual(
      d.items.map((i) => i.measureId),
      ['m0', 'm2'],
    );
    assert.deepEqual(d.items[0]?.reason, { key: 'strategy.reason.measure.prerequisite', params: { measure: 'm2' } });
    assert.ok(d.items[1]!.startMonth >= d.items[0]!.startMonth + d.items[0]!.durationMonths);
  });

  it('skips a prerequisite the answers already reach', () => {
    const reachedPre = measure('pre', { raises: [{ question: 'a2', toLevel: 2 }] });
    const m2 = { ...M[1]!, prerequisites: ['pre'] };
    const d = draftStrategy(input({ catalogue: catalogue([reachedPre, m2]) }));
    assert.deepEqual(
      d.items.map((i) => i.measureId),
      ['m2'],
    );
    assert.equal(d.items[0]?.startMonth, 0);
  });

  it('refuses a catalogue with a cycle, naming it', () => {
    const a = measure('ca', { raises: [{ question: 'a1', toLevel: 4 }], prerequisites: ['cb'] });
    const b = measure('cb', { raises: [{ question: 'a1', toLevel: 4 }], prerequisites: ['ca'] });
    // Reached via the prerequisites: the walk stops at measures already seen; the order then names the cycle.
    assert.throws(() => draftStrategy(input({ catalogue: catalogue([a, b]) })), /ca → cb → ca|cb → ca → cb/);
  });

  it('on the real catalogue: a complete, explained plan for a Gemeinde of 5,000 within its capacity', () => {
    const model = loadModel('1');
    const cat = loadMeasures();
    const questions = model.questions.filter((q) => !q.appliesTo.minPopulation || q.appliesTo.minPopulation <= 5000);
    const levels = new Map(questions.map((q, i) => [q.id, i % 3]));
    const byDim: Record<string, number> = {};
    for (const dim of model.dimensions) {
      const ls = questions.filter((q) => q.dimension === dim.id).map((q) => levels.get(q.id)!);
      if (ls.length) byDim[dim.id] = (ls.reduce((a, b) => a + b, 0) / ls.length) * 25;
    }
    const d = draftStrategy({
      model,
      catalogue: cat,
      questionIds: questions.map((q) => q.id),
      levels,
      dimensionScores: byDim,
      peers: null,
      sizeClass: '5000-20000',
      kind: 'gemeinde',
      startMonth: '2027-01',
    });
    assert.ok(d.items.length >= 5 && d.items.length <= MAX_ITEMS, `${d.items.length} measures`);
    assert.equal(d.goals.length, Object.keys(byDim).length);
    const report = capacityReport(d.items, d.capacity, d.startMonth);
    assert.deepEqual(report.warnings, [], 'the draft fits its capacity');
    // Every prerequisite in the plan ends before the measure that needs it starts.
    const byId = new Map(cat.measures.map((m) => [m.id, m]));
    const at = new Map(d.items.map((i) => [i.measureId, i]));
    for (const item of d.items) {
      for (const p of byId.get(item.measureId)!.prerequisites) {
        const pre = at.get(p);
        if (pre) assert.ok(pre.startMonth + pre.durationMonths <= item.startMonth, `${p} before ${item.measureId}`);
      }
    }
    // Every reason renders as a sentence in both languages, without unresolved ids or placeholders.
    const i18n = createI18n();
    for (const lang of ['de', 'en'] as const) {
      const c = { t: i18n.translator(lang), lang, model, catalogue: cat };
      for (const r of [...d.goals.map((g) => g.reason), ...d.items.map((i) => i.reason)]) {
        const s = explain(r, c);
        assert.doesNotMatch(s, /\{|\}|strategy\./, s);
      }
    }
    assert.deepEqual(roadmapOrder(d.items), d.items);
  });
});

describe('capacity', () => {
  it('stretches a measure whose effort exceeds the staff per month', () => {
    assert.equal(plannedDuration(2, 20, { staffDaysPerMonth: 3, budgetPerYear: 0 }), 7);
    assert.equal(plannedDuration(4, 2, { staffDaysPerMonth: 3, budgetPerYear: 0 }), 4);
  });

  it('reports staff and budget per year and warns in words where the edited plan exceeds them', () => {
    const d = draftStrategy(input());
    const items = d.items.map((i) => (i.measureId === 'm2' ? { ...i, startMonth: 0, costPerYear: 2_000 } : i));
    const r = capacityReport(items, d.capacity, '2027-01');
    // Year 1: m3 1 + m1 3 + m2 10 staff days; budget 10,000 one-off + 2,000 running.
    assert.deepEqual(r.years[0], {
      year: 1,
      calendarYear: 2027,
      staffDays: 14,
      staffCapacity: 24,
      budget: 12_000,
      budgetCapacity: 10_000,
    });
    assert.equal(r.years[1]?.budget, 2_000);
    assert.equal(r.totals.budget, 10_000 + 3 * 2_000);
    const keys = r.warnings.map((w) => w.key);
    assert.deepEqual(keys, ['strategy.warn.staff', 'strategy.warn.budget']);
    // The peak month: m1 (1.5 a month) beside m2 (2 a month) in February.
    assert.deepEqual(r.warnings[0]?.params, { month: '2027-02', planned: 3.5, capacity: 2 });
    const t = createI18n().translator('de');
    assert.equal(
      explain(r.warnings[1]!, { t, lang: 'de', model: MODEL, catalogue: catalogue(M) }),
      'Im 1. Jahr der Strategie sind 12.000 € geplant, das Budget ist 10.000 € je Jahr.',
    );
  });
});
