import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  complementarySuppression,
  distribution,
  gini,
  K_MIN,
  median,
  peerComparison,
  percentileRank,
  quantile,
  quartiles,
  quintileGap,
  safeAggregate,
  safeDistribution,
  suppressSmallGroups,
} from '../stats.js';

const close = (actual: number | null | undefined, expected: number, msg?: string) => {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-12,
    msg ?? `${actual} ≈ ${expected}`,
  );
};

describe('quantile (type 7)', () => {
  test('known values for [1, 2, 3, 4]', () => {
    // h = (n − 1) · q = 3q.
    close(quantile([1, 2, 3, 4], 0.25), 1.75); // h = 0.75 → 1 + 0.75 · (2 − 1)
    close(quantile([1, 2, 3, 4], 0.5), 2.5); // h = 1.5 → 2 + 0.5 · 1
    close(quantile([1, 2, 3, 4], 0.75), 3.25); // h = 2.25 → 3 + 0.25 · 1
    assert.equal(quantile([1, 2, 3, 4], 0), 1);
    assert.equal(quantile([1, 2, 3, 4], 1), 4);
    assert.equal(quantile([7], 0.3), 7);
  });

  test('rejects empty input and q outside [0, 1]', () => {
    assert.throws(() => quantile([], 0.5), RangeError);
    assert.throws(() => quantile([1], 1.1), RangeError);
    assert.throws(() => quantile([1], Number.NaN), RangeError);
  });

  test('median and quartiles sort their input', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
    assert.deepEqual(quartiles([4, 1, 3, 2]), { q1: 1.75, median: 2.5, q3: 3.25 });
    // 1..10: h = 9q → q1: h = 2.25 → 3.25; median: h = 4.5 → 5.5; q3: h = 6.75 → 7.75.
    assert.deepEqual(quartiles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), { q1: 3.25, median: 5.5, q3: 7.75 });
    assert.equal(quartiles([]), null);
  });
});

describe('percentileRank', () => {
  test('share below plus half of the ties', () => {
    const v = [1, 2, 2, 3];
    assert.equal(percentileRank(v, 2), 50); // (1 below + 2/2 ties) / 4 = 0.5
    assert.equal(percentileRank(v, 3), 87.5); // (3 + 1/2) / 4 = 0.875
    assert.equal(percentileRank(v, 1), 12.5); // (0 + 1/2) / 4
    assert.equal(percentileRank(v, 0), 0);
    assert.equal(percentileRank(v, 2.5), 75); // 3 below, no ties
    assert.equal(percentileRank(v, 9), 100);
    assert.equal(percentileRank([5, 5, 5, 5], 5), 50); // all tied → middle
    assert.equal(percentileRank([], 1), null);
  });
});

describe('gini', () => {
  test('known values', () => {
    assert.equal(gini([1, 1, 1, 1]), 0);
    // Sorted Σ (2i − n − 1)·x = 3 · 10 = 30; n · Σx = 4 · 10 = 40 → 0.75.
    assert.equal(gini([0, 0, 0, 10]), 0.75);
    assert.equal(gini([10, 0, 0, 0]), 0.75);
    // Σ|xi − xj| over i<j: 1+2+3+1+2+1 = 10, ordered pairs 20; 2n²x̄ = 2 · 16 · 2.5 = 80 → 0.25.
    close(gini([4, 2, 3, 1]), 0.25);
    assert.equal(gini([0, 0]), 0);
    assert.equal(gini([3, 3, 3]), 0);
  });

  test('null for fewer than 2 values, RangeError for negative values', () => {
    assert.equal(gini([]), null);
    assert.equal(gini([5]), null);
    assert.throws(() => gini([1, -1]), RangeError);
  });
});

describe('quintileGap', () => {
  test('10 values: quintiles of ⌊10/5⌋ = 2 values', () => {
    // Top {9, 10}: 9.5; bottom {1, 2}: 1.5 → 8.
    assert.equal(quintileGap([5, 1, 9, 3, 7, 2, 10, 4, 8, 6]), 8);
  });

  test('7 values: quintiles of 1 value (max − min); fewer than 5 → null', () => {
    assert.equal(quintileGap([1, 2, 3, 4, 5, 6, 7]), 6);
    assert.equal(quintileGap([1, 2, 3, 4]), null);
  });
});

describe('distribution', () => {
  test('counts per level 0..4', () => {
    assert.deepEqual(distribution([0, 2, 2, 4, 4, 4]), [1, 0, 2, 0, 3]);
    assert.deepEqual(distribution([]), [0, 0, 0, 0, 0]);
    assert.throws(() => distribution([5 as 4]), RangeError);
  });
});

describe('safeAggregate and the k-anonymity rule', () => {
  test('K_MIN is 5', () => {
    assert.equal(K_MIN, 5);
  });

  test('null for 4 values, an aggregate without min/max/mean for 5', () => {
    assert.equal(safeAggregate([10, 20, 30, 40]), null);
    const agg = safeAggregate([50, 10, 40, 20, 30]);
    assert.ok(agg);
    // Sorted 10..50, h = 4q: q1 h = 1 → 20, median h = 2 → 30, q3 h = 3 → 40.
    assert.equal(agg.n, 5);
    assert.equal(agg.q1, 20);
    assert.equal(agg.median, 30);
    assert.equal(agg.q3, 40);
    // Gini: Σ (2i − 6)·x = −4·10 − 2·20 + 0 + 2·40 + 4·50 = 200; n·Σx = 5 · 150 = 750 → 4/15.
    close(agg.gini, 4 / 15);
    // Quintiles of one value each would be individual results → not published.
    assert.equal(agg.quintileGap, null);
    assert.deepEqual(Object.keys(agg).sort(), ['gini', 'median', 'n', 'q1', 'q3', 'quintileGap']);
  });

  test('quintile gap once each quintile covers k municipalities (n ≥ 25)', () => {
    const values = Array.from({ length: 25 }, (_, i) => i + 1);
    const agg = safeAggregate(values)!;
    // Top {21..25}: 23; bottom {1..5}: 3 → 20.
    assert.equal(agg.quintileGap, 20);
    // h = 24q: q1 h = 6 → 7; median h = 12 → 13; q3 h = 18 → 19.
    assert.deepEqual([agg.q1, agg.median, agg.q3], [7, 13, 19]);
    assert.equal(safeAggregate(values.slice(0, 24))!.quintileGap, null);
  });

  test('k can be raised, never lowered below K_MIN', () => {
    assert.equal(safeAggregate([1, 2, 3, 4, 5], 6), null);
    assert.throws(() => safeAggregate([1, 2, 3], 3), RangeError);
  });

  test('safeDistribution', () => {
    assert.equal(safeDistribution([1, 2, 3, 4]), null);
    assert.deepEqual(safeDistribution([1, 2, 3, 4, 4]), { n: 5, counts: [0, 1, 1, 1, 2] });
  });

  test('suppressSmallGroups', () => {
    const r = suppressSmallGroups({ BY: [10, 20, 30, 40, 50], HB: [10, 90], SL: [] });
    assert.equal(r.BY?.median, 30);
    assert.equal(r.HB, null);
    assert.equal(r.SL, null);
  });
});

describe('complementarySuppression', () => {
  test('Land with n and a Kreis with n − 1: the Kreis is suppressed', () => {
    // 12 − 11 = 1 municipality would be revealed by differencing.
    assert.deepEqual(complementarySuppression(12, [11]), ['complementary']);
  });

  test('primary suppression plus the smallest visible child', () => {
    // Child 2 (4 < 5) is primary. Residue 22 − (10 + 8) = 4 ∈ 1..4 → suppress the smallest visible (8).
    // Afterwards the residue is 22 − 10 = 12 ≥ 5.
    assert.deepEqual(complementarySuppression(22, [10, 8, 4]), ['visible', 'complementary', 'primary']);
    // Ties: the lowest index. Residue 14 − 12 = 2.
    assert.deepEqual(complementarySuppression(14, [6, 6, 2]), ['complementary', 'visible', 'primary']);
  });

  test('no complementary suppression when the residue is 0 or at least k', () => {
    assert.deepEqual(complementarySuppression(20, [10, 5, 5]), ['visible', 'visible', 'visible']);
    // Residue 20 − 15 = 5 (the primaries 2 + 3 together) is itself a group of k.
    assert.deepEqual(complementarySuppression(20, [10, 5, 2, 3]), ['visible', 'visible', 'primary', 'primary']);
    // Empty children show nothing.
    assert.deepEqual(complementarySuppression(10, [10, 0]), ['visible', 'visible']);
  });

  test('members outside any child count towards the residue', () => {
    // 13 − (6 + 6) = 1 municipality in no child → one child suppressed.
    assert.deepEqual(complementarySuppression(13, [6, 6]), ['complementary', 'visible']);
  });

  test('a parent below k suppresses every child; inconsistent counts throw', () => {
    assert.deepEqual(complementarySuppression(3, [2, 1, 0]), ['primary', 'primary', 'visible']);
    assert.throws(() => complementarySuppression(5, [3, 3]), RangeError);
    assert.throws(() => complementarySuppression(5, [-1]), RangeError);
  });
});

describe('peerComparison', () => {
  test('needs k peers besides the municipality itself', () => {
    assert.equal(peerComparison([10, 20, 30, 40], 30), null);
    const r = peerComparison([10, 20, 30, 40, 50], 30)!;
    assert.equal(r.peers.median, 30);
    assert.equal(r.percentile, 50); // (2 below + 1/2 tie) / 5
    assert.equal(peerComparison([10, 20, 30, 40, 50], 35)!.percentile, 60); // 3 / 5
  });
});
