/**
 * End-to-end: a member takes the Digitalcheck with its time estimate, puts a question off, hands one to a
 * colleague (who finds it under "Ihnen zugewiesen"), reads the summary with the warning, submits, and sees the
 * locked check and the result with the peer comparison – with JavaScript on and off; the public Lagebild.
 * axe-core on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { seedDemo } from '../../src/assessment/demo.js';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { decideRequest, requestAccess } from '../../src/organisations/organisations.service.js';
import { publish } from '../../src/platform/events/events.js';
import { STRATEGY_EVENTS } from '../../src/strategy/index.js';
import { expectNoAxeViolations, newContext, signInWithLink, startServerAndBrowser } from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import type { TestServer } from '../helpers/server.js';
import { GV100AD_2025, realDataAvailable } from '../helpers/shared-data.js';
import { insertStrategies } from '../helpers/strategies.js';

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

/** A member (admin) of the workspace of `ags`, signed in through a one-time link. */
async function memberSession(ags: string, email: string, javaScriptEnabled: boolean) {
  const db = server!.server.db;
  const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
  const { userId, link } = await createUserWithLoginLink(deps, email, false);
  const admin = await createUserWithLoginLink(deps, `admin-${email}`, true);
  const orgId = await requestAccess(deps, { id: userId, email, isPlatformAdmin: false }, ags, '');
  const [req] = await db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [orgId]);
  await decideRequest(deps, { id: admin.userId, email: 'admin', isPlatformAdmin: true }, orgId, req!.id, true, 'admin');
  return { orgId, ...(await signIn(link, javaScriptEnabled)) };
}

/** A colleague: a plain member of the workspace `orgId`, signed in. */
async function colleagueSession(orgId: number, email: string, javaScriptEnabled: boolean) {
  const db = server!.server.db;
  const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
  const { userId, link } = await createUserWithLoginLink(deps, email, false);
  await db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')", [orgId, userId]);
  return signIn(link, javaScriptEnabled);
}

const signIn = (link: string, javaScriptEnabled: boolean) =>
  signInWithLink(browser!, server!.baseUrl, link, javaScriptEnabled);

for (const javaScriptEnabled of [true, false]) {
  describe(`Digitalcheck (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('a member skips and hands on a question, reads the summary, submits; the check is locked; the result', async () => {
      const ags = javaScriptEnabled ? '01051004' : '01051006'; // Bargenstedt (956), Barlt (726)
      const mode = javaScriptEnabled ? 'js' : 'nojs';
      const { orgId, context, page } = await memberSession(ags, `check-${mode}@gemeinde.example`, javaScriptEnabled);
      const colleague = await colleagueSession(orgId, `kollegin-${mode}@gemeinde.example`, javaScriptEnabled);
      try {
        await page.getByRole('link', { name: 'Digitalcheck' }).first().click();
        await expectNoAxeViolations(page, javaScriptEnabled);
        const landing = await page.locator('main').innerText();
        const minutes = Number(landing.match(/etwa (\d+) Minuten/)![1]);
        await page.getByRole('button', { name: /Digitalcheck beginnen oder fortsetzen/ }).click();
        await page.getByRole('heading', { name: /^Digitalcheck: / }).waitFor();
        await expectNoAxeViolations(page, javaScriptEnabled);
        const total = Number((await page.locator('label[for="progress"]').innerText()).match(/\/ (\d+)/)![1]);
        assert.ok(total >= 20 && total <= 35, `${total} questions for a small Gemeinde`);
        // The same estimate before the start on the landing page and the overview.
        assert.match(
          await page.locator('main').innerText(),
          new RegExp(`Dauer: etwa ${minutes} Minuten für ${total} Fragen`),
        );
        const checkPath = new URL(page.url()).pathname;

        // Question 1: put off for later — on to question 2.
        await page.locator('.question-list a').first().click();
        const first = await page.locator('h1').innerText();
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByRole('button', { name: 'Später beantworten' }).click();
        await page.getByText(`Frage 2 / ${total}`).waitFor();
        const second = await page.locator('h1').innerText();
        assert.notEqual(second, first);
        // Back works, and forward again by the overview's link.
        await page.getByRole('link', { name: 'Zurück zur vorigen Frage' }).click();
        await page.getByText(`Frage 1 / ${total}`).waitFor();
        await page.getByText('Sie haben diese Frage auf später verschoben.').waitFor();
        await page.goto(checkPath);
        await page.locator('.question-list a').nth(1).click();
        await page.getByText(`Frage 2 / ${total}`).waitFor();

        // Question 2: handed to the colleague, who finds it under "Ihnen zugewiesen".
        await page.getByRole('link', { name: 'An Kollegin/Kollegen geben' }).click();
        await page.getByRole('heading', { name: 'An Kollegin/Kollegen geben' }).waitFor();
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByLabel(`kollegin-${mode}@gemeinde.example`).check();
        await page.getByRole('button', { name: 'Weitergeben' }).click();
        await page.getByText(`Frage 2 / ${total}`).waitFor();
        await page.getByText(`Diese Frage ist an kollegin-${mode}@gemeinde.example gegeben.`).waitFor();
        await colleague.page.goto(checkPath);
        await colleague.page.getByRole('heading', { name: 'Ihnen zugewiesen' }).waitFor();
        const mine = colleague.page.locator('section.assigned-to-you');
        assert.equal(await mine.getByRole('link', { name: second }).count(), 1, 'the handed-on question is listed');
        await expectNoAxeViolations(colleague.page, javaScriptEnabled);
        // The colleague answers it.
        await mine.getByRole('link', { name: second }).click();
        await colleague.page.locator('#value-3').check();
        await colleague.page.getByRole('button', { name: 'Speichern und weiter' }).click();
        await colleague.page.waitForLoadState('load');

        // Both open question 3; the member saves first, the colleague later: both answers, and a choice.
        await colleague.page.goto(checkPath);
        await colleague.page.locator('.question-list a').nth(2).click();
        await page.goto(checkPath);
        await page.locator('.question-list a').nth(2).click();
        await page.locator('#value-1').check();
        await page.getByRole('button', { name: 'Speichern und weiter' }).click();
        await page.waitForLoadState('load');
        await colleague.page.locator('#value-4').check();
        await colleague.page.getByRole('button', { name: 'Speichern und weiter' }).click();
        await colleague.page.getByRole('heading', { name: 'Inzwischen geändert' }).waitFor();
        await colleague.page.getByRole('heading', { name: 'Gespeicherte Antwort' }).waitFor();
        await colleague.page.getByRole('heading', { name: 'Ihre Eingabe' }).waitFor();
        await expectNoAxeViolations(colleague.page, javaScriptEnabled);
        await colleague.page.getByRole('button', { name: 'Meine Eingabe speichern' }).click();
        await colleague.page.waitForLoadState('load');
        assert.doesNotMatch(await colleague.page.locator('main').innerText(), /Inzwischen geändert/);

        // The member answers the rest; the put-off question is left for the summary.
        await page.goto(checkPath);
        await page.locator('.question-list a').nth(3).click();
        for (let i = 0; i < total; i++) {
          if (new URL(page.url()).pathname.endsWith('/abschliessen')) break;
          await page.locator('form [name="value"]').first().waitFor();
          const choice = i % 4 === 3 ? 'value-na' : `value-${(i % 4) + 1}`;
          await page.locator(`#${choice}`).check();
          await page.getByRole('button', { name: 'Speichern und weiter' }).click();
          await page.waitForLoadState('load');
        }
        await page.getByRole('heading', { name: 'Vor dem Abschicken' }).waitFor();
        let summary = await page.locator('main').innerText();
        assert.match(summary, /Auf später verschoben: 1/);
        assert.match(summary, /Abgeschickte Antworten sind eingefroren/);
        assert.equal(await page.getByRole('button', { name: 'Digitalcheck abschicken' }).count(), 0);
        await expectNoAxeViolations(page, javaScriptEnabled);
        await page.getByRole('link', { name: first }).click();
        await page.locator('#value-2').check();
        await page.getByRole('button', { name: 'Speichern und weiter' }).click();
        await page.getByRole('heading', { name: 'Vor dem Abschicken' }).waitFor();
        summary = await page.locator('main').innerText();
        assert.match(summary, /Noch nicht beantwortet: 0/);
        assert.match(summary, /nicht mehr geändert werden/);
        await page.getByRole('button', { name: 'Digitalcheck abschicken' }).click();
        await page.getByRole('heading', { name: /^Ergebnis: / }).waitFor();
        const text = await page.locator('main').innerText();
        assert.match(text, /Gesamtstufe/);
        assert.match(text, /Punktzahl je Dimension/);
        assert.match(text, /Vergleich mit ähnlichen Kommunen/);
        assert.match(text, /Median \d+/, 'the peer comparison shows a median (demo peers)');
        await expectNoAxeViolations(page, javaScriptEnabled);

        // Locked: "eingereicht am … von …", no answer forms, the way to the result.
        await colleague.page.goto(checkPath);
        await colleague.page.getByText(/Eingereicht am \d\d\.\d\d\.\d{4} von check-/).waitFor();
        assert.equal(await colleague.page.getByRole('link', { name: 'Zum Ergebnis' }).count(), 1);
        await expectNoAxeViolations(colleague.page, javaScriptEnabled);
        await colleague.page.locator('.question-list a').first().click();
        await colleague.page.getByRole('heading', { name: 'Eingereichte Antwort' }).waitFor();
        assert.equal(await colleague.page.locator('input[type="radio"]').count(), 0, 'no answer form');
        await expectNoAxeViolations(colleague.page, javaScriptEnabled);
      } finally {
        await context.close();
        await colleague.context.close();
      }
    });
  });
}

describe('Lagebild', { skip: !HAVE_DATA && 'real data missing' }, () => {
  before(async () => {
    // Adopted (demo) strategies: 7 in Schleswig-Holstein, 6 in Bayern, 3 in Thüringen (withheld, with another Land),
    // the first digital officer appointed in 6 of them.
    const db = server!.server.db;
    // Exactly these: the demo strategies that followed the demo checks (strategy module) make way for them.
    await db.query('DELETE FROM strategies');
    const rows = await db.query<{ key: string; stateKey: string }>(
      `SELECT key, state_key AS "stateKey" FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL
       AND population BETWEEN 100 AND 1999 AND state_key = ANY($1::text[]) ORDER BY key`,
      [['01', '09', '16']],
    );
    const take = (state: string, n: number) => rows.filter((r) => r.stateKey === state).slice(0, n);
    const chosen = [...take('01', 7), ...take('09', 6), ...take('16', 3)];
    await insertStrategies(
      db,
      chosen.map((r, i) => ({
        regionKey: r.key,
        status: 'adopted',
        isDemo: true,
        sizeClass: '<2000',
        items: [{ measureId: 'digitalbeauftragte-benennen', status: i < 6 ? 'done' : 'in_progress' }],
      })),
    );
    await publish(db, STRATEGY_EVENTS.adopted, {});
    await server!.server.app.platform.events.drain();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`is public, marks demo data, has a map with a table, the strategy figures, and passes axe (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      try {
        const page = await context.newPage();
        await page.goto('/lagebild');
        await page.getByText('Demodaten:').first().waitFor();
        assert.ok((await page.locator('svg[role="img"]').count()) >= 1);
        assert.ok((await page.locator('table').count()) >= 2);
        // The strategy section: a heading, the demo note, tables with captions and row headers.
        await page.getByRole('heading', { level: 2, name: 'Digitalstrategien' }).waitFor();
        await page.getByText('Diese Zahlen enthalten erfundene Beispiel-Strategien').waitFor();
        const byState = page.getByRole('table', { name: 'Beschlossene Digitalstrategien nach Land' });
        const cells = async (land: string) =>
          (
            await byState
              .getByRole('row', { name: new RegExp(`^${land}\\b`) })
              .getByRole('cell')
              .allInnerTexts()
          ).map((c) => c.trim());
        assert.equal((await cells('Schleswig-Holstein'))[1], '7');
        assert.equal((await cells('Thüringen'))[1], 'weniger als 5');
        assert.equal((await cells('Bayern'))[1], 'zurückgehalten', 'withheld so that Thüringen cannot be derived');
        const bySector = page.getByRole('table', { name: 'Umgesetzte Maßnahmen nach Sektor' });
        const verwaltung = await bySector
          .getByRole('row', { name: /^Verwaltung/ })
          .getByRole('cell')
          .allInnerTexts();
        assert.deepEqual(
          verwaltung.map((c) => c.trim()),
          ['6', '6'],
        );
        assert.ok(
          (await page.locator('#strategies-by-state th[scope="row"]').count()) === 16,
          'one row header per Land',
        );
        await expectNoAxeViolations(page, javaScriptEnabled);
      } finally {
        await context.close();
      }
    });
  }
});
