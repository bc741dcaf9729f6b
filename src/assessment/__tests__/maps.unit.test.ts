import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComponentChildren, Fragment, h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { I18n } from '../../platform/i18n/i18n.js';
import type { BoundaryMultiPolygon, LonLat } from '../../register/boundaries.js';
import { contrastRatio, textColorOn } from '../charts.js';
import {
  Choropleth,
  classOf,
  equalCountBreaks,
  fixedBreaks,
  LAENDER,
  LAND_CODES,
  type MapFeature,
  MapWithTable,
  PALETTES,
  TileMap,
  TileMapWithTable,
} from '../maps.js';
import { messages } from '../messages.js';
import { fitProjection, GERMANY_BBOX, geometryToPath } from '../projection.js';

const i18n = new I18n([messages]);
const T = { de: i18n.translator('de'), en: i18n.translator('en') };

const render = (...nodes: ComponentChildren[]): string => renderToString(h(Fragment, null, ...nodes));
const identity = (p: LonLat): [number, number] => [p[0], p[1]];

function square(x: number, y: number, size: number): LonLat[] {
  return [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ];
}

function multi(...polygons: LonLat[][][]): BoundaryMultiPolygon {
  return { type: 'MultiPolygon', coordinates: polygons };
}

/** Absolute vertices of each subpath of a path written by geometryToPath. */
function parsePath(d: string): [number, number][][] {
  const tokens = d.match(/[MlLz]|-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
  const rings: [number, number][][] = [];
  let ring: [number, number][] = [];
  let mode = '';
  let x = 0;
  let y = 0;
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i] as string;
    if (/[MlLz]/.test(t)) {
      mode = t;
      i++;
      if (t === 'z') {
        rings.push(ring);
        ring = [];
      }
      continue;
    }
    const a = Number(t);
    const b = Number(tokens[i + 1]);
    i += 2;
    if (mode === 'M' || mode === 'L') [x, y] = [a, b];
    else [x, y] = [Math.round((x + a) * 10) / 10 + 0, Math.round((y + b) * 10) / 10 + 0];
    ring.push([x, y]);
  }
  return rings;
}

function attrs(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1] as string);
}

describe('projection', () => {
  it('maps the bbox corners into the viewBox, inside the padding', () => {
    const p = fitProjection(GERMANY_BBOX, { width: 500, padding: 8 });
    assert.equal(p.width, 500);
    assert.equal(p.viewBox, `0 0 500 ${p.height}`);
    // Germany is taller than wide.
    assert.ok(p.height > 600 && p.height < 720, `height ${p.height}`);
    const [minLon, minLat, maxLon, maxLat] = GERMANY_BBOX;
    const [x0, y0] = p.project([minLon, maxLat]); // north-west → top left
    const [x1, y1] = p.project([maxLon, minLat]); // south-east → bottom right
    assert.ok(Math.abs(x0 - 8) < 1e-9 && Math.abs(x1 - 492) < 1e-9);
    assert.ok(y0 >= 8 && y0 < 9, `top ${y0}`);
    assert.ok(y1 <= p.height - 8 && y1 > p.height - 9, `bottom ${y1}`);
    // North is up, east is right.
    const [cx, cy] = p.project([10, 51]);
    const [nx, ny] = p.project([10, 52]);
    const [ex] = p.project([11, 51]);
    assert.ok(ny < cy && nx === cx && ex > cx);
    // Longitude is shortened by about cos(51°).
    const ratio = (ex - cx) / (cy - ny);
    assert.ok(Math.abs(ratio - Math.cos((51.165 * Math.PI) / 180)) < 1e-3, `ratio ${ratio}`);
  });

  it('fits and centres the bbox in a fixed viewBox', () => {
    const p = fitProjection([0, 0, 10, 10], { width: 300, height: 100, padding: 10, referenceLatitude: 0 });
    assert.equal(p.viewBox, '0 0 300 100');
    const [x0, y0] = p.project([0, 10]);
    const [x1, y1] = p.project([10, 0]);
    assert.deepEqual([x0, y0, x1, y1], [110, 10, 190, 90]);
  });

  it('refuses an invalid bbox', () => {
    assert.throws(() => fitProjection([10, 0, 0, 10]), RangeError);
    assert.throws(() => fitProjection([Number.NaN, 0, 1, 1]), RangeError);
  });

  it('writes a small square as a compact closed path', () => {
    assert.equal(geometryToPath(multi([square(0, 0, 10)]), identity), 'M0 0l10 0 0 10-10 0z');
    assert.equal(geometryToPath(multi([square(0.5, 1.25, 0.5)]), identity), 'M.5 1.3l.5 0 0 .5-.5 0z');
    assert.equal(geometryToPath(multi([square(1, 1, 1.5)]), identity), 'M1 1l1.5 0 0 1.5-1.5 0z');
  });

  it('keeps holes and all polygons as subpaths', () => {
    const d = geometryToPath(multi([square(0, 0, 10), square(2, 2, 2)], [square(20, 0, 5)]), identity);
    assert.equal(d, 'M0 0l10 0 0 10-10 0zM2 2l2 0 0 2-2 0zM20 0l5 0 0 5-5 0z');
  });

  it('drops rings that round away and repeated vertices', () => {
    const tiny = square(3, 3, 0.01);
    const d = geometryToPath(multi([square(0, 0, 10)], [tiny]), identity);
    assert.equal(d, 'M0 0l10 0 0 10-10 0z');
    const repeated: LonLat[] = [
      [0, 0],
      [0.01, 0],
      [5, 0],
      [5, 5],
      [5, 5.02],
      [0, 0],
    ];
    assert.equal(geometryToPath(multi([repeated]), identity), 'M0 0l5 0 0 5z');
  });

  it('round-trips arbitrary coordinates through the compact syntax', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let n = 0; n < 50; n++) {
      const ring: LonLat[] = [];
      for (let i = 0; i < 12; i++) ring.push([Math.round(rnd() * 4000) / 100 - 5, Math.round(rnd() * 4000) / 100 - 5]);
      ring.push(ring[0] as LonLat);
      const d = geometryToPath(multi([ring]), identity);
      const expected: [number, number][] = [];
      for (const [x, y] of ring.slice(0, -1)) {
        const v: [number, number] = [Math.round(x * 10) / 10 + 0, Math.round(y * 10) / 10 + 0];
        const last = expected[expected.length - 1];
        if (!last || last[0] !== v[0] || last[1] !== v[1]) expected.push(v);
      }
      while (expected.length > 1 && String(expected[expected.length - 1]) === String(expected[0])) expected.pop();
      assert.deepEqual(parsePath(d), [expected], d);
    }
  });

  it('simplifies with a tolerance but keeps the largest ring', () => {
    const wiggly: LonLat[] = [
      [0, 0],
      [5, 0.05],
      [10, 0],
      [10, 10],
      [5, 10.05],
      [0, 10],
      [0, 0],
    ];
    assert.equal(geometryToPath(multi([wiggly]), identity, { tolerance: 0.2 }), 'M0 0l10 0 0 10-10 0z');
    assert.equal(geometryToPath(multi([wiggly]), identity).split(/[lz ]|(?=-)/).length > 8, true);
    // A sliver below the tolerance vanishes unless it is all there is.
    const sliver: LonLat[] = [
      [0, 0],
      [10, 0],
      [10, 0.1],
      [0, 0],
    ];
    assert.equal(
      geometryToPath(multi([square(20, 20, 5)], [sliver]), identity, { tolerance: 0.5 }),
      'M20 20l5 0 0 5-5 0z',
    );
    assert.notEqual(geometryToPath(multi([sliver]), identity, { tolerance: 0.5 }), '');
  });

  it('keeps every vertex within the tolerance of the drawn outline (distance to the segment, not its line)', () => {
    const segmentDistance = ([px, py]: [number, number], [ax, ay]: [number, number], [bx, by]: [number, number]) => {
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
      return Math.hypot(px - ax - t * dx, py - ay - t * dy);
    };
    const outlineDistance = (p: [number, number], ring: [number, number][]) =>
      Math.min(...ring.map((a, i) => segmentDistance(p, a, ring[(i + 1) % ring.length] as [number, number])));
    /** Every vertex of `ring` is within `bound` of the outline drawn with `tolerance`. */
    const check = (ring: LonLat[], tolerance: number, bound: number) => {
      const d = geometryToPath(multi([ring]), identity, { tolerance });
      const [drawn] = parsePath(d);
      assert.ok(drawn, d);
      for (const v of ring) {
        // rounding to tenths moves each point by up to 0.05 in x and y
        assert.ok(outlineDistance(v, drawn) <= bound + 0.15, `${v} is ${outlineDistance(v, drawn)} from ${d}`);
      }
    };
    // A thin spike below (0, 0): its tip is 0.1 from the line x = 0 through (0, 10) and (0, 0), but 5 from the
    // segment between them. Measured against the line, the spike would be cut off.
    const spike: LonLat[] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0.1, -5],
      [0, 0],
    ];
    check(spike, 0.5, 0.5);
    assert.equal(geometryToPath(multi([spike]), identity, { tolerance: 0.5 }), 'M0 0l10 0 0 10-10 0 .1-15z');
    let seed = 11;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let n = 0; n < 30; n++) {
      // a star-shaped ring around (20, 20) with a random radius per vertex
      const ring: LonLat[] = [];
      for (let i = 0; i < 40; i++) {
        const angle = (2 * Math.PI * i) / 40;
        const r = 5 + rnd() * 10;
        ring.push([20 + r * Math.cos(angle), 20 + r * Math.sin(angle)]);
      }
      ring.push(ring[0] as LonLat);
      // Douglas–Peucker keeps every vertex within the tolerance; turf's radial-distance pass before it may drop
      // a vertex next to one that Douglas–Peucker drops later, so the bound is twice the tolerance.
      const tolerance = 1 + rnd() * 3;
      check(ring, tolerance, 2 * tolerance);
    }
  });
});

describe('classes', () => {
  it('computes equal-count breaks', () => {
    assert.deepEqual(equalCountBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5), [3, 5, 7, 9]);
    assert.deepEqual(equalCountBreaks([10, null, 1, 2, 3, 4, 5, 6, 7, 8, 9, Number.NaN], 5), [3, 5, 7, 9]);
    assert.deepEqual(equalCountBreaks([], 5), []);
    assert.deepEqual(equalCountBreaks([4, 4, 4, 4], 5), [], 'all equal: one class');
    assert.deepEqual(equalCountBreaks([1, 1, 1, 1, 1, 1, 1, 1, 9, 10], 5), [9]);
    assert.deepEqual(equalCountBreaks([1.234, 2.345, 3.456, 4.567], 2, 1), [3.5]);
  });

  it('checks fixed breaks', () => {
    assert.deepEqual(fixedBreaks([20, 40, 60, 80]), [20, 40, 60, 80]);
    assert.throws(() => fixedBreaks([20, 20]), RangeError);
    assert.throws(() => fixedBreaks([1, 2, 3, 4, 5]), RangeError);
    assert.throws(() => fixedBreaks([Number.NaN]), RangeError);
  });

  it('puts a value on a break into the class above', () => {
    const b = [20, 40, 60, 80];
    assert.deepEqual(
      [0, 19.9, 20, 39, 40, 60, 79.99, 80, 100].map((v) => classOf(v, b)),
      [0, 0, 1, 1, 2, 3, 3, 4, 4],
    );
  });

  it('labels every class colour with readable text', () => {
    for (const palette of PALETTES) {
      for (const fill of palette) {
        assert.ok(contrastRatio(textColorOn(fill), fill) >= 4.5, `text on ${fill}`);
      }
    }
  });
});

const features: MapFeature[] = [
  { key: '01001', name: 'Flensburg', value: 10, geometry: multi([square(9.4, 54.7, 0.1)]) },
  { key: '01002', name: 'Kiel <Ost>', value: 90, geometry: multi([square(10.1, 54.3, 0.1)]) },
  { key: '01003', name: 'Lübeck', value: null, geometry: multi([square(10.6, 53.8, 0.2)]) },
  { key: '01004', name: 'Neumünster', value: 55, suppressed: true, geometry: multi([square(9.9, 54.0, 0.1)]) },
  { key: '01051', name: 'Dithmarschen', value: 45, geometry: multi([square(9.0, 54.0, 0.3), square(9.1, 54.1, 0.1)]) },
];

describe('Choropleth', () => {
  const html = render(
    h(MapWithTable, {
      id: 'kreise',
      title: 'Gesamtwert je Kreis',
      features,
      classes: fixedBreaks([20, 40, 60, 80]),
      legendTitle: 'Gesamtwert',
      t: T.de,
      lang: 'de',
    }),
  );
  const svg = html.slice(html.indexOf('<svg class="map__svg"'), html.indexOf('</svg>') + 6);
  const table = html.slice(html.indexOf('<table'), html.indexOf('</table>') + 8);

  it('is an accessible image in a figure with a legend and a table', () => {
    assert.match(
      html,
      /^<figure class="chart-figure" id="kreise-figure"><figcaption[^>]*>Gesamtwert je Kreis<\/figcaption>/,
    );
    assert.match(svg, /role="img" aria-labelledby="kreise-title" aria-describedby="kreise-desc"/);
    assert.match(svg, /<title id="kreise-title">Gesamtwert je Kreis<\/title>/);
    assert.match(svg, /<desc id="kreise-desc">Karte mit 5 Gebieten\. Die Zahlen stehen in der Tabelle\.<\/desc>/);
    assert.match(html, /<p class="map-legend__title" id="kreise-legend-title">Gesamtwert<\/p>/);
    assert.match(table, /<caption id="kreise-table-caption"[^>]*>Tabelle: Gesamtwert je Kreis<\/caption>/);
  });

  it('draws one path per region with a tooltip title, filled by class', () => {
    const paths = [...svg.matchAll(/<path d="([^"]+)" fill="([^"]+)"><title>([^<]*)<\/title><\/path>/g)];
    assert.equal(paths.length, 5);
    assert.deepEqual(
      paths.map((m) => m[3]),
      [
        'Flensburg: 10',
        'Kiel &lt;Ost>: 90',
        'Lübeck: keine Angabe',
        'Neumünster: nicht genug Daten',
        'Dithmarschen: 45',
      ],
    );
    const [pal0, , pal2, , pal4] = PALETTES[4] as string[];
    assert.deepEqual(
      paths.map((m) => m[2]),
      [pal0, pal4, '#cccccc', 'url(#kreise-hatch)', pal2],
    );
    assert.match(svg, /<pattern id="kreise-hatch"/);
    assert.match(svg, /fill-rule="evenodd"/);
    // Dithmarschen: two polygons, two subpaths.
    assert.equal((paths[4]?.[1]?.match(/M/g) ?? []).length, 2);
  });

  it('never shows a withheld value', () => {
    assert.doesNotMatch(html, />55</);
    assert.doesNotMatch(html, /: 55/);
  });

  it('shows missing and withheld values in the table and the legend', () => {
    assert.match(
      table,
      /<th scope="row" class="kern-table__cell">Lübeck<\/th><td class="kern-table__cell num">keine Angabe<\/td>/,
    );
    assert.match(
      table,
      /<th scope="row" class="kern-table__cell">Neumünster<\/th><td class="kern-table__cell num">nicht genug Daten<\/td>/,
    );
    assert.match(table, /Kiel &lt;Ost>/);
    const legend = html.slice(html.indexOf('<div class="map-legend">'));
    for (const text of ['unter 20', '20 bis unter 40', '80 und mehr', 'keine Angabe', 'nicht genug Daten']) {
      assert.ok(legend.includes(`</svg>${text}</li>`), text);
    }
    assert.match(legend, /aria-hidden="true"/);
  });

  it('omits legend entries for states that do not occur and speaks English', () => {
    const en = render(
      h(Choropleth, {
        id: 'm',
        title: 'Score',
        features: features.slice(0, 2),
        classes: [50],
        legendTitle: 'Score',
        t: T.en,
        lang: 'en',
        unit: '%',
      }),
    );
    assert.doesNotMatch(en, /n\/a|not enough data/);
    assert.match(en, /under 50%/);
    assert.match(en, /50% or more/);
    assert.match(en, /<title>Flensburg: 10%<\/title>/);
    const withGaps = render(
      h(Choropleth, { id: 'g', title: 'S', features, classes: [], legendTitle: 'S', t: T.en, lang: 'en' }),
    );
    assert.match(withGaps, /not enough data/);
    assert.match(withGaps, />n\/a</);
    assert.match(withGaps, /all values/);
  });

  it('collapses long tables', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ ...(features[0] as MapFeature), key: `k${i}` }));
    const long = render(
      h(MapWithTable, { id: 'l', title: 'T', features: many, classes: [], legendTitle: 'T', t: T.de, lang: 'de' }),
    );
    assert.match(long, /<details class="chart-figure__details"><summary>Tabelle anzeigen<\/summary>/);
    assert.doesNotMatch(html, /<details/);
  });
});

describe('TileMap', () => {
  const values: Record<string, number | null> = {};
  LAND_CODES.forEach((code, i) => {
    values[code] = i * 6;
  });
  values['05'] = null;
  const html = render(
    h(TileMapWithTable, {
      id: 'laender',
      title: 'Gesamtwert je Land',
      values,
      suppressed: ['04'],
      classes: fixedBreaks([20, 40, 60, 80]),
      legendTitle: 'Gesamtwert',
      t: T.de,
      lang: 'de',
    }),
  );

  it('has 16 tiles at distinct positions, labelled with abbreviation and value', () => {
    assert.equal((html.match(/<g class="tile">/g) ?? []).length, 16);
    const positions = new Set(Object.values(LAENDER).map((l) => `${l.col},${l.row}`));
    assert.equal(positions.size, 16);
    for (const land of Object.values(LAENDER)) assert.match(html, new RegExp(`>${land.abbr}</text>`));
    assert.match(html, /<title>Bayern: 48<\/title>/);
    assert.match(html, /<title>Nordrhein-Westfalen: keine Angabe<\/title>/);
    assert.match(html, /<title>Bremen: nicht genug Daten<\/title>/);
    assert.match(html, />k\. A\.<\/text>/);
    assert.match(html, />zu wenig<\/text>/);
  });

  it('has a table of all 16 Länder', () => {
    const table = html.slice(html.indexOf('<table'));
    assert.equal((table.match(/<th scope="row"/g) ?? []).length, 16);
    assert.match(table, /Bremen<\/th><td class="kern-table__cell num">nicht genug Daten</);
    assert.match(table, /Nordrhein-Westfalen<\/th><td class="kern-table__cell num">keine Angabe</);
  });

  it('treats missing keys as no value and takes names from the caller', () => {
    const one = render(
      h(TileMap, {
        id: 't',
        title: 'T',
        values: { '09': 70 },
        classes: [50],
        legendTitle: 'L',
        t: T.en,
        lang: 'en',
        names: { '09': 'Freistaat Bayern' },
      }),
    );
    assert.equal((one.match(/: n\/a<\/title>/g) ?? []).length, 15);
    assert.match(one, /<title>Freistaat Bayern: 70<\/title>/);
    assert.match(one, /<title>Lower Saxony: n\/a<\/title>/);
  });
});

describe('maps and charts together', () => {
  it('keep ids unique, references resolvable and styles out', () => {
    const html = render(
      h(MapWithTable, { id: 'a', title: 'A', features, classes: [50], legendTitle: 'A', t: T.de, lang: 'de' }),
      h(MapWithTable, { id: 'b', title: 'B', features, classes: [50], legendTitle: 'B', t: T.de, lang: 'de' }),
      h(TileMapWithTable, {
        id: 'c',
        title: 'C',
        values: {},
        suppressed: ['01'],
        classes: [],
        legendTitle: 'C',
        t: T.de,
        lang: 'de',
      }),
    );
    const ids = attrs(html, 'id');
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
    const known = new Set(ids);
    for (const ref of [...attrs(html, 'aria-labelledby'), ...attrs(html, 'aria-describedby')]) {
      assert.ok(known.has(ref), ref);
    }
    for (const url of html.matchAll(/url\(#([^)]+)\)/g)) assert.ok(known.has(url[1] as string), url[0]);
    assert.doesNotMatch(html, /\sstyle=|<style/);
    assert.doesNotMatch(html, /NaN|undefined/);
  });
});
