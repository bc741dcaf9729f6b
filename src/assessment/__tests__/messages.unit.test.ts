import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { h, type VNode } from 'preact';
import { renderPage } from '../../platform/http/layout.js';
import type { Lang } from '../../platform/i18n/i18n.js';
import { LagebildView, type MapBoundaries } from '../lagebild.pages.js';
import { messages } from '../messages.js';
import { ResultPage } from '../result.pages.js';
import { pageContextFor, REGION_NAME, sampleLagebild, sampleResult } from './fixtures.js';

// The parity of German and English (keys, placeholders, no empty text) is checked for every module's
// catalogue in src/platform/__tests__/platform.unit.test.ts.

/** The visible text of a page: tags removed (SVG <title>/<desc> and table captions stay), entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

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
  ],
};

function resultPage(lang: Lang): string {
  const ctx = pageContextFor(lang);
  return renderPage(h(ResultPage, { ctx, r: sampleResult(lang), notice: ctx.t('check.result.saved') }) as VNode);
}

function lagebildPage(lang: Lang): string {
  return renderPage(h(LagebildView, { ctx: pageContextFor(lang), lagebild: sampleLagebild(), boundaries }) as VNode);
}

/**
 * German words of the texts moved into messages.ts that are no English words and occur in no English content
 * of the maturity model. Each must appear on the German page (else the test proves nothing) and never on the
 * English one.
 */
const GERMAN_ON_RESULT = [
  'Ergebnis',
  'Gesamtstufe',
  'Punktzahl',
  'Stärken',
  'Nächste Schritte',
  'Warum das wichtig ist',
  'Heute',
  'Stufe',
  'Nicht begonnen',
  'Etabliert',
  'Vergleich',
  'Vergleichskommunen',
  'Vergleichsgruppe',
  'bundesweit',
  'Einwohner',
  'Thüringen',
  'Quartil',
  'Perzentil',
  'Demodaten',
  'Abgeschickt',
  'Modellversion',
  'Verlauf',
  'Tabelle',
  'Bereich',
  'Wert',
  'Datum',
  'Herunterladen',
  'Arbeitsbereich',
  'veröffentlichen',
  'Gespeichert',
];
const GERMAN_ON_LAGEBILD = [
  'Lagebild',
  'Teilnahme',
  'Gemeinden',
  'bundesweit',
  'Punktzahl',
  'nicht genug Daten',
  'zu wenige Teilnehmende',
  'zurückgehalten zum Schutz',
  'Land und Gemeinde zugleich',
  'Auseinanderdriften',
  'Größenklasse',
  'Einwohner',
  'Gruppe',
  'Stufe',
  'Stufen',
  'Anteil',
  'Abstand',
  'Fünftel',
  'Verteilung',
  'Stufen nach Sektor',
  'Offene Daten',
  'Stand',
  'Demodaten',
  'Karte',
  'Gebiet',
  'Kreis',
  'Thüringen',
  'Bayern',
];

const wordRe = (w: string) => new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u');

describe('the assessment pages speak one language', () => {
  const pages = {
    result: { de: visibleText(resultPage('de')), en: visibleText(resultPage('en')), words: GERMAN_ON_RESULT },
    lagebild: { de: visibleText(lagebildPage('de')), en: visibleText(lagebildPage('en')), words: GERMAN_ON_LAGEBILD },
  };

  for (const [name, page] of Object.entries(pages)) {
    it(`${name} page: German words are on the German page and none of them on the English one`, () => {
      const missing = page.words.filter((w) => !wordRe(w).test(page.de));
      assert.deepEqual(missing, [], `not on the German ${name} page`);
      const leftover = page.words.filter((w) => wordRe(w).test(page.en));
      assert.deepEqual(leftover, [], `German on the English ${name} page`);
    });
  }

  it('result page in English: the numbers and names the German one has', () => {
    const en = pages.result.en;
    assert.match(en, /Result: Langenberg/);
    assert.match(en, /Overall: level \d “[A-Za-z ]+” of 4 \(score \d+ of 100\)/);
    assert.match(
      en,
      /Municipalities in Thuringia, n = 8: median 44, the middle half lies between 34 and 55\. Your score \d+ is higher than that of 88 % of these municipalities\./,
    );
    assert.match(
      en,
      /Municipalities \(under 2,000 inhabitants\) in Thuringia: not enough comparable municipalities yet \(at least 5\)/,
    );
    assert.match(en, /Including 240 demo checks/);
    assert.match(en, /Score per dimension/);
    assert.ok(en.includes(REGION_NAME));
  });

  it('Lagebild in English names the Länder in English and keeps the German proper names of Kreise', () => {
    const en = pages.lagebild.en;
    assert.match(en, /Thuringia/);
    assert.match(en, /Bavaria/);
    assert.match(en, /Median score by district/);
    assert.match(en, /Wartburgkreis/);
    assert.match(en, /Participation: 30 of 10,000 municipalities \(0\.3 %\)\./);
  });
});

describe('the assessment module has one translation mechanism', () => {
  const SOURCES = [
    'assessment.pages.tsx',
    'result.pages.tsx',
    'result.ts',
    'result-csv.ts',
    'lagebild.pages.tsx',
    'charts.tsx',
    'maps.tsx',
    'sector-chart.tsx',
    'report-pdf.ts',
  ];

  it('no language switches or two-language objects in the UI code', () => {
    for (const file of SOURCES) {
      const src = fs.readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      assert.doesNotMatch(src, /lang === 'en' \?|lang === 'de' \?/, `${file}: a language ternary`);
      assert.doesNotMatch(src, /\bL\(/, `${file}: the old L() helper`);
      assert.doesNotMatch(src, /\bde: '[^']* [^']*', en: '/, `${file}: a { de, en } object of texts`);
    }
  });

  it('its keys carry the module prefixes', () => {
    const prefixes = /^(nav|check|lagebild|chart|map|pdf|apidoc)\./;
    assert.deepEqual(
      Object.keys(messages.de).filter((k) => !prefixes.test(k)),
      [],
    );
  });
});
