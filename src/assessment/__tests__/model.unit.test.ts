import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  applicableQuestions,
  availableVersions,
  DIMENSION_COUNT,
  INPUT_SOURCES,
  loadModel,
  type MaturityModel,
  MODEL_DIR,
  ModelError,
  mapToPrevious,
  QUESTION_COUNT,
  REGION_KINDS,
  SIZE_CLASSES,
  sizeClass,
  validateModel,
} from '../model.js';

const raw = (): Record<string, unknown> & { questions: Record<string, unknown>[] } =>
  JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'v1.json'), 'utf8'));

/** Validates a broken copy and returns the error, failing when validation passes. */
function brokenError(mutate: (m: ReturnType<typeof raw>) => void): ModelError {
  const copy = raw();
  mutate(copy);
  try {
    validateModel(copy);
  } catch (err) {
    assert.ok(err instanceof ModelError, `expected ModelError, got ${String(err)}`);
    return err;
  }
  assert.fail('validation passed for a broken model');
}

const countBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, number> => {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
};

describe('shipped model v1', () => {
  const model = loadModel('1');

  it('validates and is the newest version by default', () => {
    assert.equal(model.version, '1');
    assert.ok(availableVersions().includes('1'));
    assert.equal(loadModel().version, availableVersions().at(-1));
    assert.equal(loadModel('1'), model, 'cached');
    assert.ok(Object.isFrozen(model) && Object.isFrozen(model.questions[0]), 'frozen');
  });

  it('has 6–8 dimensions, 40–70 questions, ≥ 5 per dimension, ≥ 2 per sector', () => {
    assert.ok(model.dimensions.length >= DIMENSION_COUNT.min && model.dimensions.length <= DIMENSION_COUNT.max);
    assert.ok(model.questions.length >= QUESTION_COUNT.min && model.questions.length <= QUESTION_COUNT.max);
    assert.ok(model.questions.length >= 48 && model.questions.length <= 56, `${model.questions.length} questions`);
    assert.equal(model.sectors.length, 9);
    const perDim = countBy(model.questions, (q) => q.dimension);
    for (const d of model.dimensions) {
      const n = perDim.get(d.id) ?? 0;
      assert.ok(n >= 5 && n <= 10, `dimension ${d.id}: ${n} questions`);
    }
    const perSector = countBy(model.questions, (q) => q.sector);
    for (const s of model.sectors)
      assert.ok((perSector.get(s.id) ?? 0) >= 2, `sector ${s.id}: ${perSector.get(s.id) ?? 0}`);
  });

  it('every question has concrete, distinct level descriptors, its source cited, and no predecessor in v1', () => {
    for (const q of model.questions) {
      assert.match(q.id, new RegExp(`^${q.dimension}-\\d{2}$`), q.id);
      assert.equal(new Set(q.levels.map((l) => l.de)).size, 5, `${q.id}: German levels distinct`);
      assert.equal(new Set(q.levels.map((l) => l.en)).size, 5, `${q.id}: English levels distinct`);
      assert.ok(q.sources.length >= 1, q.id);
      assert.equal(q.mapsTo, null, q.id);
    }
    const cited = new Set(model.questions.flatMap((q) => q.sources.map((s) => s.id)));
    for (const s of model.sources) assert.ok(cited.has(s.id), `source ${s.id} is cited by some question`);
  });
});

describe('applicable questions', () => {
  const model = loadModel('1');

  it('a Gemeinde of 800 inhabitants gets ≤ 35 questions, none requiring ≥ 50,000 or another type', () => {
    const qs = applicableQuestions(model, { population: 800, kind: 'gemeinde' });
    assert.ok(qs.length <= 35, `${qs.length} questions`);
    assert.ok(qs.length >= 20, `${qs.length} questions`);
    for (const q of qs) {
      assert.ok((q.appliesTo.minPopulation ?? 0) <= 800, q.id);
      assert.ok(!q.appliesTo.types || q.appliesTo.types.includes('gemeinde'), q.id);
    }
    assert.ok(!qs.some((q) => (q.appliesTo.minPopulation ?? 0) >= 50000));
    // ~45 seconds per question: ≤ 30 minutes.
    assert.ok((qs.length * 45) / 60 <= 30);
  });

  it('a kreisfreie Stadt of 600,000 gets every question open to kreisfreie Städte', () => {
    const qs = applicableQuestions(model, { population: 600000, kind: 'kreisfreie-stadt' });
    const expected = model.questions.filter(
      (q) => !q.appliesTo.types || q.appliesTo.types.includes('kreisfreie-stadt'),
    );
    assert.deepEqual(
      qs.map((q) => q.id),
      expected.map((q) => q.id),
    );
    assert.ok(qs.some((q) => (q.appliesTo.minPopulation ?? 0) >= 100000));
  });

  it('larger municipalities see more questions; Kreise see Kreis questions and no Gemeinde-only ones', () => {
    const n = (population: number) => applicableQuestions(model, { population, kind: 'gemeinde' }).length;
    assert.ok(n(800) < n(5000) && n(5000) < n(30000) && n(30000) < n(150000));
    const kreis = applicableQuestions(model, { population: 200000, kind: 'kreis' });
    assert.ok(kreis.some((q) => q.appliesTo.types?.length === 1 && q.appliesTo.types[0] === 'kreis'));
    for (const q of kreis) assert.ok(!q.appliesTo.types || q.appliesTo.types.includes('kreis'), q.id);
  });

  it('bounds are inclusive below and exclusive above; an unknown population ignores size bounds', () => {
    const q = { ...model.questions[0]!, appliesTo: { minPopulation: 2000, maxPopulation: 5000 } };
    const m: MaturityModel = { ...model, questions: [q] };
    const count = (population: number | null) => applicableQuestions(m, { population, kind: 'gemeinde' }).length;
    assert.deepEqual([count(1999), count(2000), count(4999), count(5000), count(null)], [0, 1, 1, 0, 1]);
  });

  it('every question applies to some kind of municipality', () => {
    for (const q of model.questions) {
      const some = REGION_KINDS.some((kind) =>
        [800, 5000, 30000, 150000, 600000].some(
          (population) => applicableQuestions({ ...model, questions: [q] }, { population, kind }).length === 1,
        ),
      );
      assert.ok(some, q.id);
    }
  });
});

describe('validation errors name the item and field', () => {
  it('duplicate id', () => {
    const err = brokenError((m) => {
      m.questions[1]!.id = m.questions[0]!.id;
    });
    assert.match(err.message, /question "sg-01", field "id": duplicate id "sg-01"/);
    assert.deepEqual(err.problems[0], { subject: 'question "sg-01"', field: 'id', message: 'duplicate id "sg-01"' });
  });

  it('four levels', () => {
    const err = brokenError((m) => {
      (m.questions[2]!.levels as unknown[]).pop();
    });
    assert.match(err.message, /question "sg-03", field "levels": expected 5 levels \(0\.\.4\), found 4/);
  });

  it('unknown source', () => {
    const err = brokenError((m) => {
      (m.questions[3]!.sources as { id: string }[])[0]!.id = 'nowhere';
    });
    assert.match(err.message, /question "sg-04", field "sources\[0\]\.id": unknown source "nowhere"/);
  });

  it('missing English', () => {
    const err = brokenError((m) => {
      delete (m.questions[4]!.help as { en?: string }).en;
      (m.questions[4]!.levels as { en: string }[])[2]!.en = ' ';
    });
    assert.match(err.message, /question "sg-05", field "help\.en": missing or empty English text/);
    assert.match(err.message, /question "sg-05", field "levels\[2\]\.en": missing or empty English text/);
    assert.equal(err.problems.length, 2);
  });

  it('unknown dimension, sector, region type and insane population bounds', () => {
    const err = brokenError((m) => {
      const q = m.questions[5]!;
      q.dimension = 'xx';
      q.sector = 'raumfahrt';
      q.appliesTo = { minPopulation: 50000, maxPopulation: 20000, types: ['stadtstaat'], max: 1 };
    });
    for (const re of [
      /question "sg-06", field "dimension": unknown dimension "xx"/,
      /question "sg-06", field "sector": unknown sector "raumfahrt"/,
      /question "sg-06", field "appliesTo": minPopulation \(50000\) must be below maxPopulation \(20000\)/,
      /question "sg-06", field "appliesTo\.types": unknown type "stadtstaat"/,
      /question "sg-06", field "appliesTo\.max": unknown field/,
    ]) {
      assert.match(err.message, re);
    }
    const negative = brokenError((m) => {
      m.questions[0]!.appliesTo = { minPopulation: -1 };
    });
    assert.match(negative.message, /question "sg-01", field "appliesTo\.minPopulation": must be an integer ≥ 0/);
  });

  it('counts of dimensions and questions, mapsTo in version 1, a misspelt field', () => {
    const err = brokenError((m) => {
      m.dimensions = (m.dimensions as unknown[]).slice(0, 5);
      m.questions = m.questions.slice(0, 30);
      m.questions[0]!.mapsTo = 'sg-02';
      m.questions[1]!.appliesto = {};
    });
    assert.match(err.message, /model, field "dimensions": expected 6–8 dimensions, found 5/);
    assert.match(err.message, /model, field "questions": expected 40–70 questions, found 30/);
    assert.match(err.message, /question "sg-01", field "mapsTo": must be null in version 1/);
    assert.match(err.message, /question "sg-02", field "appliesto": unknown field/);
    assert.match(err.message, /^maturity model v1: \d+ problems/);
  });

  it('not an object', () => {
    assert.throws(() => validateModel([]), ModelError);
    assert.throws(() => validateModel(null), ModelError);
  });
});

describe('versions', () => {
  it('v1 maps to nothing', () => {
    const m = mapToPrevious(loadModel('1'));
    assert.equal(m.previousVersion, null);
    assert.equal(Object.keys(m.mapping).length, loadModel('1').questions.length);
    assert.ok(Object.values(m.mapping).every((v) => v === null));
  });

  it('a v2 file maps its questions to v1, is the default, and a broken mapping names the question', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-model-'));
    try {
      const v1 = raw();
      fs.writeFileSync(path.join(dir, 'v1.json'), JSON.stringify(v1));
      const v2 = raw();
      v2.version = '2';
      v2.questions = v2.questions.map((q) => ({ ...q, mapsTo: q.id }));
      v2.questions[0] = { ...v2.questions[0]!, id: 'sg-99', mapsTo: 'sg-01' };
      v2.questions[1] = { ...v2.questions[1]!, id: 'sg-98', mapsTo: null };
      fs.writeFileSync(path.join(dir, 'v2.json'), JSON.stringify(v2));
      assert.deepEqual(availableVersions(dir), ['1', '2']);
      const model = loadModel(undefined, dir);
      assert.equal(model.version, '2');
      const m = mapToPrevious(model, loadModel('1', dir));
      assert.equal(m.previousVersion, '1');
      assert.equal(m.mapping['sg-99'], 'sg-01');
      assert.equal(m.mapping['sg-98'], null);
      assert.equal(m.mapping['sg-03'], 'sg-03');

      const bad = raw();
      bad.version = '2';
      bad.questions[0] = { ...bad.questions[0]!, mapsTo: 'zz-01' };
      bad.questions[1] = { ...bad.questions[1]!, mapsTo: 'sg-03' };
      bad.questions[2] = { ...bad.questions[2]!, mapsTo: 'sg-03' };
      const dup = (() => {
        try {
          validateModel(bad);
        } catch (err) {
          return err as ModelError;
        }
        return null;
      })();
      assert.ok(dup);
      assert.match(dup.message, /question "sg-03", field "mapsTo": "sg-03" is already continued by question "sg-02"/);

      bad.questions[2] = { ...bad.questions[2]!, mapsTo: null };
      const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-model-'));
      try {
        fs.writeFileSync(path.join(dir2, 'v1.json'), JSON.stringify(v1));
        fs.writeFileSync(path.join(dir2, 'v2.json'), JSON.stringify(bad));
        assert.throws(() => loadModel('2', dir2), /question "sg-01", field "mapsTo": "zz-01" is not a question of v1/);
      } finally {
        fs.rmSync(dir2, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('missing or malformed versions are ModelErrors', () => {
    assert.throws(
      () => loadModel('9'),
      (err) => err instanceof ModelError && /v9\.json not found/.test(err.message),
    );
    assert.throws(() => loadModel('../v1'), ModelError);
  });
});

describe('size classes', () => {
  it('lower bounds are inclusive', () => {
    const cases: [number, string][] = [
      [0, '<2000'],
      [1999, '<2000'],
      [2000, '2000-5000'],
      [4999, '2000-5000'],
      [5000, '5000-20000'],
      [19999, '5000-20000'],
      [20000, '20000-100000'],
      [99999, '20000-100000'],
      [100000, '100000-500000'],
      [499999, '100000-500000'],
      [500000, '>500000'],
      [3_700_000, '>500000'],
    ];
    for (const [population, id] of cases) assert.equal(sizeClass(population), id, String(population));
  });

  it('labels in both languages, contiguous bounds, invalid input rejected', () => {
    assert.equal(SIZE_CLASSES.length, 6);
    for (const [i, c] of SIZE_CLASSES.entries()) {
      assert.ok(c.label.de && c.label.en, c.id);
      if (i > 0) assert.equal(c.min, SIZE_CLASSES[i - 1]!.max);
    }
    assert.throws(() => sizeClass(-1), RangeError);
    assert.throws(() => sizeClass(Number.NaN), RangeError);
  });
});

describe('needsInput: who else has the facts', () => {
  it('v1 marks the questions that need the IT provider or other departments, with known names only', () => {
    const model = loadModel('1');
    const marked = model.questions.filter((q) => q.needsInput);
    assert.ok(
      marked.some((q) => q.needsInput!.includes('it-dienstleister')),
      'the IT provider',
    );
    assert.ok(
      marked.some((q) => q.needsInput!.includes('kaemmerei')),
      'the treasury',
    );
    assert.deepEqual(model.questions.find((q) => q.id === 'is-02')?.needsInput, ['it-dienstleister']);
    for (const q of marked) for (const s of q.needsInput!) assert.ok(INPUT_SOURCES.includes(s), `${q.id}: ${s}`);
  });

  it('an unknown or repeated source, or an empty list, names the question and the field', () => {
    const unknown = brokenError((m) => {
      m.questions[0]!.needsInput = ['hausmeister'];
    });
    assert.match(unknown.message, /question "sg-01", field "needsInput": unknown input source "hausmeister"/);
    const twice = brokenError((m) => {
      m.questions[0]!.needsInput = ['kaemmerei', 'kaemmerei'];
    });
    assert.match(twice.message, /"kaemmerei" listed twice/);
    const empty = brokenError((m) => {
      m.questions[0]!.needsInput = [];
    });
    assert.match(empty.message, /field "needsInput": must be a non-empty array/);
  });
});
