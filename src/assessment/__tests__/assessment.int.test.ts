import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { decideRequest, makeAdvisor, requestAccess } from '../../organisations/organisations.service.js';
import { importGv100ad } from '../../register/register.service.js';
import { checkContext, checkResult, saveAnswer, startCheck, submitCheck } from '../assessment.service.js';
import { removeDemo, seedDemo } from '../demo.js';
import { peerComparison } from '../stats.js';

const noMail = { send: async () => ({}) };
const fixture = (name: string) => fs.readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));

for (const kind of databaseKinds()) {
  describe(`Digitalcheck and Lagebild on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    let orgId = 0;
    let checkId = 0;

    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession({ db: t.db, mailer: noMail, publicUrl: '', t: TEST_T }, ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });

    before(async () => {
      t = await createTestDb(kind);
      await importGv100ad(t.db, { fileName: 'release-a.txt', data: fixture('gv100ad/release-a.txt') });
      app = await buildTestApp(t.db);
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      for (const name of ['anna', 'bert', 'fremd', 'berater']) {
        ids[name] = (await createUserWithLoginLink(deps, `${name}@example.org`, false)).userId;
      }
      await makeAdvisor(t.db, ids.berater!, '16');
      // Anna: admin of Langenberg (16063021, 1,901 inhabitants); Bert: member.
      orgId = await requestAccess(deps, actor('anna'), '16063021', '');
      const [req] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
        orgId,
      ]);
      await decideRequest(
        deps,
        { id: ids.berater!, email: 'berater@example.org', isPlatformAdmin: false },
        orgId,
        req!.id,
        true,
        'admin',
      );
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')", [orgId, ids.bert]);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('a member starts the check and answers question by question; drafts are saved', async () => {
      const anna = await as('anna');
      const landing = await anna.get('/digitalcheck');
      assert.match(landing.body, /Digitalcheck beginnen oder fortsetzen/);
      const start = await anna.post('/digitalcheck/start', { org: String(orgId) }, '/digitalcheck');
      assert.equal(start.statusCode, 303);
      checkId = Number(String(start.headers.location).split('/').pop());
      // Starting again continues the same draft.
      const again = await anna.post('/digitalcheck/start', { org: String(orgId) }, '/digitalcheck');
      assert.equal(again.headers.location, `/digitalcheck/${checkId}`);
      const overview = await anna.get(`/digitalcheck/${checkId}`);
      assert.equal(overview.statusCode, 200);
      const first = overview.body.match(/\/digitalcheck\/\d+\/frage\/([a-z0-9-]+)/)![1]!;
      const page = await anna.get(`/digitalcheck/${checkId}/frage/${first}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /type="radio"[^>]*value="na"/);
      // No choice: error, and the comment typed is kept.
      const bad = await anna.post(
        `/digitalcheck/${checkId}/frage/${first}`,
        { version: '0', comment: 'Noch offen', evidenceUrl: 'ftp://x' },
        `/digitalcheck/${checkId}/frage/${first}`,
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Noch offen/);
      assert.match(bad.body, /href="#evidenceUrl"/);
      const ok = await anna.post(
        `/digitalcheck/${checkId}/frage/${first}`,
        { version: '0', value: '2', comment: 'Beschluss 2024', evidenceUrl: 'https://example.org/beschluss' },
        `/digitalcheck/${checkId}/frage/${first}`,
      );
      assert.equal(ok.statusCode, 303);
      assert.match(String(ok.headers.location), /\/frage\//, 'on to the next open question');
    });

    test('concurrent edits of the same answer are detected, never silently overwritten', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      const ctx = await checkContext(t.db, actor('anna'), checkId);
      const q = ctx.questions[1]!.id;
      const url = `/digitalcheck/${checkId}/frage/${q}`;
      const a1 = await anna.post(url, { version: '0', value: '3' }, url);
      assert.equal(a1.statusCode, 303);
      // Bert loaded the question before Anna saved (version 0) and saves later.
      const b1 = await bert.post(url, { version: '0', value: '1', comment: 'Meine Sicht' }, url);
      assert.equal(b1.statusCode, 409);
      assert.match(b1.body, /Inzwischen geändert/);
      assert.match(b1.body, /Stufe 3/);
      assert.match(b1.body, /Meine Sicht/, 'his input is kept');
      const [row] = await t.db.query<{ level: number; version: number }>(
        'SELECT level, version FROM check_answers WHERE check_id = $1 AND question_id = $2',
        [checkId, q],
      );
      assert.deepEqual(row, { level: 3, version: 1 });
      const version = b1.body.match(/name="version" value="(\d+)"/)![1]!;
      const b2 = await bert.post(url, { version, value: '1', comment: 'Meine Sicht' }, url);
      assert.equal(b2.statusCode, 303);
    });

    test('results are private: others, advisors and anonymous people cannot see the check', async () => {
      assert.equal((await (await as('fremd')).get(`/digitalcheck/${checkId}`)).statusCode, 403);
      assert.equal((await (await as('berater')).get(`/digitalcheck/${checkId}`)).statusCode, 403);
      assert.equal((await new Agent(app).get(`/digitalcheck/${checkId}`)).statusCode, 303);
    });

    test('submit when complete; result with scores, n/a not punished; CSV export; publish by the admin only', async () => {
      const anna = await as('anna');
      const early = await anna.post(`/digitalcheck/${checkId}/absenden`, {}, `/digitalcheck/${checkId}`);
      assert.equal(early.statusCode, 400);
      assert.match(early.body, /Es fehlen noch/);
      const ctx = await checkContext(t.db, actor('anna'), checkId);
      for (const [i, q] of ctx.questions.entries()) {
        if (ctx.answers.has(q.id)) continue;
        const url = `/digitalcheck/${checkId}/frage/${q.id}`;
        const res = await anna.post(url, { version: '0', value: i % 5 === 0 ? 'na' : '4' }, url);
        assert.equal(res.statusCode, 303, q.id);
      }
      const submit = await anna.post(`/digitalcheck/${checkId}/absenden`, {}, `/digitalcheck/${checkId}`);
      assert.equal(submit.statusCode, 303);
      await settle(app);
      const result = await anna.get(`/digitalcheck/${checkId}/ergebnis`);
      assert.equal(result.statusCode, 200);
      assert.match(result.body, /<svg[^>]*role="img"/);
      assert.match(result.body, /<table/);
      assert.match(result.body, /noch nicht genug Vergleichskommunen/);
      assert.match(result.body, /ergebnis\.pdf/);
      const csv = await anna.get(`/digitalcheck/${checkId}/ergebnis.csv`);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(csv.body, /^\ufeffAbschnitt \(section\);Kennung \(id\);/, 'German spreadsheet format by default');
      assert.match(csv.body, /Stufe \(level\);Stufenname \(level_name\)/);
      assert.match(csv.body, /;Führend;/, 'level names beside the levels');
      const intl = await anna.get(`/digitalcheck/${checkId}/ergebnis.csv?format=intl`);
      assert.match(intl.body, /^Abschnitt \(section\),Kennung \(id\),/);
      assert.match(result.body, /Stufe 4 „Führend“/);
      assert.match(result.body, /Nächste Schritte/);
      const pdf = await anna.get(`/digitalcheck/${checkId}/ergebnis.pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.rawPayload.length > 1500);
      // Tagged for real: a structure tree, the language of the request (report-pdf.unit.test.ts checks the tree).
      assert.match(pdf.rawPayload.toString('latin1'), /\/StructTreeRoot/);
      assert.match(pdf.rawPayload.toString('latin1'), /\/Lang \(de-DE\)/);
      const [check] = await t.db.query<{ published: boolean; status: string }>(
        'SELECT published, status FROM checks WHERE id = $1',
        [checkId],
      );
      assert.deepEqual(check, { published: false, status: 'submitted' });
      assert.equal(
        (
          await (
            await as('bert')
          ).post(
            `/digitalcheck/${checkId}/veroeffentlichen`,
            { published: 'true' },
            `/digitalcheck/${checkId}/ergebnis`,
          )
        ).statusCode,
        403,
      );
      assert.equal(
        (
          await anna.post(
            `/digitalcheck/${checkId}/veroeffentlichen`,
            { published: 'true' },
            `/digitalcheck/${checkId}/ergebnis`,
          )
        ).statusCode,
        303,
      );
      const [pub] = await t.db.query<{ published: boolean }>('SELECT published FROM checks WHERE id = $1', [checkId]);
      assert.equal(pub!.published, true);
    });

    test('a published result: on the public profile, for the Land’s advisors and in the API; withdrawn with confirmation: gone', async () => {
      const anna = await as('anna');
      const berater = await as('berater');
      const profile = await new Agent(app).get('/kommunen/16063021');
      assert.equal(profile.statusCode, 200);
      assert.match(profile.body, /hat sein Ergebnis veröffentlicht: <strong>Stufe 4 „Führend“<\/strong> von 4/);
      assert.match(profile.body, /Reifegradmodell Version 1/);
      assert.match(profile.body, /Strategie &amp; Steuerung/, 'the dimension scores');
      assert.doesNotMatch(profile.body, /Noch kein veröffentlichtes Ergebnis/);
      const other = await new Agent(app).get('/kommunen/16063022');
      assert.match(other.body, /Noch kein veröffentlichtes Ergebnis/, 'every profile says whether there is one');
      const api = (await app.inject('/api/v1/published-results/16063021')).json();
      assert.equal(api.result.level, 4);
      assert.equal(api.result.levelName, 'Führend');
      assert.equal(api.result.modelVersion, '1');
      assert.equal(api.result.dimensions.length, 7);
      assert.equal((await app.inject('/api/v1/published-results/16063022')).json().result, null);

      // The Land's advisor sees the published result, without the workspace's comments; others still do not.
      const seen = await berater.get(`/digitalcheck/${checkId}/ergebnis`);
      assert.equal(seen.statusCode, 200);
      assert.doesNotMatch(seen.body, /veroeffentlichen|zurueckziehen"/, 'no publishing controls for an advisor');
      const advisorCsv = await berater.get(`/digitalcheck/${checkId}/ergebnis.csv`);
      assert.equal(advisorCsv.statusCode, 200);
      assert.doesNotMatch(advisorCsv.body, /Beschluss 2024/);
      assert.match((await anna.get(`/digitalcheck/${checkId}/ergebnis.csv`)).body, /Beschluss 2024/);
      assert.equal((await (await as('fremd')).get(`/digitalcheck/${checkId}/ergebnis`)).statusCode, 403);
      assert.equal((await berater.get(`/digitalcheck/${checkId}`)).statusCode, 403, 'not the check itself');

      // Withdrawing needs the admin and a confirmation.
      const page = `/digitalcheck/${checkId}/zurueckziehen`;
      assert.equal((await (await as('bert')).get(page)).statusCode, 403);
      const confirm = await anna.get(page);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /name="confirm" value="ja"/);
      const viaToggle = await anna.post(`/digitalcheck/${checkId}/veroeffentlichen`, { published: 'false' }, page);
      assert.equal(viaToggle.headers.location, page, 'the old toggle asks first');
      const unconfirmed = await anna.post(page, {}, page);
      assert.equal(unconfirmed.headers.location, page);
      const stillPublished = await t.db.query<{ published: boolean }>('SELECT published FROM checks WHERE id = $1', [
        checkId,
      ]);
      assert.equal(stillPublished[0]!.published, true);
      const done = await anna.post(page, { confirm: 'ja' }, page);
      assert.equal(done.statusCode, 303);
      assert.match(String(done.headers.location), /ergebnis\?geaendert=zurueckgezogen/);
      const [row] = await t.db.query<{ published: boolean }>('SELECT published FROM checks WHERE id = $1', [checkId]);
      assert.equal(row!.published, false);
      const gone = await new Agent(app).get('/kommunen/16063021');
      assert.match(gone.body, /Noch kein veröffentlichtes Ergebnis/);
      assert.doesNotMatch(gone.body, /hat sein Ergebnis veröffentlicht/);
      assert.equal((await app.inject('/api/v1/published-results/16063021')).json().result, null);
      assert.equal((await berater.get(`/digitalcheck/${checkId}/ergebnis`)).statusCode, 403, 'advisors: closed again');
      const notice = await anna.get(`/digitalcheck/${checkId}/ergebnis?geaendert=zurueckgezogen`);
      assert.match(notice.body, /Die Veröffentlichung ist zurückgezogen/);
    });

    test('Lagebild: a single result is never revealed; participation counts are', async () => {
      const res = await app.inject('/api/v1/lagebild');
      assert.equal(res.statusCode, 200);
      const lb = res.json();
      assert.equal(lb.participation.total.submitted, 1);
      assert.equal(lb.scores.national, null, 'one check: no score aggregate');
      assert.equal(lb.levels.national, null);
      assert.equal(lb.scores.byState['16'], null);
      assert.equal(lb.includesDemo, false);
      const page = await app.inject({ url: '/lagebild', headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /nicht genug Daten/);
      assert.doesNotMatch(page.body, /Demodaten:/);
    });

    test('a submission reaches the Lagebild by event — but one new check alone is never told apart', async () => {
      // Enough checks for national figures (demo data for the other Gemeinden), released.
      await seedDemo(t.db, { share: 1, seed: 11 });
      await settle(app);
      const before = (await app.inject('/api/v1/lagebild')).json();
      assert.ok(before.scores.national, 'national figures are published');
      // Tiefenbach submits: one new result, in a group with published figures.
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      ids.tina = (await createUserWithLoginLink(deps, 'tina@example.org', false)).userId;
      const tina = { id: ids.tina, email: 'tina@example.org', isPlatformAdmin: false };
      const org = await requestAccess(deps, tina, '16063022', '');
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [org, ids.tina]);
      const id = await startCheck(t.db, tina, org);
      const ctx = await checkContext(t.db, tina, id);
      for (const q of ctx.questions) {
        await saveAnswer(t.db, tina, id, q.id, { value: '4', comment: '', evidenceUrl: '', expectedVersion: 0 });
      }
      await submitCheck(t.db, tina, id);
      const events = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM domain_events WHERE type = 'assessment.check-submitted'",
      );
      assert.ok(events[0]!.n >= 2, 'the submission wrote its event');
      await settle(app);
      // Held back until enough other changes come: the two answers are identical, nothing can be read off.
      const after = (await app.inject('/api/v1/lagebild')).json();
      assert.deepEqual(after, before);
      await removeDemo(t.db);
      await settle(app);
      // Removing the demo data goes out in one release; Tiefenbach's check goes with it.
      const cleaned = (await app.inject('/api/v1/lagebild')).json();
      assert.equal(cleaned.includesDemo, false);
    });

    test('demo data: marked everywhere, aggregates appear, removed exactly', async () => {
      const seeded = await seedDemo(t.db, { share: 1, seed: 7 });
      assert.ok(seeded.checks >= 10);
      await settle(app);
      const lb = (await app.inject('/api/v1/lagebild')).json();
      assert.equal(lb.includesDemo, true);
      assert.ok(lb.participation.total.submitted >= 11);
      assert.ok(lb.scores.national, 'enough checks for a national aggregate');
      assert.ok(lb.scores.national.n >= 5);
      assert.equal(lb.scores.national.min, undefined, 'no minimum (would reveal one result)');
      assert.equal(lb.levelNames[2].de, 'Im Aufbau', 'level names beside the level distributions');
      const page = await app.inject({ url: '/lagebild', headers: { accept: 'text/html' } });
      assert.match(page.body, /Demodaten:/);
      // Demo data in a real municipality's comparison: labelled on the page, in the CSV; never published.
      const anna = await as('anna');
      const resultPage = await anna.get(`/digitalcheck/${checkId}/ergebnis`);
      assert.match(resultPage.body, /Demodaten:<\/strong> Der Vergleich enthält erfundene Beispiel-Checks/);
      assert.match(resultPage.body, /Darunter \d+ Demodaten/);
      assert.match(resultPage.body, /Kommunen in Thüringen, n = \d+/, 'the group named, with n');
      const resultCsv = (await anna.get(`/digitalcheck/${checkId}/ergebnis.csv`)).body;
      assert.match(resultCsv, /\r\nvergleich;state;Kommunen in Thüringen \(darunter \d+ Demodaten\);/);
      const [demoRegion] = await t.db.query<{ key: string }>(
        'SELECT region_key AS key FROM checks WHERE is_demo LIMIT 1',
      );
      assert.equal((await app.inject(`/api/v1/published-results/${demoRegion!.key}`)).json().result, null);
      const csv = await app.inject({ url: '/api/v1/lagebild', headers: { accept: 'text/csv' } });
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(csv.body, /^group,key,name,submitted/);
      assert.equal((await app.inject('/api/v1/lagebild?format=csv')).body, csv.body);
      // Peer figures computed in SQL agree with the JavaScript rule of stats.ts.
      const result = await checkResult(t.db, actor('anna'), checkId, 'de');
      const facts = await t.db.query<{ overall: number; sizeClass: string }>(
        `SELECT overall, size_class AS "sizeClass" FROM checks WHERE is_latest AND region_key <> '16063021'`,
      );
      const own = result.ctx.check.overall!;
      const sameSize = facts.filter((f) => f.sizeClass === result.ctx.check.sizeClass).map((f) => f.overall);
      const expected = peerComparison(sameSize, own);
      const size = result.peers.find((p) => p.kind === 'size')!.comparison;
      if (expected === null) assert.equal(size, null);
      else {
        assert.ok(size);
        assert.equal(size.peers.n, expected.peers.n);
        assert.ok(Math.abs(size.peers.median - expected.peers.median) < 1e-9);
        assert.ok(Math.abs(size.peers.q1 - expected.peers.q1) < 1e-9);
        assert.ok(Math.abs(size.percentile - (expected.percentile ?? 0)) < 1e-9);
      }
      const removed = await removeDemo(t.db);
      assert.equal(removed, seeded.checks);
      await settle(app);
      const left = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM checks WHERE is_demo');
      assert.equal(left[0]!.n, 0, 'only the demo checks went');
      const [real] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM checks WHERE status = 'submitted'",
      );
      assert.ok(real!.n >= 1, 'the real checks stay');
      assert.equal((await app.inject('/api/v1/lagebild')).json().includesDemo, false);
    });

    test('the maturity model is open data', async () => {
      const res = await app.inject('/api/v1/maturity-model');
      assert.equal(res.statusCode, 200);
      const m = res.json();
      assert.ok(m.dimensions.length >= 6 && m.dimensions.length <= 8);
      assert.ok(m.questions.length >= 40 && m.questions.length <= 70);
      assert.equal(m.questions[0].levels.length, 5);
    });
  });
}
