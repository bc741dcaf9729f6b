import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applicableQuestions, loadModel, type ModelQuestion } from '../model.js';
import {
  levelLabel,
  levelName,
  loadGuidance,
  peerGroupName,
  resultGuidance,
  STRENGTH_MIN_SCORE,
  WEAKEST_COUNT,
} from '../result.js';
import { type Level, scoreCheck } from '../scoring.js';
import { translator } from './fixtures.js';

const model = loadModel();
const guidance = loadGuidance(model);
const questions = applicableQuestions(model, { population: 4800, kind: 'gemeinde' });

/** Guidance for answers given by `levelOf(question, index)`. */
function guide(levelOf: (q: ModelQuestion, i: number) => Level | null, lang: 'de' | 'en' = 'de') {
  const answers = questions.map((q, i) => ({ questionId: q.id, level: levelOf(q, i) }));
  const score = scoreCheck(questions, answers);
  const levels = new Map(answers.map((a) => [a.questionId, a.level]));
  return { g: resultGuidance(model, guidance, questions, levels, score, lang), score };
}

describe('level names', () => {
  it('are the model’s five names, in German and English', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((l) => levelName(model, l, 'de')),
      ['Nicht begonnen', 'Erste Schritte', 'Im Aufbau', 'Etabliert', 'Führend'],
    );
    assert.equal(levelName(model, 3, 'en'), 'Established');
    assert.equal(levelName(model, null, 'de'), '–');
    assert.equal(levelName(model, 5, 'de'), '–');
    assert.equal(levelLabel(translator('de'), model, 2, 'de'), 'Stufe 2 „Im Aufbau“');
    assert.equal(levelLabel(translator('en'), model, 4, 'en'), 'level 4 “Leading”');
  });

  it('stand beside every level of the guidance', () => {
    const { g } = guide((_q, i) => (i % 5) as Level);
    for (const d of g.dimensions) assert.equal(d.levelName, levelName(model, d.level, 'de'));
    for (const s of g.weakest) {
      assert.equal(s.levelName, levelName(model, s.level, 'de'));
      assert.equal(s.nextLevelName, levelName(model, s.nextLevel, 'de'));
    }
  });
});

describe('strengths', () => {
  it('none when every dimension is weak — not "the top two even at 38/100"', () => {
    const { g, score } = guide((_q, i) => (i % 3 === 0 ? 2 : 1));
    assert.ok(score.overall! < 50);
    assert.deepEqual(g.strengths, []);
  });

  it(`only the dimensions with a score of at least ${STRENGTH_MIN_SCORE}, best first`, () => {
    // Strategy at 4, security at 3, everything else at 1.
    const { g } = guide((q) => (q.dimension === 'sg' ? 4 : q.dimension === 'is' ? 3 : 1));
    assert.deepEqual(
      g.strengths.map((s) => [s.dimension, s.score, s.levelName]),
      [
        ['sg', 100, 'Führend'],
        ['is', 75, 'Etabliert'],
      ],
    );
  });

  it('a dimension just under the threshold is no strength', () => {
    // Security: all at 3 but one at 2 → just under 75.
    const firstIs = questions.find((q) => q.dimension === 'is')!.id;
    const { g } = guide((q) => (q.dimension === 'is' ? (q.id === firstIs ? 2 : 3) : 1));
    const is = g.dimensions.find((d) => d.dimension === 'is')!;
    assert.ok(is.score! < STRENGTH_MIN_SCORE && is.score! > 70);
    assert.deepEqual(g.strengths, []);
  });
});

describe('next steps', () => {
  it(`the weakest questions (at most ${WEAKEST_COUNT}): lowest level first, ties in model order, n/a and level 4 never`, () => {
    // Every question at 4, except: three at 1, two at 0, one n/a, in mixed positions.
    const special = new Map<string, Level | null>([
      [questions[10]!.id, 1],
      [questions[2]!.id, 1],
      [questions[20]!.id, 0],
      [questions[30]!.id, 1],
      [questions[5]!.id, 0],
      [questions[1]!.id, null],
      [questions[35]!.id, 2],
    ]);
    const { g } = guide((q) => (special.has(q.id) ? special.get(q.id)! : 4));
    assert.deepEqual(
      g.weakest.map((s) => s.questionId),
      [questions[5]!.id, questions[20]!.id, questions[2]!.id, questions[10]!.id, questions[30]!.id],
    );
    const first = g.weakest[0]!;
    const q5 = questions[5]!;
    assert.equal(first.level, 0);
    assert.equal(first.nextLevel, 1);
    assert.equal(first.next, q5.levels[1].de, 'the descriptor of the next level');
    assert.equal(first.why, q5.why.de);
  });

  it('all at level 4: no next steps, and no dimension has a next level', () => {
    const { g } = guide(() => 4);
    assert.deepEqual(g.weakest, []);
    for (const d of g.dimensions) {
      assert.equal(d.nextLevel, null);
      assert.deepEqual(d.steps, []);
    }
    assert.equal(g.strengths.length, g.dimensions.length);
  });

  it('per dimension: the next level, why it matters (from the guidance file) and the questions below it', () => {
    // Strategy: mixed 1 and 3 → score 50–62 → level 2, next level 3; its questions below 3 are the steps.
    const { g } = guide((q, i) => (q.dimension === 'sg' ? (i % 2 ? 3 : 1) : 2));
    const sg = g.dimensions.find((d) => d.dimension === 'sg')!;
    assert.equal(sg.level, 2);
    assert.equal(sg.nextLevel, 3);
    assert.equal(sg.nextLevelName, 'Etabliert');
    assert.equal(sg.why, guidance.dimensions.sg!.why.de);
    assert.ok(sg.why.length > 80, 'a real explanation');
    assert.ok(sg.steps.length > 0 && sg.steps.length <= 2);
    for (const s of sg.steps) {
      assert.equal(s.dimension, 'sg');
      assert.ok(s.level < 3);
      const q = questions.find((x) => x.id === s.questionId)!;
      assert.equal(s.next, q.levels[(s.level + 1) as Level].de);
    }
  });

  it('in English, the English texts', () => {
    const { g } = guide(() => 1, 'en');
    assert.equal(g.dimensions[0]!.why, guidance.dimensions[g.dimensions[0]!.dimension]!.why.en);
    assert.equal(g.weakest[0]!.levelName, 'First steps');
  });
});

describe('the guidance file', () => {
  it('explains every dimension of the model in German and English, with known sources', () => {
    const ids = new Set(model.sources.map((s) => s.id));
    for (const d of model.dimensions) {
      const entry = guidance.dimensions[d.id];
      assert.ok(entry?.why.de && entry.why.en, d.id);
      for (const s of entry.sources) assert.ok(ids.has(s.id), `${d.id}: ${s.id}`);
    }
  });
});

describe('peer group names', () => {
  const t = translator('de');
  it('name the size class, the Land and the type in words', () => {
    const base = { sizeClass: '2000-5000', stateKey: '09', regionType: 'gemeinde' };
    assert.equal(
      peerGroupName(t, 'de', { ...base, kind: 'sizeState' }),
      'Kommunen (2.000 bis unter 5.000 Einwohner) in Bayern',
    );
    assert.equal(peerGroupName(t, 'de', { ...base, kind: 'state' }), 'Kommunen in Bayern');
    assert.equal(
      peerGroupName(t, 'de', { ...base, kind: 'size' }),
      'Kommunen (2.000 bis unter 5.000 Einwohner) bundesweit',
    );
    assert.equal(peerGroupName(t, 'de', { ...base, kind: 'type' }), 'Kreisangehörige Gemeinden bundesweit');
    assert.equal(
      peerGroupName(translator('en'), 'en', { ...base, kind: 'sizeState' }),
      'Municipalities (2,000 to under 5,000 inhabitants) in Bavaria',
    );
  });
});
