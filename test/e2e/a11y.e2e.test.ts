/**
 * Accessibility: axe-core (WCAG 2.0/2.1 A + AA rules) finds zero violations on every page, in
 * German and English, and every page has the frame screen-reader and keyboard users rely on:
 * html[lang], one <h1>, a unique <title>, <main>, and a skip link to it as the first focusable element.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, formatViolations, newContext, startServerAndBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();

interface PageCase {
  name: string;
  path: string;
  status: number;
}

const PAGES: PageCase[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'search (empty)', path: '/kommunen', status: 200 },
  { name: 'search results', path: '/kommunen?q=Neustadt', status: 200 },
  { name: 'search form error', path: '/kommunen?minPopulation=abc', status: 400 },
  { name: 'Gemeinde profile', path: '/kommunen/09575153', status: 200 },
  { name: 'Kreis profile', path: '/kommunen/09575', status: 200 },
  { name: 'Land profile', path: '/kommunen/09', status: 200 },
  { name: 'data sources', path: '/datenquellen', status: 200 },
  { name: 'imprint', path: '/impressum', status: 200 },
  { name: 'accessibility statement', path: '/barrierefreiheit', status: 200 },
  { name: 'API documentation', path: '/api/docs', status: 200 },
  { name: 'not found', path: '/gibt-es-nicht', status: 404 },
  { name: 'sign in', path: '/anmelden', status: 200 },
  { name: 'privacy notice', path: '/datenschutz', status: 200 },
  { name: 'Digitalcheck', path: '/digitalcheck', status: 200 },
  { name: 'Lagebild', path: '/lagebild', status: 200 },
  { name: 'sign up', path: '/registrieren', status: 200 },
  { name: 'forgotten password', path: '/passwort-vergessen', status: 200 },
  { name: 'invalid link', path: '/passwort-neu?token=unbekannt', status: 410 },
  { name: 'standards catalogue', path: '/standards', status: 200 },
  { name: 'standards of a sector', path: '/standards?sektor=mobilitaet&verbindlichkeit=empfohlen', status: 200 },
  { name: 'standard', path: '/standards/oparl', status: 200 },
  { name: 'checked conformance', path: '/konformitaet', status: 200 },
  { name: 'FAQ of the advisory desk', path: '/beratung/faq', status: 200 },
  { name: 'FAQ search', path: '/beratung/faq?q=Ratsinformationssystem&sektor=verwaltung', status: 200 },
  { name: 'events', path: '/veranstaltungen', status: 200 },
  { name: 'cooperation groups', path: '/kooperation', status: 200 },
];

let server: TestServer | undefined;
let browser: Browser | undefined;

let closeAll: (() => Promise<void>) | undefined;

before(async () => {
  if (!HAVE_DATA) return;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025));
});

after(() => closeAll?.());

describe('axe helper', { skip: !HAVE_DATA && 'real data missing' }, () => {
  it('reports violations (the check is not vacuous)', async () => {
    assert.ok(server && browser);
    const context = await newContext(browser, { baseURL: server.baseUrl, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.setContent('<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png"></body></html>');
      const ids = (await axeViolations(page)).map((v) => v.id);
      assert.ok(ids.includes('image-alt'), `image-alt expected: ${ids.join(', ')}`);
      assert.ok(ids.includes('html-has-lang'), `html-has-lang expected: ${ids.join(', ')}`);
    } finally {
      await context.close();
    }
  });
});

for (const lang of ['de', 'en'] as const) {
  describe(`accessibility (${lang})`, { skip: !HAVE_DATA && 'real data missing' }, () => {
    let context: BrowserContext;
    let page: Page;
    const failedAssets: string[] = [];
    const titles = new Map<string, string>();

    before(async () => {
      assert.ok(server && browser);
      // German: Accept-Language de-DE. English: the language switch's cookie (+ Accept-Language en-GB).
      context = await newContext(browser, {
        baseURL: server.baseUrl,
        bypassCSP: true,
        locale: lang === 'en' ? 'en-GB' : 'de-DE',
        langCookie: lang === 'en' ? 'en' : undefined,
      });
      page = await context.newPage();
      // Contrast is only meaningful with the real stylesheets: every asset must load.
      page.on('response', (res) => {
        if (res.url().includes('/assets/') && res.status() >= 400) failedAssets.push(`${res.status()} ${res.url()}`);
      });
    });
    after(async () => {
      await context?.close();
    });

    for (const c of PAGES) {
      it(`${c.name} (${c.path})`, async () => {
        const res = await page.goto(c.path, { waitUntil: 'load' });
        assert.equal(res?.status(), c.status, `${c.path} status`);
        assert.deepEqual(failedAssets, [], 'all stylesheets and assets load');

        const violations = await axeViolations(page);
        assert.equal(
          violations.length,
          0,
          `axe found ${violations.length} violation(s) on ${c.path} [${lang}]:\n${formatViolations(violations)}`,
        );

        // No named closures inside evaluate(): tsx would wrap them in a __name() helper the page lacks.
        const frame = await page.evaluate(() => {
          const focusable = document.querySelector(
            'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select, textarea, [tabindex]:not([tabindex="-1"])',
          );
          const href = focusable?.getAttribute('href') ?? '';
          const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
          return {
            lang: document.documentElement.getAttribute('lang'),
            title: document.title.trim(),
            h1: Array.from(document.querySelectorAll('h1')).map((h) => h.textContent?.trim() ?? ''),
            mains: document.querySelectorAll('main').length,
            firstFocusable: focusable ? `${focusable.tagName.toLowerCase()}.${focusable.className} ${href}` : null,
            firstFocusableText: focusable?.textContent?.trim() ?? '',
            skipTargetIsMain: target?.tagName === 'MAIN',
          };
        });
        assert.equal(frame.lang, lang, 'html[lang]');
        assert.equal(frame.h1.length, 1, `exactly one <h1>: ${JSON.stringify(frame.h1)}`);
        assert.ok(frame.h1[0], 'the <h1> is not empty');
        assert.ok(frame.title.length > 0, '<title> is not empty');
        assert.match(frame.title, /(^| – )Kommunallotse$/, 'the <title> names the site');
        assert.equal(frame.mains, 1, 'exactly one <main>');
        assert.match(frame.firstFocusable ?? '', /^a\.skip-link #/, 'the first focusable element is the skip link');
        assert.equal(
          frame.firstFocusableText,
          lang === 'en' ? 'Skip to content' : 'Zum Inhalt springen',
          'skip link text',
        );
        assert.ok(frame.skipTargetIsMain, 'the skip link points at <main>');

        const seen = titles.get(frame.title);
        assert.equal(seen, undefined, `<title> "${frame.title}" of ${c.path} is also the title of ${seen}`);
        titles.set(frame.title, c.path);

        if (c.status === 400) {
          // Form error state: summary announced, field marked invalid and tied to its message.
          const form = await page.evaluate(() => {
            const input = document.getElementById('minPopulation');
            const describedBy = input?.getAttribute('aria-describedby') ?? '';
            return {
              summary: document.querySelector('[role="alert"]')?.textContent?.trim() ?? '',
              summaryLink: document.querySelector('[role="alert"] a[href="#minPopulation"]') !== null,
              invalid: input?.getAttribute('aria-invalid'),
              message: describedBy ? (document.getElementById(describedBy)?.textContent?.trim() ?? '') : '',
            };
          });
          assert.ok(form.summary, 'an error summary with role=alert');
          assert.ok(form.summaryLink, 'the summary links to the field');
          assert.equal(form.invalid, 'true', 'the field is aria-invalid');
          assert.ok(form.message, 'the field is described by its error message');
        }
      });
    }
  });
}
