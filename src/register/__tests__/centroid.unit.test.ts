import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { multiPolygonCentroid, polygonCentroid } from '../centroid.js';

const square = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const close = (a: readonly number[] | null, b: readonly number[], eps = 1e-9) => {
  assert.ok(a, 'a centroid');
  assert.ok(Math.abs(a[0]! - b[0]!) < eps && Math.abs(a[1]! - b[1]!) < eps, `${a} ≈ ${b}`);
};

describe('area centroid of polygons (seats of regions)', () => {
  test('a square in Germany: its middle, whichever way the ring runs', () => {
    close(polygonCentroid([square(10, 50, 12, 52)]), [11, 51]);
    close(polygonCentroid([square(10, 50, 12, 52).reverse()]), [11, 51]);
  });

  test('an L shape: the centre of area, not of the bbox or the vertices (hand-computed 5/6, 5/6)', () => {
    const l = [
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
      [0, 0],
    ];
    close(polygonCentroid([l]), [5 / 6, 5 / 6]);
  });

  test('a hole subtracts its area, whatever its orientation', () => {
    // 4×4 minus the 2×2 corner: x = (16·2 − 4·1) / 12 = 7/3.
    close(polygonCentroid([square(0, 0, 4, 4), square(0, 0, 2, 2)]), [7 / 3, 7 / 3]);
    close(polygonCentroid([square(0, 0, 4, 4), square(0, 0, 2, 2).reverse()]), [7 / 3, 7 / 3]);
  });

  test('the polygons of a multipolygon are weighted by area (an island counts little)', () => {
    // 1×1 at (0.5, 0.5) and 2×2 at (11, 1): x = (0.5 + 44) / 5 = 8.9, y = (0.5 + 4) / 5 = 0.9.
    close(multiPolygonCentroid([[square(0, 0, 1, 1)], [square(10, 0, 12, 2)]]), [8.9, 0.9]);
  });

  test('without area the mean of the positions; without positions null', () => {
    close(
      polygonCentroid([
        [
          [10, 50],
          [12, 50],
          [10, 50],
        ],
      ]),
      [32 / 3, 50],
    );
    assert.equal(multiPolygonCentroid([]), null);
  });
});
