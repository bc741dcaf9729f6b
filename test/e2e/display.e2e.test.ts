/**
 * End-to-end: what a first visitor reads — the home page with the platform's jobs, the search at 320 px (results
 * as blocks, filters behind one control), the Lagebild's legends with boundaries older than the register, the
 * imprint's warning while the operator's details are unset. JavaScript on and off; axe-core on every page.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/assessment/demo.js';
import { importBoundaries } from '../../src/register/register.service.js';
import { expectNoAxeViolations, newContext, startServerAndBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, KREISE_GEOJSON, LAENDER_GEOJSON, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();
let server: TestServer | undefined;
let browser: Browser | undefined;
let closeAll: (() => Promise<void>) | undefined;

before(async () => {
  if (!HAVE_DATA) return;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025));
  const db = server.server.db;
  // Boundaries of 2021 against the register of 2025: some Kreise merged in between.
  await importBoundaries(db, 'VG5000_2021_Laender.geojson', fs.readFileSync(LAENDER_GEOJSON, 'utf8'));
  await importBoundaries(db, 'VG5000_2021_Kreise.geojson', fs.readFileSync(KREISE_GEOJSON, 'utf8'));
  await seedDemo(db, { share: 0.05, seed: 1 });
  await server.server.app.platform.events.drain();
});
after(() => closeAll?.());

async function noHorizontalScroll(page: Page) {
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(m.scrollWidth <= 321, `${page.url()}: ${m.scrollWidth}px wide at 320px (client ${m.clientWidth})`);
}

for (const javaScriptEnabled of [true, false]) {
  describe(`first impression (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    const open = async (width: number) => {
      // axe needs script injection: bypassCSP; with JavaScript off, axe runs in a second, scripted context.
      const context = await newContext(browser!, {
        baseURL: server!.baseUrl,
        bypassCSP: true,
        javaScriptEnabled,
        viewport: { width, height: 800 },
      });
      return { context, page: await context.newPage() };
    };
    const axeOn = async (path: string, width: number) => {
      if (javaScriptEnabled) return; // the JavaScript-on pass runs axe in the page itself
      const context = await newContext(browser!, {
        baseURL: server!.baseUrl,
        bypassCSP: true,
        viewport: { width, height: 800 },
      });
      try {
        const page = await context.newPage();
        await page.goto(path);
        await expectNoAxeViolations(page);
      } finally {
        await context.close();
      }
    };

    it('the home page says what the platform is and leads to its jobs, without dead links', async () => {
      const { context, page } = await open(1280);
      try {
        const res = await page.goto('/');
        assert.equal(res?.status(), 200);
        assert.equal(await page.title(), 'Kommunallotse', 'the title does not repeat the name');
        const lead = (await page.locator('main p.kern-body--large').textContent()) ?? '';
        assert.equal(lead.split(/(?<=\.)\s/).length, 2, `two sentences: ${lead}`);
        const jobs = page.locator('main ul.jobs > li');
        const titles = (await jobs.locator('h3').allTextContents()).map((s) => s.trim());
        assert.deepEqual(titles, [
          'Ihre Kommune finden',
          'Digitalcheck',
          'Lagebild',
          'Digitalstrategie',
          'Atlas in Vorbereitung',
        ]);
        // The jobs in preparation have no link; every link of the page answers.
        for (const later of ['Atlas']) {
          assert.equal(await jobs.filter({ hasText: later }).locator('a').count(), 0, later);
        }
        const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(
          hrefs.includes('/digitalcheck') && hrefs.includes('/lagebild') && hrefs.includes('/strategie'),
          hrefs.join(', '),
        );
        for (const href of new Set(hrefs)) {
          const r = await page.request.get(href as string);
          assert.equal(r.status(), 200, `${href} answers`);
        }
        // The search on the home page works.
        await page.getByLabel('Kommune, Kreis, Gemeindeschlüssel oder Postleitzahl').fill('Altötting');
        await page.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
        await page.waitForURL((u) => u.pathname === '/kommunen');
        assert.ok((await page.locator('main ol.results > li').count()) >= 1);
        if (javaScriptEnabled) {
          await page.goto('/');
          await expectNoAxeViolations(page);
        }
      } finally {
        await context.close();
      }
      await axeOn('/', 1280);
    });

    it('at 320 px the results are blocks and the filters fold away behind one control', async () => {
      const { context, page } = await open(320);
      try {
        // Long designations ("Verwaltungsgemeinschaft") wrap too.
        await page.goto('/kommunen?q=Neustadt');
        await noHorizontalScroll(page);
        await page.goto('/kommunen?q=Alt%C3%B6tting');
        await noHorizontalScroll(page);
        assert.equal(await page.locator('main table').count(), 0, 'no wide table');
        // The Gemeinde Altötting ("Altötting, St" in GV100AD), AGS 09171111.
        const first = page
          .locator('main ol.results > li')
          .filter({ has: page.locator('dd', { hasText: /^09171111$/ }) });
        const name = ((await first.locator('h3').textContent()) ?? '').trim();
        assert.equal(name, 'Altötting', 'the name without "St"');
        const facts = await first
          .locator('dl')
          .evaluate((dl) =>
            Array.from(dl.querySelectorAll('dt')).map((dt) => [
              dt.textContent?.trim(),
              dt.nextElementSibling?.textContent?.trim(),
            ]),
          );
        const byLabel = Object.fromEntries(facts);
        assert.equal(byLabel.Bezeichnung, 'Stadt', JSON.stringify(facts));
        assert.equal(byLabel.Kreis, 'Altötting');
        assert.equal(byLabel.Land, 'Bayern');
        assert.match(byLabel.Einwohner ?? '', /^\d{1,3}(\.\d{3})*$/);
        // Each block fits the width; name and facts stack.
        const box = await first.boundingBox();
        assert.ok(box && box.width <= 320, `block width ${box?.width}`);

        // The filters are closed behind one summary, open it and filter (works without JavaScript: <details>).
        const summary = page.locator('main details.filters-toggle > summary');
        assert.equal(await summary.count(), 1);
        assert.equal(await page.getByLabel('Ebene').isVisible(), false, 'filters folded away');
        await summary.click();
        assert.ok(await page.getByLabel('Ebene').isVisible());
        // The (visually hidden) legend does not overlap the first label.
        const legend = await page.locator('main fieldset legend').boundingBox();
        const label = await page.locator('label[for="level"]').boundingBox();
        assert.ok(legend && label, 'legend and label are laid out');
        assert.ok(legend.height <= 1 || legend.y + legend.height <= label.y, 'the legend does not run into the label');
        await page.getByLabel('Ebene').selectOption('kreis');
        await page.getByRole('button', { name: 'Filter anwenden' }).click();
        await page.waitForURL((u) => u.searchParams.get('level') === 'kreis');
        assert.equal(await page.locator('main details.filters-toggle').getAttribute('open'), '', 'open while set');
        const kreis = (await page.locator('main ol.results > li h3').first().textContent())?.trim();
        assert.equal(kreis, 'Altötting');
        await noHorizontalScroll(page);
        if (javaScriptEnabled) await expectNoAxeViolations(page);
      } finally {
        await context.close();
      }
      await axeOn('/kommunen?q=Alt%C3%B6tting', 320);
    });

    it('the Lagebild legends explain every fill and the map names its boundary year', async () => {
      const { context, page } = await open(1280);
      try {
        await page.goto('/lagebild');
        const kreisMap = page.locator('#map-kreise-figure');
        const legend = (await kreisMap.locator('.map-legend__list li').allTextContents()).map((s) => s.trim());
        assert.ok(legend.includes('zu wenige Teilnehmende (weniger als 5)'), legend.join(' | '));
        assert.ok(legend.includes('zurückgehalten zum Schutz kleinerer Gruppen'), legend.join(' | '));
        assert.ok(
          legend.some((l) => /^unter 20$|bis unter/.test(l)),
          legend.join(' | '),
        );
        const main = (await page.locator('main').textContent()) ?? '';
        assert.match(main, /Grenzen mit Stand 2021/);
        assert.match(main, /zusammengelegte Gebiete \(\d+\) sind unter ihrem heutigen Nachfolger/);
        // The Länder in the official order, everywhere.
        const order = await page
          .locator('#participation ~ div.table-wrap')
          .first()
          .locator('tbody th')
          .evaluateAll((ths) => ths.map((th) => th.textContent?.trim()));
        assert.equal(order[0], 'Schleswig-Holstein');
        assert.equal(order[1], 'Hamburg');
        assert.equal(order[15], 'Thüringen');
        // City states in words, sector levels as a chart with a table, no placeholder.
        assert.match(main, /Berlin und Hamburg sind Land und Gemeinde zugleich/);
        assert.equal(await page.locator('#sectors-figure svg[role="img"]').count(), 1);
        assert.ok((await page.locator('#sectors-figure table tbody tr').count()) >= 3);
        assert.doesNotMatch(main, /\d+ \/ \d+ \/ \d+ \/ \d+ \/ \d+/, 'no bare level counts');
        assert.doesNotMatch(main, /sobald das Strategie-Modul/, 'no placeholder section');
        assert.doesNotMatch(main, /\d{4}-\d{2}-\d{2}/, 'dates in German format');
        if (javaScriptEnabled) await expectNoAxeViolations(page);
      } finally {
        await context.close();
      }
      await axeOn('/lagebild', 1280);
    });

    it('an ended region says between which releases it ended; the Lagebild fits 320 px', async () => {
      const { context, page } = await open(320);
      try {
        // Eisenach (Kreis 16056): in the built-in register of 31.12.2018, no longer in the release of 30.11.2025.
        await page.goto('/kommunen/16056');
        const alert = ((await page.locator('main .kern-alert h2').textContent()) ?? '').trim();
        assert.match(alert, /beendet zwischen 31\.12\.2018 und 30\.11\.2025/);
        assert.doesNotMatch(alert, /gültig bis/);
        await noHorizontalScroll(page);
        await page.goto('/lagebild');
        await noHorizontalScroll(page);
      } finally {
        await context.close();
      }
    });

    it('the imprint warns while the operator has not set the details', async () => {
      const { context, page } = await open(320);
      try {
        await page.goto('/impressum');
        const alert = page.locator('main .kern-alert');
        assert.match((await alert.textContent()) ?? '', /Impressum unvollständig/);
        for (const v of [
          'OPERATOR_NAME',
          'OPERATOR_ADDRESS',
          'OPERATOR_EMAIL',
          'PRIVACY_CONTACT',
          'ACCESSIBILITY_CONTACT',
        ]) {
          assert.ok(await alert.getByText(v, { exact: true }).isVisible(), v);
        }
        await noHorizontalScroll(page);
        if (javaScriptEnabled) await expectNoAxeViolations(page);
      } finally {
        await context.close();
      }
    });
  });
}
