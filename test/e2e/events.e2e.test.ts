/**
 * End-to-end: a member registers for a full event, lands on the waiting list, another registrant cancels and the
 * member moves up — once with JavaScript on and once with it off; axe-core on the list, the event and the
 * registration page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import * as events from '../../src/desk/events/events.service.js';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { makeAdvisor } from '../../src/organisations/index.js';
import { expectNoAxeViolationsAtBothWidths, launchBrowser, newContext } from '../helpers/browser.js';
import { TEST_T } from '../helpers/deps.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
let browser: Browser | undefined;

before(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const local = (d: Date) => events.toBerlinLocalForTests(d);

for (const javaScriptEnabled of [true, false]) {
  describe(`events: waiting list (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    it('a member joins the waiting list of a full event and moves up when another cancels', async () => {
      const db = server!.server.db;
      const tag = javaScriptEnabled ? 'js' : 'nojs';
      const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
      const advisor = await createUserWithLoginLink(deps, `beratung-${tag}@zentrum.example`, false);
      await makeAdvisor(db, advisor.userId, '16');
      const other = await createUserWithLoginLink(deps, `andere-${tag}@gemeinde.example`, false);
      const email = `mitglied-${tag}@gemeinde.example`;
      const member = await createUserWithLoginLink(deps, email, false);
      const sdeps: events.EventDeps = {
        db,
        now: () => new Date(),
        notifier: { notify: async () => {} },
        t: TEST_T,
        publicUrl: server!.baseUrl,
      };
      const start = new Date(Date.now() + 14 * 86_400_000);
      const title = `Schulung Warteliste ${tag}`;
      const id = await events.createEvent(
        sdeps,
        { id: advisor.userId, email: 'beratung', isPlatformAdmin: false },
        {
          title,
          description: 'Wie die Warteliste funktioniert.',
          format: 'onsite',
          address: 'Rathaus Erfurt, Saal 2',
          startsAt: local(start),
          endsAt: local(new Date(start.getTime() + 2 * 3600_000)),
          registrationDeadline: local(new Date(start.getTime() - 86_400_000)),
          capacity: '1',
        },
      );
      const otherActor = { id: other.userId, email: 'andere', isPlatformAdmin: false };
      assert.equal(await events.register(sdeps, otherActor, id), 'registered');

      const context = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      try {
        const page = await context.newPage();
        await page.goto(member.link);
        await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
        await page.waitForLoadState();

        await page.goto('/veranstaltungen');
        await page.getByRole('heading', { name: 'Veranstaltungen', level: 1 }).waitFor();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.getByRole('link', { name: title }).click();
        await page.getByRole('heading', { name: title, level: 1 }).waitFor();
        assert.match(await page.locator('main').innerText(), /Ausgebucht/);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);

        await page.goto(`/veranstaltungen/${id}/anmelden`);
        await page.getByRole('heading', { name: `Anmeldung: ${title}`, level: 1 }).waitFor();
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
        await page.getByRole('button', { name: 'Auf die Warteliste setzen' }).click();
        await page.waitForURL((u) => u.pathname === `/veranstaltungen/${id}` && u.search.includes('warteliste'));
        assert.match(await page.locator('main').innerText(), /Sie stehen auf der Warteliste \(Platz 1\)/);
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);

        // The other registrant cancels: the member moves up at once.
        assert.deepEqual(await events.cancelRegistration(sdeps, otherActor, id), [member.userId]);
        await page.reload();
        const main = await page.locator('main').innerText();
        assert.match(main, /Sie sind angemeldet/);
        assert.doesNotMatch(main, /Warteliste \(Platz/);
        await page.goto('/veranstaltungen/meine');
        assert.match(await page.locator('main').innerText(), new RegExp(title));
        await expectNoAxeViolationsAtBothWidths(page, javaScriptEnabled);
      } finally {
        await context.close();
      }
    });
  });
}
