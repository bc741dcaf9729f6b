import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadModel, REGION_KINDS, SIZE_CLASSES } from '../../assessment/index.js';
import {
  availableMeasureVersions,
  findCycles,
  loadMeasures,
  type Measure,
  MeasureError,
  type ModelForMeasures,
  topologicalOrder,
  validateMeasures,
  withPrerequisites,
} from '../measures.js';

// ---------------------------------------------------------------------------------------------
// A small hand-made model and catalogue

const MODEL: ModelForMeasures = {
  version: '1',
  dimensions: [
    { id: 'sg', name: { de: 'S', en: 'S' }, description: { de: 'S', en: 'S' }, sources: [] },
    { id: 'is', name: { de: 'I', en: 'I' }, description: { de: 'I', en: 'I' }, sources: [] },
  ],
  sectors: [
    { id: 'verwaltung', name: { de: 'V', en: 'A' } },
    { id: 'bildung', name: { de: 'B', en: 'E' } },
  ],
  questions: [
    { id: 'sg-01', dimension: 'sg' },
    { id: 'is-01', dimension: 'is' },
  ],
};

type Json = Record<string, unknown>;
type Cat = Json & { measures: Json[]; sources: Json[]; funding: Json[] };

const measure = (id: string, extra: Json = {}): Json => ({
  id,
  title: { de: `Titel ${id}`, en: `Title ${id}` },
  description: { de: 'Was und warum.', en: 'What and why.' },
  dimensions: ['sg'],
  sectors: ['verwaltung'],
  raises: [{ question: 'sg-01', toLevel: 2 }],
  prerequisites: [],
  effortDays: { min: 2, max: 5 },
  costOneOff: { min: 0, max: 1000 },
  costPerYear: { min: 0, max: 0 },
  durationMonths: { min: 1, max: 3 },
  sizes: ['<2000', '2000-5000'],
  types: ['gemeinde'],
  standards: ['oparl'],
  funding: ['prog'],
  indicators: [{ de: 'Beschluss liegt vor', en: 'Decision taken' }],
  sources: [{ id: 'src', detail: 'Kapitel 1' }],
  ...extra,
});

const catalogue = (): Cat => ({
  version: '1',
  published: '2026-12-01',
  modelVersion: '1',
  title: { de: 'Maßnahmen', en: 'Measures' },
  sources: [
    { id: 'src', title: 'Leitfaden', publisher: 'Jemand', url: 'https://example.org/', licenceNote: 'Zitiert.' },
  ],
  funding: [
    { id: 'prog', name: { de: 'Programm', en: 'Programme' }, url: 'https://example.org/f', note: { de: 'n', en: 'n' } },
  ],
  measures: [measure('a'), measure('b', { prerequisites: ['a'] })],
});

/** Validates a broken copy and returns the error's lines, failing when validation passes. */
function problems(mutate: (c: Cat) => void): string[] {
  const c = catalogue();
  mutate(c);
  try {
    validateMeasures(c, MODEL);
  } catch (err) {
    assert.ok(err instanceof MeasureError, `expected MeasureError, got ${String(err)}`);
    return err.problems.map((p) => `${p.subject} ${p.field}: ${p.message}`);
  }
  assert.fail('validation passed for a broken catalogue');
}

/** Asserts that exactly one problem is reported and that it matches `re`. */
function onlyProblem(mutate: (c: Cat) => void, re: RegExp): void {
  const ps = problems(mutate);
  assert.equal(ps.length, 1, ps.join('\n'));
  assert.match(ps[0]!, re);
}

const m0 = (c: Cat): Json => c.measures[0]!;
const m1 = (c: Cat): Json => c.measures[1]!;

describe('validateMeasures', () => {
  it('accepts the hand-made catalogue', () => {
    const cat = validateMeasures(catalogue(), MODEL);
    assert.deepEqual(
      cat.measures.map((m) => m.id),
      ['a', 'b'],
    );
  });

  it('refuses duplicate measure ids, naming the id', () => {
    onlyProblem((c) => c.measures.push(measure('a')), /^measure "a" id: duplicate id "a"$/);
  });

  it('refuses ids that are not kebab-case', () => {
    onlyProblem((c) => (m1(c).id = 'B_1'), /measure "B_1" id: "B_1" is not a valid id/);
  });

  it('refuses a prerequisite that does not exist, naming measure and field', () => {
    onlyProblem((c) => (m1(c).prerequisites = ['a', 'x']), /^measure "b" prerequisites\[1\]: unknown measure "x"$/);
  });

  it('refuses a measure that is its own prerequisite', () => {
    onlyProblem((c) => (m0(c).prerequisites = ['a']), /^measure "a" prerequisites\[0\]: .*own prerequisite/);
  });

  it('refuses a cycle of prerequisites and names it', () => {
    onlyProblem((c) => (m0(c).prerequisites = ['b']), /prerequisites form a cycle: a → b → a$/);
  });

  it('names a longer cycle in order', () => {
    const ps = problems((c) => {
      c.measures.push(measure('c', { prerequisites: ['b'] }));
      m0(c).prerequisites = ['c'];
    });
    assert.deepEqual(ps, ['measure "a" prerequisites: prerequisites form a cycle: a → c → b → a']);
  });

  it('refuses a question that is not in the maturity model', () => {
    onlyProblem(
      (c) => (m0(c).raises = [{ question: 'sg-99', toLevel: 2 }]),
      /^measure "a" raises\[0\]\.question: unknown question "sg-99" of maturity model v1$/,
    );
  });

  it('refuses a question of a dimension the measure does not list', () => {
    onlyProblem(
      (c) => (m0(c).raises = [{ question: 'is-01', toLevel: 2 }]),
      /question "is-01" is in dimension "is", which the measure does not list/,
    );
  });

  it('refuses target levels outside 1..4 and a question raised twice', () => {
    onlyProblem(
      (c) => (m0(c).raises = [{ question: 'sg-01', toLevel: 5 }]),
      /raises\[0\]\.toLevel: must be an integer/,
    );
    onlyProblem((c) => (m0(c).raises = [{ question: 'sg-01', toLevel: 0 }]), /raises\[0\]\.toLevel/);
    onlyProblem(
      (c) =>
        (m0(c).raises = [
          { question: 'sg-01', toLevel: 2 },
          { question: 'sg-01', toLevel: 3 },
        ]),
      /raises\[1\]\.question: question "sg-01" raised twice/,
    );
  });

  it('refuses a measure that raises no question', () => {
    onlyProblem((c) => (m0(c).raises = []), /^measure "a" raises: must be a non-empty array/);
  });

  it('refuses a measure without a source, and an unknown source', () => {
    onlyProblem((c) => (m0(c).sources = []), /^measure "a" sources: must cite at least one source/);
    onlyProblem((c) => delete m0(c).sources, /^measure "a" sources: missing$/);
    onlyProblem((c) => (m0(c).sources = [{ id: 'nope' }]), /^measure "a" sources\[0\]\.id: unknown source "nope"$/);
  });

  it('refuses ranges with min > max, negative or missing figures', () => {
    onlyProblem(
      (c) => (m0(c).costOneOff = { min: 5000, max: 1000 }),
      /^measure "a" costOneOff: min \(5000\) is greater than max \(1000\)$/,
    );
    onlyProblem((c) => (m0(c).costPerYear = { min: -1, max: 10 }), /costPerYear\.min: must be a non-negative number/);
    onlyProblem((c) => (m0(c).effortDays = { min: 1 }), /effortDays\.max: missing/);
    onlyProblem((c) => (m0(c).durationMonths = { min: 4, max: 2 }), /durationMonths: min \(4\) is greater/);
  });

  it('refuses zero effort or zero duration', () => {
    onlyProblem((c) => (m0(c).effortDays = { min: 0, max: 0 }), /effortDays: max must be greater than 0/);
    onlyProblem((c) => (m0(c).durationMonths = { min: 0, max: 0 }), /durationMonths: max must be greater than 0/);
  });

  it('refuses a prerequisite that does not suit every size class and type the measure suits', () => {
    onlyProblem((c) => {
      m0(c).sizes = ['2000-5000'];
      m0(c).types = ['gemeinde'];
      m1(c).sizes = ['<2000', '2000-5000'];
      m1(c).types = ['gemeinde', 'kreis'];
    }, /^measure "b" prerequisites: prerequisite "a" does not suit size class <2000, type kreis, which the measure suits$/);
    // narrower than its prerequisite is fine
    const cat = catalogue();
    m1(cat).sizes = ['<2000'];
    assert.equal(validateMeasures(cat, MODEL).measures.length, 2);
  });

  it('refuses unknown sectors and dimensions, and empty lists of them', () => {
    onlyProblem((c) => (m0(c).sectors = ['verwaltung', 'raumfahrt']), /sectors\[1\]: unknown sector "raumfahrt"/);
    onlyProblem((c) => (m0(c).sectors = []), /sectors: must name at least one sector/);
    // an unknown dimension also makes the raised question's dimension unlisted
    const ps = problems((c) => (m0(c).dimensions = ['xx']));
    assert.ok(
      ps.some((p) => /dimensions\[0\]: unknown dimension "xx"/.test(p)),
      ps.join('\n'),
    );
  });

  it('refuses unknown size classes and types', () => {
    onlyProblem((c) => (m1(c).sizes = ['klein']), /sizes\[0\]: unknown size class "klein" \(allowed: <2000/);
    onlyProblem((c) => (m1(c).types = ['bezirk']), /types\[0\]: unknown type "bezirk" \(allowed: gemeinde/);
    onlyProblem((c) => (m1(c).sizes = []), /sizes: must name at least one size class/);
  });

  it('refuses unknown funding programmes and malformed standard ids', () => {
    onlyProblem((c) => (m0(c).funding = ['nope']), /funding\[0\]: unknown funding programme "nope"/);
    onlyProblem((c) => (m0(c).standards = ['OParl 1.1']), /standards\[0\]: unknown standard "OParl 1.1"/);
    onlyProblem((c) => (m0(c).standards = ['oparl', 'oparl']), /standards\[1\]: standard "oparl" listed twice/);
  });

  it('refuses missing texts in either language and missing indicators', () => {
    onlyProblem((c) => (m0(c).title = { de: 'T', en: '' }), /^measure "a" title\.en: missing or empty English text$/);
    onlyProblem((c) => (m0(c).description = { de: ' ', en: 'x' }), /description\.de: missing or empty German/);
    onlyProblem((c) => (m0(c).indicators = []), /indicators: must name at least one indicator/);
  });

  it('refuses unknown fields (typos are not ignored)', () => {
    onlyProblem((c) => (m0(c).prerequisite = []), /^measure "a" prerequisite: unknown field$/);
  });

  it('checks sources and funding programmes themselves', () => {
    onlyProblem((c) => (c.sources[0]!.url = 'http://example.org'), /^source "src" url: .* is not an https URL$/);
    onlyProblem((c) => delete c.funding[0]!.url, /^funding "prog" url: missing/);
    // null is allowed: no address known for certain
    const cat = catalogue();
    cat.funding[0]!.url = null;
    assert.equal(validateMeasures(cat, MODEL).funding[0]!.url, null);
  });

  it('refuses a catalogue checked against another model version', () => {
    onlyProblem((c) => (c.modelVersion = '2'), /^catalogue modelVersion: must name the maturity model version/);
  });

  it('lists every problem at once', () => {
    const ps = problems((c) => {
      m1(c).sizes = [];
      m0(c).sources = [];
    });
    assert.equal(ps.length, 2);
  });
});

// ---------------------------------------------------------------------------------------------
// Order

const item = (id: string, prerequisites: string[] = []) => ({ id, prerequisites });

describe('topologicalOrder', () => {
  it('puts prerequisites first and keeps the given order otherwise', () => {
    const order = topologicalOrder([item('c', ['b']), item('a'), item('b', ['a']), item('d')]);
    assert.deepEqual(
      order.map((m) => m.id),
      ['a', 'b', 'c', 'd'],
    );
    const untouched = topologicalOrder([item('z'), item('y'), item('x')]);
    assert.deepEqual(
      untouched.map((m) => m.id),
      ['z', 'y', 'x'],
    );
  });

  it('ignores prerequisites outside the given items', () => {
    assert.deepEqual(
      topologicalOrder([item('b', ['outside']), item('a')]).map((m) => m.id),
      ['b', 'a'],
    );
  });

  it('refuses a cycle and names it', () => {
    assert.throws(
      () => topologicalOrder([item('a', ['c']), item('b', ['a']), item('c', ['b']), item('d')]),
      (err: unknown) => err instanceof MeasureError && /a → c → b → a/.test(err.message),
    );
  });

  it('finds no cycle in a diamond, one per strongly connected part otherwise', () => {
    const diamond = new Map([
      ['d', ['b', 'c']],
      ['b', ['a']],
      ['c', ['a']],
      ['a', []],
    ]);
    assert.deepEqual(findCycles(diamond), []);
    const two = new Map([
      ['a', ['b']],
      ['b', ['a']],
      ['c', ['d']],
      ['d', ['c']],
    ]);
    assert.deepEqual(findCycles(two), [
      ['a', 'b', 'a'],
      ['c', 'd', 'c'],
    ]);
  });

  it('withPrerequisites pulls in prerequisites transitively', () => {
    const cat = {
      measures: [item('a'), item('b', ['a']), item('c', ['b']), item('d')] as unknown as Measure[],
    };
    assert.deepEqual(
      withPrerequisites(cat, ['c']).map((m) => m.id),
      ['a', 'b', 'c'],
    );
    assert.throws(() => withPrerequisites(cat, ['x']), /measure "x".*not in the catalogue/);
  });
});

// ---------------------------------------------------------------------------------------------
// Loading and the shipped catalogue

describe('loadMeasures', () => {
  it('names a missing file and a version mismatch', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-'));
    try {
      assert.throws(() => loadMeasures(undefined, { dir }), /no catalogue file/);
      assert.throws(() => loadMeasures('3', { dir }), /catalogue file .*v3\.json not found/);
      fs.writeFileSync(path.join(dir, 'v2.json'), JSON.stringify(catalogue()));
      assert.throws(() => loadMeasures('2', { dir, model: MODEL }), /file v2\.json declares version "1"/);
      fs.writeFileSync(path.join(dir, 'v1.json'), '{');
      assert.throws(() => loadMeasures('1', { dir, model: MODEL }), /is not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shipped catalogue v1', () => {
  const cat = loadMeasures('1');
  const model = loadModel(cat.modelVersion);

  it('loads, is the newest version by default, cached and frozen', () => {
    assert.ok(availableMeasureVersions().includes('1'));
    assert.equal(loadMeasures().version, availableMeasureVersions().at(-1));
    assert.equal(loadMeasures('1'), cat);
    assert.ok(Object.isFrozen(cat) && Object.isFrozen(cat.measures[0]));
  });

  it('has 80–150 measures', () => {
    assert.ok(cat.measures.length >= 80 && cat.measures.length <= 150, `${cat.measures.length} measures`);
  });

  it('covers all dimensions, sectors, size classes and types of the model', () => {
    for (const d of model.dimensions) {
      const n = cat.measures.filter((m) => m.dimensions.includes(d.id)).length;
      assert.ok(n >= 5, `dimension ${d.id}: ${n} measures`);
    }
    assert.equal(model.dimensions.length, 7);
    for (const s of model.sectors) {
      const n = cat.measures.filter((m) => m.sectors.includes(s.id)).length;
      assert.ok(n >= 3, `sector ${s.id}: ${n} measures`);
    }
    assert.equal(model.sectors.length, 9);
    for (const c of SIZE_CLASSES) {
      const n = cat.measures.filter((m) => m.sizes.includes(c.id)).length;
      assert.ok(n >= 40, `size class ${c.id}: ${n} measures`);
    }
    for (const t of REGION_KINDS) {
      const n = cat.measures.filter((m) => m.types.includes(t)).length;
      assert.ok(n >= 40, `type ${t}: ${n} measures`);
    }
  });

  it('raises every question of the model that its municipalities can answer', () => {
    const raised = new Set(cat.measures.flatMap((m) => m.raises.map((r) => r.question)));
    const missing = model.questions.filter((q) => !raised.has(q.id)).map((q) => q.id);
    assert.deepEqual(missing, []);
  });

  it('suits only municipalities to which at least one of its questions applies', () => {
    const questions = new Map(model.questions.map((q) => [q.id, q]));
    const problems: string[] = [];
    for (const m of cat.measures) {
      for (const size of m.sizes) {
        const c = SIZE_CLASSES.find((s) => s.id === size)!;
        const hi = c.max ?? Number.POSITIVE_INFINITY;
        for (const type of m.types) {
          const ok = m.raises.some((r) => {
            const a = questions.get(r.question)!.appliesTo;
            if (a.types && !a.types.includes(type)) return false;
            return Math.max(c.min, a.minPopulation ?? 0) < Math.min(hi, a.maxPopulation ?? Number.POSITIVE_INFINITY);
          });
          if (!ok) problems.push(`${m.id}: ${size} ${type}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('orders the whole catalogue by prerequisites', () => {
    const order = topologicalOrder(cat.measures);
    const pos = new Map(order.map((m, i) => [m.id, i]));
    for (const m of cat.measures) for (const p of m.prerequisites) assert.ok(pos.get(p)! < pos.get(m.id)!);
  });

  it('names a source with title and URL for every measure', () => {
    const sources = new Map(cat.sources.map((s) => [s.id, s]));
    for (const m of cat.measures) {
      assert.ok(m.sources.length > 0, m.id);
      for (const r of m.sources) assert.ok(sources.get(r.id)?.url.startsWith('https://'), `${m.id}: ${r.id}`);
    }
  });
});
