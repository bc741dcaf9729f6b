import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { type Position, polygonsBBox, ringArea, simplifyRing } from '../geo.js';
import { ROOT } from '../paths.js';

/** Closed square, counter-clockwise with y up. */
const square = (x: number, y: number, size: number): Position[] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];

describe('ringArea', () => {
  test('signed shoelace area: counter-clockwise (y up) positive, clockwise negative', () => {
    assert.equal(ringArea(square(0, 0, 2)), 4);
    assert.equal(ringArea(square(0, 0, 2).reverse()), -4);
    assert.equal(
      ringArea([
        [0, 0],
        [4, 0],
        [0, 3],
        [0, 0],
      ]),
      6,
    );
  });

  test('an open ring gives the same area as the closed one; degenerate rings give 0', () => {
    assert.equal(ringArea(square(1, 1, 3).slice(0, -1)), ringArea(square(1, 1, 3)));
    assert.equal(ringArea([]), 0);
    assert.equal(ringArea([[1, 1]]), 0);
    assert.equal(
      ringArea([
        [0, 0],
        [5, 5],
        [0, 0],
      ]),
      0,
    );
    assert.equal(
      ringArea([
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 0],
      ]),
      0,
    ); // collinear
  });

  test('lon/lat rings in square degrees, extra ordinates ignored', () => {
    const ring = [
      [9, 50, 100],
      [10, 50, 100],
      [10, 51, 100],
      [9, 51, 100],
      [9, 50, 100],
    ];
    assert.equal(ringArea(ring), 1);
  });
});

describe('polygonsBBox', () => {
  test('covers every ring of every polygon', () => {
    const polygons = [[square(0, 0, 10), square(2, 2, 1)], [square(-5, 20, 2)]];
    assert.deepEqual(polygonsBBox(polygons), [-5, 0, 10, 22]);
  });

  test('without positions it is infinite (not finite, so callers can tell)', () => {
    const box = polygonsBBox([]);
    assert.deepEqual(box, [
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    assert.equal(box.every(Number.isFinite), false);
  });
});

describe('simplifyRing', () => {
  const wiggly: Position[] = [
    [0, 0],
    [5, 0.05],
    [10, 0],
    [10, 10],
    [5, 10.05],
    [0, 10],
    [0, 0],
  ];

  test('removes vertices within the tolerance and returns a closed ring', () => {
    assert.deepEqual(
      simplifyRing(wiggly, 0.2),
      square(0, 0, 10)
        .slice(0, 4)
        .concat([[0, 0]]),
    );
    // below the wiggle's height every vertex stays
    assert.deepEqual(simplifyRing(wiggly, 0.01), wiggly);
  });

  test('keeps a vertex that is far from the segment even when it is close to the segment’s line', () => {
    // (0.1, -5) is 0.1 from the line x = 0 through (0, 10) and (0, 0), but 5 from the segment between them.
    const spike: Position[] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0.1, -5],
      [0, 0],
    ];
    assert.deepEqual(simplifyRing(spike, 0.5), spike);
  });

  test('a ring smaller than the tolerance collapses (fewer than 4 positions)', () => {
    assert.ok(simplifyRing(square(0, 0, 1), 5).length < 4);
  });

  test('tolerance 0 or a too short ring: returned as it is, as a copy; the input is never changed', () => {
    const ring = square(0, 0, 1);
    const copy = structuredClone(ring);
    const same = simplifyRing(ring, 0);
    assert.deepEqual(same, ring);
    assert.notEqual(same, ring);
    assert.deepEqual(simplifyRing(ring.slice(0, 3), 1), ring.slice(0, 3));
    simplifyRing(ring, 5);
    simplifyRing(wiggly, 0.2);
    assert.deepEqual(ring, copy);
    assert.equal(wiggly.length, 7);
  });
});

test('the shared helpers are the only ones: no other file under src/ computes ring areas or uses turf directly', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== '__tests__') walk(p);
      } else if (/\.tsx?$/.test(e.name) && p !== path.join(ROOT, 'src/platform/geo.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        if (/function\s+ringArea\b|from '@turf\//.test(text)) offenders.push(path.relative(ROOT, p));
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  assert.deepEqual(offenders, []);
});
