import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComponentChildren, Fragment, h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { loadModel } from '../../assessment/index.js';
import { type Catalogue, I18n, type Lang, type MessageKey } from '../../platform/i18n/i18n.js';
import { loadMeasures } from '../measures.js';
import { messages } from '../messages.js';
import type { CapacityReport, MeasureStatus, PlanItem } from '../plan.js';
import { CapacityView, GANTT, Roadmap, RoadmapChart, RoadmapTable, yearLabels, yearTicks } from '../roadmap.js';

// A warning text as the draft would write one (the draft's own keys live elsewhere): a measure id and numbers.
const TEST_MESSAGES: Catalogue = {
  module: 'test',
  de: { 'test.warn': 'Im Jahr {year} fehlen {days} Personentage, vor allem für „{measure}“.' },
  en: { 'test.warn': 'In year {year}, {days} person-days are missing, mostly for "{measure}".' },
};
const i18n = new I18n([messages, TEST_MESSAGES]);
const ctx = (lang: Lang) => ({ lang, t: i18n.translator(lang) });
const catalogue = loadMeasures();
const model = loadModel(catalogue.modelVersion);
const [A, B, C, D, E] = catalogue.measures.map((m) => m.id) as [string, string, string, string, string];
const titleOf = (id: string) => catalogue.measures.find((m) => m.id === id)!.title.de;

const render = (...nodes: ComponentChildren[]): string => renderToString(h(Fragment, null, ...nodes));

function item(
  measureId: string,
  startMonth: number,
  durationMonths: number,
  status: MeasureStatus = 'planned',
): PlanItem {
  return {
    measureId,
    startMonth,
    durationMonths,
    effortDays: 10,
    costOneOff: 5000,
    costPerYear: 1200,
    owner: '',
    status,
    note: '',
    actualStart: null,
    actualEnd: null,
    reason: { key: 'roadmap.title', params: {} },
  };
}

// In the team's order; the roadmap sorts by start month, then by this order, and leaves out dropped ones.
const items: PlanItem[] = [
  item(A, 6, 3, 'in_progress'),
  item(B, 0, 2, 'done'),
  { ...item(C, 2, 4, 'dropped'), owner: 'Niemand' },
  { ...item(D, 0, 12), owner: 'Hauptamt, Frau Beispiel', effortDays: 7.5 },
  item(E, 30, 12),
];
const ORDER = [B, D, A, E];

function between(html: string, start: string, end: string): string {
  const a = html.indexOf(start);
  assert.ok(a >= 0, `${start} not found`);
  return html.slice(a, html.indexOf(end, a) + end.length);
}

/** The bars in document order: measure, x, width, status. */
function bars(svg: string): { measure: string; x: number; width: number; status: string }[] {
  return [
    ...svg.matchAll(
      /<g class="roadmap-row" data-measure="([^"]+)">[\s\S]*?<rect class="roadmap-bar" data-status="([^"]+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g,
    ),
  ].map((m) => ({ measure: m[1]!, status: m[2]!, x: Number(m[3]), width: Number(m[4]) }));
}

const attrs = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1] as string);

describe('roadmap chart', () => {
  const html = render(h(RoadmapChart, { ctx: ctx('de'), items, startMonth: '2026-03', catalogue }));
  const svg = between(html, '<svg class="chart chart--roadmap"', '</svg>');

  it('draws one bar per measure in roadmap order, at its months, and leaves dropped measures out', () => {
    const drawn = bars(svg);
    assert.deepEqual(
      drawn.map((b) => b.measure),
      ORDER,
    );
    const x = (m: number) => GANTT.labelWidth + m * GANTT.monthWidth;
    assert.deepEqual(
      drawn.map((b) => [b.x, b.width]),
      [
        [x(0), 2 * GANTT.monthWidth],
        [x(0), 12 * GANTT.monthWidth],
        [x(6), 3 * GANTT.monthWidth],
        // Months 30..41 end at the horizon (month 36); the table keeps the real end.
        [x(30), 6 * GANTT.monthWidth],
      ],
    );
    assert.ok(!svg.includes(`data-measure="${C}"`), 'the dropped measure is not drawn');
    assert.ok(!svg.includes(titleOf(C)), 'nor named in the description');
    assert.match(svg, /Verworfene Maßnahmen sind nicht dargestellt \(1\)\./);
  });

  it('shows the status by the fill pattern, not by colour alone, and says it in words', () => {
    const drawn = bars(svg);
    assert.deepEqual(
      drawn.map((b) => b.status),
      ['done', 'planned', 'in_progress', 'planned'],
    );
    const row = (id: string) => between(svg, `<g class="roadmap-row" data-measure="${id}">`, '</g>');
    // done: solid, no inner rect; in progress: striped inside; planned: white inside.
    assert.equal((row(B).match(/<rect /g) ?? []).length, 1);
    assert.match(row(A), /fill="url\(#roadmap-stripes\)"/);
    assert.match(row(D), /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="12" fill="#ffffff"/);
    assert.match(svg, /<pattern id="roadmap-stripes"/);
    const desc = /<desc id="roadmap-desc">([^<]+)<\/desc>/.exec(svg)?.[1] ?? '';
    assert.match(desc, /^Zeitplan über 36 Monate von 03\/2026 bis 02\/2029 in drei Phasen, 4 Maßnahmen/);
    assert.ok(desc.includes(`1. ${titleOf(B)}: 03/2026 bis 04/2026, Phase 1, erledigt.`), desc);
    assert.ok(desc.includes(`3. ${titleOf(A)}: 09/2026 bis 11/2026, Phase 2, in Arbeit.`), desc);
    assert.ok(desc.includes(`4. ${titleOf(E)}: 09/2028 bis 08/2029, Phase 3, geplant.`), desc);
    // The legend names every drawn status next to its swatch.
    const legend = between(html, '<div class="map-legend">', '</ul>');
    for (const word of ['geplant', 'in Arbeit', 'erledigt']) assert.match(legend, new RegExp(`</svg>${word}</li>`));
    assert.match(legend, /aria-hidden="true"/);
  });

  it('is an image with a title and a description, its ids unique and its references resolved', () => {
    const two = render(
      h(RoadmapChart, { ctx: ctx('de'), items, startMonth: '2026-03', catalogue, id: 'eins', title: 'Plan A' }),
      h(RoadmapChart, { ctx: ctx('de'), items, startMonth: '2026-03', catalogue, id: 'zwei' }),
    );
    const tag = /<svg class="chart chart--roadmap"[^>]*>/.exec(two)?.[0] ?? '';
    assert.match(tag, /role="img"/);
    assert.match(tag, /aria-labelledby="eins-title"/);
    assert.match(tag, /aria-describedby="eins-desc"/);
    assert.match(two, /<title id="eins-title">Plan A<\/title>/);
    assert.match(two, /<title id="zwei-title">Roadmap<\/title>/);
    const ids = attrs(two, 'id');
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
    const known = new Set(ids);
    for (const ref of [...attrs(two, 'aria-labelledby'), ...attrs(two, 'aria-describedby')]) assert.ok(known.has(ref));
    for (const ref of [...two.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]!)) assert.ok(known.has(ref), ref);
    assert.doesNotMatch(two, /\sstyle=/);
  });

  it('shades and labels the three phases and marks the calendar years', () => {
    const phases = between(svg, '<g class="roadmap-phases">', '</g></g>');
    assert.deepEqual(
      [...phases.matchAll(/<rect x="([\d.]+)" y="0" width="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]),
      [
        [300, 6 * 14],
        [300 + 6 * 14, 12 * 14],
        [300 + 18 * 14, 18 * 14],
      ],
    );
    assert.deepEqual(
      [...phases.matchAll(/>(Phase \d)</g)].map((m) => m[1]),
      ['Phase 1', 'Phase 2', 'Phase 3'],
    );
    // Start in March 2026: Januaries at months 10, 22, 34; the start year labelled at month 0.
    assert.deepEqual(yearTicks('2026-03'), [
      { month: 10, year: 2027 },
      { month: 22, year: 2028 },
      { month: 34, year: 2029 },
    ]);
    const labels = between(svg, '<g class="roadmap-year-labels"', '</g>');
    assert.deepEqual(
      [...labels.matchAll(/<text x="([\d.]+)" y="40">(\d{4})<\/text>/g)].map((m) => [Number(m[1]), m[2]]),
      [
        [303, '2026'],
        [300 + 10 * 14 + 3, '2027'],
        [300 + 22 * 14 + 3, '2028'],
        [300 + 34 * 14 + 3, '2029'],
      ],
    );
    assert.deepEqual(
      yearTicks('2026-01').map((t) => t.month),
      [0, 12, 24],
    );
    // No start-year label squeezed in front of a January one or two months later.
    assert.deepEqual(
      yearLabels('2026-12').map((l) => l.year),
      [2027, 2028, 2029],
    );
  });

  it('shortens long titles in the chart only and keeps them whole in each row title and the description', () => {
    const long = catalogue.measures.find((m) => m.title.de.length > 45)!;
    const out = render(
      h(RoadmapChart, { ctx: ctx('de'), items: [item(long.id, 0, 2)], startMonth: '2026-01', catalogue }),
    );
    const texts = [...out.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    assert.ok(!texts.includes(`1. ${long.title.de}`));
    assert.ok(
      texts.some((x) => x.startsWith('1. ') && x.endsWith('…') && long.title.de.startsWith(x.slice(3, -1))),
      texts.join('|'),
    );
    assert.ok(out.includes(`<title>1. ${long.title.de}: 01/2026–02/2026, geplant</title>`));
  });

  it('says so when nothing is planned', () => {
    const out = render(h(RoadmapChart, { ctx: ctx('de'), items: [], startMonth: '2026-01', catalogue }));
    assert.match(out, />Noch keine Maßnahme geplant\.</);
    assert.doesNotMatch(between(out, '<svg class="chart chart--roadmap"', '</svg>'), /roadmap-bar/);
  });
});

describe('roadmap table', () => {
  const html = render(h(RoadmapTable, { ctx: ctx('de'), items, startMonth: '2026-03', catalogue }));
  const rows = [...between(html, '<tbody', '</tbody>').matchAll(/<tr [^>]*data-measure="([^"]+)">([\s\S]*?)<\/tr>/g)];
  const cells = (row: string) =>
    [...row.matchAll(/<t[hd] [^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));

  it('has the chart rows in the same order, without the dropped measure', () => {
    const chart = render(h(RoadmapChart, { ctx: ctx('de'), items, startMonth: '2026-03', catalogue }));
    assert.deepEqual(
      rows.map((r) => r[1]),
      bars(chart).map((b) => b.measure),
    );
    assert.deepEqual(
      rows.map((r) => r[1]),
      ORDER,
    );
    assert.match(html, /Verworfene Maßnahmen sind nicht dargestellt \(1\)\./);
  });

  it('gives measure, phase, calendar months, owner, status, effort and costs', () => {
    const byId = new Map(rows.map((r) => [r[1], cells(r[2]!)]));
    assert.deepEqual(byId.get(D), [
      '2',
      titleOf(D),
      'Phase 1',
      '03/2026',
      '02/2027',
      'Hauptamt, Frau Beispiel',
      'geplant',
      '7,5',
      '5.000\u00a0€',
      '1.200\u00a0€',
    ]);
    assert.deepEqual(byId.get(A)?.slice(2, 7), ['Phase 2', '09/2026', '11/2026', 'noch offen', 'in Arbeit']);
    // The real end, past the horizon of the chart.
    assert.deepEqual(byId.get(E)?.slice(2, 5), ['Phase 3', '09/2028', '08/2029']);
    assert.match(html, new RegExp(`<a class="kern-link" href="/massnahmen/${D}">`));
    const foot = cells(between(html, '<tfoot>', '</tfoot>'));
    assert.deepEqual(foot, ['Summe', '37,5', '20.000\u00a0€', '4.800\u00a0€']);
    // A scrollable region reachable by keyboard, named by the caption.
    assert.match(
      html,
      /<div class="table-wrap chart-table" role="region" tabindex="0" aria-labelledby="roadmap-table-caption">/,
    );
    assert.match(html, /<caption id="roadmap-table-caption"[^>]*>Roadmap als Tabelle<\/caption>/);
  });

  it('speaks English', () => {
    const en = render(h(Roadmap, { ctx: ctx('en'), items, startMonth: '2026-03', catalogue, linkMeasures: false }));
    const title = catalogue.measures.find((m) => m.id === D)!.title.en;
    assert.match(en, /<figcaption class="chart-figure__caption">Roadmap<\/figcaption>/);
    assert.ok(en.includes(`<th scope="row" class="kern-table__cell">${title}</th>`));
    assert.match(en, />in progress</);
    assert.match(en, />not yet named</);
    assert.match(en, />€5,000</);
    assert.match(en, /Schedule over 36 months from 03\/2026 to 02\/2029/);
    assert.doesNotMatch(en, /geplant|Personentage|href="\/massnahmen/);
  });
});

describe('capacity view', () => {
  const report: CapacityReport = {
    years: [
      { year: 1, calendarYear: 2026, staffDays: 40, staffCapacity: 36, budget: 12_000, budgetCapacity: 30_000 },
      { year: 2, calendarYear: 2027, staffDays: 20, staffCapacity: 36, budget: 45_000, budgetCapacity: 30_000 },
      { year: 3, calendarYear: 2028, staffDays: 10.5, staffCapacity: 36, budget: 8_000, budgetCapacity: 30_000 },
    ],
    warnings: [{ key: 'test.warn' as MessageKey, params: { year: 1, days: 4, measure: A } }],
    totals: { staffDays: 70.5, costOneOff: 50_000, costRunning: 15_000, budget: 65_000 },
  };
  const html = render(h(CapacityView, { ctx: ctx('de'), report, model, catalogue, startMonth: '2026-03' }));

  it('renders the warnings in words as a KERN alert, the measure named by its title', () => {
    const alert = between(html, '<div class="kern-alert kern-alert--warning', '</ul>');
    assert.match(alert, /Der Plan übersteigt die Kapazität/);
    assert.ok(alert.includes(`<li>Im Jahr 1 fehlen 4 Personentage, vor allem für „${titleOf(A)}“.</li>`), alert);
    const ok = render(h(CapacityView, { ctx: ctx('de'), report: { ...report, warnings: [] }, model, catalogue }));
    assert.doesNotMatch(ok, /kern-alert/);
    assert.match(ok, /Der Plan bleibt in jedem Jahr im Rahmen/);
  });

  it('has one row per strategy year, planned against capacity, the excess said in words, and totals', () => {
    const body = [...between(html, '<tbody', '</tbody>').matchAll(/<tr [^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<t[hd] [^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!),
    );
    assert.deepEqual(body, [
      [
        'Jahr 1 (03/2026 bis 02/2027)',
        '<strong>40</strong>',
        '36',
        '12.000\u00a0€',
        '30.000\u00a0€',
        'Personal überschritten',
      ],
      [
        'Jahr 2 (03/2027 bis 02/2028)',
        '20',
        '36',
        '<strong>45.000\u00a0€</strong>',
        '30.000\u00a0€',
        'Budget überschritten',
      ],
      ['Jahr 3 (03/2028 bis 02/2029)', '10,5', '36', '8.000\u00a0€', '30.000\u00a0€', 'im Rahmen'],
    ]);
    const foot = [...between(html, '<tfoot>', '</tfoot>').matchAll(/<t[hd] [^>]*>([\s\S]*?)<\/t[hd]>/g)].map(
      (c) => c[1],
    );
    assert.deepEqual(foot, ['Gesamt', '70,5', '108', '65.000\u00a0€', '90.000\u00a0€', 'im Rahmen']);
    assert.match(
      html,
      /Kosten über die drei Jahre: 65\.000\u00a0€, davon einmalig 50\.000\u00a0€ und laufend 15\.000\u00a0€/,
    );
    const noStart = render(h(CapacityView, { ctx: ctx('en'), report, model, catalogue }));
    assert.match(noStart, />Year 1 \(from 2026\)</);
    assert.ok(noStart.includes(`mostly for &quot;${catalogue.measures[0]!.title.en}&quot;`));
    assert.match(noStart, />staff exceeded</);
  });
});
