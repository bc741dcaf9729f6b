import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Lang } from '../../platform/i18n/i18n.js';
import { StrategyDocumentView } from '../document/document.js';
import { documentFixture, FIXTURE_NAME } from './document-fixture.js';

const html = (lang: Lang, roadmap?: string) =>
  renderToString(
    h(StrategyDocumentView, {
      input: documentFixture(lang),
      roadmap: roadmap === undefined ? undefined : h('figure', { id: 'gantt-slot' }, roadmap),
    }),
  );

const text = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();

describe('the council document as HTML', () => {
  it('has one h1, an h2 per section and an h3 per measure in roadmap order, never skipping a level', () => {
    const page = html('de');
    const headings = [...page.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => ({
      level: Number(m[1]),
      text: text(m[2]!),
    }));
    assert.deepEqual(headings[0], { level: 1, text: `Digitalstrategie ${FIXTURE_NAME}` });
    assert.equal(headings.filter((x) => x.level === 1).length, 1);
    headings.slice(1).forEach((x, i) => {
      assert.ok(x.level <= headings[i]!.level + 1, `${x.text} does not skip a level`);
    });
    assert.equal(headings.filter((x) => x.level === 2).length, 9);
    const measures = headings.filter((x) => x.level === 3).map((x) => x.text);
    assert.equal(measures.length, 11);
    assert.equal(measures[0], '1. Digitalbeauftragte(n) benennen');
    assert.equal(measures[3], '4. Steuerungsgruppe Digitalisierung einrichten');
    assert.equal(measures[7], '8. E-Rechnungen (XRechnung) empfangen und digital verarbeiten');
    assert.match(page, /^<article class="strategy-doc" lang="de-DE">/);
    // Every section is labelled by its heading.
    for (const m of page.matchAll(/<section[^>]*aria-labelledby="([^"]+)"/g)) {
      assert.match(page, new RegExp(`<h[23][^>]* id="${m[1]}"`), `heading #${m[1]}`);
    }
  });

  it('has tables with a caption, column headers, row headers and totals in the footer', () => {
    const page = html('de');
    const tables = [...page.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => m[0]);
    assert.equal(tables.length, 7);
    for (const t of tables) {
      assert.match(t, /^<table class="kern-table" id="[^"]+"><caption id="[^"]+"/);
      const head = /<thead[\s\S]*?<\/thead>/.exec(t)![0];
      assert.equal((head.match(/<th scope="col"/g) ?? []).length, (head.match(/<th /g) ?? []).length);
      for (const row of /<tbody[\s\S]*?<\/tbody>/.exec(t)![0].match(/<tr[\s\S]*?<\/tr>/g) ?? []) {
        assert.match(row, /^<tr class="kern-table__row"><th scope="row"/, 'each row has its header');
      }
    }
    const budget = tables.find((t) => t.includes('Personal und Budget je Jahr'))!;
    assert.match(text(/<tfoot[\s\S]*?<\/tfoot>/.exec(budget)![0]), /^Summe 119,9 108 239.000 € 180.000 €$/);
    // The table wrapper can be scrolled with the keyboard and is named by the caption.
    assert.match(
      page,
      /<div class="table-wrap" role="region" tabindex="0" aria-labelledby="doc-budget-table-caption">/,
    );
  });

  it('shows the scores as an accessible SVG chart and the reasons in words', () => {
    const page = html('de');
    assert.match(page, /<svg[^>]*role="img"[^>]*aria-labelledby="doc-status-bars-title"/);
    assert.match(page, /<desc id="doc-status-bars-desc">Balkendiagramm der Punktzahl je Dimension/);
    const all = text(page);
    assert.ok(
      all.includes('weil vergleichbare Gemeinden in Strategie & Steuerung im oberen Viertel Stufe 3 erreichen'),
    );
    assert.ok(all.includes('Budget über drei Jahre: 239.000 €'));
    assert.ok(!all.includes('Kita-Platz'));
    assert.match(page, /<a class="kern-link" href="https:\/\/oparl.org">/);
  });

  it('shows the roadmap slot in place of the roadmap table, and the table without one', () => {
    const without = html('de');
    assert.ok(without.includes('Roadmap als Tabelle'));
    assert.ok(!without.includes('gantt-slot'));
    const withSlot = html('de', 'SVG-Gantt');
    const roadmap = withSlot.slice(withSlot.indexOf('id="doc-roadmap"'), withSlot.indexOf('id="doc-governance"'));
    assert.ok(roadmap.includes('<figure id="gantt-slot">SVG-Gantt</figure>'));
    assert.ok(!withSlot.includes('Roadmap als Tabelle'), 'the slot brings its own table');
  });

  it('marks the sections that start a new page in print, and renders in English', () => {
    const page = html('de');
    const newPage = [
      ...page.matchAll(
        /<section class="strategy-doc__section strategy-doc__section--new-page" aria-labelledby="([^"]+)"/g,
      ),
    ].map((m) => m[1]);
    assert.deepEqual(newPage, ['doc-summary', 'doc-status-quo', 'doc-measures', 'doc-budget']);
    const en = html('en');
    assert.match(en, /lang="en-GB"/);
    assert.ok(en.includes('>Summary</h2>') && en.includes('>Where we stand</h2>'));
    assert.ok(text(en).includes('Budget over three years: €239,000'));
  });
});
