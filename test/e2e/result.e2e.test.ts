/**
 * End-to-end: the result a municipality can act on — level names, next steps, named peer groups with the
 * box plot and the demo label — then publishing (the public profile shows it), withdrawing with confirmation
 * (the profile says "Noch kein veröffentlichtes Ergebnis"). JavaScript on and off, at 1280 px and 320 px; axe
 * on every page. The check is answered through the service (taking the check is digitalcheck.e2e.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { checkContext, saveAnswer, startCheck, submitCheck } from '../../src/assessment/assessment.service.js';
import { seedDemo } from '../../src/assessment/demo.js';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { decideRequest, requestAccess } from '../../src/organisations/organisations.service.js';
import { expectNoAxeViolations, newContext, startServerAndBrowser } from '../helpers/browser.js';
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
  await seedDemo(server.server.db, { share: 0.05, seed: 3 });
  await server.server.app.platform.events.drain();
});
after(() => closeAll?.());

/** The admin of the workspace of `ags` with a submitted check (mostly weak answers), signed in. */
async function submittedCheck(ags: string, email: string, javaScriptEnabled: boolean, width: number) {
  const db = server!.server.db;
  const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
  const { userId, link } = await createUserWithLoginLink(deps, email, false);
  const admin = await createUserWithLoginLink(deps, `admin-${email}`, true);
  const actor = { id: userId, email, isPlatformAdmin: false };
  const orgId = await requestAccess(deps, actor, ags, '');
  const [req] = await db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [orgId]);
  await decideRequest(deps, { id: admin.userId, email: 'admin', isPlatformAdmin: true }, orgId, req!.id, true, 'admin');
  const checkId = await startCheck(db, actor, orgId);
  const ctx = await checkContext(db, actor, checkId);
  for (const [i, q] of ctx.questions.entries()) {
    const value = i % 9 === 8 ? 'na' : String(i % 3); // levels 0..2: a weak result
    await saveAnswer(db, actor, checkId, q.id, { value, comment: '', evidenceUrl: '', expectedVersion: 0 });
  }
  await submitCheck(db, actor, checkId);
  await server!.server.app.platform.events.drain();
  const context = await newContext(browser!, {
    baseURL: server!.baseUrl,
    javaScriptEnabled,
    bypassCSP: true,
    viewport: { width, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
  await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
  return { context, page, checkId };
}

for (const javaScriptEnabled of [true, false]) {
  for (const width of [1280, 320]) {
    describe(`The result (JavaScript ${javaScriptEnabled ? 'on' : 'off'}, ${width} px)`, {
      skip: !HAVE_DATA && 'real data missing',
    }, () => {
      it('names levels, gives next steps and named peer groups, publishes to the profile and withdraws', async () => {
        // Gemeinden in Schleswig-Holstein, one per run.
        const keys: Record<string, string> = {
          '1280true': '01051011',
          '320true': '01051013',
          '1280false': '01051014',
          '320false': '01051016',
        };
        const ags = keys[`${width}${javaScriptEnabled}`]!;
        const { context, page, checkId } = await submittedCheck(
          ags,
          `result-${width}-${javaScriptEnabled ? 'js' : 'nojs'}@gemeinde.example`,
          javaScriptEnabled,
          width,
        );
        try {
          await page.goto(`/digitalcheck/${checkId}/ergebnis`);
          await page.getByRole('heading', { name: /^Ergebnis: / }).waitFor();
          const text = await page.locator('main').innerText();
          assert.match(text, /Gesamtstufe: Stufe [0-4] „(Nicht begonnen|Erste Schritte|Im Aufbau|Etabliert|Führend)“/);
          assert.match(text, /Noch keine Dimension erreicht 75 von 100 Punkten/, 'no strengths in a weak result');
          assert.match(text, /Nächste Schritte/);
          assert.match(text, /Heute: Stufe 0 „Nicht begonnen“\. Nächste Stufe 1 „Erste Schritte“:/);
          assert.match(text, /Warum das wichtig ist:/);
          assert.match(text, /Kommunen in Schleswig-Holstein, n = \d+: Median/, 'a named peer group with n');
          assert.match(text, /Demodaten:/, 'demo data labelled');
          assert.ok(await page.locator('#peers-figure svg[role="img"]').count(), 'the box plot');
          assert.ok(await page.locator('#peers-figure table').count(), 'its table');
          await expectNoAxeViolations(page, javaScriptEnabled);

          // Publish: the public profile shows level with name, date and model version.
          await page.getByRole('button', { name: 'Ergebnis veröffentlichen' }).click();
          await page.getByText('Das Ergebnis ist veröffentlicht').waitFor();
          await expectNoAxeViolations(page, javaScriptEnabled);
          await page.getByRole('link', { name: /öffentlichen Profil von/ }).click();
          await page.getByRole('heading', { name: 'Digitalcheck', exact: true }).waitFor();
          const profile = await page.locator('main').innerText();
          assert.match(profile, /hat sein Ergebnis veröffentlicht: Stufe [0-4] „[^“]+“ von 4/);
          assert.match(profile, /Reifegradmodell Version 1/);
          await expectNoAxeViolations(page, javaScriptEnabled);

          // Withdraw, with confirmation: the profile no longer shows it.
          await page.goto(`/digitalcheck/${checkId}/ergebnis`);
          await page.getByRole('link', { name: 'Veröffentlichung zurückziehen' }).click();
          await page.getByRole('heading', { name: /^Veröffentlichung zurückziehen/ }).waitFor();
          await expectNoAxeViolations(page, javaScriptEnabled);
          await page.getByRole('button', { name: 'Ja, Veröffentlichung zurückziehen' }).click();
          await page.getByText('Die Veröffentlichung ist zurückgezogen').waitFor();
          await page.goto(`/kommunen/${ags}`);
          await page.getByText('Noch kein veröffentlichtes Ergebnis.').waitFor();
          assert.doesNotMatch(await page.locator('main').innerText(), /hat sein Ergebnis veröffentlicht/);
          await expectNoAxeViolations(page, javaScriptEnabled);
        } finally {
          await context.close();
        }
      });
    });
  }
}
