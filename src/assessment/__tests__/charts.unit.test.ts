import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComponentChildren, Fragment, h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { I18n } from '../../platform/i18n/i18n.js';
import {
  BarChart,
  ChartWithTable,
  COLORS,
  contrastRatio,
  DataTable,
  LevelDistribution,
  PeerBoxPlot,
  safeId,
  Trend,
} from '../charts.js';
import { messages } from '../messages.js';

const i18n = new I18n([messages]);
const T = { de: i18n.translator('de'), en: i18n.translator('en') };

const render = (...nodes: ComponentChildren[]): string => renderToString(h(Fragment, null, ...nodes));

/** All values of an attribute, in document order. */
function attrs(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1] as string);
}

function assertIdsUnique(html: string): void {
  const ids = attrs(html, 'id');
  assert.ok(ids.length > 0);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    'duplicate ids',
  );
}

/** Every aria-labelledby / aria-describedby reference points to an element of the output. */
function assertReferencesResolve(html: string): void {
  const ids = new Set(attrs(html, 'id'));
  for (const ref of [...attrs(html, 'aria-labelledby'), ...attrs(html, 'aria-describedby')]) {
    for (const id of ref.split(/\s+/)) assert.ok(ids.has(id), `reference to missing id ${id}`);
  }
}

/** Each <svg …> start tag. */
function svgTags(html: string): string[] {
  return [...html.matchAll(/<svg\b[^>]*>/g)].map((m) => m[0]);
}

function between(html: string, start: string, end: string): string {
  const a = html.indexOf(start);
  assert.ok(a >= 0, `${start} not found`);
  return html.slice(a, html.indexOf(end, a) + end.length);
}

const rows = [
  { label: 'Strategie', value: 62 },
  { label: 'Infrastruktur', value: null, note: 'nicht erhoben' },
  { label: 'Verwaltung', value: 100 },
];
const points = [
  { date: '2025-02-01', value: 61 },
  { date: '2024-01-10', value: 40 },
  { date: '2024-06-01', value: 55 },
];

describe('charts', () => {
  const page = render(
    h(ChartWithTable, { id: 'dims', title: 'Werte je Dimension', rows, unit: '%', t: T.de, lang: 'de' }),
    h(ChartWithTable, { id: 'sectors', title: 'Werte je Sektor', rows, t: T.de, lang: 'de' }),
    h(LevelDistribution, { id: 'levels', title: 'Stufen', counts: [3, 5, 12, 7, 1], t: T.de, lang: 'de' }),
    h(Trend, { id: 'trend', title: 'Verlauf', points, t: T.de, lang: 'de' }),
  );

  it('gives every SVG role="img", a title and a desc it is labelled by, with ids unique in the page', () => {
    const tags = svgTags(page);
    assert.equal(tags.length, 4);
    for (const tag of tags) {
      assert.match(tag, /role="img"/);
      const labelledBy = /aria-labelledby="([^"]+)"/.exec(tag)?.[1];
      const describedBy = /aria-describedby="([^"]+)"/.exec(tag)?.[1];
      assert.ok(labelledBy && describedBy, tag);
      assert.match(page, new RegExp(`<title id="${labelledBy}">[^<]+</title>`));
      assert.match(page, new RegExp(`<desc id="${describedBy}">[^<]+</desc>`));
    }
    assertIdsUnique(page);
    assertReferencesResolve(page);
  });

  it('puts charts and tables in figures with a figcaption, tables with a caption and header cells', () => {
    assert.equal((page.match(/<figure\b/g) ?? []).length, 4);
    assert.equal((page.match(/<figcaption\b/g) ?? []).length, 4);
    assert.equal((page.match(/<caption\b/g) ?? []).length, 4);
    assert.match(page, /<th scope="col"/);
    assert.match(page, /<th scope="row" class="kern-table__cell">Strategie<\/th>/);
    // Scrollable table regions are keyboard-reachable and named.
    for (const m of page.matchAll(/<div class="table-wrap[^"]*"[^>]*>/g)) {
      assert.match(m[0], /role="region"/);
      assert.match(m[0], /tabindex="0"/);
      assert.match(m[0], /aria-labelledby="/);
    }
  });

  it('never writes a style attribute (CSP style-src self)', () => {
    assert.doesNotMatch(page, /\sstyle=/);
    assert.doesNotMatch(page, /<style\b/);
  });

  it('shows a missing value as "keine Angabe" in the chart and in the table, not as a zero bar', () => {
    const svg = between(page, '<svg class="chart chart--bars"', '</svg>');
    assert.match(svg, />keine Angabe</);
    assert.match(svg, /fill="url\(#dims-hatch\)"/);
    assert.match(svg, /<pattern id="dims-hatch"/);
    // Two value bars (62 and 100), none for the missing value.
    assert.equal(
      (svg.match(new RegExp(`<rect x="0" y="\\d+" width="[\\d.]+" height="22" fill="${COLORS.mark}"`, 'g')) ?? [])
        .length,
      2,
    );
    const table = between(page, '<table', '</table>');
    assert.match(table, /<td class="kern-table__cell num">keine Angabe<\/td>/);
    assert.match(table, />nicht erhoben</);
    assert.match(table, />62\u00a0%</);
  });

  it('speaks English when asked', () => {
    const html = render(h(ChartWithTable, { id: 'x', title: 'Scores', rows, unit: '%', t: T.en, lang: 'en' }));
    assert.match(html, />n\/a</);
    assert.match(html, />62%</);
    assert.match(html, />Table: Scores</);
    assert.doesNotMatch(html, /keine Angabe/);
  });

  it('scales bars to max and clamps values outside 0..max', () => {
    const html = render(
      h(BarChart, {
        id: 'b',
        title: 'T',
        max: 200,
        t: T.de,
        lang: 'de',
        rows: [
          { label: 'half', value: 100 },
          { label: 'over', value: 500 },
          { label: 'neg', value: -5 },
        ],
      }),
    );
    const widths = [...html.matchAll(/<rect x="0" y="\d+" width="([\d.]+)" height="22"/g)].map((m) => Number(m[1]));
    assert.equal(widths.length, 2, 'no bar for a negative value');
    assert.equal(widths[1], 2 * (widths[0] as number), 'a value above max is drawn full length');
    assert.match(html, />500</, 'the label keeps the real value');
  });

  it('escapes labels and titles', () => {
    const html = render(
      h(ChartWithTable, {
        id: 'e',
        title: 'A <b>title</b>',
        rows: [{ label: '<script>alert(1)</script>', value: 5 }],
        t: T.de,
        lang: 'de',
      }),
    );
    assert.doesNotMatch(html, /<script>/);
    assert.doesNotMatch(html, /<b>/);
    assert.match(html, /&lt;script>alert\(1\)&lt;\/script>/);
  });

  it('shortens long labels in the SVG only', () => {
    const label = 'Ein sehr langer Bereichsname, der in einer Zeile des Diagramms keinen Platz mehr findet, wirklich';
    const html = render(h(ChartWithTable, { id: 'l', title: 'T', rows: [{ label, value: 1 }], t: T.de, lang: 'de' }));
    const texts = [...between(html, '<svg', '</svg>').matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.ok(!texts.includes(label));
    assert.ok(texts.includes('Ein sehr langer Bereichsname, der in einer Zeile des…'), texts.join('|'));
    // The description and the table keep the whole label.
    assert.match(html, new RegExp(`<desc id="l-desc">${label}: 1</desc>`));
    assert.match(between(html, '<table', '</table>'), new RegExp(label));
  });

  it('draws the level distribution with counts and shares', () => {
    const fig = between(page, '<figure class="chart-figure" id="levels-figure"', '</figure>');
    assert.match(fig, /<desc id="levels-desc">Stufe 0: 3; Stufe 1: 5; Stufe 2: 12; Stufe 3: 7; Stufe 4: 1<\/desc>/);
    assert.equal((between(fig, '<svg', '</svg>').match(/<rect /g) ?? []).length, 5);
    // 12 of 28 = 42.9 % → 43 %
    assert.match(fig, /<td class="kern-table__cell num">12<\/td><td class="kern-table__cell num">43\u00a0%<\/td>/);
    const empty = render(h(LevelDistribution, { id: 'z', title: 'T', counts: [0, 0, 0, 0, 0], t: T.de, lang: 'de' }));
    assert.doesNotMatch(between(empty, '<svg', '</svg>'), /<rect /);
    assert.match(empty, />keine Angabe</);
  });

  it('orders trend points by date in the line and the table', () => {
    const fig = between(page, '<figure class="chart-figure" id="trend-figure"', '</figure>');
    assert.match(fig, /<desc id="trend-desc">Verlauf von 10\.01\.2024 \(40\) bis 01\.02\.2025 \(61\)\.<\/desc>/);
    const dates = [...between(fig, '<table', '</table>').matchAll(/<th scope="row"[^>]*>([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(dates, ['10.01.2024', '01.06.2024', '01.02.2025']);
    const line = /<polyline points="([^"]+)"/.exec(fig)?.[1] ?? '';
    const xs = line.split(' ').map((p) => Number(p.split(',')[0]));
    assert.equal(xs.length, 3);
    assert.ok((xs[0] as number) < (xs[1] as number) && (xs[1] as number) < (xs[2] as number));
    // Time-proportional: Jan → Jun 2024 is shorter than Jun 2024 → Feb 2025.
    assert.ok((xs[1] as number) - (xs[0] as number) < (xs[2] as number) - (xs[1] as number));
  });

  it('handles a trend without points and with one point', () => {
    const none = render(h(Trend, { id: 'n', title: 'T', points: [], t: T.de, lang: 'de' }));
    assert.match(none, /Keine Daten\./);
    assert.doesNotMatch(none, /<polyline/);
    const one = render(
      h(Trend, { id: 'o', title: 'T', points: [{ date: '2025-01-01', value: 50 }], t: T.de, lang: 'de' }),
    );
    assert.equal((one.match(/<circle /g) ?? []).length, 1);
    assert.doesNotMatch(one, /NaN/);
  });

  it('renders an empty bar chart and table without NaN', () => {
    const html = render(
      h(ChartWithTable, { id: 'n', title: 'T', rows: [], t: T.de, lang: 'de' }),
      h(DataTable, { id: 'dt', caption: 'C', rows: [], t: T.de, lang: 'de' }),
    );
    assert.match(html, /Keine Daten\./);
    assert.doesNotMatch(html, /NaN|undefined/);
  });

  it('uses colours with enough contrast against white', () => {
    assert.ok(contrastRatio(COLORS.mark, '#ffffff') >= 4.5, 'bars (1.4.11 needs 3:1)');
    assert.ok(contrastRatio(COLORS.hatch, '#ffffff') >= 3, 'hatching and outlines');
    assert.ok(contrastRatio(COLORS.text, '#ffffff') >= 4.5, 'text');
    assert.ok(contrastRatio(COLORS.muted, '#ffffff') >= 4.5, 'secondary text');
    assert.equal(Math.round(contrastRatio('#000000', '#ffffff')), 21);
  });

  it('makes ids safe', () => {
    assert.equal(safeId('dim 1/ä'), 'dim-1--');
    assert.equal(safeId('1abc'), 'c-1abc');
  });
});

describe('level names in the level distribution', () => {
  it('stand under "Stufe n" in the chart, beside it in the table and the text alternative', () => {
    const html = render(
      h(LevelDistribution, {
        id: 'lv',
        title: 'Verteilung',
        counts: [1, 2, 3, 4, 5],
        levelNames: ['Nicht begonnen', 'Erste Schritte', 'Im Aufbau', 'Etabliert', 'Führend'],
        t: T.de,
        lang: 'de',
      }),
    );
    assert.match(html, /<desc[^>]*>Stufe 0 „Nicht begonnen“: 1; Stufe 1 „Erste Schritte“: 2/);
    assert.match(html, />Nicht begonnen<\/text>/, 'the name drawn in full under its column');
    assert.match(html, /<th scope="row"[^>]*>Stufe 4 „Führend“<\/th>/);
    assertIdsUnique(html);
    assertReferencesResolve(html);
  });
});

describe('the peer box plot', () => {
  const rows = [
    { label: 'Kommunen in Bayern', n: 247, q1: 28, median: 39.5, q3: 51, own: 45, percentile: 62.3, demo: 240 },
    {
      label: 'Kreisangehörige Gemeinden bundesweit',
      n: 9,
      q1: 30,
      median: 40,
      q3: 60,
      own: 45,
      percentile: 55,
      demo: 0,
    },
  ];
  const html = render(h(PeerBoxPlot, { id: 'peers', title: 'Ihre Punktzahl im Vergleich', rows, t: T.de, lang: 'de' }));

  it('is an image with a text alternative naming every group, its numbers and the demo data', () => {
    assert.match(html, /<svg[^>]*role="img"[^>]*aria-labelledby="peers-title"[^>]*aria-describedby="peers-desc"/);
    const desc = html.match(/<desc id="peers-desc">([^<]*)<\/desc>/)![1]!;
    assert.match(desc, /Kasten: mittlere Hälfte/);
    assert.match(desc, /Kommunen in Bayern \(n = 247\): mittlere Hälfte 28 bis 51, Median 40; Ihre Punktzahl 45/);
    assert.match(desc, /darunter 240 Demodaten/);
    assert.equal((desc.match(/Demodaten/g) ?? []).length, 1, 'only the group with demo data says so');
    assertIdsUnique(html);
    assertReferencesResolve(html);
  });

  it('draws a box from q1 to q3 and a median line per group, no whiskers, and has a table of the numbers', () => {
    assert.equal((html.match(/<rect /g) ?? []).length, 2, 'one box per group');
    assert.equal((html.match(/<path /g) ?? []).length, 2, 'the municipality marked in every group');
    assert.match(html, /<th scope="row"[^>]*>Kommunen in Bayern \(darunter 240 Demodaten\)<\/th>/);
    assert.match(html, /<td class="kern-table__cell num">247<\/td>/);
    assert.match(html, /<td class="kern-table__cell num">62<\/td>/, 'percentile rounded');
  });
});
