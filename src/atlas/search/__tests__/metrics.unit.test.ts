import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ndcgAt, recallAt, summarise } from '../metrics.js';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);

describe('recallAt', () => {
  it('is the share of relevant ids (grade ≥ 1) in the top k', () => {
    // relevant a, b, c; the top 10 holds a and c → 2 of 3
    close(recallAt(10, ['x', 'a', 'c'], { a: 2, b: 1, c: 1 }), 2 / 3);
  });

  it('divides by k when a query has more relevant ids than k', () => {
    const rel = { r1: 1, r2: 1, r3: 1, r4: 1, r5: 1 };
    // top 2 = r1, x → 1 found of min(2, 5) = 2
    close(recallAt(2, ['r1', 'x', 'r2'], rel), 0.5);
    close(recallAt(2, ['r3', 'r1'], rel), 1);
  });

  it('ignores ids beyond k, grade-0 judgments and repeated ids', () => {
    close(recallAt(1, ['x', 'a'], { a: 2 }), 0);
    close(recallAt(10, ['a', 'z'], { a: 1, z: 0 }), 1);
    // a repeated does not count twice, and the repeat does not push b out of the top 2
    close(recallAt(2, ['a', 'a', 'b'], { a: 1, b: 1, c: 1 }), 1);
  });

  it('is 0 for an empty ranking and refuses judgments without a relevant id or a bad k', () => {
    close(recallAt(10, [], { a: 1 }), 0);
    assert.throws(() => recallAt(10, ['a'], {}), RangeError);
    assert.throws(() => recallAt(10, ['a'], { a: 0 }), RangeError);
    assert.throws(() => recallAt(0, ['a'], { a: 1 }), RangeError);
    assert.throws(() => recallAt(2.5, ['a'], { a: 1 }), RangeError);
  });
});

describe('ndcgAt', () => {
  it('uses gains 2^grade − 1 with a log2 discount, normalised by the ideal ranking', () => {
    // DCG = 3/log2(3) + 1/log2(4) = 1.8927892607 + 0.5 = 2.3927892607
    // IDCG (a, b, c) = 3/1 + 1/log2(3) + 1/2 = 4.1309297536 → 0.5792374607
    close(ndcgAt(10, ['x', 'a', 'c'], { a: 2, b: 1, c: 1 }), 0.5792374606819809);
    // only the grade-1 id, at rank 2: (1/log2(3)) / (3 + 1/log2(3)) = 0.6309297536 / 3.6309297536
    close(ndcgAt(10, ['x', 'b'], { a: 2, b: 1 }), 0.17376534287144002);
  });

  it('is 1 for the ideal order and less for the same ids in a worse order', () => {
    close(ndcgAt(10, ['a', 'b', 'c'], { a: 2, b: 1, c: 1 }), 1);
    close(ndcgAt(10, ['a', 'c', 'b'], { a: 2, b: 1, c: 1 }), 1);
    assert.ok(ndcgAt(10, ['b', 'a', 'c'], { a: 2, b: 1, c: 1 }) < 1);
  });

  it('cuts both the ranking and the ideal at k', () => {
    // k = 2, five grade-1 ids, found r1 at rank 1 only: 1 / (1 + 1/log2(3)) = 0.6131471928
    close(ndcgAt(2, ['r1', 'x', 'r2'], { r1: 1, r2: 1, r3: 1, r4: 1, r5: 1 }), 0.6131471927654584);
  });

  it('gives a repeated id its gain once and refuses judgments without a relevant id', () => {
    // a twice: the second a gains nothing, b moves to rank 2 → same as ['a', 'b']
    close(ndcgAt(10, ['a', 'a', 'b'], { a: 2, b: 1 }), ndcgAt(10, ['a', 'b'], { a: 2, b: 1 }));
    close(ndcgAt(10, [], { a: 2 }), 0);
    assert.throws(() => ndcgAt(10, ['a'], {}), RangeError);
  });
});

describe('summarise', () => {
  it('averages overall and per kind, each query weighing the same', () => {
    const s = summarise([
      { kind: 'typo', recall: 1, ndcg: 0.5 },
      { kind: 'typo', recall: 0.5, ndcg: 0.5 },
      { kind: 'plain', recall: 0, ndcg: 0.2 },
    ]);
    assert.equal(s.overall.queries, 3);
    close(s.overall.recall, 0.5);
    close(s.overall.ndcg, 0.4);
    assert.deepEqual(Object.keys(s.byKind), ['typo', 'plain']);
    assert.equal(s.byKind.typo?.queries, 2);
    close(s.byKind.typo?.recall ?? Number.NaN, 0.75);
    close(s.byKind.typo?.ndcg ?? Number.NaN, 0.5);
    close(s.byKind.plain?.recall ?? Number.NaN, 0);
    close(s.byKind.plain?.ndcg ?? Number.NaN, 0.2);
  });

  it('returns zero queries for no results', () => {
    assert.deepEqual(summarise([]), { overall: { queries: 0, recall: 0, ndcg: 0 }, byKind: {} });
  });
});
