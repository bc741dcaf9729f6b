/**
 * End-to-end: a workspace's home page with a submitted check — past results, what is published, "Neuer Check
 * mit den Antworten des letzten" (the answers carried over, to be reviewed), the open check's progress and
 * "Weiter, wo ich aufgehört habe" — with JavaScript on and off, at 1280 and 320 px; axe-core on every state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { checkContext, saveAnswer, startCheck, submitCheck } from '../../src/assessment/assessment.service.js';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { decideRequest, requestAccess } from '../../src/organisations/organisations.service.js';
import { expectNoAxeViolationsAtBothWidths, newContext, startServerAndBrowser } from '../helpers/browser.js';
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
});
after(() => closeAll?.());

for (const javaScriptEnabled of [true, false]) {
  describe(`workspace home (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('shows the last result, starts a new check from its answers and continues where it stopped', async () => {
      const db = server!.server.db;
      const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
      const ags = javaScriptEnabled ? '01051011' : '01051012';
      const email = `home-${javaScriptEnabled ? 'js' : 'nojs'}@gemeinde.example`;
      const { userId, link } = await createUserWithLoginLink(deps, email, false);
      const admin = await createUserWithLoginLink(deps, `admin-${email}`, true);
      const me = { id: userId, email, isPlatformAdmin: false };
      const orgId = await requestAccess(deps, me, ags, '');
      const [req] = await db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
        orgId,
      ]);
      await decideRequest(
        deps,
        { id: admin.userId, email: 'admin', isPlatformAdmin: true },
        orgId,
        req!.id,
        true,
        'admin',
      );
      // A submitted check (every answer at level 1).
      const first = await startCheck(db, me, orgId);
      const c = await checkContext(db, me, first);
      for (const q of c.questions) {
        await saveAnswer(db, me, first, q.id, { value: '1', comment: '', evidenceUrl: '', expectedVersion: 0 });
      }
      await submitCheck(db, me, first);

      const context = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      try {
        const page = await context.newPage();
        await page.goto(link);
        await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
        await page.waitForLoadState();
        await page.goto(`/organisationen/${orgId}`);
        await page.getByRole('heading', { name: 'Digitalcheck', level: 2 }).waitFor();
        const home = await page.locator('main').innerText();
        assert.match(home, /Bisherige Ergebnisse/);
        assert.match(home, /erster Check/);
        assert.match(home, /Kein Ergebnis veröffentlicht/);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);

        await page.getByRole('button', { name: 'Neuer Check mit den Antworten des letzten' }).click();
        await page.waitForURL((u) => /^\/digitalcheck\/\d+$/.test(u.pathname));
        const draft = Number(new URL(page.url()).pathname.split('/').pop());
        assert.notEqual(draft, first);
        await page.goto(`/organisationen/${orgId}`);
        const open = await page.locator('main').innerText();
        assert.match(open, new RegExp(`${c.questions.length} übernommene Antworten sind noch zu prüfen`));
        assert.match(open, new RegExp(`Fortschritt: ${c.questions.length} / ${c.questions.length}`));
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);

        // With one answer taken back (a new question to answer), "Weiter" leads to it.
        await db.query('DELETE FROM check_answers WHERE check_id = $1 AND question_id = $2', [
          draft,
          c.questions[2]!.id,
        ]);
        await page.reload();
        await page.getByRole('link', { name: 'Weiter, wo ich aufgehört habe' }).click();
        assert.equal(new URL(page.url()).pathname, `/digitalcheck/${draft}/frage/${c.questions[2]!.id}`);
      } finally {
        await context.close();
      }
    });
  });
}
