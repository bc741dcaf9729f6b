import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { makeAdvisor, requestAccess } from '../../organisations/organisations.service.js';
import { importGv100ad } from '../../register/register.service.js';
import { checkContext, saveAnswer, setPublished, startCheck, submitCheck } from '../assessment.service.js';

const noMail = { send: async () => ({}) };
const fixture = (name: string) => fs.readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));

/**
 * The workspace home page (issue 8): the open check with progress and "weiter, wo ich aufgehört habe", past
 * results with their trend, "Neuer Check mit den Antworten des letzten" (answers carried over, each "zu prüfen"
 * until saved again), and what is published. Members only: an advisor sees the workspace, not its checks.
 */
for (const kind of databaseKinds()) {
  describe(`workspace home on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    let orgId = 0;
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession({ db: t.db, mailer: noMail, publicUrl: '', t: TEST_T }, ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const answerAll = async (id: number, value: (i: number) => string) => {
      const c = await checkContext(t.db, actor('anna'), id);
      for (const [i, q] of c.questions.entries()) {
        const v = c.answers.get(q.id)?.version ?? 0;
        await saveAnswer(t.db, actor('anna'), id, q.id, {
          value: value(i),
          comment: '',
          evidenceUrl: '',
          expectedVersion: v,
        });
      }
      return c.questions;
    };

    before(async () => {
      t = await createTestDb(kind);
      await importGv100ad(t.db, { fileName: 'release-a.txt', data: fixture('gv100ad/release-a.txt') });
      app = await buildTestApp(t.db);
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      for (const name of ['anna', 'berater']) {
        ids[name] = (await createUserWithLoginLink(deps, `${name}@example.org`, false)).userId;
      }
      await makeAdvisor(t.db, ids.berater!, '16');
      orgId = await requestAccess(deps, actor('anna'), '16063021', '');
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [orgId, ids.anna]);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('no check yet: the home page offers to start; the advisor sees no checks', async () => {
      const page = await (await as('anna')).get(`/organisationen/${orgId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /noch nicht gemacht/);
      assert.match(page.body, /action="\/digitalcheck\/start"/);
      assert.match(page.body, /Kein Ergebnis veröffentlicht/);
      const advisor = await (await as('berater')).get(`/organisationen/${orgId}`);
      assert.equal(advisor.statusCode, 200);
      assert.doesNotMatch(advisor.body, /digitalcheck\/start|Fortschritt/);
    });

    test('an open check shows its progress and continues at the first unanswered question', async () => {
      const id = await startCheck(t.db, actor('anna'), orgId);
      const c = await checkContext(t.db, actor('anna'), id);
      const [q1, q2, q3] = c.questions;
      for (const q of [q1!, q3!]) {
        await saveAnswer(t.db, actor('anna'), id, q.id, {
          value: '2',
          comment: '',
          evidenceUrl: '',
          expectedVersion: 0,
        });
      }
      const page = await (await as('anna')).get(`/organisationen/${orgId}`);
      assert.match(page.body, new RegExp(`Fortschritt: 2 / ${c.questions.length}`));
      assert.match(page.body, new RegExp(`<progress[^>]*max="${c.questions.length}"[^>]*value="2"`));
      assert.match(
        page.body,
        new RegExp(
          `href="/digitalcheck/${id}/frage/${q2!.id}"[^>]*><span class="kern-label">Weiter, wo ich aufgehört habe`,
        ),
      );
      // Submit with everything answered: 2 everywhere.
      await answerAll(id, () => '2');
      await submitCheck(t.db, actor('anna'), id);
    });

    test('"Neuer Check mit den Antworten des letzten": answers carried over, to be reviewed until saved again', async () => {
      const anna = await as('anna');
      const home = await anna.get(`/organisationen/${orgId}`);
      const last = Number(home.body.match(/action="\/digitalcheck\/(\d+)\/neu-aus-letztem"/)![1]);
      const res = await anna.post(`/digitalcheck/${last}/neu-aus-letztem`, {}, `/organisationen/${orgId}`);
      assert.equal(res.statusCode, 303);
      const draft = Number(String(res.headers.location).split('/').pop());
      assert.notEqual(draft, last);
      const c = await checkContext(t.db, actor('anna'), draft);
      assert.equal(c.check.status, 'draft');
      assert.equal(c.answers.size, c.questions.length, 'every answer carried over');
      assert.ok([...c.answers.values()].every((a) => a.level === 2));
      let page = await anna.get(`/organisationen/${orgId}`);
      assert.match(page.body, new RegExp(`${c.questions.length} übernommene Antworten sind noch zu prüfen`));
      // Saving one again takes its mark away.
      const q = c.questions[0]!;
      await saveAnswer(t.db, actor('anna'), draft, q.id, {
        value: '3',
        comment: '',
        evidenceUrl: '',
        expectedVersion: c.answers.get(q.id)!.version,
      });
      page = await anna.get(`/organisationen/${orgId}`);
      assert.match(page.body, new RegExp(`${c.questions.length - 1} übernommene Antworten sind noch zu prüfen`));
      // The check's pages mark what is carried over: the overview per question, and the question itself.
      const overview = (await anna.get(`/digitalcheck/${draft}`)).body;
      assert.equal(overview.match(/\(übernommen, zu prüfen\)/g)?.length, c.questions.length - 1);
      const carried = (await anna.get(`/digitalcheck/${draft}/frage/${c.questions[1]!.id}`)).body;
      assert.match(carried, /Diese Antwort ist aus dem letzten Check übernommen/);
      const reviewed = (await anna.get(`/digitalcheck/${draft}/frage/${q.id}`)).body;
      assert.doesNotMatch(reviewed, /aus dem letzten Check übernommen/);
      // Asking again while the draft is open leads to it, nothing copied twice.
      const again = await anna.post(`/digitalcheck/${last}/neu-aus-letztem`, {}, `/organisationen/${orgId}`);
      assert.equal(again.headers.location, `/digitalcheck/${draft}`);
      // Submit better answers: the trend shows the rise; publish the first result.
      await answerAll(draft, () => '4');
      await submitCheck(t.db, actor('anna'), draft);
      await setPublished(t.db, actor('anna'), last, true);
      page = await anna.get(`/organisationen/${orgId}`);
      assert.match(page.body, /Bisherige Ergebnisse/);
      assert.match(page.body, /\+\d+ Punkte/);
      assert.match(page.body, /erster Check/);
      assert.match(page.body, /Veröffentlicht: Ergebnis vom \d\d\.\d\d\.\d{4}/);
    });

    test('only a submitted check is a starting point; only members may use it', async () => {
      const draft = await startCheck(t.db, actor('anna'), orgId);
      const anna = await as('anna');
      const res = await anna.post(`/digitalcheck/${draft}/neu-aus-letztem`, {}, `/organisationen/${orgId}`);
      assert.equal(res.statusCode, 409);
      const advisor = await as('berater');
      const denied = await advisor.post(`/digitalcheck/${draft}/neu-aus-letztem`, {}, `/organisationen/${orgId}`);
      assert.equal(denied.statusCode, 403);
    });
  });
}
