/**
 * End-to-end: a member takes the Digitalcheck question by question, submits it and reads the result with
 * the peer comparison – with JavaScript on and off; the public Lagebild. axe-core on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/assessment/demo.js';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { decideRequest, requestAccess } from '../../src/organisations/organisations.service.js';
import { axeViolations, formatViolations, newContext, startServerAndBrowser } from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';

const HAVE_DATA = realDataAvailable();
let server: TestServer | undefined;
let browser: Browser | undefined;
let closeAll: (() => Promise<void>) | undefined;

before(async () => {
  if (!HAVE_DATA) return;
  ({ server, browser, close: closeAll } = await startServerAndBrowser(GV100AD_2025));
  // Demo checks give the peer comparison and the Lagebild something to show.
  await seedDemo(server.server.db, { share: 0.05, seed: 1 });
  await server.server.app.platform.events.drain();
});
after(() => closeAll?.());

async function axe(page: Page, enabled: boolean) {
  if (!enabled) return; // axe needs JavaScript; the JavaScript-on pass checks the same pages
  const v = await axeViolations(page);
  assert.equal(v.length, 0, `axe on ${page.url()}:\n${formatViolations(v)}`);
}

/** A member (admin) of the workspace of `ags`, signed in through a one-time link. */
async function memberSession(ags: string, email: string, javaScriptEnabled: boolean) {
  const db = server!.server.db;
  const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
  const { userId, link } = await createUserWithLoginLink(deps, email, false);
  const admin = await createUserWithLoginLink(deps, `admin-${email}`, true);
  const orgId = await requestAccess(deps, { id: userId, email, isPlatformAdmin: false }, ags, '');
  const [req] = await db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [orgId]);
  await decideRequest(deps, { id: admin.userId, email: 'admin', isPlatformAdmin: true }, orgId, req!.id, true, 'admin');
  const context = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
  await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
  return { context, page };
}

for (const javaScriptEnabled of [true, false]) {
  describe(`Digitalcheck (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('a member completes the check, sees the result and the peer comparison', async () => {
      const ags = javaScriptEnabled ? '01051004' : '01051006'; // Bargenstedt (956), Barlt (726)
      const { context, page } = await memberSession(
        ags,
        `check-${javaScriptEnabled ? 'js' : 'nojs'}@gemeinde.example`,
        javaScriptEnabled,
      );
      try {
        await page.getByRole('link', { name: 'Digitalcheck' }).first().click();
        await axe(page, javaScriptEnabled);
        await page.getByRole('button', { name: /Digitalcheck beginnen oder fortsetzen/ }).click();
        await page.getByRole('heading', { name: /^Digitalcheck: / }).waitFor();
        await axe(page, javaScriptEnabled);
        const total = Number((await page.locator('label[for="progress"]').innerText()).match(/\/ (\d+)/)![1]);
        assert.ok(total >= 20 && total <= 35, `${total} questions for a small Gemeinde (≤ 30 minutes)`);
        await page.locator('.question-list a').first().click();
        for (let i = 0; i < total; i++) {
          await page.locator('form [name="value"]').first().waitFor();
          if (i === 0) await axe(page, javaScriptEnabled);
          // Keyboard-only works too; here: n/a for every fourth, otherwise a level.
          const choice = i % 4 === 3 ? 'value-na' : `value-${(i % 4) + 1}`;
          await page.locator(`#${choice}`).check();
          await page.getByRole('button', { name: 'Speichern und weiter' }).click();
          await page.waitForLoadState('load');
        }
        await page.getByRole('heading', { name: /^Digitalcheck: / }).waitFor();
        await page.getByRole('button', { name: 'Digitalcheck abschicken' }).click();
        await page.getByRole('heading', { name: /^Ergebnis: / }).waitFor();
        const text = await page.locator('main').innerText();
        assert.match(text, /Gesamtstufe/);
        assert.match(text, /Punktzahl je Dimension/);
        assert.match(text, /Vergleich mit ähnlichen Kommunen/);
        assert.match(text, /Median \d+/, 'the peer comparison shows a median (demo peers)');
        await axe(page, javaScriptEnabled);
      } finally {
        await context.close();
      }
    });
  });
}

describe('Lagebild', { skip: !HAVE_DATA && 'real data missing' }, () => {
  it('is public, marks demo data, has a map with a table, and passes axe', async () => {
    const context = await newContext(browser!, { baseURL: server!.baseUrl, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto('/lagebild');
      await page.getByText('Demodaten:').waitFor();
      assert.ok((await page.locator('svg[role="img"]').count()) >= 1);
      assert.ok((await page.locator('table').count()) >= 2);
      await axe(page, true);
    } finally {
      await context.close();
    }
  });
});
