import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Answer, LEVEL_THRESHOLDS, levelForScore, type QuestionRef, scoreCheck } from '../scoring.js';

const q = (id: string, dimension: string, sector = 'S'): QuestionRef => ({ id, dimension, sector });
const a = (questionId: string, level: Answer['level']): Answer => ({ questionId, level });

describe('scoreCheck', () => {
  test('n/a does not lower the score: all levels 4 plus n/a scores 100', () => {
    const questions = [q('Q1', 'A'), q('Q2', 'A'), q('Q3', 'A'), q('Q4', 'B')];
    // A: levels 4, 4 and one n/a → (4 + 4) · 25 / 2 = 100; B: only n/a → null, left out of the overall.
    const s = scoreCheck(questions, [a('Q1', 4), a('Q2', 4), a('Q3', null), a('Q4', null)]);
    assert.equal(s.overall, 100);
    assert.equal(s.level, 4);
    assert.deepEqual(s.byDimension.A, { score: 100, answered: 2, notApplicable: 1, total: 3 });
    assert.deepEqual(s.byDimension.B, { score: null, answered: 0, notApplicable: 1, total: 1 });
    assert.equal(s.answered, 2);
    assert.equal(s.notApplicable, 2);
    assert.equal(s.missing, 0);
    assert.equal(s.complete, true);
  });

  test('n/a is neutral: the same levels with and without n/a give the same score', () => {
    const questions = [q('Q1', 'A'), q('Q2', 'A'), q('Q3', 'A')];
    // (1 + 3) · 25 / 2 = 50 in both cases.
    const with_ = scoreCheck(questions, [a('Q1', 1), a('Q2', 3), a('Q3', null)]);
    const without = scoreCheck(questions.slice(0, 2), [a('Q1', 1), a('Q2', 3)]);
    assert.equal(with_.overall, 50);
    assert.equal(without.overall, 50);
  });

  test('missing answers: excluded from the score, counted, and the check is incomplete', () => {
    const questions = [q('Q1', 'A'), q('Q2', 'A'), q('Q3', 'A')];
    // Only Q1 = 2 → 2 · 25 / 1 = 50; Q2 and Q3 missing.
    const s = scoreCheck(questions, [a('Q1', 2)]);
    assert.equal(s.overall, 50);
    assert.equal(s.level, 2);
    assert.equal(s.missing, 2);
    assert.equal(s.total, 3);
    assert.equal(s.complete, false);
    assert.deepEqual(s.byDimension.A, { score: 50, answered: 1, notApplicable: 0, total: 3 });
  });

  test('nothing answered with a level → overall and level null', () => {
    const s = scoreCheck([q('Q1', 'A'), q('Q2', 'B')], [a('Q1', null)]);
    assert.equal(s.overall, null);
    assert.equal(s.level, null);
    assert.equal(s.complete, false);
    assert.equal(scoreCheck([], []).overall, null);
    assert.equal(scoreCheck([], []).complete, true);
  });

  test('answers to questions that do not apply are ignored', () => {
    const s = scoreCheck([q('Q1', 'A')], [a('Q1', 4), a('Q-other', 0)]);
    assert.equal(s.overall, 100);
    assert.equal(s.answered, 1);
  });

  test('dimensions weigh equally, regardless of their number of questions', () => {
    const questions = [q('A1', 'A'), q('A2', 'A'), q('A3', 'A'), q('A4', 'A'), q('B1', 'B')];
    const s = scoreCheck(questions, [a('A1', 4), a('A2', 4), a('A3', 4), a('A4', 4), a('B1', 0)]);
    // A = 16 · 25 / 4 = 100, B = 0 · 25 / 1 = 0 → overall (100 + 0) / 2 = 50 (level 2).
    // A mean over questions would have given 16 · 25 / 5 = 80 (level 4): A's four questions would dominate.
    assert.equal(s.byDimension.A!.score, 100);
    assert.equal(s.byDimension.B!.score, 0);
    assert.equal(s.overall, 50);
    assert.equal(s.level, 2);
  });

  test('sector scores are reported per sector but do not enter the overall', () => {
    const questions = [q('Q1', 'A', 'S1'), q('Q2', 'A', 'S2'), q('Q3', 'B', 'S2')];
    const s = scoreCheck(questions, [a('Q1', 4), a('Q2', 2), a('Q3', 1)]);
    // S1: 4 · 25 = 100; S2: (2 + 1) · 25 / 2 = 37.5.
    assert.deepEqual(s.bySector.S1, { score: 100, answered: 1, notApplicable: 0, total: 1 });
    assert.deepEqual(s.bySector.S2, { score: 37.5, answered: 2, notApplicable: 0, total: 2 });
    // A: (4 + 2) · 25 / 2 = 75; B: 25 → overall (75 + 25) / 2 = 50.
    assert.equal(s.overall, 50);
  });

  test('level boundaries through scoreCheck: exactly 20 → 1, exactly 80 → 4, 100 → 4', () => {
    const five = ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'].map((id) => q(id, 'A'));
    // Levels 1,1,1,1,0: 4 · 25 / 5 = 20 → level 1.
    const s20 = scoreCheck(five, [a('Q1', 1), a('Q2', 1), a('Q3', 1), a('Q4', 1), a('Q5', 0)]);
    assert.equal(s20.overall, 20);
    assert.equal(s20.level, 1);
    // Levels 4,3,3,3,3: 16 · 25 / 5 = 80 → level 4.
    const s80 = scoreCheck(five, [a('Q1', 4), a('Q2', 3), a('Q3', 3), a('Q4', 3), a('Q5', 3)]);
    assert.equal(s80.overall, 80);
    assert.equal(s80.level, 4);
    // Levels 3,3,3,3,3: 15 · 25 / 5 = 75 → level 3.
    const s75 = scoreCheck(five, [a('Q1', 3), a('Q2', 3), a('Q3', 3), a('Q4', 3), a('Q5', 3)]);
    assert.equal(s75.level, 3);
    const s100 = scoreCheck(five, [a('Q1', 4), a('Q2', 4), a('Q3', 4), a('Q4', 4), a('Q5', 4)]);
    assert.equal(s100.level, 4);
  });

  test('rejects duplicate questions, duplicate answers and invalid levels', () => {
    assert.throws(() => scoreCheck([q('Q1', 'A'), q('Q1', 'B')], []), RangeError);
    assert.throws(() => scoreCheck([q('Q1', 'A')], [a('Q1', 1), a('Q1', 2)]), RangeError);
    assert.throws(() => scoreCheck([q('Q1', 'A')], [{ questionId: 'Q1', level: 5 as 4 }]), RangeError);
    assert.throws(() => scoreCheck([q('Q1', 'A')], [{ questionId: 'Q1', level: 1.5 as 1 }]), RangeError);
  });
});

describe('levelForScore', () => {
  test('[0,20) → 0, [20,40) → 1, [40,60) → 2, [60,80) → 3, [80,100] → 4', () => {
    assert.deepEqual(LEVEL_THRESHOLDS, [20, 40, 60, 80]);
    const cases: [number, number][] = [
      [0, 0],
      [19.99, 0],
      [20, 1],
      [39.99, 1],
      [40, 2],
      [59.99, 2],
      [60, 3],
      [79.99, 3],
      [80, 4],
      [99.99, 4],
      [100, 4],
    ];
    for (const [score, level] of cases) assert.equal(levelForScore(score), level, `score ${score}`);
  });

  test('float noise just below a boundary still reaches the level', () => {
    // A mean of dimension means can come out as 79.99999999999999 where the exact value is 80.
    assert.equal(levelForScore(79.99999999999999), 4);
    assert.equal(levelForScore(100.00000000000001), 4);
    assert.equal(levelForScore(79.9999), 3);
  });

  test('rejects scores outside 0..100', () => {
    assert.throws(() => levelForScore(-1), RangeError);
    assert.throws(() => levelForScore(101), RangeError);
    assert.throws(() => levelForScore(Number.NaN), RangeError);
  });
});
