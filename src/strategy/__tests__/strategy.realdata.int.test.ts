import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { GV100AD_2025, realDataAvailable } from '../../../test/helpers/shared-data.js';
import { saveAnswer, startCheck, submitCheck } from '../../assessment/assessment.service.js';
import { seedDemo } from '../../assessment/demo.js';
import { applicableQuestions, loadModel } from '../../assessment/model.js';
import { createApiToken } from '../../identity/api-tokens.service.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { decideRequest, makeAdvisor, requestAccess } from '../../organisations/organisations.service.js';
import { ensureEmbeddedDefault, importGv100ad } from '../../register/register.service.js';
import { loadMeasures } from '../measures.js';
import { roadmapOrder } from '../plan.js';
import * as strategy from '../strategy.service.js';

const noMail = { send: async () => ({}) };
// Denkendorf (Landkreis Esslingen), 5,000–20,000 inhabitants.
const REGION = '08116015';

for (const kind of databaseKinds()) {
  describe(`Digitalstrategie on ${kind}`, { skip: !realDataAvailable() && 'shared data not present' }, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    let orgId = 0;
    let checkId = 0;
    let strategyId = 0;

    const deps = () => ({ db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T });
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const rev = async () => (await strategy.strategyView(t.db, actor('anna'), strategyId)).row.revision;
    const content = async () => (await strategy.strategyView(t.db, actor('anna'), strategyId)).row.content;

    /** A submitted check of the workspace: the first half of the questions at level 1, the rest at 2. */
    async function submittedCheck(
      level: (i: number, n: number) => number = (i, n) => (i < n / 2 ? 1 : 2),
    ): Promise<number> {
      const id = await startCheck(t.db, actor('anna'), orgId);
      const [{ population } = { population: 0 }] = await t.db.query<{ population: number }>(
        'SELECT population FROM regions WHERE key = $1',
        [REGION],
      );
      const questions = applicableQuestions(loadModel(), { population, kind: 'gemeinde' });
      assert.ok(questions.length > 0);
      for (const [i, q] of questions.entries()) {
        await saveAnswer(t.db, actor('anna'), id, q.id, {
          value: String(level(i, questions.length)),
          comment: '',
          evidenceUrl: '',
          expectedVersion: 0,
        });
      }
      await submitCheck(t.db, actor('anna'), id);
      return id;
    }

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      await importGv100ad(t.db, { fileName: 'GV100AD_30112025.txt', data: fs.readFileSync(GV100AD_2025) });
      // Demo checks across the country: the peers the goals are derived from.
      await seedDemo(t.db, { share: 0.02 });
      app = await buildTestApp(t.db);
      for (const name of ['anna', 'bert', 'fremd', 'berater']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      await makeAdvisor(t.db, ids.berater!, '08');
      orgId = await requestAccess(deps(), actor('anna'), REGION, '');
      const [req] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
        orgId,
      ]);
      await decideRequest(deps(), actor('berater'), orgId, req!.id, true, 'admin');
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')", [orgId, ids.bert]);
      checkId = await submittedCheck();
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('"Strategie entwerfen" on the result makes a complete, explained draft at once', async () => {
      const bert = await as('bert');
      const result = await bert.get(`/digitalcheck/${checkId}/ergebnis`);
      assert.match(result.body, /Strategie entwerfen/);
      const res = await bert.post(`/digitalcheck/${checkId}/strategie`, {}, `/digitalcheck/${checkId}/ergebnis`);
      assert.equal(res.statusCode, 303);
      strategyId = Number(/\/strategie\/(\d+)/.exec(String(res.headers.location))![1]);
      const again = await bert.post(`/digitalcheck/${checkId}/strategie`, {}, `/digitalcheck/${checkId}/ergebnis`);
      assert.match(String(again.headers.location), new RegExp(`/strategie/${strategyId}\\?gespeichert=vorhanden`));
      const page = await bert.get(`/strategie/${strategyId}`);
      assert.equal(page.statusCode, 200);
      const c = await content();
      assert.ok(c.items.length >= 5, `${c.items.length} measures`);
      assert.equal(c.goals.length, loadModel().dimensions.length);
      // The peers (demo checks of the same size class) give the goals and the reasons.
      assert.ok(
        c.goals.some((g) => g.reason.key.startsWith('strategy.reason.goal.peers')) ||
          c.items.some((i) => i.reason.key === 'strategy.reason.measure.peers'),
        'goals or reasons refer to the peers',
      );
      assert.match(page.body, /Weil Ihre Antwort zu „/);
      assert.doesNotMatch(page.body, /strategy\.(reason|page|warn)\./, 'no message key shows');
      for (const item of c.items) assert.ok(page.body.includes(`id="m-${item.measureId}"`));
      // Nobody outside the workspace learns that it exists.
      assert.equal((await (await as('fremd')).get(`/strategie/${strategyId}`)).statusCode, 404);
      assert.equal((await (await as('berater')).get(`/strategie/${strategyId}`)).statusCode, 404);
      assert.equal((await new Agent(app).get(`/strategie/${strategyId}`)).statusCode, 404);
    });

    test('links of measures to practice projects and solutions are stored by id and shown with the measure', async () => {
      const first = (await content()).items[0]!.measureId;
      await strategy.linkMeasure(t.db, first, 'practice', 'praxis-42');
      await strategy.linkMeasure(t.db, first, 'practice', 'praxis-42');
      await strategy.linkMeasure(t.db, first, 'solution', 'loesung-7');
      await assert.rejects(
        strategy.linkMeasure(t.db, 'gibt-es-nicht', 'practice', 'x'),
        (e: { status?: number }) => e.status === 400,
      );
      assert.deepEqual(
        (await strategy.measureLinks(t.db, [first])).map((l) => `${l.kind}:${l.refId}`),
        ['practice:praxis-42', 'solution:loesung-7'],
      );
      const page = await (await as('anna')).get(`/strategie/${strategyId}`);
      assert.match(page.body, /So haben es andere gemacht: 2 Beispiele/);
      await strategy.unlinkMeasure(t.db, first, 'solution', 'loesung-7');
      assert.equal((await strategy.measureLinks(t.db, [first])).length, 1);
    });

    test('the team edits: remove, add, move, change a measure; bad input names the field and keeps it', async () => {
      const anna = await as('anna');
      const before = await content();
      const removed = before.items[before.items.length - 1]!.measureId;
      const url = `/strategie/${strategyId}`;
      const r1 = await anna.post(`${url}/entfernen`, { rev: String(await rev()), measure: removed }, url);
      assert.equal(r1.statusCode, 303);
      assert.ok(!(await content()).items.some((i) => i.measureId === removed));
      const v = await strategy.strategyView(t.db, actor('anna'), strategyId);
      const added = v.addable.find((m) => m.prerequisites.length === 0)!.id;
      const r2 = await anna.post(`${url}/hinzufuegen`, { rev: String(await rev()), measure: added }, url);
      assert.equal(r2.statusCode, 303);
      const after = await content();
      const item = after.items.find((i) => i.measureId === added)!;
      assert.equal(item.reason.key, 'strategy.reason.measure.team');
      assert.equal(item.addedByTeam, true);
      const unknown = await anna.post(
        `${url}/hinzufuegen`,
        { rev: String(await rev()), measure: 'gibt-es-nicht' },
        url,
      );
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /href="#measure"/);
      // Move the first measure down.
      const first = after.items[0]!.measureId;
      const r3 = await anna.post(
        `${url}/reihenfolge`,
        { rev: String(await rev()), measure: first, direction: 'down' },
        url,
      );
      assert.equal(r3.statusCode, 303);
      assert.equal((await content()).items[1]!.measureId, first);
      // Change the plan of a measure: German numbers and months.
      const itemUrl = `${url}/massnahmen/${added}`;
      const bad = await anna.post(
        itemUrl,
        {
          rev: String(await rev()),
          owner: 'Hauptamt, Frau Öztürk',
          start: '13/2027',
          durationMonths: '3',
          effortDays: '4,5',
          costOneOff: '12.500',
          costPerYear: 'viel',
        },
        itemUrl,
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#start"/);
      assert.match(bad.body, /href="#costPerYear"/);
      assert.match(bad.body, /Hauptamt, Frau Öztürk/, 'what was typed is kept');
      const startMonth = (await content()).startMonth;
      const start = `${startMonth.slice(5)}/${startMonth.slice(0, 4)}`;
      const ok = await anna.post(
        itemUrl,
        {
          rev: String(await rev()),
          owner: 'Hauptamt, Frau Öztürk',
          start,
          durationMonths: '3',
          effortDays: '4,5',
          costOneOff: '12.500',
          costPerYear: '1.200',
        },
        itemUrl,
      );
      assert.equal(ok.statusCode, 303);
      const changed = (await content()).items.find((i) => i.measureId === added)!;
      assert.deepEqual(
        [changed.owner, changed.startMonth, changed.effortDays, changed.costOneOff, changed.costPerYear],
        ['Hauptamt, Frau Öztürk', 0, 4.5, 12_500, 1_200],
      );
    });

    test('parallel edits: different measures both saved; the same measure is a conflict with both values shown', async () => {
      const anna = await as('anna');
      const bert = await as('bert');
      const c = await content();
      const [a, b] = [c.items[0]!, c.items[1]!];
      const base = await rev();
      const url = `/strategie/${strategyId}/massnahmen`;
      const form = (owner: string, item: typeof a) => ({
        rev: String(base),
        owner,
        start: `${c.startMonth.slice(5)}/${c.startMonth.slice(0, 4)}`,
        durationMonths: String(item.durationMonths),
        effortDays: String(item.effortDays),
        costOneOff: String(item.costOneOff),
        costPerYear: String(item.costPerYear),
      });
      assert.equal(
        (await anna.post(`${url}/${a.measureId}`, form('Anna', a), `${url}/${a.measureId}`)).statusCode,
        303,
      );
      // Bert loaded the same revision: another measure merges without a conflict …
      assert.equal(
        (await bert.post(`${url}/${b.measureId}`, form('Bert', b), `${url}/${b.measureId}`)).statusCode,
        303,
      );
      // … the same measure does not.
      const clash = await bert.post(`${url}/${a.measureId}`, form('Bert sagt anders', a), `${url}/${a.measureId}`);
      assert.equal(clash.statusCode, 409);
      assert.match(clash.body, /anna@example\.org hat das am/);
      assert.match(clash.body, /zuständig: Anna/, 'the saved value');
      assert.match(clash.body, /value="Bert sagt anders"/, 'the person’s own value');
      const after = await content();
      assert.deepEqual(
        [
          after.items.find((i) => i.measureId === a.measureId)!.owner,
          after.items.find((i) => i.measureId === b.measureId)!.owner,
        ],
        ['Anna', 'Bert'],
      );
      // Choosing "mine" sends the current revision: saved.
      const retry = await bert.post(
        `${url}/${a.measureId}`,
        { ...form('Bert sagt anders', a), rev: String(await rev()) },
        `${url}/${a.measureId}`,
      );
      assert.equal(retry.statusCode, 303);
      // A stale "remove" of that measure is a conflict on the overview, with a way to do it anyway.
      const stale = await anna.post(
        `/strategie/${strategyId}/entfernen`,
        { rev: String(base), measure: a.measureId },
        `/strategie/${strategyId}`,
      );
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Meine Änderung trotzdem speichern/);
    });

    test('versions and a readable diff', async () => {
      const anna = await as('anna');
      const history = await anna.get(`/strategie/${strategyId}/versionen`);
      assert.equal(history.statusCode, 200);
      assert.match(history.body, /Entwurf aus dem Digitalcheck erstellt/);
      const n = await rev();
      const diff = await anna.get(`/strategie/${strategyId}/vergleich?a=1&b=${n}`);
      assert.equal(diff.statusCode, 200);
      assert.match(diff.body, /Entfernt: „/);
      assert.match(diff.body, /Hinzugefügt: „/);
      assert.match(diff.body, /zuständig „–“ → „Anna“|zuständig „–“ → „Bert sagt anders“/);
      assert.equal((await anna.get(`/strategie/${strategyId}/vergleich?a=1&b=9999`)).statusCode, 404);
    });

    test('settings and capacity: warnings in words when the plan exceeds it', async () => {
      const anna = await as('anna');
      const c = await content();
      const url = `/strategie/${strategyId}/einstellungen`;
      const form = {
        rev: String(await rev()),
        title: '',
        vision: 'Denkendorf wird digital – gemeinsam.',
        startMonth: `${c.startMonth.slice(5)}/${c.startMonth.slice(0, 4)}`,
        staffDaysPerMonth: '0,5',
        budgetPerYear: '1.000',
        steering: '',
        reportingCycle: 'quarterly',
      };
      const res = await anna.post(url, form, url);
      assert.equal(res.statusCode, 303);
      const page = await anna.get(`/strategie/${strategyId}`);
      assert.match(page.body, /Personentage geplant, verfügbar sind 0,5 je Monat/);
      const bad = await anna.post(
        url,
        { ...form, rev: String(await rev()), reportingCycle: 'nie', staffDaysPerMonth: '-1' },
        url,
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#reportingCycle"/);
      assert.match(bad.body, /Denkendorf wird digital – gemeinsam\./);
      // Back to a capacity that fits.
      await anna.post(url, { ...form, rev: String(await rev()), staffDaysPerMonth: '6', budgetPerYear: '60.000' }, url);
    });

    test('the council document: HTML view, PDF and DOCX with the name, the measures in roadmap order, the budget', async () => {
      const anna = await as('anna');
      const html = await anna.get(`/strategie/${strategyId}/dokument`);
      assert.equal(html.statusCode, 200);
      assert.match(html.body, /Denkendorf/);
      const c = await content();
      const titles = roadmapOrder(c.items).map(
        (i) => loadMeasures().measures.find((m) => m.id === i.measureId)!.title.de,
      );
      let at = -1;
      for (const title of titles) {
        const i = html.body.indexOf(title.replace(/&/g, '&amp;'), at + 1);
        assert.ok(i > at, `"${title}" after the one before it`);
        at = i;
      }
      const pdf = await anna.get(`/strategie/${strategyId}/dokument.pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const docx = await anna.get(`/strategie/${strategyId}/dokument.docx?sprache=en`);
      assert.equal(docx.statusCode, 200);
      assert.equal(docx.rawPayload.subarray(0, 2).toString(), 'PK');
    });

    test('adoption: admins only; the adopted plan is frozen, its implementation is not; publication', async () => {
      const bert = await as('bert');
      const anna = await as('anna');
      const url = `/strategie/${strategyId}`;
      const form = {
        adoptedOn: '14.10.2026',
        decisionNumber: 'GR 2026/17',
        councilUrl: 'https://ratsinfo.example/vorlage/17',
      };
      assert.equal((await bert.post(`${url}/beschliessen`, form, url)).statusCode, 403);
      const bad = await anna.post(
        `${url}/beschliessen`,
        { ...form, adoptedOn: '31.02.2026', councilUrl: 'javascript:alert(1)' },
        url,
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#adoptedOn"/);
      assert.match(bad.body, /href="#councilUrl"/);
      assert.match(bad.body, /GR 2026\/17/);
      assert.equal((await anna.post(`${url}/vorlegen`, {}, url)).statusCode, 303);
      assert.equal((await anna.post(`${url}/beschliessen`, form, url)).statusCode, 303);
      const row = (await strategy.strategyView(t.db, actor('anna'), strategyId)).row;
      assert.deepEqual([row.status, row.adoptedOn, row.decisionNumber], ['adopted', '2026-10-14', 'GR 2026/17']);
      // The plan is frozen: the page offers no edits, the service refuses, so does the database.
      const page = await anna.get(url);
      assert.doesNotMatch(page.body, /action="\/strategie\/\d+\/entfernen"/);
      const item = row.content.items[0]!;
      await assert.rejects(
        strategy.editStrategy(t.db, actor('anna'), strategyId, row.revision, {
          kind: 'remove',
          measureId: item.measureId,
        }),
        (err: { status?: number }) => err.status === 403,
      );
      await assert.rejects(
        t.db.query(`UPDATE strategies SET content = jsonb_set(content, '{items,0,owner}', '"x"') WHERE id = $1`, [
          strategyId,
        ]),
        /frozen/,
      );
      // The implementation goes on.
      const progress = await bert.post(
        `${url}/massnahmen/${item.measureId}/umsetzung`,
        {
          rev: String(row.revision),
          status: 'done',
          note: 'Im Gemeinderat vorgestellt',
          actualStart: '',
          actualEnd: '',
        },
        `${url}/massnahmen/${item.measureId}`,
      );
      assert.equal(progress.statusCode, 303);
      assert.equal((await content()).items[0]!.status, 'done');
      // Published: the profile links it, the public page and the API show it.
      assert.equal((await new Agent(app).get(`/kommunen/${REGION}/strategie`)).statusCode, 404);
      assert.equal((await anna.post(`${url}/veroeffentlichen`, { published: 'true' }, url)).statusCode, 303);
      const anon = new Agent(app);
      const pub = await anon.get(`/kommunen/${REGION}/strategie`);
      assert.equal(pub.statusCode, 200);
      assert.match(pub.body, /GR 2026\/17/);
      assert.match((await anon.get(`/kommunen/${REGION}`)).body, new RegExp(`href="/kommunen/${REGION}/strategie"`));
      assert.equal((await anon.get(`/strategie/${strategyId}/dokument.pdf`)).statusCode, 200);
      const api = await app.inject({ method: 'GET', url: `/api/v1/published-strategies/${REGION}` });
      assert.equal(api.statusCode, 200);
      assert.equal(api.json().status, 'adopted');
      // A new version is a draft with the same content; the adopted one stays.
      const nv = await anna.post(`${url}/neue-fassung`, {}, url);
      const newId = Number(/\/strategie\/(\d+)/.exec(String(nv.headers.location))![1]);
      assert.notEqual(newId, strategyId);
      const next = (await strategy.strategyView(t.db, actor('anna'), newId)).row;
      assert.deepEqual(
        [next.status, next.previousId, next.content.items.length],
        ['draft', strategyId, row.content.items.length],
      );
    });

    test('a later check shows which goals were reached', async () => {
      // All answers at 4: every goal reached.
      await submittedCheck(() => 4);
      const page = await (await as('anna')).get(`/strategie/${strategyId}`);
      assert.match(page.body, /Im letzten Check/);
      assert.match(page.body, /erreicht \(Stufe 4\)/);
      assert.doesNotMatch(page.body, /noch nicht \(Stufe/);
    });

    test('API: tokens with the strategy scope; conflicts and errors as problems', async () => {
      const read = (
        await createApiToken({ db: t.db }, ids.anna!, { name: 'r', scopes: ['strategy:read'], expiryDays: 1 })
      ).token;
      const write = (
        await createApiToken({ db: t.db }, ids.anna!, { name: 'w', scopes: ['strategy:write'], expiryDays: 1 })
      ).token;
      const other = (
        await createApiToken({ db: t.db }, ids.fremd!, { name: 'f', scopes: ['strategy:write'], expiryDays: 1 })
      ).token;
      const call = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
        app.inject({
          method,
          url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          ...(payload ? { payload: payload as object } : {}),
        });
      assert.equal((await call('GET', '/api/v1/strategies', null)).statusCode, 401);
      const list = await call('GET', '/api/v1/strategies', read);
      assert.equal(list.statusCode, 200);
      assert.ok(list.json().items.length >= 2);
      assert.equal((await call('GET', '/api/v1/strategies', other)).json().items.length, 0);
      // A draft of another workspace does not exist for a stranger.
      const open = list.json().items.find((s: { status: string }) => s.status === 'draft');
      assert.equal((await call('GET', `/api/v1/strategies/${open.id}`, other)).statusCode, 404);
      assert.equal((await call('GET', `/api/v1/strategies/${open.id}`, null)).statusCode, 404);
      assert.equal((await call('GET', `/api/v1/strategies/${open.id}`, read)).statusCode, 200);
      // Writing needs strategy:write.
      const denied = await call('POST', `/api/v1/strategies/${open.id}/items`, read, { measureId: 'x', revision: 1 });
      assert.equal(denied.statusCode, 403);
      const item = open.content.items[0];
      const fields = {
        owner: 'API',
        start: open.content.startMonth,
        durationMonths: 2,
        effortDays: 3,
        costOneOff: 0,
        costPerYear: 0,
      };
      const ok = await call('POST', `/api/v1/strategies/${open.id}/items/${item.measureId}`, write, {
        revision: open.revision,
        ...fields,
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().content.items[0].owner, 'API');
      const stale = await call('POST', `/api/v1/strategies/${open.id}/items/${item.measureId}`, write, {
        revision: open.revision,
        ...fields,
        owner: 'alt',
      });
      assert.equal(stale.statusCode, 409);
      assert.deepEqual(stale.json().conflictingRevisions, [open.revision + 1]);
      const bad = await call('POST', `/api/v1/strategies/${open.id}/items/${item.measureId}`, write, {
        revision: open.revision + 1,
        ...fields,
        start: 'März',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /"start"/);
      // Creating from a check returns the open strategy (200) instead of a second one.
      const again = await call('POST', '/api/v1/strategies', write, { checkId });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().id, open.id);
    });

    test('personal data: export lists what a person changed; erasure keeps the strategy without the person', async () => {
      const before = await strategy.exportPersonalData(t.db, ids.bert!);
      assert.ok(before.strategy_revisions.length > 0);
      await t.db.transaction((tx) => strategy.erasePersonalData(tx, ids.bert!));
      assert.equal((await strategy.exportPersonalData(t.db, ids.bert!)).strategy_revisions.length, 0);
      assert.ok((await strategy.strategyView(t.db, actor('anna'), strategyId)).row.content.items.length > 0);
      await settle(app);
    });
  });
}
