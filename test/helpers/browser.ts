import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './server.js';

/** Debian's chromium; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * One headless Chromium per test file. Create contexts from it with {@link newContext}
 * (JavaScript on/off, CSP bypass for axe, language, viewport); close it in an after() hook.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface ContextOptions extends BrowserContextOptions {
  /** Base URL of the server under test (page.goto('/…') is resolved against it). */
  baseURL: string;
  /** Set the `lang` cookie (the language switch's memory) for the whole context. */
  langCookie?: 'de' | 'en';
}

/** A fresh browser context (own cookies), German by default (Accept-Language de-DE). */
export async function newContext(browser: Browser, opts: ContextOptions): Promise<BrowserContext> {
  const { langCookie, ...options } = opts;
  const context = await browser.newContext({ locale: 'de-DE', ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  if (langCookie) await context.addCookies([{ name: 'lang', value: langCookie, url: opts.baseURL }]);
  return context;
}

/**
 * Open a login link in a fresh context and confirm it ("Jetzt anmelden"); resolves on the account page.
 * `options` adds context options (e.g. `acceptDownloads`).
 */
export async function signInWithLink(
  browser: Browser,
  baseURL: string,
  link: string,
  javaScriptEnabled: boolean,
  options: Partial<BrowserContextOptions> = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, { baseURL, javaScriptEnabled, bypassCSP: true, ...options });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
  await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
  return { context, page };
}

/** Submit a form by its (first) button of that name and wait for the page it leads to. */
export async function submitForm(page: Page, name: string | RegExp): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), page.getByRole('button', { name }).first().click()]);
  await page.waitForLoadState('load');
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/**
 * Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page and return its violations.
 * The pages send a strict CSP (script-src 'self'), so the page's context must have been created
 * with `bypassCSP: true` for the injected axe script to run.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: AXE_SOURCE });
  const ok = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!ok) throw new Error('axe-core could not be injected (is the context created with bypassCSP: true?)');
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } })
      .axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return (result.violations as AxeViolation[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** Violations as readable text for an assertion message. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n  ${v.helpUrl}\n` +
        v.nodes
          .map(
            (n) =>
              `    ${JSON.stringify(n.target)} ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
          )
          .join('\n'),
    )
    .join('\n');
}

/**
 * Start the test server (with the given GV100AD release imported) and a browser at once. If either fails,
 * whatever did start is closed again before the error is thrown.
 */
export async function startServerAndBrowser(
  gv100ad: string,
  env: Record<string, string> = {},
): Promise<{ server: TestServer; browser: Browser; close(): Promise<void> }> {
  const [s, b] = await Promise.allSettled([startTestServer({ gv100ad, env }), launchBrowser()]);
  const close = async () => {
    await Promise.allSettled([
      b.status === 'fulfilled' ? b.value.close() : undefined,
      s.status === 'fulfilled' ? s.value.close() : undefined,
    ]);
  };
  if (s.status === 'rejected' || b.status === 'rejected') {
    await close();
    throw s.status === 'rejected' ? s.reason : (b as PromiseRejectedResult).reason;
  }
  return { server: s.value, browser: b.value, close };
}

/**
 * Assert that axe-core finds no WCAG 2.1 A/AA violation on the current page. axe runs as a script in the page,
 * so with JavaScript off there is nothing to run (the JavaScript-on pass of a test covers the same pages).
 */
export async function expectNoAxeViolations(page: Page, javaScriptEnabled = true): Promise<void> {
  if (!javaScriptEnabled) return;
  const v = await axeViolations(page);
  assert.equal(v.length, 0, `axe on ${page.url()}:\n${formatViolations(v)}`);
}

/** {@link expectNoAxeViolations} at 1280 and 320 px wide; the page is left at 1280 px. */
export async function expectNoAxeViolationsAtBothWidths(page: Page, javaScriptEnabled = true): Promise<void> {
  if (!javaScriptEnabled) return;
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const v = await axeViolations(page);
    assert.equal(v.length, 0, `axe on ${page.url()} at ${width} px:\n${formatViolations(v)}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
