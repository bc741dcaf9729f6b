/**
 * Taking the check together, over HTTP as a person would: the time estimate, "später beantworten", handing
 * questions to colleagues (members and invited addresses) who then find them under "Ihnen zugewiesen", the
 * choice after a conflict, the summary with the warning, and the locked check after submitting — on both
 * databases.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { decideRequest, makeAdvisor, requestAccess } from '../../organisations/organisations.service.js';
import { importGv100ad } from '../../register/register.service.js';
import { checkContext } from '../assessment.service.js';
import { estimateMinutes } from '../estimate.js';

const noMail = { send: async () => ({}) };
const fixture = (name: string) => fs.readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'");

for (const kind of databaseKinds()) {
  describe(`taking the Digitalcheck together on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    let orgId = 0;
    let checkId = 0;
    const deps = () => ({ db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T });

    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    const ctx = () => checkContext(t.db, actor('anna'), checkId);
    const url = (q: string) => `/digitalcheck/${checkId}/frage/${q}`;

    before(async () => {
      t = await createTestDb(kind);
      await importGv100ad(t.db, { fileName: 'release-a.txt', data: fixture('gv100ad/release-a.txt') });
      app = await buildTestApp(t.db);
      for (const name of ['anna', 'bert', 'berater']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      await makeAdvisor(t.db, ids.berater!, '16');
      // Anna: admin of Langenberg (16063021, 1,901 inhabitants); Bert: member.
      orgId = await requestAccess(deps(), actor('anna'), '16063021', '');
      const [req] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
        orgId,
      ]);
      await decideRequest(deps(), actor('berater'), orgId, req!.id, true, 'admin');
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')", [orgId, ids.bert]);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('the time estimate: before the start for the applicable questions, then the remaining time', async () => {
      const anna = await as('anna');
      const landing = await anna.get('/digitalcheck');
      const start = await anna.post('/digitalcheck/start', { org: String(orgId) }, '/digitalcheck');
      checkId = Number(String(start.headers.location).split('/').pop());
      const c = await ctx();
      const minutes = estimateMinutes(c.questions, 'de');
      assert.ok(minutes >= 25 && minutes <= 40, `${minutes} minutes for ${c.questions.length} questions`);
      assert.match(landing.body, new RegExp(`etwa ${minutes} Minuten`), 'the landing page says the same');
      const overview = await anna.get(`/digitalcheck/${checkId}`);
      assert.match(overview.body, new RegExp(`Dauer: etwa ${minutes} Minuten für ${c.questions.length} Fragen`));
      const first = c.questions[0]!.id;
      await anna.post(url(first), { version: '0', value: '2' }, url(first));
      const rest = (await ctx()).questions.slice(1);
      const after1 = await anna.get(`/digitalcheck/${checkId}`);
      assert.match(
        after1.body,
        new RegExp(`Noch etwa ${estimateMinutes(rest, 'de')} Minuten für ${rest.length} offene Fragen`),
      );
    });

    test('später beantworten: the next question comes, the skipped one is listed; answering clears it', async () => {
      const bert = await as('bert');
      const c = await ctx();
      const q = c.questions[1]!.id;
      const page = await bert.get(url(q));
      assert.match(page.body, /Zurück zur vorigen Frage/);
      assert.match(page.body, new RegExp(`href="${url(c.questions[0]!.id)}"`), 'back goes to the previous question');
      const res = await bert.post(`${url(q)}/spaeter`, {}, url(q));
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, url(c.questions[2]!.id));
      const [row] = await t.db.query<{ skipped: boolean }>(
        'SELECT skipped FROM check_question_states WHERE check_id = $1 AND question_id = $2',
        [checkId, q],
      );
      assert.equal(row!.skipped, true);
      const overview = await bert.get(`/digitalcheck/${checkId}`);
      assert.match(overview.body, /\(später beantworten\)/);
      const summary = await bert.get(`/digitalcheck/${checkId}/abschliessen`);
      assert.match(summary.body, /Auf später verschoben: 1/);
      assert.ok(summary.body.includes(`href="${url(q)}"`), 'the summary links to it');
      // Saving the question before it goes on past the skipped one, not to it.
      const before = await bert.post(url(c.questions[0]!.id), { version: '1', value: '3' }, url(c.questions[0]!.id));
      assert.equal(before.headers.location, url(c.questions[2]!.id));
      // Answering the first open question now skips over the skipped one.
      const saved = await bert.post(url(c.questions[2]!.id), { version: '0', value: '1' }, url(c.questions[2]!.id));
      assert.equal(saved.headers.location, url(c.questions[3]!.id));
      // Answering the skipped one takes it off the list.
      await bert.post(url(q), { version: '0', value: '1' }, url(q));
      const [cleared] = await t.db.query<{ skipped: boolean }>(
        'SELECT skipped FROM check_question_states WHERE check_id = $1 AND question_id = $2',
        [checkId, q],
      );
      assert.equal(cleared!.skipped, false);
    });

    test('a question that needs facts from others says so', async () => {
      const anna = await as('anna');
      const c = await ctx();
      const q = c.questions.find((x) => x.needsInput?.includes('it-dienstleister'));
      assert.ok(q, 'a question for the IT provider applies');
      const page = await anna.get(url(q.id));
      assert.match(page.body, /brauchen Sie meist Angaben von: [^<]*IT-Dienstleister/);
    });

    test('an Kollegin/Kollegen geben: a question and a whole dimension; the colleague sees them as assigned', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      const c = await ctx();
      const q = c.questions[4]!;
      const form = await anna.get(`/digitalcheck/${checkId}/zuweisen?frage=${q.id}`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /bert@example\.org/);
      // Nobody chosen: the error names the field, the page stays.
      const none = await anna.post(
        `/digitalcheck/${checkId}/zuweisen`,
        { frage: q.id, member: '', email: '' },
        `/digitalcheck/${checkId}/zuweisen?frage=${q.id}`,
      );
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /href="#member"/);
      const ok = await anna.post(
        `/digitalcheck/${checkId}/zuweisen`,
        { frage: q.id, member: String(ids.bert) },
        `/digitalcheck/${checkId}/zuweisen?frage=${q.id}`,
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, url(q.id));
      const bertsView = await bert.get(`/digitalcheck/${checkId}`);
      const mine = bertsView.body.slice(bertsView.body.indexOf('Ihnen zugewiesen'));
      assert.ok(bertsView.body.includes('Ihnen zugewiesen'), 'Bert has a list');
      assert.ok(mine.includes(decode(q.text.de)) || mine.includes(q.text.de), 'with the question');
      assert.match(bertsView.body, /\(von anna@example\.org\)/);
      const annasView = await anna.get(`/digitalcheck/${checkId}`);
      assert.doesNotMatch(annasView.body, /Ihnen zugewiesen/, 'not in Anna’s list');
      assert.match(annasView.body, /\(an bert@example\.org gegeben\)/);
      // A whole dimension.
      const dim = c.questions.at(-1)!.dimension;
      const dimOk = await anna.post(
        `/digitalcheck/${checkId}/zuweisen`,
        { dimension: dim, member: String(ids.bert) },
        `/digitalcheck/${checkId}/zuweisen?dimension=${dim}`,
      );
      assert.equal(dimOk.statusCode, 303);
      const states = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM check_question_states WHERE check_id = $1 AND assigned_to = $2',
        [checkId, ids.bert],
      );
      assert.equal(states[0]!.n, c.questions.filter((x) => x.dimension === dim).length + 1);
    });

    test('inviting by mail: only admins; the invited colleague finds the question once in the workspace', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      const c = await ctx();
      const q = c.questions[5]!;
      const page = `/digitalcheck/${checkId}/zuweisen?frage=${q.id}`;
      const refused = await bert.post(
        `/digitalcheck/${checkId}/zuweisen`,
        { frage: q.id, email: 'kaemmerei@example.org' },
        page,
      );
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Nur die Administration des Arbeitsbereichs kann neue Personen einladen/);
      const bad = await anna.post(`/digitalcheck/${checkId}/zuweisen`, { frage: q.id, email: 'kein-at' }, page);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#email"/);
      assert.match(bad.body, /value="kein-at"/, 'what was typed is kept');
      const ok = await anna.post(
        `/digitalcheck/${checkId}/zuweisen`,
        { frage: q.id, email: 'kaemmerei@example.org' },
        page,
      );
      assert.equal(ok.statusCode, 303);
      const inv = await t.db.query<{ email: string }>('SELECT email FROM invitations WHERE org_id = $1', [orgId]);
      assert.deepEqual(
        inv.map((i) => i.email),
        ['kaemmerei@example.org'],
      );
      const mail = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM mail_outbox WHERE to_address = 'kaemmerei@example.org'",
      );
      assert.equal(mail[0]!.n, 1, 'the invitation went out through the outbox');
      // She signs up and joins: the question is hers.
      ids.kaemmerei = (await createUserWithLoginLink(deps(), 'kaemmerei@example.org', false)).userId;
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')", [
        orgId,
        ids.kaemmerei,
      ]);
      const hers = await (await as('kaemmerei')).get(`/digitalcheck/${checkId}`);
      assert.match(hers.body, /Ihnen zugewiesen/);
      assert.ok(hers.body.includes(`href="${url(q.id)}"`));
    });

    test('a conflict shows both answers and lets the person choose which one stays', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      const c = await ctx();
      const q = c.questions[6]!.id;
      assert.equal(
        (await anna.post(url(q), { version: '0', value: '3', comment: 'Annas Sicht' }, url(q))).statusCode,
        303,
      );
      const clash = await bert.post(url(q), { version: '0', value: '1', comment: 'Berts Sicht' }, url(q));
      assert.equal(clash.statusCode, 409);
      assert.match(clash.body, /Inzwischen geändert/);
      assert.match(clash.body, /anna@example\.org hat diese Antwort gespeichert/);
      assert.match(clash.body, /Gespeicherte Antwort/);
      assert.match(clash.body, /Annas Sicht/);
      assert.match(clash.body, /Ihre Eingabe/);
      assert.match(clash.body, /Berts Sicht/);
      assert.match(clash.body, /Meine Eingabe speichern/);
      assert.match(clash.body, /Gespeicherte Antwort behalten/);
      // Keeping the saved answer changes nothing; keeping his own saves it with the current version.
      const keepMine = clash.body.match(
        new RegExp(`<form method="post" action="${url(q)}" class="inline-form">([\\s\\S]*?)</form>`),
      )!;
      const hidden = Object.fromEntries(
        [...keepMine[1]!.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [
          m[1]!,
          decode(m[2]!),
        ]),
      );
      assert.equal(hidden.version, '1');
      assert.equal(hidden.value, '1');
      const { _csrf, ...form } = hidden;
      const res = await bert.post(url(q), form, url(q));
      assert.equal(res.statusCode, 303);
      const [row] = await t.db.query<{ level: number; comment: string }>(
        'SELECT level, comment FROM check_answers WHERE check_id = $1 AND question_id = $2',
        [checkId, q],
      );
      assert.deepEqual(row, { level: 1, comment: 'Berts Sicht' });
    });

    test('summary: open and skipped questions with links and the warning; submit; then the check is locked', async () => {
      const anna = await as('anna');
      let c = await ctx();
      const skip = c.questions.find((q) => !c.answers.has(q.id))!.id;
      await anna.post(`${url(skip)}/spaeter`, {}, url(skip));
      const summary = await anna.get(`/digitalcheck/${checkId}/abschliessen`);
      assert.equal(summary.statusCode, 200);
      assert.match(summary.body, /Abgeschickte Antworten sind eingefroren/);
      assert.match(summary.body, /können die Antworten nicht mehr geändert werden/);
      assert.match(summary.body, /Noch nicht beantwortet: \d+/);
      assert.match(summary.body, /Auf später verschoben: 1/);
      assert.doesNotMatch(summary.body, /action="[^"]*\/absenden"/, 'no submit while questions are open');
      // Submitting early anyway: the summary again, naming what is missing.
      const early = await anna.post(`/digitalcheck/${checkId}/absenden`, {}, `/digitalcheck/${checkId}/abschliessen`);
      assert.equal(early.statusCode, 400);
      assert.match(early.body, /Es fehlen noch \d+ Antworten/);
      assert.match(early.body, /Vor dem Abschicken/);
      c = await ctx();
      for (const q of c.questions) {
        if (!c.answers.has(q.id)) await anna.post(url(q.id), { version: '0', value: '2' }, url(q.id));
      }
      const ready = await anna.get(`/digitalcheck/${checkId}/abschliessen`);
      assert.match(ready.body, /Noch nicht beantwortet: 0/);
      assert.match(ready.body, /Auf später verschoben: 0/);
      assert.match(ready.body, /Abgeschickte Antworten sind eingefroren/);
      const submit = await anna.post(`/digitalcheck/${checkId}/absenden`, {}, `/digitalcheck/${checkId}/abschliessen`);
      assert.equal(submit.statusCode, 303);
      assert.equal(submit.headers.location, `/digitalcheck/${checkId}/ergebnis`);
      const [row] = await t.db.query<{ by: number }>('SELECT submitted_by::int AS by FROM checks WHERE id = $1', [
        checkId,
      ]);
      assert.equal(row!.by, ids.anna);

      // Locked: no answer forms, who submitted and when, the link to the result — for every member.
      const bert = await as('bert');
      const overview = await bert.get(`/digitalcheck/${checkId}`);
      assert.match(overview.body, /Eingereicht am \d\d\.\d\d\.\d{4} von anna@example\.org/);
      assert.ok(overview.body.includes(`href="/digitalcheck/${checkId}/ergebnis"`));
      assert.doesNotMatch(overview.body, /zuweisen|abschliessen/, 'no handing on, no submitting');
      const q = c.questions[0]!.id;
      const page = await bert.get(url(q));
      assert.match(page.body, /Eingereichte Antwort/);
      assert.doesNotMatch(page.body, /type="radio"/, 'no answer form');
      assert.doesNotMatch(page.body, /Später beantworten/);
      // Stale tabs: never a bare "Konflikt" page.
      const save = await bert.post(url(q), { version: '1', value: '0' }, url(q));
      assert.equal(save.statusCode, 409);
      assert.match(save.body, /Eingereicht am/);
      assert.match(save.body, /können nicht mehr geändert werden/);
      assert.ok(save.body.includes(`href="/digitalcheck/${checkId}/ergebnis"`));
      const skipLate = await bert.post(`${url(q)}/spaeter`, {}, `/digitalcheck/${checkId}`);
      assert.equal(skipLate.headers.location, `/digitalcheck/${checkId}`);
      const again = await bert.post(`/digitalcheck/${checkId}/absenden`, {}, `/digitalcheck/${checkId}`);
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, `/digitalcheck/${checkId}`);
      const assignLate = await bert.get(`/digitalcheck/${checkId}/zuweisen?frage=${q}`);
      assert.equal(assignLate.statusCode, 303);
    });
  });
}
