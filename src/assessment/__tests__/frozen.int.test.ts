/**
 * A submitted check is frozen: its result does not change when the register changes afterwards, the
 * database refuses changes to its answers, and submitting is one transaction. A second edit of an answer
 * that somebody changed meanwhile is a conflict, not a lost update.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { requestAccess } from '../../organisations/organisations.service.js';
import { importGv100ad } from '../../register/register.service.js';
import { checkContext, checkResult, saveAnswer, startCheck, submitCheck } from '../assessment.service.js';
import { applicableQuestions, loadModel } from '../model.js';

const noMail = { send: async () => ({}) };
const fixture = (name: string) => fs.readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));

/** Release B with Langenberg (16063021) at 2,100 instead of 1,901 inhabitants: more questions would apply. */
function releaseBWithPopulation(population: number): Buffer {
  const text = fixture('gv100ad/release-b.txt').toString('utf8');
  const lines = text.split('\r\n').map((line) => {
    if (!line.startsWith('6020241231160630215002Langenberg')) return line;
    const field = String(population).padStart(11, '0');
    const at = line.indexOf('00000001901');
    assert.ok(at > 0, 'population field of Langenberg');
    return line.slice(0, at) + field + line.slice(at + 11);
  });
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

for (const kind of databaseKinds()) {
  describe(`frozen results on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let anna = 0;
    let orgId = 0;
    const actor = () => ({ id: anna, email: 'anna@langenberg.example', isPlatformAdmin: false });

    before(async () => {
      t = await createTestDb(kind);
      await importGv100ad(t.db, { fileName: 'release-a.txt', data: fixture('gv100ad/release-a.txt') });
      app = await buildTestApp(t.db);
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      anna = (await createUserWithLoginLink(deps, 'anna@langenberg.example', false)).userId;
      orgId = await requestAccess(deps, actor(), '16063021', '');
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [orgId, anna]);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    async function answerAll(checkId: number, value: (i: number) => string) {
      const ctx = await checkContext(t.db, actor(), checkId);
      for (const [i, q] of ctx.questions.entries()) {
        await saveAnswer(t.db, actor(), checkId, q.id, {
          value: value(i),
          comment: '',
          evidenceUrl: '',
          expectedVersion: ctx.answers.get(q.id)?.version ?? 0,
        });
      }
      return ctx.questions.length;
    }

    test('the result of a submitted check stays exactly as submitted after a register update', async () => {
      const checkId = await startCheck(t.db, actor(), orgId);
      const asked = await answerAll(checkId, (i) => String(i % 5));
      await submitCheck(t.db, actor(), checkId);
      const before = await checkResult(t.db, actor(), checkId, 'de');
      const [stored] = await t.db.query<{ overall: number; population: number; questions: number }>(
        'SELECT overall, population, cardinality(question_ids)::int AS questions FROM checks WHERE id = $1',
        [checkId],
      );
      assert.equal(stored?.population, 1873);
      assert.equal(stored?.questions, asked);
      assert.equal(before.score.overall, stored?.overall);

      // The register now says 2,100 inhabitants: today more questions would apply to Langenberg.
      await importGv100ad(t.db, { fileName: 'release-b.txt', data: releaseBWithPopulation(2100) });
      await settle(app);
      const model = loadModel();
      const today = applicableQuestions(model, { population: 2100, kind: 'gemeinde' }).length;
      assert.ok(today > asked, `more questions apply at 2,100 (${today}) than at 1,873 (${asked})`);

      const afterUpdate = await checkResult(t.db, actor(), checkId, 'de');
      assert.equal(afterUpdate.score.overall, stored?.overall, 'the stored overall score');
      assert.deepEqual(afterUpdate.score, before.score, 'every figure as at submission');
      assert.equal(afterUpdate.ctx.questions.length, asked, 'the questions it was submitted with');
      // The page shows the stored figure too.
      const a = new Agent(app);
      const s = await createSession({ db: t.db, mailer: noMail, publicUrl: '', t: TEST_T }, anna);
      a.cookies.set('kl_session', s.token);
      const page = await a.get(`/digitalcheck/${checkId}/ergebnis`);
      assert.equal(page.statusCode, 200);
      const shown = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 }).format(stored!.overall);
      assert.ok(page.body.includes(shown), `the page shows ${shown}`);
    });

    test('the database refuses changes to the answers of a submitted check; the form says it is frozen', async () => {
      const [check] = await t.db.query<{ id: number }>(
        "SELECT id::int AS id FROM checks WHERE status = 'submitted' LIMIT 1",
      );
      const checkId = check!.id;
      const [answer] = await t.db.query<{ questionId: string }>(
        'SELECT question_id AS "questionId" FROM check_answers WHERE check_id = $1 LIMIT 1',
        [checkId],
      );
      await assert.rejects(
        t.db.query('UPDATE check_answers SET level = 0 WHERE check_id = $1 AND question_id = $2', [
          checkId,
          answer!.questionId,
        ]),
        (err: { code?: string }) => err.code === '23514',
      );
      await assert.rejects(
        t.db.query("INSERT INTO check_answers (check_id, question_id, level) VALUES ($1, 'neu', 1)", [checkId]),
        (err: { code?: string }) => err.code === '23514',
      );
      const a = new Agent(app);
      const s = await createSession({ db: t.db, mailer: noMail, publicUrl: '', t: TEST_T }, anna);
      a.cookies.set('kl_session', s.token);
      const url = `/digitalcheck/${checkId}/frage/${answer!.questionId}`;
      const res = await a.post(url, { version: '1', value: '0' }, url);
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /abgeschickt/);
    });

    test('an answer saved while the check is being submitted either counts or is refused — never lost', async () => {
      const checkId = await startCheck(t.db, actor(), orgId);
      await answerAll(checkId, () => '2');
      const ctx = await checkContext(t.db, actor(), checkId);
      const q = ctx.questions[0]!;
      const version = ctx.answers.get(q.id)!.version;
      const [submit, save] = await Promise.allSettled([
        submitCheck(t.db, actor(), checkId),
        saveAnswer(t.db, actor(), checkId, q.id, {
          value: '4',
          comment: '',
          evidenceUrl: '',
          expectedVersion: version,
        }),
      ]);
      assert.equal(submit.status, 'fulfilled');
      const [row] = await t.db.query<{ level: number }>(
        'SELECT level FROM check_answers WHERE check_id = $1 AND question_id = $2',
        [checkId, q.id],
      );
      const result = await checkResult(t.db, actor(), checkId, 'de');
      const scored = result.score.byDimension[q.dimension]!;
      if (save.status === 'fulfilled') {
        // It landed before the submission locked the check: the stored result includes it.
        assert.equal(row!.level, 4);
      } else {
        assert.equal(row!.level, 2, 'refused after submission: the answer is unchanged');
      }
      assert.ok(scored.answered > 0);
    });

    test('a second edit of an answer somebody changed meanwhile is a conflict (no lost update)', async () => {
      const checkId = await startCheck(t.db, actor(), orgId);
      const ctx = await checkContext(t.db, actor(), checkId);
      const q = ctx.questions[2]!.id;
      const input = (value: string, expectedVersion: number) => ({
        value,
        comment: '',
        evidenceUrl: '',
        expectedVersion,
      });
      const v1 = await saveAnswer(t.db, actor(), checkId, q, input('1', 0));
      assert.ok(v1.ok && v1.version === 1);
      // Two people have loaded version 1; the first saves (version 2) …
      const first = await saveAnswer(t.db, actor(), checkId, q, input('3', 1));
      assert.ok(first.ok && first.version === 2);
      // … the second saves on top of version 1: refused, the current answer comes back.
      const second = await saveAnswer(t.db, actor(), checkId, q, input('0', 1));
      assert.equal(second.ok, false);
      assert.equal(second.ok ? null : second.current?.level, 3);
      const [row] = await t.db.query<{ level: number; version: number }>(
        'SELECT level, version FROM check_answers WHERE check_id = $1 AND question_id = $2',
        [checkId, q],
      );
      assert.deepEqual(row, { level: 3, version: 2 });
    });
  });
}
