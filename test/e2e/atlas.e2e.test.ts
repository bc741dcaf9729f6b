/**
 * End-to-end in Chromium, once with JavaScript and once without: a member of one municipality writes a practice
 * project and submits it, the Land's advisor publishes it, a member of another municipality finds it with an
 * inflected and misspelt query, asks to reuse it, that municipality's admin attests the use and the project's team
 * confirms it — then the reuse counts on the project and on both profiles. axe-core on every page of the way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUserWithLoginLink } from '../../src/identity/identity.service.js';
import { makeAdvisor } from '../../src/organisations/organisations.service.js';
import {
  expectNoAxeViolationsAtBothWidths,
  newContext,
  signInWithLink,
  startServerAndBrowser,
  submitForm,
} from '../helpers/browser.js';
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

const PLACES = {
  // GV100AD 2025-11: the team's municipality and the one that reuses, in the same Land (its advisor reviews).
  js: { team: '08421000', adopter: '08115021', land: '08', title: 'Digitaler Bauantrag in Ulm' },
  nojs: { team: '05111000', adopter: '05315000', land: '05', title: 'Digitaler Bauantrag in Düsseldorf' },
};

const signIn = (link: string, javaScriptEnabled: boolean) =>
  signInWithLink(browser!, server!.baseUrl, link, javaScriptEnabled);

const submit = submitForm;

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'nojs';
  const p = PLACES[mode];
  describe(`the practice atlas (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('submitted, published, found with a misspelt inflected query, reuse requested, attested and confirmed', async () => {
      const db = server!.server.db;
      const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
      const user = async (name: string) => createUserWithLoginLink(deps, `${name}-${mode}@example.org`, false);
      const [team, advisor, adopterAdmin, adopterMember] = [
        await user('team'),
        await user('berater'),
        await user('chefin'),
        await user('kollege'),
      ];
      await makeAdvisor(db, advisor.userId, p.land);
      const workspace = async (region: string, members: [number, string][]) => {
        const [org] = await db.query<{ id: number }>(
          "INSERT INTO organisations (kind, region_key, name) SELECT 'region', key, name FROM regions WHERE key = $1 RETURNING id::int AS id",
          [region],
        );
        for (const [u, role] of members)
          await db.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)', [org!.id, u, role]);
      };
      await workspace(p.team, [[team.userId, 'admin']]);
      await workspace(p.adopter, [
        [adopterAdmin.userId, 'admin'],
        [adopterMember.userId, 'member'],
      ]);

      // The team writes the project and submits it.
      const t = await signIn(team.link, javaScriptEnabled);
      await t.page.goto('/praxis/neu');
      await expectNoAxeViolationsAtBothWidths(t.page, javaScriptEnabled);
      await t.page.getByLabel('Titel', { exact: true }).fill(p.title);
      await t.page.getByLabel('Kurzbeschreibung').fill('Bauanträge werden vollständig online eingereicht und geprüft.');
      await t.page
        .getByLabel('Beschreibung', { exact: true })
        .fill('Bauherren reichen **Bauanträge** online ein; das Bauamt prüft digital.');
      await t.page.getByRole('checkbox', { name: 'Verwaltung', exact: true }).check();
      await t.page.getByLabel('Schlagwörter').fill('Baugenehmigung, Bauantrag');
      await submit(t.page, 'Speichern');
      assert.match(t.page.url(), /\/praxis\/\d+\?hinweis=angelegt/);
      const url = new URL(t.page.url()).pathname;
      await expectNoAxeViolationsAtBothWidths(t.page, javaScriptEnabled);
      await submit(t.page, 'Zur Prüfung einreichen');
      await t.page.getByText('Eingereicht.').waitFor();

      // The Land's advisor publishes it.
      const a = await signIn(advisor.link, javaScriptEnabled);
      await a.page.goto('/praxis/pruefung');
      await expectNoAxeViolationsAtBothWidths(a.page, javaScriptEnabled);
      await a.page.getByRole('link', { name: p.title }).click();
      await a.page.waitForLoadState('load');
      await expectNoAxeViolationsAtBothWidths(a.page, javaScriptEnabled);
      await submit(a.page, 'Veröffentlichen');
      await a.page.getByText('Veröffentlicht. Das Team').waitFor();
      await server!.server.app.platform.events.drain();

      // Another municipality finds it with an inflected, misspelt query and asks to reuse it.
      const m = await signIn(adopterMember.link, javaScriptEnabled);
      await m.page.goto('/praxis');
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);
      await m.page.getByLabel('Suchbegriffe').fill('Bauanträge digtal einreichen');
      await submit(m.page, 'Suchen');
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);
      await m.page.getByRole('link', { name: p.title }).click();
      await m.page.waitForLoadState('load');
      assert.equal(new URL(m.page.url()).pathname, url);
      await m.page.getByLabel('Nachricht an das Projektteam').fill('Wir möchten das auch einführen.');
      await submit(m.page, 'Nachnutzen');
      await m.page.getByText('Ihre Anfrage zur Nachnutzung ist verschickt.').waitFor();
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);

      // Its admin attests the use; until the team confirms it is a claim.
      const c = await signIn(adopterAdmin.link, javaScriptEnabled);
      await c.page.goto(url);
      await c.page.getByLabel('Wir nutzen diese Lösung seit').fill('2025-03-01');
      await submit(c.page, 'Nutzung bestätigen');
      await c.page.getByText('noch nicht vom Projektteam bestätigt').waitFor();

      // The team confirms; now it counts.
      await t.page.goto(url);
      await submit(t.page, 'Nachnutzung bestätigen');
      await t.page.getByText(/nutzt seit .*, bestätigt/).waitFor();
      const api = await (await fetch(`${server!.baseUrl}/api/v1${url.replace('/praxis', '/practices')}`)).json();
      assert.equal((api as { confirmedReuses: number }).confirmedReuses, 1);
      const anon = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      const profile = await anon.newPage();
      await profile.goto(`/kommunen/${p.adopter}`);
      await profile.getByText(/Nutzt von .* nach:/).waitFor();
      await expectNoAxeViolationsAtBothWidths(profile, javaScriptEnabled);
      for (const ctx of [t.context, a.context, m.context, c.context, anon]) await ctx.close();
    });
  });
}
