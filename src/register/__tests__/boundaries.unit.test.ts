import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  BoundaryError,
  type BoundaryFeature,
  type BoundaryImport,
  DEFAULT_TOLERANCE,
  type LonLat,
  matchBoundaryKeys,
  parseBoundaries,
} from '../boundaries.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/geo/${name}`, import.meta.url), 'utf8');

function byKey(result: BoundaryImport): Map<string, BoundaryFeature> {
  return new Map(result.features.map((f) => [f.key, f]));
}

function get(result: BoundaryImport, key: string): BoundaryFeature {
  const feature = byKey(result).get(key);
  assert.ok(feature, `feature ${key} missing`);
  return feature;
}

function signedArea(ring: LonLat[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as LonLat;
    const b = ring[i] as LonLat;
    sum += (a[0] - b[0]) * (a[1] + b[1]);
  }
  return sum / 2;
}

/** Every ring closed, at least 4 positions, no repeated consecutive positions, non-zero area, 5 decimals. */
function assertValid(feature: BoundaryFeature): void {
  assert.equal(feature.geometry.type, 'MultiPolygon');
  assert.ok(feature.geometry.coordinates.length > 0, `${feature.key}: no polygons`);
  let count = 0;
  for (const polygon of feature.geometry.coordinates) {
    assert.ok(polygon.length > 0);
    for (const ring of polygon) {
      count += ring.length;
      assert.ok(ring.length >= 4, `${feature.key}: ring with ${ring.length} positions`);
      assert.deepEqual(ring[0], ring[ring.length - 1], `${feature.key}: ring not closed`);
      assert.notEqual(signedArea(ring), 0, `${feature.key}: ring without area`);
      for (let i = 1; i < ring.length; i++) assert.notDeepEqual(ring[i], ring[i - 1]);
      for (const [x, y] of ring) {
        assert.equal(Math.round(x * 1e5) / 1e5, x);
        assert.equal(Math.round(y * 1e5) / 1e5, y);
      }
    }
  }
  assert.equal(feature.vertexCount, count);
}

/** A closed ring around (cx, cy): n points on a circle, radius r, with a deterministic wobble. */
function wobblyRing(cx: number, cy: number, r: number, n: number, wobble: number): number[][] {
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const rr = r + wobble * Math.sin(i * 7.3);
    ring.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  ring.push([...(ring[0] as number[])]);
  return ring;
}

function square(x: number, y: number, size: number): number[][] {
  return [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ];
}

interface TestFeature {
  properties: Record<string, string | number | null> | null;
  geometry: { type: string; coordinates: unknown } | null;
}

function collection(features: TestFeature[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', ...f })) });
}

function polygonFeature(ars: string, rings: number[][][], name = `Region ${ars}`): TestFeature {
  return { properties: { ARS: ars, GEN: name }, geometry: { type: 'Polygon', coordinates: rings } };
}

function expectError(
  fn: () => unknown,
  expected: { feature: number | null; field: string | null; reason: RegExp; file?: string },
): BoundaryError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof BoundaryError, `expected BoundaryError, got ${String(caught)}`);
  assert.equal(caught.feature, expected.feature);
  assert.equal(caught.field, expected.field);
  assert.match(caught.reason, expected.reason);
  if (expected.file) assert.equal(caught.file, expected.file);
  assert.ok(caught.message.startsWith(caught.file), caught.message);
  assert.ok(caught.message.includes(caught.reason));
  if (caught.feature !== null) assert.ok(caught.message.includes(`Feature ${caught.feature}`), caught.message);
  return caught;
}

describe('parseBoundaries: fixtures', () => {
  it('reads Kreise, merges features with the same key and computes bboxes', () => {
    const result = parseBoundaries(fixture('kreise-small.geojson'), 'kreise-small.geojson');
    assert.deepEqual(
      result.features.map((f) => [f.key, f.level, f.name]),
      [
        ['01001', 'kreis', 'Flensburg'],
        ['01002', 'kreis', 'Kiel'], // lower-case "ars" and "gen"
        ['01003', 'kreis', 'Lübeck'], // name of the largest part, not "Lübeck (Travemünde)"
        ['01004', 'kreis', 'Neumünster'],
      ],
    );
    const luebeck = get(result, '01003');
    assert.equal(luebeck.geometry.coordinates.length, 2, 'two polygons: main part with hole, and Travemünde');
    assert.equal(luebeck.geometry.coordinates[0]?.length, 2, 'the hole is kept');
    assert.deepEqual(luebeck.bbox, [10.6, 53.8, 10.9, 53.98]);
    assert.deepEqual(get(result, '01002').bbox, [10.05, 54.28, 10.2, 54.4]);
    for (const f of result.features) assertValid(f);

    assert.equal(result.sourceVertexCount, 5 + 4 + 5 + 5 + 4 + 5);
    assert.equal(
      result.vertexCount,
      result.features.reduce((n, f) => n + f.vertexCount, 0),
    );
    const merge = result.warnings.filter((w) => w.includes('01003'));
    assert.equal(merge.length, 1);
    assert.match(merge[0] ?? '', /2 Features \(Nr\. 3, 5\)/);
    assert.match(merge[0] ?? '', /Lübeck \| Lübeck \(Travemünde\)/);
  });

  it('turns a 12-digit ARS into the AGS, keeps 8-digit AGS and 9-digit Gemeindeverband keys', () => {
    const result = parseBoundaries(fixture('gemeinden-ars.geojson'), 'gemeinden-ars.geojson');
    assert.deepEqual(
      result.features.map((f) => [f.key, f.level, f.name]),
      [
        ['01001000', 'gemeinde', 'Flensburg'],
        ['01059126', 'gemeinde', 'Hürup'],
        ['01059141', 'gemeinde', 'Maasbüll'], // only lower-case "ags", name from "name"
        ['010595919', 'gemeindeverband', 'Hürup (Amt)'],
      ],
    );
    assert.ok(
      result.warnings.some((w) => w.includes('mischt Ebenen')),
      'Gemeinden and a Gemeindeverband in one file give a warning',
    );
  });

  it('warns when ARS and AGS of a feature disagree', () => {
    const text = collection([
      {
        properties: { ARS: '010595919126', AGS: '01059999' },
        geometry: { type: 'Polygon', coordinates: [square(9.5, 54.7, 0.05)] },
      },
    ]);
    const result = parseBoundaries(text, 'x.geojson');
    assert.equal(result.features[0]?.key, '01059126');
    assert.ok(result.warnings.some((w) => w.includes('01059999')));
  });

  it('refuses projected coordinates, naming the feature and the position', () => {
    expectError(() => parseBoundaries(fixture('projected.geojson'), 'projected.geojson'), {
      file: 'projected.geojson',
      feature: 2,
      field: 'geometry.coordinates[0][0]',
      reason: /außerhalb von WGS84.*projizierte Koordinaten\?.*EPSG:4326/,
    });
  });

  it('refuses a broken file with line, column and position', () => {
    const err = expectError(() => parseBoundaries(fixture('broken.geojson'), 'broken.geojson'), {
      file: 'broken.geojson',
      feature: null,
      field: null,
      reason: /kein gültiges JSON: Zeile 4, Spalte 60 \(Position 108\)/,
    });
    assert.ok(err.message.startsWith('broken.geojson: kein gültiges JSON'), err.message);
  });
});

describe('parseBoundaries: simplification', () => {
  const detailed = wobblyRing(10, 51, 0.2, 400, 0.0004);
  const hole = wobblyRing(10, 51, 0.05, 60, 0.0002);
  const tinyHole = square(10.1, 51.1, 0.0008);
  const tinyIsland = square(10.5, 51.5, 0.001);
  const text = collection([
    {
      properties: { ARS: '09162', GEN: 'Detailkreis' },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[detailed, hole, tinyHole], [tinyIsland]],
      },
    },
    polygonFeature('09163', [square(11, 51, 0.1)], 'Quadratkreis'),
  ]);

  it('reduces vertices, keeps rings valid, drops rings that collapse', () => {
    const result = parseBoundaries(text, 'detail.geojson');
    const source = 401 + 61 + 5 + 5 + 5;
    assert.equal(result.sourceVertexCount, source);
    assert.ok(result.vertexCount < source / 4, `expected a strong reduction, got ${result.vertexCount} of ${source}`);
    const f = get(result, '09162');
    assertValid(f);
    assert.equal(f.geometry.coordinates.length, 1, 'the tiny island is dropped');
    assert.equal(f.geometry.coordinates[0]?.length, 2, 'the big hole stays, the tiny hole is dropped');
    assert.ok(result.warnings.some((w) => w.includes('09162') && /1 Teilfläche\(n\) und 1 Loch/.test(w)));
    // bbox from the unsimplified geometry, rounded
    assert.deepEqual(
      f.bbox.map((v) => Math.round(v * 100) / 100),
      [9.8, 50.8, 10.5, 51.5],
    );
    // a square has nothing to simplify
    assert.equal(get(result, '09163').vertexCount, 5);
  });

  it('a smaller tolerance keeps more vertices; tolerance 0 only rounds', () => {
    const coarse = parseBoundaries(text, 'detail.geojson', { tolerance: 0.05 });
    const standard = parseBoundaries(text, 'detail.geojson');
    const fine = parseBoundaries(text, 'detail.geojson', { tolerance: 0.0005 });
    const none = parseBoundaries(text, 'detail.geojson', { tolerance: 0 });
    assert.equal(DEFAULT_TOLERANCE, 0.005);
    assert.ok(coarse.vertexCount < standard.vertexCount);
    assert.ok(standard.vertexCount < fine.vertexCount);
    assert.ok(fine.vertexCount < none.vertexCount);
    assert.equal(none.vertexCount, none.sourceVertexCount);
    for (const r of [coarse, standard, fine, none]) for (const f of r.features) assertValid(f);
    assert.throws(() => parseBoundaries(text, 'detail.geojson', { tolerance: -1 }), RangeError);
  });

  it('never drops a whole feature: a region smaller than the tolerance keeps its largest part', () => {
    const result = parseBoundaries(
      collection([
        {
          properties: { ARS: '09164', GEN: 'Winzig' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [[square(10, 51, 0.002)], [square(10.01, 51, 0.001)]],
          },
        },
      ]),
      'tiny.geojson',
      { tolerance: 0.05 },
    );
    const f = get(result, '09164');
    assertValid(f);
    assert.equal(f.geometry.coordinates.length, 1);
    assert.deepEqual(f.geometry.coordinates[0]?.[0]?.[0], [10, 51]);
    assert.ok(result.warnings.some((w) => w.includes('09164') && w.includes('größte')));
  });

  it('rounds to 5 decimals and closes unclosed rings with a warning', () => {
    const result = parseBoundaries(
      collection([
        polygonFeature('01001', [
          [
            [9.123456789, 54.000004],
            [9.2, 54.000001],
            [9.2, 54.1],
            [9.123456789, 54.1],
          ],
        ]),
      ]),
      'open.geojson',
      { tolerance: 0 },
    );
    const ring = result.features[0]?.geometry.coordinates[0]?.[0];
    assert.deepEqual(ring, [
      [9.12346, 54],
      [9.2, 54],
      [9.2, 54.1],
      [9.12346, 54.1],
      [9.12346, 54],
    ]);
    assert.ok(result.warnings.some((w) => w.includes('nicht geschlossen')));
  });
});

describe('parseBoundaries: errors', () => {
  const good = polygonFeature('01001', [square(9.4, 54.7, 0.1)]);

  it('not JSON (position also for messages that V8 gives without one)', () => {
    expectError(() => parseBoundaries('{"type": "FeatureCollection", "features": [}', 'a.geojson'), {
      feature: null,
      field: null,
      reason: /kein gültiges JSON: Zeile 1, Spalte 44 \(Position 43\)/,
    });
    expectError(() => parseBoundaries('', 'empty.geojson'), {
      feature: null,
      field: null,
      reason: /kein gültiges JSON: Zeile 1, Spalte 1 \(Position 0\)/,
    });
    expectError(() => parseBoundaries('\n\n  {"a": 1} x', 'trailing.geojson'), {
      feature: null,
      field: null,
      reason: /Zeile 3, Spalte 12 \(Position 13\)/,
    });
  });

  it('accepts a UTF-8 byte order mark', () => {
    const result = parseBoundaries(`\uFEFF${collection([good])}`, 'bom.geojson');
    assert.equal(result.features.length, 1);
  });

  it('not a FeatureCollection', () => {
    expectError(() => parseBoundaries(JSON.stringify({ type: 'Feature', ...good }), 'f.geojson'), {
      feature: null,
      field: 'type',
      reason: /keine GeoJSON-FeatureCollection: "type" ist "Feature"/,
    });
    expectError(() => parseBoundaries('[1, 2]', 'arr.geojson'), {
      feature: null,
      field: 'type',
      reason: /keine GeoJSON-FeatureCollection/,
    });
    expectError(() => parseBoundaries('{"type": "FeatureCollection"}', 'nofeatures.geojson'), {
      feature: null,
      field: 'features',
      reason: /"features" ist fehlt|erwartet ein Array/,
    });
  });

  it('accepts the usual names of WGS84 / ETRS89 lon/lat', () => {
    for (const name of ['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::4326', 'EPSG:4326', 'EPSG:4258']) {
      const text = JSON.stringify({
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name } },
        features: [{ type: 'Feature', ...good }],
      });
      assert.equal(parseBoundaries(text, 'wgs84.geojson').features.length, 1, name);
    }
  });

  it('a CRS other than WGS84 lon/lat', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25832' } },
      features: [{ type: 'Feature', ...good }],
    });
    expectError(() => parseBoundaries(text, 'utm.geojson'), {
      feature: null,
      field: 'crs',
      reason: /EPSG::25832.*EPSG:4326/,
    });
  });

  it('a feature without key', () => {
    expectError(
      () =>
        parseBoundaries(
          collection([good, { properties: { GEN: 'Ohne', ARS: '' }, geometry: good.geometry }]),
          'nokey.geojson',
        ),
      { feature: 2, field: 'properties.ARS', reason: /weder ARS noch AGS/ },
    );
    expectError(() => parseBoundaries(collection([{ properties: null, geometry: good.geometry }]), 'x.geojson'), {
      feature: 1,
      field: 'properties.ARS',
      reason: /weder ARS noch AGS/,
    });
  });

  it('a key that is not digits, has an unknown length or is a number', () => {
    expectError(() => parseBoundaries(collection([good, polygonFeature('01A01', [square(9, 54, 0.1)])]), 'x'), {
      feature: 2,
      field: 'properties.ARS',
      reason: /"01A01" besteht nicht nur aus Ziffern/,
    });
    expectError(() => parseBoundaries(collection([polygonFeature('0100100', [square(9, 54, 0.1)])]), 'x'), {
      feature: 1,
      field: 'properties.ARS',
      reason: /hat 7 Ziffern/,
    });
    expectError(
      () =>
        parseBoundaries(
          collection([
            { properties: { ags: 1001000 }, geometry: { type: 'Polygon', coordinates: [square(9, 54, 1)] } },
          ]),
          'x',
        ),
      { feature: 1, field: 'properties.ags', reason: /ist eine Zahl/ },
    );
  });

  it('a geometry that is not Polygon or MultiPolygon', () => {
    expectError(
      () =>
        parseBoundaries(
          collection([good, good, { properties: { ARS: '01002' }, geometry: { type: 'Point', coordinates: [9, 54] } }]),
          'x',
        ),
      { feature: 3, field: 'geometry.type', reason: /Geometrietyp "Point"; erwartet Polygon oder MultiPolygon/ },
    );
    expectError(() => parseBoundaries(collection([{ properties: { ARS: '01002' }, geometry: null }]), 'x'), {
      feature: 1,
      field: 'geometry',
      reason: /keine Geometrie/,
    });
  });

  it('coordinates outside the WGS84 range, broken positions and rings', () => {
    expectError(
      () =>
        parseBoundaries(
          collection([
            good,
            {
              properties: { ARS: '01002' },
              geometry: { type: 'MultiPolygon', coordinates: [[square(9, 54, 0.1)], [square(9, 95, 0.1)]] },
            },
          ]),
          'x',
        ),
      { feature: 2, field: 'geometry.coordinates[1][0][0]', reason: /\[9, 95\] liegt außerhalb von WGS84/ },
    );
    expectError(
      () =>
        parseBoundaries(
          collection([
            {
              properties: { ARS: '01002' },
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [9, 54],
                    [9, '54'],
                  ],
                ],
              },
            },
          ]),
          'x',
        ),
      { feature: 1, field: 'geometry.coordinates[0][1]', reason: /keine Zahlen/ },
    );
    expectError(
      () =>
        parseBoundaries(
          collection([
            {
              properties: { ARS: '01002' },
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [9, 54],
                    [9.1, 54],
                    [9, 54],
                  ],
                ],
              },
            },
          ]),
          'x',
        ),
      { feature: 1, field: 'geometry.coordinates[0]', reason: /mindestens 4/ },
    );
  });

  it('is all-or-nothing: an error in the last feature throws, nothing is returned', () => {
    const features = Array.from({ length: 20 }, (_, i) =>
      polygonFeature(`010${String(i + 10)}`, [wobblyRing(9 + i * 0.1, 54, 0.04, 50, 0.001)]),
    );
    features.push({ properties: { ARS: '01099' }, geometry: { type: 'LineString', coordinates: [] } });
    expectError(() => parseBoundaries(collection(features), 'many.geojson'), {
      feature: 21,
      field: 'geometry.type',
      reason: /LineString/,
    });
  });
});

describe('matchBoundaryKeys', () => {
  it('splits keys into known and unknown, keeps order, drops duplicates', () => {
    const known = new Set(['01001', '01002', '16063']);
    assert.deepEqual(matchBoundaryKeys(['16056', '01001', '16063', '01001', '99999'], known), {
      matched: ['01001', '16063'],
      unmatched: ['16056', '99999'],
    });
    assert.deepEqual(matchBoundaryKeys([], known), { matched: [], unmatched: [] });
  });
});
