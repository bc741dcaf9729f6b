import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  complementarySuppression,
  type DifferenceUnit,
  distribution,
  findSmallDifference,
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
  suppressAcrossMargins,
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

describe('findSmallDifference', () => {
  // Units are Land × size-class cells; x = Land block, y = size block; a result counts once if its cell is in
  // exactly one of the two unions (same results on both sides: both = 0).
  const cells = (rows: [string, string, number][]): DifferenceUnit[] =>
    rows.map(([x, y, n]) => ({ x, y, onlyX: n, onlyY: n, both: 0 }));

  test('nested: a residue of one result', () => {
    // National = 13; Länder A (6), B (6) published, H (1) in the residue; one size class.
    const w = findSmallDifference(
      cells([
        ['A', 'S', 6],
        ['B', 'S', 6],
        ['R', 'S', 1],
      ]),
    )!;
    assert.equal(w.size, 1);
    assert.deepEqual(w.units, [2]);
  });

  test('crossing: Land minus size class with one result on either side', () => {
    const units = cells([
      ['L1', 'S1', 10],
      ['L1', 'S2', 1],
      ['L2', 'S1', 1],
      ['L2', 'S2', 10],
    ]);
    const w = findSmallDifference(units)!;
    assert.equal(w.size, 2);
    assert.deepEqual(w.units, [1, 2], 'the two single results');
  });

  test('no finding when every difference is empty or at least k', () => {
    assert.equal(
      findSmallDifference(
        cells([
          ['L1', 'S1', 5],
          ['L1', 'S2', 5],
          ['L2', 'S1', 5],
          ['L2', 'S2', 5],
        ]),
      ),
      null,
    );
    // A residue of exactly k.
    assert.equal(
      findSmallDifference(
        cells([
          ['A', 'S', 6],
          ['R', 'S', 5],
        ]),
      ),
      null,
    );
  });

  test('differences of demo data only are no finding', () => {
    const units = [
      { x: 'A', y: 'S', onlyX: 6, onlyY: 6, both: 0 },
      { x: 'R', y: 'S', onlyX: 1, onlyY: 1, both: 0, sensitive: false },
    ];
    assert.equal(findSmallDifference(units), null);
    assert.equal(findSmallDifference([units[0]!, { ...units[1]!, sensitive: true }])?.size, 1);
  });

  test('the same table in two releases: unchanged results cancel, changed ones count', () => {
    // Land A then (x) and now (y): 20 results, 3 of them changed → differs by 3.
    assert.equal(findSmallDifference([{ x: 'A', y: 'A', onlyX: 20, onlyY: 22, both: 3 }])?.size, 3);
    assert.equal(findSmallDifference([{ x: 'A', y: 'A', onlyX: 20, onlyY: 22, both: 5 }]), null);
  });

  test('matches brute force on random tables', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 300; trial++) {
      const units: DifferenceUnit[] = [];
      const nx = 1 + Math.floor(rand() * 4);
      const ny = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < 2 + Math.floor(rand() * 6); i++) {
        units.push({
          x: `x${Math.floor(rand() * nx)}`,
          y: `y${Math.floor(rand() * ny)}`,
          onlyX: Math.floor(rand() * 7),
          onlyY: Math.floor(rand() * 7),
          both: Math.floor(rand() * 4),
        });
      }
      const xs = [...new Set(units.map((u) => u.x))];
      const ys = [...new Set(units.map((u) => u.y))];
      let expected = false;
      for (let a = 0; a < 1 << xs.length; a++) {
        for (let b = 0; b < 1 << ys.length; b++) {
          let total = 0;
          for (const u of units) {
            const inX = ((a >> xs.indexOf(u.x)) & 1) === 1;
            const inY = ((b >> ys.indexOf(u.y)) & 1) === 1;
            total += inX ? (inY ? u.both : u.onlyX) : inY ? u.onlyY : 0;
          }
          if (total >= 1 && total < K_MIN) expected = true;
        }
      }
      const w = findSmallDifference(units);
      assert.equal(w !== null, expected, `trial ${trial}`);
      if (w) {
        let total = 0;
        for (const u of units) {
          const inX = w.x.includes(u.x);
          const inY = w.y.includes(u.y);
          total += inX ? (inY ? u.both : u.onlyX) : inY ? u.onlyY : 0;
        }
        assert.equal(total, w.size, `trial ${trial}: the witness is a real difference`);
      }
    }
  });
});

describe('suppressAcrossMargins', () => {
  test('a Land with one result: it and the smallest other Land are withheld; size classes likewise', () => {
    const marks = suppressAcrossMargins(
      [
        { row: '01', col: 'small', n: 6 },
        { row: '09', col: 'small', n: 7 },
        { row: '02', col: 'large', n: 1 },
      ],
      { rows: ['01', '02', '09'], cols: ['small', 'large'] },
    );
    assert.deepEqual(marks.rows, { '01': 'complementary', '02': 'primary', '09': 'visible' });
    assert.deepEqual(marks.cols, { small: 'complementary', large: 'primary' });
    assert.equal(marks.unresolved, null);
  });

  test('below k in total nothing is published and nothing needs auditing', () => {
    const marks = suppressAcrossMargins([{ row: 'A', col: 'S', n: 4 }], { rows: ['A'], cols: ['S'] });
    assert.deepEqual(marks.rows, { A: 'primary' });
    assert.deepEqual(marks.cols, { S: 'primary' });
  });

  test('sticky marks, known residues and fixed cells', () => {
    const cells = [
      { row: 'A', col: 'S', n: 10 },
      { row: 'B', col: 'S', n: 10 },
      { row: 'C', col: 'S', n: 10 },
    ];
    const opts = { rows: ['A', 'B', 'C'], cols: ['S'] };
    assert.deepEqual(suppressAcrossMargins(cells, { ...opts, initial: { rows: ['B'] } }).rows, {
      A: 'visible',
      B: 'complementary',
      C: 'visible',
    });
    // Now H (1 result) is new; C is withheld from before, so the residue {C, H} has 11 — enough on its own. But an
    // earlier residue {C, E} is still known (unchanged), and E is published: C = {C, E} − E, so H would be the
    // residue minus C. The audit counts known sets and withholds more until H is covered by another row.
    const withH = [...cells, { row: 'E', col: 'S', n: 6 }, { row: 'H', col: 'S', n: 1 }];
    const rows = ['A', 'B', 'C', 'E', 'H'];
    const plain = suppressAcrossMargins(withH, { rows, cols: ['S'], initial: { rows: ['C'] } });
    assert.deepEqual(plain.rows, { A: 'visible', B: 'visible', C: 'complementary', E: 'visible', H: 'primary' });
    const known = suppressAcrossMargins(withH, {
      rows,
      cols: ['S'],
      initial: { rows: ['C'] },
      known: { rows: [['C', 'E']] },
    });
    assert.equal(known.unresolved, null);
    assert.ok(known.rows.A === 'complementary' || known.rows.B === 'complementary', JSON.stringify(known.rows));
    // A small new row whose only possible partners are fixed (known from an earlier release): unresolved.
    const marks = suppressAcrossMargins([...cells, { row: 'D', col: 'S', n: 1 }], {
      rows: ['A', 'B', 'C', 'D'],
      cols: ['S'],
      fixed: { rows: ['A', 'B', 'C'] },
    });
    assert.ok(marks.unresolved);
    assert.equal(marks.rows.D, 'primary');
  });
});
