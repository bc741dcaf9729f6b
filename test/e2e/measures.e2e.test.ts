/**
 * End-to-end: the public measures catalogue in Chromium against the real server — the list, the filter form
 * (a plain GET form, so it works with JavaScript off), a measure's page, the refused filter and the unknown
 * measure — with zero axe violations at 1280 and 320 px. And the roadmap components (Gantt chart, table,
 * capacity view), server-rendered into the app's page frame with its stylesheets and checked the same way:
 * no test-only route in the app, the HTML is put into a page of the running server with `setContent`.
 *
 * Needs no real data: the catalogue is content of the repository.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Fragment, h, type VNode } from 'preact';
import { loadModel } from '../../src/assessment/model.js';
import { Layout, renderPage } from '../../src/platform/http/layout.js';
import { type Catalogue, I18n, type MessageKey } from '../../src/platform/i18n/i18n.js';
import { loadMeasures } from '../../src/strategy/measures.js';
import type { CapacityReport, MeasureStatus, PlanItem } from '../../src/strategy/plan.js';
import { CapacityView, Roadmap } from '../../src/strategy/roadmap.js';
import {
  expectNoAxeViolations,
  expectNoAxeViolationsAtBothWidths,
  launchBrowser,
  newContext,
} from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const catalogue = loadMeasures();
const TOTAL = catalogue.measures.length;

let server: TestServer | undefined;
let browser: Browser | undefined;

before(async () => {
  const [s, b] = await Promise.allSettled([startTestServer(), launchBrowser()]);
  if (s.status === 'fulfilled') server = s.value;
  if (b.status === 'fulfilled') browser = b.value;
  if (s.status === 'rejected' || b.status === 'rejected') {
    await Promise.allSettled([server?.close(), browser?.close()]);
    throw s.status === 'rejected' ? s.reason : (b as PromiseRejectedResult).reason;
  }
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
});

async function open(javaScriptEnabled: boolean, width = 1280) {
  const context = await newContext(browser!, {
    baseURL: server!.baseUrl,
    javaScriptEnabled,
    bypassCSP: true,
    viewport: { width, height: 900 },
  });
  return { context, page: await context.newPage() };
}

const countHeading = (page: Page) => page.locator('#measures-count').textContent();
const listedCount = (page: Page) => page.locator('main ol.results > li').count();

for (const javaScriptEnabled of [true, false]) {
  describe(`The measures catalogue (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    it('lists, filters with the plain form, shows a measure, refuses a bad filter — axe-clean at both widths', async () => {
      const { context, page } = await open(javaScriptEnabled);
      try {
        const res = await page.goto('/massnahmen');
        assert.equal(res?.status(), 200);
        await page.getByRole('heading', { level: 1, name: 'Maßnahmenkatalog' }).waitFor();
        assert.equal(await countHeading(page), `${TOTAL} von ${TOTAL} Maßnahmen`);
        assert.equal(await listedCount(page), TOTAL);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);

        // Filter: Bildung, Gemeinden unter 2.000 Einwohnern.
        await page.getByLabel('Sektor').selectOption({ label: 'Bildung' });
        await page.getByLabel('Größe der Kommune').selectOption({ label: 'unter 2.000 Einwohner' });
        await Promise.all([
          page.waitForURL(/sektor=bildung/),
          page.getByRole('button', { name: 'Filter anwenden' }).click(),
        ]);
        const url = new URL(page.url());
        assert.equal(url.pathname, '/massnahmen');
        assert.equal(url.searchParams.get('sektor'), 'bildung');
        assert.equal(url.searchParams.get('groesse'), '<2000');
        const expected = catalogue.measures.filter((m) => m.sectors.includes('bildung') && m.sizes.includes('<2000'));
        assert.ok(expected.length > 0 && expected.length < TOTAL);
        assert.equal(await countHeading(page), `${expected.length} von ${TOTAL} Maßnahmen`);
        assert.equal(await listedCount(page), expected.length);
        assert.equal(await page.getByLabel('Sektor').inputValue(), 'bildung');

        // A measure's page from the list.
        const first = expected[0]!;
        await Promise.all([
          page.waitForURL(`**/massnahmen/${first.id}`),
          page.getByRole('link', { name: first.title.de, exact: true }).click(),
        ]);
        await page.getByRole('heading', { level: 1, name: first.title.de }).waitFor();
        await page.getByRole('heading', { level: 2, name: 'Was die Maßnahme voranbringt' }).waitFor();
        await page.getByRole('heading', { level: 2, name: 'Quellen' }).waitFor();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        // Back through the breadcrumb.
        await Promise.all([
          page.waitForURL('**/massnahmen'),
          page
            .getByRole('navigation', { name: 'Brotkrumennavigation' })
            .getByRole('link', { name: 'Maßnahmenkatalog' })
            .click(),
        ]);

        // A value not on the list: 400, the error summary links the field.
        const bad = await page.goto('/massnahmen?dimension=quantencomputer');
        assert.equal(bad?.status(), 400);
        await page.getByText('Dimension: „quantencomputer“ gibt es nicht.').first().waitFor();
        assert.equal(await listedCount(page), 0);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);

        const missing = await page.goto('/massnahmen/gibt-es-nicht');
        assert.equal(missing?.status(), 404);
        await page.getByRole('heading', { level: 1, name: 'Maßnahme nicht gefunden' }).waitFor();
        await expectNoAxeViolations(page, javaScriptEnabled);
      } finally {
        await context.close();
      }
    });
  });
}

describe('The catalogue in English', () => {
  it('switches language and stays axe-clean', async () => {
    const { context, page } = await open(true);
    try {
      await page.goto('/massnahmen?dimension=sg');
      await Promise.all([
        page.waitForURL('**/massnahmen?dimension=sg'),
        page.getByRole('link', { name: 'English' }).click(),
      ]);
      await page.getByRole('heading', { level: 1, name: 'Measures catalogue' }).waitFor();
      const n = catalogue.measures.filter((m) => m.dimensions.includes('sg')).length;
      assert.equal(await countHeading(page), `${n} of ${TOTAL} measures`);
      await expectNoAxeViolations(page);
    } finally {
      await context.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The roadmap components, rendered on the server side of the test into the app's frame

const TEST_MESSAGES: Catalogue = {
  module: 'test',
  de: { 'test.warn': 'Im Jahr {year} sind {days} Personentage mehr geplant als verfügbar, vor allem für „{measure}“.' },
  en: { 'test.warn': 'In year {year}, {days} person-days more are planned than available, mostly for "{measure}".' },
};

function roadmapHtml(): string {
  const app = server!.server.app;
  const i18n = new I18n([...app.i18n.catalogues, TEST_MESSAGES]);
  const ctx = {
    lang: 'de' as const,
    t: i18n.translator('de'),
    url: '/roadmap-test',
    requestId: 'e2e',
    user: null,
    csrfToken: '',
    nav: app.nav,
  };
  const statuses: MeasureStatus[] = ['done', 'in_progress', 'planned', 'dropped'];
  const items: PlanItem[] = catalogue.measures.slice(0, 14).map((m, i) => ({
    measureId: m.id,
    startMonth: (i * 5) % 34,
    durationMonths: Math.round((m.durationMonths.min + m.durationMonths.max) / 2),
    effortDays: (m.effortDays.min + m.effortDays.max) / 2,
    costOneOff: (m.costOneOff.min + m.costOneOff.max) / 2,
    costPerYear: (m.costPerYear.min + m.costPerYear.max) / 2,
    owner: i % 3 === 0 ? 'Hauptamt, Frau Beispiel' : '',
    status: statuses[i % 4]!,
    note: '',
    actualStart: null,
    actualEnd: null,
    reason: { key: 'roadmap.title', params: {} },
  }));
  const report: CapacityReport = {
    years: [
      { year: 1, calendarYear: 2026, staffDays: 44, staffCapacity: 36, budget: 21_000, budgetCapacity: 30_000 },
      { year: 2, calendarYear: 2027, staffDays: 30, staffCapacity: 36, budget: 41_000, budgetCapacity: 30_000 },
      { year: 3, calendarYear: 2028, staffDays: 12, staffCapacity: 36, budget: 9_000, budgetCapacity: 30_000 },
    ],
    warnings: [{ key: 'test.warn' as MessageKey, params: { year: 1, days: 8, measure: items[0]!.measureId } }],
    totals: { staffDays: 86, costOneOff: 48_000, costRunning: 23_000, budget: 71_000 },
  };
  const model = loadModel(catalogue.modelVersion);
  const body = h(
    Fragment,
    null,
    h('h1', { class: 'kern-heading-large' }, 'Digitalstrategie Beispielgemeinde'),
    h('h2', { class: 'kern-heading-medium' }, 'Roadmap'),
    h(Roadmap, { ctx, items, startMonth: '2026-03', catalogue }),
    h('h2', { class: 'kern-heading-medium' }, 'Personal und Budget'),
    h(CapacityView, { ctx, report, model, catalogue, startMonth: '2026-03' }),
  );
  return renderPage(
    h(Layout, {
      ctx,
      title: 'Roadmap',
      breadcrumb: [{ href: '/', label: 'Start' }, { label: 'Roadmap' }],
      children: body,
    }) as VNode,
  );
}

describe('The roadmap components in the app frame', () => {
  it('have zero axe violations at both widths, the stylesheet applied, and no page-wide scrolling at 320 px', async () => {
    const { context, page } = await open(true);
    try {
      // A page of the server first, so that the frame's /assets links resolve against it.
      await page.goto('/massnahmen');
      await page.setContent(roadmapHtml(), { waitUntil: 'load' });
      await page.getByRole('heading', { level: 1, name: 'Digitalstrategie Beispielgemeinde' }).waitFor();
      await page.getByRole('img', { name: 'Roadmap' }).waitFor();
      assert.equal(await page.locator('svg.chart--roadmap .roadmap-row').count(), 14 - 3, 'dropped ones not drawn');
      assert.equal(await page.locator('table.roadmap-table tbody tr').count(), 14 - 3);
      await page.getByText('Der Plan übersteigt die Kapazität').waitFor();
      // site.css is applied: the table scrolls inside its region, the chart is wider than a bar chart.
      const styles = await page.evaluate(() => {
        const wrap = document.querySelector('.table-wrap');
        const chart = document.querySelector('svg.chart--roadmap');
        return {
          overflow: wrap ? getComputedStyle(wrap).overflowX : '',
          maxWidth: chart ? getComputedStyle(chart).maxWidth : '',
        };
      });
      assert.equal(styles.overflow, 'auto');
      assert.equal(styles.maxWidth, '896px');
      await expectNoAxeViolationsAtBothWidths(page);

      await page.setViewportSize({ width: 320, height: 900 });
      const fit = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        chart: document.querySelector('svg.chart--roadmap')?.getBoundingClientRect().width ?? 0,
        table: document.querySelector('.table-wrap')?.scrollWidth ?? 0,
        wrap: document.querySelector('.table-wrap')?.clientWidth ?? 0,
      }));
      assert.ok(fit.page <= 320, `the page scrolls sideways at 320 px (${fit.page} px)`);
      assert.ok(fit.chart > 0 && fit.chart <= 320, `chart ${fit.chart} px`);
      assert.ok(fit.table > fit.wrap, 'the wide table scrolls inside its focusable region');
      const region = page.getByRole('region', { name: 'Roadmap als Tabelle' });
      await region.focus();
      assert.equal(await region.evaluate((el) => el === document.activeElement), true);
    } finally {
      await context.close();
    }
  });
});
