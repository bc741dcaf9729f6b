/**
 * End-to-end in Chromium, once with JavaScript and once without: a member of a municipality asks the centre a
 * question from a Digitalcheck question; it is routed to the team of its Land; that Land's advisor finds it in the
 * queue and answers (the inquiry names the question it came from); the member consents to an anonymised FAQ entry, the advisor publishes it and the public finds
 * it in the FAQ search; the member marks the question done and rates it. axe-core on every page of the way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { checkContext, startCheck } from '../../src/assessment/assessment.service.js';
import { questionText } from '../../src/desk/inquiries/model.js';
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

// GV100AD 2025-11: a Gemeinde of about 5,000 inhabitants in Bayern, and one in Hessen for the other run.
const PLACES = {
  js: { ags: '09176120', land: '09', name: 'Denkendorf', other: '06' },
  nojs: { ags: '06433003', land: '06', name: 'Büttelborn', other: '09' },
};

const signIn = (link: string, javaScriptEnabled: boolean) =>
  signInWithLink(browser!, server!.baseUrl, link, javaScriptEnabled);

const submit = submitForm;

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'nojs';
  const p = PLACES[mode];
  describe(`the advisory desk (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, {
    skip: !HAVE_DATA && 'real data missing',
  }, () => {
    it('asked from a Digitalcheck question, answered by the Land’s advisor, published as FAQ, rated', async () => {
      const db = server!.server.db;
      const deps = { db, mailer: { send: async () => ({}) }, publicUrl: server!.baseUrl, t: TEST_T };
      const user = async (name: string) => createUserWithLoginLink(deps, `${name}-${mode}@example.org`, false);
      const [member, advisor, stranger] = [await user('digital'), await user('beraterin'), await user('andere')];
      await makeAdvisor(db, advisor.userId, p.land);
      await makeAdvisor(db, stranger.userId, p.other);
      const [org] = await db.query<{ id: number }>(
        "INSERT INTO organisations (kind, region_key, name) SELECT 'region', key, name FROM regions WHERE key = $1 RETURNING id::int AS id",
        [p.ags],
      );
      await db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
        org!.id,
        member.userId,
      ]);
      // The Land's team with its routing rule (what a platform admin sets up on /beratung/teams and /beratung/regeln).
      const [team] = await db.query<{ id: number }>(
        'INSERT INTO desk_teams (name) VALUES ($1) RETURNING id::int AS id',
        [`Team ${p.land} ${mode}`],
      );
      await db.query('INSERT INTO desk_team_members (team_id, user_id) VALUES ($1, $2)', [team!.id, advisor.userId]);
      await db.query('INSERT INTO desk_routing_rules (state_key, team_id) VALUES ($1, $2)', [p.land, team!.id]);
      const actor = { id: member.userId, email: `digital-${mode}@example.org`, isPlatformAdmin: false };
      const checkId = await startCheck(db, actor, org!.id);
      const question = (await checkContext(db, actor, checkId)).questions[0]!;

      // The member asks from the question's page; the question preselects the sector.
      const m = await signIn(member.link, javaScriptEnabled);
      await m.page.goto(`/digitalcheck/${checkId}/frage/${question.id}`);
      await m.page.getByRole('link', { name: 'Frage an das Kompetenzzentrum' }).click();
      await m.page.getByRole('heading', { name: 'Frage an das Kompetenzzentrum', level: 1 }).waitFor();
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);
      const subject = `Wie fangen wir mit der E-Akte an? (${mode})`;
      await m.page.getByLabel('Betreff').fill(subject);
      await m.page
        .getByLabel('Ihre Frage', { exact: true })
        .fill(`Wir sind die Gemeinde ${p.name} und wollen die E-Akte einführen. Wie sind andere vorgegangen?`);
      await submit(m.page, 'Anfrage senden');
      await m.page.getByRole('heading', { name: subject, level: 1 }).waitFor();
      // The question it came from is named on the inquiry.
      await m.page.getByText(`Zur Frage des Digitalchecks: ${questionText(question.id)}`).waitFor();
      const inquiryUrl = new URL(m.page.url()).pathname;
      assert.match(inquiryUrl, /^\/beratung\/anfragen\/\d+$/);
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);
      const [row] = await db.query<{ status: string; assignee: number | null; context: string | null }>(
        `SELECT status, assignee_user_id::int AS assignee, context_kind || ':' || context_ref AS context
           FROM desk_inquiries WHERE id = $1`,
        [Number(inquiryUrl.split('/').pop())],
      );
      assert.deepEqual(row, { status: 'assigned', assignee: advisor.userId, context: `question:${question.id}` });

      // Another Land's advisor is told it does not exist.
      const s = await signIn(stranger.link, javaScriptEnabled);
      assert.equal((await s.page.goto(inquiryUrl))?.status(), 404);
      await s.context.close();

      // The Land's advisor finds it in the queue and answers.
      const a = await signIn(advisor.link, javaScriptEnabled);
      await a.page.goto('/beratung/eingang');
      await a.page.getByRole('heading', { name: 'Eingang der Beratung', level: 1 }).waitFor();
      await expectNoAxeViolationsAtBothWidths(a.page, javaScriptEnabled);
      await a.page.getByRole('link', { name: subject }).click();
      await a.page.getByRole('heading', { name: subject, level: 1 }).waitFor();
      await expectNoAxeViolationsAtBothWidths(a.page, javaScriptEnabled);
      const answer = 'Beginnen Sie mit einem Bereich, etwa dem Bauamt, und nutzen Sie die Vorlagen des Landes.';
      await a.page.getByLabel('Nachricht', { exact: true }).fill(answer);
      await submit(a.page, 'Senden');
      await a.page.getByText(answer).first().waitFor();

      // The advisor drafts an FAQ entry from the answer: prefilled, anonymised (the municipality's name is gone).
      await a.page.getByRole('link', { name: 'Wissen aus dieser Anfrage (FAQ)' }).click();
      await a.page.getByRole('heading', { name: 'FAQ-Einträge aus der Anfrage', level: 1 }).waitFor();
      await expectNoAxeViolationsAtBothWidths(a.page, javaScriptEnabled);
      const drafted = `${await a.page.getByLabel('Frage (öffentlich)').inputValue()} ${await a.page.getByLabel('Antwort (öffentlich)').inputValue()}`;
      assert.match(drafted, /E-Akte/);
      assert.match(drafted, /Vorlagen des Landes/);
      assert.doesNotMatch(drafted, new RegExp(p.name));
      await submit(a.page, 'Entwurf speichern und Zustimmung erbitten');
      // Without the municipality's consent there is nothing to publish yet.
      assert.equal(await a.page.getByRole('button', { name: 'Veröffentlichen' }).count(), 0);

      // The member sees the anonymised text and consents; then the advisor publishes it.
      await m.page.goto(`${inquiryUrl}/faq`);
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);
      await submit(m.page, 'Veröffentlichung zustimmen');
      await a.page.goto(`${inquiryUrl}/faq`);
      await submit(a.page, 'Veröffentlichen');

      // The public finds it with an inflected word of the answer, without the municipality or people.
      const pub = await newContext(browser!, { baseURL: server!.baseUrl, javaScriptEnabled, bypassCSP: true });
      const visitor = await pub.newPage();
      await visitor.goto('/beratung/faq');
      await visitor.getByLabel('Suche').fill('Vorlage');
      await submit(visitor, 'Suchen');
      await expectNoAxeViolationsAtBothWidths(visitor, javaScriptEnabled);
      await visitor
        .getByRole('main')
        .getByRole('link', { name: /E-Akte/ })
        .first()
        .click();
      await visitor.getByText('Vorlagen des Landes').first().waitFor();
      assert.doesNotMatch(await visitor.content(), new RegExp(`${p.name}|digital-${mode}@`));
      await expectNoAxeViolationsAtBothWidths(visitor, javaScriptEnabled);
      await pub.close();

      // The member sees the answer, marks the question done and rates it.
      await m.page.goto(inquiryUrl);
      await m.page.getByText(answer).first().waitFor();
      await submit(m.page, 'Frage ist erledigt');
      await m.page.getByRole('heading', { name: 'Wie zufrieden sind Sie?' }).waitFor();
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);
      await m.page.getByLabel('5 – sehr hilfreich').check();
      await m.page.getByLabel('Kommentar (optional)').fill('Schnell und konkret, danke.');
      await submit(m.page, 'Bewertung senden');
      await m.page.getByText('Ihre Bewertung: 5 von 5. Danke!').waitFor();
      await expectNoAxeViolationsAtBothWidths(m.page, javaScriptEnabled);

      await m.context.close();
      await a.context.close();
    });
  });
}
