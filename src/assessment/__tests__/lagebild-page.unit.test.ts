import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { h, type VNode } from 'preact';
import { renderPage } from '../../platform/http/layout.js';
import type { Lang } from '../../platform/i18n/i18n.js';
import type { Lagebild } from '../lagebild.js';
import { CITY_STATES, LagebildView, landOrder, type MapBoundaries } from '../lagebild.pages.js';
import { pageContextFor, sampleLagebild } from './fixtures.js';

const square = (x: number, y: number, s: number): [number, number][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

const boundaries: MapBoundaries = {
  laender: [],
  kreise: [
    { key: '16063', name: 'Wartburgkreis', geometry: { type: 'MultiPolygon', coordinates: [[square(10, 50.8, 0.3)]] } },
    { key: '16064', name: 'Gotha', geometry: { type: 'MultiPolygon', coordinates: [[square(10.4, 51, 0.3)]] } },
    {
      key: '09162',
      name: 'München, Landeshauptstadt',
      geometry: { type: 'MultiPolygon', coordinates: [[square(11.5, 48.1, 0.3)]] },
    },
  ],
  unmappedKreise: [{ key: '09184', name: 'München' }],
  merged: 1,
  boundaryYears: ['2021'],
};

function page(lang: Lang, lb: Lagebild = sampleLagebild()): string {
  return renderPage(h(LagebildView, { ctx: pageContextFor(lang), lagebild: lb, boundaries }) as VNode);
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');

/** The row headers of the table after the heading with the given id. */
function rowHeaders(html: string, headingId: string): string[] {
  const from = html.indexOf(`id="${headingId}"`);
  const table = html.slice(from, html.indexOf('</table>', from));
  return [...table.matchAll(/<th scope="row"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]!.trim());
}

describe('Lagebild page', () => {
  it('lists the Länder in the official key order with their names, in every table', () => {
    // The participation comes in any order: the page orders by key.
    const lb = sampleLagebild();
    lb.participation.byState = {
      '16': lb.participation.byState['16']!,
      '09': lb.participation.byState['09']!,
      '02': { submitted: 0, municipalities: 1 },
      '01': { submitted: 0, municipalities: 1100 },
    };
    assert.deepEqual(landOrder(['16', '09', '02', '01', '09']), ['01', '02', '09', '16']);
    const html = page('de', lb);
    const names = rowHeaders(html, 'participation');
    assert.deepEqual(names, ['Schleswig-Holstein', 'Hamburg', 'Bayern', 'Thüringen']);
    assert.deepEqual(rowHeaders(html, 'levels-by-state'), names, 'the same order in the level table');
  });

  it('the legend explains every fill: values, too few, withheld, no boundaries', () => {
    for (const [lang, words] of [
      [
        'de',
        [
          'zu wenige Teilnehmende (weniger als 5)',
          'zurückgehalten zum Schutz kleinerer Gruppen',
          'keine Grenzen: 1 Kreise, nur in der Tabelle',
        ],
      ],
      [
        'en',
        [
          'too few participants (fewer than 5)',
          'withheld to protect smaller groups',
          'no boundaries: 1 districts, in the table only',
        ],
      ],
    ] as const) {
      const html = page(lang);
      const kreisMap = html.slice(html.indexOf('id="map-kreise-figure"'));
      const legend = text(kreisMap.slice(kreisMap.indexOf('map-legend'), kreisMap.indexOf('</ul>')));
      for (const w of words) assert.ok(legend.includes(w), `${lang}: "${w}" in ${legend}`);
      // The Kreis without a boundary is in the table, named without its suffix.
      assert.match(text(kreisMap), /München/);
      assert.doesNotMatch(text(kreisMap), /Landeshauptstadt/);
    }
  });

  it('names the boundary year and the merged regions; no placeholder; no bare level counts', () => {
    const de = text(page('de'));
    assert.match(de, /Grenzen mit Stand 2021/);
    assert.match(de, /zusammengelegte Gebiete \(1\)/);
    assert.doesNotMatch(de, /Strategie-Modul/);
    assert.doesNotMatch(de, /\d+ \/ \d+ \/ \d+ \/ \d+ \/ \d+/);
    assert.doesNotMatch(de, /\d{4}-\d{2}-\d{2}/);
    assert.match(de, /Stand \d{2}\.\d{2}\.\d{4}/);
  });

  it('says in words why city states have no Land figure, and links their profiles', () => {
    const lb = sampleLagebild();
    lb.participation.byState['11'] = { submitted: 1, municipalities: 1 };
    lb.scores.byState['11'] = null;
    const html = page('de', lb);
    assert.match(text(html), /Berlin und Hamburg sind Land und Gemeinde zugleich/);
    for (const ags of Object.values(CITY_STATES).flat()) assert.ok(html.includes(`href="/kommunen/${ags}"`), ags);
    // In the map's table and in the Länder table.
    for (const at of [html.indexOf('>Berlin</th>'), html.lastIndexOf('>Berlin</th>')]) {
      const row = html.slice(at);
      assert.match(text(row.slice(0, row.indexOf('</tr>'))), /Stadtstaat: nur selbst veröffentlichte Ergebnisse/);
    }
    assert.match(text(page('en', lb)), /city state: only results it publishes itself/);
  });

  it('shows sector levels as a chart with a table', () => {
    const html = page('de');
    const fig = html.slice(
      html.indexOf('id="sectors-figure"'),
      html.indexOf('</figure>', html.indexOf('id="sectors-figure"')),
    );
    assert.match(fig, /<svg[^>]*role="img"/);
    assert.match(fig, /<title id="sectors-title">Stufen nach Sektor<\/title>/);
    assert.match(fig, /<table/);
    assert.match(text(fig), /Verwaltung/);
  });
});
