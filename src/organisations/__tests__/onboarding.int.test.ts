import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import { landing } from '../find.pages.js';
import { makeAdvisor, sendAccessReminders } from '../organisations.service.js';

const noMail = { send: async () => ({}) };
const PUBLIC = 'https://lotse.example';

/**
 * Onboarding (issue 8): mails to the deciders and the applicant, the reminder after three working days, the
 * profile that never offers a second request, the landing after sign-in, and the only admin.
 */
for (const kind of databaseKinds()) {
  describe(`onboarding on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    // Friday, 5 December 2025, 10:00 UTC: the clock the app and the reminder job run on.
    let now = new Date('2025-12-05T10:00:00Z');
    const clock = () => now;

    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession({ db: t.db, mailer: noMail, publicUrl: '', t: TEST_T }, ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const mails = (kind: string) =>
      t.db.query<{ to: string; subject: string; body: string }>(
        'SELECT to_address AS to, subject, body_text AS body FROM mail_outbox WHERE kind = $1 ORDER BY id',
        [kind],
      );
    const requestTo = async (who: string, region: string, note = '') => {
      const res = await (await as(who)).post(
        `/organisationen/beitreten?region=${region}`,
        { note },
        `/organisationen/beitreten?region=${region}`,
      );
      assert.equal(res.statusCode, 303, `request of ${who}`);
      return Number(String(res.headers.location).match(/\/organisationen\/(\d+)/)![1]);
    };
    const requestId = async (orgId: number, who: string) =>
      (
        await t.db.query<{ id: number }>(
          "SELECT id::int AS id FROM access_requests WHERE org_id = $1 AND user_id = $2 AND status = 'open'",
          [orgId, ids[who]],
        )
      )[0]!.id;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC, ACCESS_REMINDER_CHECK_MINUTES: '0' }, clock);
      const deps = { db: t.db, mailer: noMail, publicUrl: PUBLIC, t: TEST_T };
      for (const [name, email] of [
        ['anna', 'anna@eisenach.example'],
        ['bert', 'bert@eisenach.example'],
        ['carla', 'carla@eisenach.example'],
        ['neu', 'neu@gemeinde.example'],
        ['berater', 'berater@zentrum.example'],
        ['fremdberater', 'fremd@zentrum.example'],
      ] as const) {
        ids[name] = (await createUserWithLoginLink(deps, email, false)).userId;
      }
      await makeAdvisor(t.db, ids.berater!, '16'); // Thüringen
      await makeAdvisor(t.db, ids.fremdberater!, '09'); // Bayern
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    let org = 0;

    test('a new request is mailed to the advisors of the Land (no admin yet), with the note; they see the note', async () => {
      org = await requestTo('anna', '16056', 'Digitalbeauftragte der Stadt');
      await settle(app);
      const sent = await mails('access-request');
      assert.deepEqual(
        sent.map((m) => m.to),
        ['berater@zentrum.example'],
        'to the advisor of Thüringen only, not to the one of Bayern',
      );
      assert.match(sent[0]!.subject, /Neuer Antrag auf Zugang/);
      assert.match(sent[0]!.body, /anna@eisenach\.example/);
      assert.match(sent[0]!.body, /Digitalbeauftragte der Stadt/);
      assert.match(sent[0]!.body, new RegExp(`${PUBLIC}/organisationen/${org}\\b`), 'link from BASE_URL');
      // The advisor's queue shows the applicant's note.
      const queue = await (await as('berater')).get('/organisationen');
      assert.match(queue.body, /anna@eisenach\.example/);
      assert.match(queue.body, /Digitalbeauftragte der Stadt/);
      // Asking again while the request is open sends nothing new.
      await (await as('anna')).post(
        '/organisationen/beitreten?region=16056',
        { note: 'noch einmal' },
        '/organisationen',
      );
      assert.equal((await mails('access-request')).length, 1);
    });

    test('the applicant sees the pending request on /organisationen and on the profile, never a second offer', async () => {
      const anna = await as('anna');
      const overview = await anna.get('/organisationen');
      assert.match(
        overview.body,
        /Ihr Antrag vom 05\.12\.2025 wartet auf Entscheidung durch die Beratung des Kompetenzzentrums für Thüringen/,
      );
      const profile = await anna.get('/kommunen/16056');
      assert.equal(profile.statusCode, 200);
      assert.match(profile.body, /Ihr Antrag vom 05\.12\.2025 wartet auf Entscheidung/);
      assert.doesNotMatch(profile.body, /beitreten\?region=/, 'no "Zugang beantragen" while a request is open');
      // The request form itself leads back to the workspace page (which says the request waits).
      const form = await anna.get('/organisationen/beitreten?region=16056');
      assert.equal(form.statusCode, 303);
      assert.equal(form.headers.location, `/organisationen/${org}`);
      // Someone else is offered the request.
      assert.match((await (await as('bert')).get('/kommunen/16056')).body, /beitreten\?region=16056/);
      assert.match((await new Agent(app).get('/kommunen/16056')).body, /beitreten\?region=16056/);
    });

    test('no reminder before three working days; one reminder after them, sent once', async () => {
      const reminders = () =>
        sendAccessReminders({ db: t.db, mailer: app.platform.mailer, publicUrl: PUBLIC, t: TEST_T, now: clock });
      // Friday 10:00 → Tuesday 10:00 is two working days (Monday, Tuesday): nothing yet.
      now = new Date('2025-12-09T09:59:00Z');
      assert.equal(await reminders(), 0);
      assert.equal((await mails('access-reminder')).length, 0);
      // Wednesday 10:00: three working days.
      now = new Date('2025-12-10T10:00:00Z');
      assert.equal(await reminders(), 1);
      const sent = await mails('access-reminder');
      assert.deepEqual(
        sent.map((m) => m.to),
        ['berater@zentrum.example'],
      );
      assert.match(sent[0]!.body, /05\.12\.2025/);
      assert.match(sent[0]!.body, new RegExp(`${PUBLIC}/organisationen/${org}\\b`));
      // Once only.
      now = new Date('2025-12-17T10:00:00Z');
      assert.equal(await reminders(), 0);
      assert.equal((await mails('access-reminder')).length, 1);
    });

    test('the decision is mailed to the applicant; the member is offered the workspace, not a request', async () => {
      const berater = await as('berater');
      const rid = await requestId(org, 'anna');
      const decided = await berater.post(
        `/organisationen/${org}/antraege/${rid}`,
        { decision: 'approve', role: 'admin' },
        `/organisationen/${org}`,
      );
      assert.equal(decided.statusCode, 303);
      await settle(app);
      const sent = await mails('access-decision');
      assert.deepEqual(
        sent.map((m) => m.to),
        ['anna@eisenach.example'],
      );
      assert.match(sent[0]!.subject, /Zugang erteilt/);
      assert.match(sent[0]!.body, new RegExp(`${PUBLIC}/organisationen/${org}\\b`));
      const profile = await (await as('anna')).get('/kommunen/16056');
      assert.match(profile.body, new RegExp(`href="/organisationen/${org}"[^>]*>Zum Arbeitsbereich`));
      assert.doesNotMatch(profile.body, /beitreten\?region=/);
      // The workspace links the profile by name, not by a bare key.
      const home = (await (await as('anna')).get(`/organisationen/${org}`)).body;
      assert.match(home, /Öffentliches Profil von [^<]+ im Register/);
      assert.doesNotMatch(home, /Kommunen: \d/);
    });

    test('with an admin, a new request goes to the admins (not the advisors); a rejection is mailed too', async () => {
      now = new Date('2025-12-18T10:00:00Z');
      await requestTo('bert', '16056', 'Kämmerei');
      await settle(app);
      const sent = await mails('access-request');
      assert.equal(sent.length, 2);
      assert.equal(sent[1]!.to, 'anna@eisenach.example');
      assert.match(
        (await (await as('bert')).get('/organisationen')).body,
        /Ihr Antrag vom 18\.12\.2025 wartet auf Entscheidung durch die Administration des Arbeitsbereichs/,
      );
      const rid = await requestId(org, 'bert');
      await (await as('anna')).post(
        `/organisationen/${org}/antraege/${rid}`,
        { decision: 'reject', role: 'member' },
        `/organisationen/${org}`,
      );
      await settle(app);
      const decisions = await mails('access-decision');
      assert.equal(decisions.at(-1)!.to, 'bert@eisenach.example');
      assert.match(decisions.at(-1)!.subject, /Antrag abgelehnt/);
    });

    test('the only admin is not offered to demote or remove themselves; the server says why, on the page', async () => {
      // Carla joins as member so that Anna's leaving would orphan the workspace.
      await requestTo('carla', '16056');
      const rid = await requestId(org, 'carla');
      await (await as('anna')).post(
        `/organisationen/${org}/antraege/${rid}`,
        { decision: 'approve', role: 'member' },
        `/organisationen/${org}`,
      );
      const anna = await as('anna');
      const page = await anna.get(`/organisationen/${org}`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, new RegExp(`mitglieder/${ids.anna}"`), 'no form to change her own role');
      assert.match(page.body, new RegExp(`mitglieder/${ids.carla}"`), 'the other member can be changed');
      assert.doesNotMatch(page.body, /verlassen"/, 'no leave button');
      assert.match(page.body, /Sie sind die einzige Administration/);
      // Posted anyway: the workspace page with the reason, not a bare conflict page.
      for (const [url, form] of [
        [`/organisationen/${org}/mitglieder/${ids.anna}`, { action: 'member' }],
        [`/organisationen/${org}/mitglieder/${ids.anna}`, { action: 'remove' }],
        [`/organisationen/${org}/verlassen`, {}],
      ] as const) {
        const res = await anna.post(url, form, '/organisationen');
        assert.equal(res.statusCode, 409, url);
        assert.match(res.body, /<h1 class="kern-heading-large">Eisenach/, 'the workspace page');
        assert.match(res.body, /error-summary/);
        assert.match(res.body, /einzige Administration/);
      }
    });

    test('after sign-in without a return target: no workspace → "Ihre Kommune finden"', async () => {
      assert.equal(await landing(t, ids.neu!), '/kommune-finden');
      assert.equal(await landing(t, ids.bert!), '/kommune-finden', 'rejected: no workspace');
      assert.equal(await landing(t, ids.anna!), null, 'a member: the account page');
      const neu = await as('neu');
      const find = await neu.get('/kommune-finden?q=Eisenach');
      assert.equal(find.statusCode, 200);
      assert.match(find.body, /<h1 class="kern-heading-large">Ihre Kommune finden/);
      assert.match(find.body, /href="\/organisationen\/beitreten\?region=16056"/);
      // A member finds the way to the workspace instead.
      assert.match((await (await as('anna')).get('/kommune-finden?q=Eisenach')).body, /Zum Arbeitsbereich/);
    });
  });
}
