/**
 * End-to-end: the register journey in a real browser against the real server with the real
 * GV100AD release (30.11.2025) — with and without JavaScript — plus language switch, keyboard
 * access and the 320 px layout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { newContext, startServerAndBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();
const SEARCH_LABEL = 'Kommune, Kreis, Gemeindeschlüssel oder Postleitzahl';
const LAENDER = [
  'Schleswig-Holstein',
  'Hamburg',
  'Niedersachsen',
  'Bremen',
  'Nordrhein-Westfalen',
  'Hessen',
  'Rheinland-Pfalz',
  'Baden-Württemberg',
  'Bayern',
  'Saarland',
  'Berlin',
  'Brandenburg',
  'Mecklenburg-Vorpommern',
  'Sachsen',
  'Sachsen-Anhalt',
  'Thüringen',
];
/** Neustadt a.d.Aisch (Stadt), Landkreis Neustadt a.d.Aisch-Bad Windsheim, Mittelfranken, Bayern. */
const AGS = '09575153';

let server: TestServer | undefined;
let browser: Browser | undefined;

interface ResultRow {
  name: string;
  href: string | null;
  level: string;
  kreis: string;
  land: string;
  population: string;
  key: string;
}

/** The results, one block each: the name (heading with the link) and the facts as label → value. */
async function resultRows(page: Page): Promise<ResultRow[]> {
  // No named closures inside evaluate(): tsx (esbuild keepNames) would wrap them in a __name() helper
  // that does not exist in the page.
  const blocks = await page.locator('main ol.results').evaluate((ol) =>
    Array.from(ol.querySelectorAll(':scope > li')).map((li) => {
      const facts: Record<string, string> = {};
      for (const dt of Array.from(li.querySelectorAll('dt'))) {
        facts[dt.textContent?.trim() ?? ''] = dt.nextElementSibling?.textContent?.trim() ?? '';
      }
      const link = li.querySelector('h3 a');
      return { name: link?.textContent?.trim() ?? '', href: link?.getAttribute('href') ?? null, facts };
    }),
  );
  return blocks.map(({ name, href, facts }) => ({
    name,
    href,
    level: facts.Bezeichnung ?? '',
    kreis: facts.Kreis ?? '–',
    land: facts.Land ?? '',
    population: facts.Einwohner ?? '',
    key: facts.Schlüssel ?? '',
  }));
}

/** The key figures of a profile (dl.facts) as label → value. */
async function keyFigures(page: Page): Promise<Record<string, string>> {
  return page
    .locator('main dl.facts')
    .first()
    .evaluate((dl) => {
      const out: Record<string, string> = {};
      for (const dt of Array.from(dl.querySelectorAll('dt'))) {
        const dd = dt.nextElementSibling;
        if (dd?.tagName === 'DD') out[dt.textContent?.trim() ?? ''] = dd.textContent?.trim() ?? '';
      }
      return out;
    });
}

const germanInt = (s: string) => Number(s.replace(/\./g, ''));

/** Visible text of one element, trimmed (textContent: the pages hide no text inside these elements). */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function headingText(page: Page) {
  return text(page.locator('h1'));
}

let closeAll: (() => Promise<void>) | undefined;

before(async () => {
  if (!HAVE_DATA) return;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025));
});

after(() => closeAll?.());

for (const javaScriptEnabled of [true, false]) {
  describe(`register journey (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      assert.ok(server && browser);
      context = await newContext(browser, { baseURL: server.baseUrl, javaScriptEnabled });
      page = await context.newPage();
    });
    after(async () => {
      await context?.close();
    });

    it('searches "Neustadt", opens a Gemeinde and reads its profile', async () => {
      assert.ok(server?.imported);
      const res = await page.goto('/');
      assert.equal(res?.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'de');

      // Search from the home page.
      await page.getByLabel(SEARCH_LABEL).fill('Neustadt');
      await page.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
      await page.waitForURL((u) => u.pathname === '/kommunen' && u.searchParams.get('q') === 'Neustadt');
      assert.equal(await headingText(page), 'Suche nach „Neustadt“');
      assert.equal(await page.getByLabel(SEARCH_LABEL).inputValue(), 'Neustadt', 'the query stays in the box');

      const count = await text(page.locator('#results-heading'));
      assert.match(count, /^[\d.]+ Treffer$/);
      assert.ok(germanInt(count.replace(/\D+$/, '')) >= 25, `many Neustadts expected, got "${count}"`);

      const rows = await resultRows(page);
      assert.ok(rows.length >= 20, `a full first page of results expected, got ${rows.length}`);
      for (const r of rows) {
        assert.match(r.name, /neustadt/i, `every hit is a Neustadt: ${JSON.stringify(r)}`);
        assert.ok(r.href?.startsWith('/kommunen/'), `every hit links to its profile: ${JSON.stringify(r)}`);
        assert.ok(LAENDER.includes(r.land), `every hit names its Land: ${JSON.stringify(r)}`);
        if (r.key.length >= 8) {
          // Gemeinden and Gemeindeverbände name their Kreis.
          assert.ok(r.kreis && r.kreis !== '–', `a Gemeinde names its Kreis: ${JSON.stringify(r)}`);
        }
      }
      assert.ok(new Set(rows.map((r) => r.land)).size >= 5, 'Neustadts in several Länder');
      const chosen = rows.find((r) => r.key === AGS);
      assert.ok(chosen, `Neustadt a.d.Aisch (${AGS}) is on the first page: ${rows.map((r) => r.key).join(', ')}`);
      assert.equal(chosen.kreis, 'Neustadt a.d.Aisch-Bad Windsheim');
      assert.equal(chosen.land, 'Bayern');

      // Choose it.
      await page
        .locator('main ol.results > li')
        .filter({ has: page.locator('dd', { hasText: new RegExp(`^${AGS}$`) }) })
        .getByRole('link')
        .click();
      await page.waitForURL((u) => u.pathname === `/kommunen/${AGS}`);
      const name = await headingText(page);
      assert.equal(name, chosen.name);
      // The heading shows the name without the GV100AD suffix ("Neustadt a.d.Aisch, St"), written out beside it.
      assert.equal(name, 'Neustadt a.d.Aisch');
      assert.equal(chosen.level, 'Stadt');

      // Key figures.
      const facts = await keyFigures(page);
      assert.equal(facts['Amtlicher Gemeindeschlüssel (AGS)'], AGS);
      const population = facts.Einwohner ?? '';
      assert.match(population, /^\d{1,3}(\.\d{3})*$/, `population in German notation: "${population}"`);
      assert.ok(germanInt(population) > 10_000 && germanInt(population) < 20_000, `population ${population}`);
      assert.equal(population, chosen.population, 'profile and result list agree on the population');
      assert.match(facts.Fläche ?? '', /^\d[\d.]*,\d{2} km²$/);

      // Breadcrumb: Start › Bayern › Mittelfranken › Landkreis … › the Gemeinde.
      const crumbs = page.getByRole('navigation', { name: 'Brotkrumennavigation' });
      const items = (await crumbs.locator('li').allInnerTexts()).map((s) => s.trim());
      assert.equal(items[0], 'Start');
      assert.equal(items[1], 'Bayern');
      assert.ok(items.includes('Mittelfranken'), `breadcrumb: ${items.join(' › ')}`);
      assert.ok(items.includes('Neustadt a.d.Aisch-Bad Windsheim'), `breadcrumb: ${items.join(' › ')}`);
      assert.equal(items.at(-1), name);
      assert.equal(await text(crumbs.locator('[aria-current="page"]')), name);
      assert.equal(
        await crumbs.getByRole('link', { name: 'Bayern', exact: true }).getAttribute('href'),
        '/kommunen/09',
      );

      // Source and Gebietsstand.
      const sourceHeading = page.getByRole('heading', { level: 2, name: 'Quelle und Gebietsstand' });
      const source = await text(sourceHeading.locator('xpath=following-sibling::p[1]'));
      const [y, m, d] = server.imported.release.split('-');
      assert.equal(`${y}-${m}-${d}`, '2025-11-30');
      assert.match(source, /Statistisches Bundesamt \(Destatis\)/);
      assert.ok(source.includes(`Gebietsstand ${d}.${m}.${y}`), `source line: "${source}"`);

      // Up the breadcrumb to the Kreis.
      await crumbs.getByRole('link', { name: 'Neustadt a.d.Aisch-Bad Windsheim' }).click();
      await page.waitForURL((u) => u.pathname === '/kommunen/09575');
      assert.equal(await headingText(page), 'Neustadt a.d.Aisch-Bad Windsheim');
      assert.equal((await keyFigures(page)).Schlüssel, '09575');
    });

    it('switches the language to English and back on the same page', async () => {
      await page.goto('/kommunen?q=Neustadt');
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'English' }).click();
      await page.waitForURL((u) => u.pathname === '/kommunen' && u.searchParams.get('q') === 'Neustadt');
      await page.waitForSelector('html[lang="en"]');
      assert.equal(await headingText(page), 'Search for “Neustadt”');
      assert.ok(await page.getByLabel('Municipality, district, municipality key or postcode').isVisible());

      // The choice is remembered …
      await page.goto(`/kommunen/${AGS}`);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal((await keyFigures(page))['Official municipality key (AGS)'], AGS);

      // … until switched back.
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Deutsch' }).click();
      await page.waitForURL((u) => u.pathname === `/kommunen/${AGS}`);
      await page.waitForSelector('html[lang="de"]');
      assert.equal((await keyFigures(page))['Amtlicher Gemeindeschlüssel (AGS)'], AGS);
    });
  });
}

describe('register pages', { skip: !HAVE_DATA && 'real data missing' }, () => {
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    assert.ok(server && browser);
    context = await newContext(browser, { baseURL: server.baseUrl });
    page = await context.newPage();
  });
  after(async () => {
    await context?.close();
  });

  it('a misspelt "Mnchen" finds München first', async () => {
    await page.goto('/');
    await page.getByLabel(SEARCH_LABEL).fill('Mnchen');
    await page.getByLabel(SEARCH_LABEL).press('Enter');
    await page.waitForURL((u) => u.pathname === '/kommunen' && u.searchParams.get('q') === 'Mnchen');
    assert.equal(await page.locator('main ol.results').count(), 1, 'results for "Mnchen"');
    const rows = await resultRows(page);
    assert.match(rows[0]?.name ?? '', /^München\b/, `first hit: ${JSON.stringify(rows[0])}`);
  });

  it('an unknown profile key answers 404 with a page heading', async () => {
    const res = await page.goto('/kommunen/09999999');
    assert.equal(res?.status(), 404);
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await headingText(page), 'Nicht gefunden');
    assert.match(await page.title(), /^Nicht gefunden – /);
    assert.ok(await page.getByRole('link', { name: 'Zur Startseite' }).isVisible());
  });

  it('the skip link is the first focusable element and moves focus to main', async () => {
    await page.goto(`/kommunen/${AGS}`);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const box = el?.getBoundingClientRect();
      return {
        tag: el?.tagName,
        cls: el?.className,
        text: el?.textContent?.trim(),
        href: el?.getAttribute('href'),
        visible: !!box && box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0,
      };
    });
    assert.deepEqual(
      { tag: first.tag, cls: first.cls, text: first.text, href: first.href },
      { tag: 'A', cls: 'skip-link', text: 'Zum Inhalt springen', href: '#inhalt' },
    );
    assert.ok(first.visible, 'the focused skip link is visible on screen');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'inhalt');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
    // The next Tab continues inside main, not back in the header.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('main')), true);
  });

  it('has no horizontal scrolling at 320 px width', async () => {
    const narrow = await newContext(browser as Browser, {
      baseURL: (server as TestServer).baseUrl,
      viewport: { width: 320, height: 640 },
    });
    try {
      const p = await narrow.newPage();
      for (const path of ['/', '/kommunen?q=Neustadt', `/kommunen/${AGS}`, '/kommunen/09575']) {
        const res = await p.goto(path);
        assert.equal(res?.status(), 200, path);
        const m = await p.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          tables: Array.from(document.querySelectorAll('table')).map((t) => !!t.closest('.table-wrap')),
        }));
        assert.ok(m.scrollWidth <= 321, `${path}: page is ${m.scrollWidth}px wide at 320px (client ${m.clientWidth})`);
        assert.ok(m.tables.every(Boolean), `${path}: every table sits in a scrolling .table-wrap`);
      }
    } finally {
      await narrow.close();
    }
  });
});
