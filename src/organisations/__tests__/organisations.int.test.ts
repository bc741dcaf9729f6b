import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import { makeAdvisor } from '../organisations.service.js';

const noMail = { send: async () => ({}) };

for (const kind of databaseKinds()) {
  describe(`organisations on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};

    /** A signed-in agent for the given account (session minted directly; login is tested elsewhere). */
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession({ db: t.db, mailer: noMail, publicUrl: '', t: TEST_T }, ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const memberships = async (orgId: number) =>
      t.db.query<{ userId: number; role: string }>(
        'SELECT user_id::int AS "userId", role FROM memberships WHERE org_id = $1 ORDER BY user_id',
        [orgId],
      );

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      for (const [name, email] of [
        ['anna', 'anna@gemeinde-a.de'],
        ['bert', 'bert@gemeinde-a.de'],
        ['carla', 'carla@gemeinde-b.de'],
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

    let orgA = 0;

    test('request access → the advisor of the Land approves → the member sees the workspace', async () => {
      const anna = await as('anna');
      const form = await anna.get('/organisationen/beitreten?region=16056');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Eisenach/);
      const sent = await anna.post(
        '/organisationen/beitreten?region=16056',
        { note: 'Digitalbeauftragte' },
        '/organisationen/beitreten?region=16056',
      );
      assert.equal(sent.statusCode, 303);
      orgA = Number(String(sent.headers.location).match(/\/organisationen\/(\d+)/)![1]);
      // Not a member yet: she sees that her request is pending, and nothing of the workspace.
      const pending = await anna.get(`/organisationen/${orgA}`);
      assert.equal(pending.statusCode, 200);
      assert.match(
        pending.body,
        /Ihr Antrag vom \d\d\.\d\d\.\d{4} wartet auf Entscheidung durch die Beratung des Kompetenzzentrums für Thüringen/,
      );
      assert.doesNotMatch(pending.body, /Mitglieder/);

      // An advisor of another Land neither sees it in the queue nor may decide.
      const fremd = await as('fremdberater');
      assert.doesNotMatch((await fremd.get('/organisationen')).body, /anna@gemeinde-a\.de/);
      assert.equal((await fremd.get(`/organisationen/${orgA}`)).statusCode, 403);

      const berater = await as('berater');
      const queue = await berater.get('/organisationen');
      assert.match(queue.body, /anna@gemeinde-a\.de/);
      const page = await berater.get(`/organisationen/${orgA}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /gemeinde-a\.de/, 'the request shows the e-mail domain');
      assert.match(page.body, /Digitalbeauftragte/, 'and the note');
      const rid = page.body.match(/antraege\/(\d+)/)![1]!;
      const approve = await berater.post(
        `/organisationen/${orgA}/antraege/${rid}`,
        { decision: 'approve', role: 'admin' },
        `/organisationen/${orgA}`,
      );
      assert.equal(approve.statusCode, 303);
      assert.deepEqual(await memberships(orgA), [{ userId: ids.anna, role: 'admin' }]);
      // Now the workspace has an admin: the advisor can still see it but no longer manage it.
      await (await as('bert')).post(
        '/organisationen/beitreten?region=16056',
        { note: '' },
        '/organisationen/beitreten?region=16056',
      );
      const again = await berater.get(`/organisationen/${orgA}`);
      assert.equal(again.statusCode, 200);
      const rid2 = (await (await as('anna')).get(`/organisationen/${orgA}`)).body.match(/antraege\/(\d+)/)![1]!;
      const denied = await berater.post(
        `/organisationen/${orgA}/antraege/${rid2}`,
        { decision: 'approve', role: 'admin' },
        `/organisationen/${orgA}`,
      );
      assert.equal(denied.statusCode, 403);
      const ok = await (await as('anna')).post(
        `/organisationen/${orgA}/antraege/${rid2}`,
        { decision: 'approve', role: 'member' },
        `/organisationen/${orgA}`,
      );
      assert.equal(ok.statusCode, 303);
      const annaPage = await (await as('anna')).get(`/organisationen/${orgA}`);
      assert.match(annaPage.body, /bert@gemeinde-a\.de/);
    });

    test('privilege escalation: a member cannot make themselves admin, nor act on another workspace', async () => {
      const bert = await as('bert');
      const before = await memberships(orgA);
      const self = await bert.post(
        `/organisationen/${orgA}/mitglieder/${ids.bert}`,
        { action: 'admin' },
        `/organisationen/${orgA}`,
      );
      assert.equal(self.statusCode, 403);
      const kick = await bert.post(
        `/organisationen/${orgA}/mitglieder/${ids.anna}`,
        { action: 'remove' },
        `/organisationen/${orgA}`,
      );
      assert.equal(kick.statusCode, 403);
      const invite = await bert.post(
        `/organisationen/${orgA}/einladungen`,
        { email: 'x@example.org', role: 'admin' },
        `/organisationen/${orgA}`,
      );
      assert.equal(invite.statusCode, 403);
      assert.deepEqual(await memberships(orgA), before);
      // Carla asks for another Kreis; Bert (member of A) may not decide there.
      const carla = await as('carla');
      const sent = await carla.post(
        '/organisationen/beitreten?region=16063',
        { note: '' },
        '/organisationen/beitreten?region=16063',
      );
      const orgB = Number(String(sent.headers.location).match(/\/organisationen\/(\d+)/)![1]);
      assert.equal((await bert.get(`/organisationen/${orgB}`)).statusCode, 403);
      const rows = await t.db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
        orgB,
      ]);
      const cross = await bert.post(
        `/organisationen/${orgB}/antraege/${rows[0]!.id}`,
        { decision: 'approve', role: 'admin' },
        `/organisationen/${orgA}`,
      );
      assert.equal(cross.statusCode, 403);
      // A request id of B through A's URL is not found there.
      const mixed = await (await as('anna')).post(
        `/organisationen/${orgA}/antraege/${rows[0]!.id}`,
        { decision: 'approve', role: 'admin' },
        `/organisationen/${orgA}`,
      );
      assert.equal(mixed.statusCode, 404);
      assert.deepEqual(await memberships(orgB), []);
      // Acting for an organisation one does not belong to is refused.
      const act = await bert.post('/organisationen/handeln', { org: String(orgB) }, '/organisationen');
      assert.equal(act.statusCode, 403);
    });

    test('acting for one organisation at a time, shown in the header', async () => {
      const anna = await as('anna');
      const res = await anna.post('/organisationen/handeln', { org: String(orgA) }, '/organisationen');
      assert.equal(res.statusCode, 303);
      assert.match((await anna.get('/')).body, /Sie handeln für: <strong>Eisenach, Stadt<\/strong>/);
    });

    test('invitations by e-mail link, for the invited address only', async () => {
      const anna = await as('anna');
      const inv = await anna.post(
        `/organisationen/${orgA}/einladungen`,
        { email: 'Carla@gemeinde-b.de', role: 'member' },
        `/organisationen/${orgA}`,
      );
      assert.equal(inv.statusCode, 303);
      const mail = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE kind = 'invitation' AND to_address = 'carla@gemeinde-b.de'",
      );
      const path = mail[0]!.body.match(/(\/einladung\?token=[A-Za-z0-9_-]+)/)![1]!;
      const bert = await as('bert');
      const wrong = await bert.post('/einladung', { token: path.split('=')[1]! }, path);
      assert.equal(wrong.statusCode, 403, 'only the invited address may accept');
      const carla = await as('carla');
      const ok = await carla.post('/einladung', { token: path.split('=')[1]! }, path);
      assert.equal(ok.statusCode, 303);
      assert.ok((await memberships(orgA)).some((m) => m.userId === ids.carla && m.role === 'member'));
      assert.equal((await carla.get(path)).statusCode, 410, 'single use');
    });

    test('a workspace never ends up without a way to administer it', async () => {
      const anna = await as('anna');
      const leave = await anna.post(`/organisationen/${orgA}/verlassen`, {}, `/organisationen/${orgA}`);
      assert.equal(leave.statusCode, 409, 'the only admin cannot leave while others remain');
      const demote = await anna.post(
        `/organisationen/${orgA}/mitglieder/${ids.anna}`,
        { action: 'member' },
        `/organisationen/${orgA}`,
      );
      assert.equal(demote.statusCode, 409);
      // Transfer: make Bert admin, then Anna may step down and leave.
      assert.equal(
        (
          await anna.post(
            `/organisationen/${orgA}/mitglieder/${ids.bert}`,
            { action: 'admin' },
            `/organisationen/${orgA}`,
          )
        ).statusCode,
        303,
      );
      assert.equal(
        (await anna.post(`/organisationen/${orgA}/verlassen`, {}, `/organisationen/${orgA}`)).statusCode,
        303,
      );
      const roles = await memberships(orgA);
      assert.ok(roles.some((m) => m.userId === ids.bert && m.role === 'admin'));
      assert.ok(!roles.some((m) => m.userId === ids.anna));
    });

    test("organisation admins see their organisation's audit log, others do not", async () => {
      const bert = await as('bert'); // admin of A since the hand-over
      const log = await bert.get(`/organisationen/${orgA}/protokoll`);
      assert.equal(log.statusCode, 200);
      assert.match(log.body, /membership\.(create|update|leave)/);
      assert.match(log.body, /access-request\.approve/);
      const csv = await bert.get(`/organisationen/${orgA}/protokoll.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      const rows = csv.body.trim().split(/\r?\n/).slice(1);
      assert.ok(rows.length >= 5, `${rows.length} entries`);
      const entries = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log WHERE org_id = $1 AND request_id IS NOT NULL',
        [orgA],
      );
      assert.ok(entries[0]!.n >= 5, 'every change carries its request id');
      // Carla is a plain member: no access to the log.
      assert.equal((await (await as('carla')).get(`/organisationen/${orgA}/protokoll`)).statusCode, 403);
    });

    test('a platform admin creates a provider organisation with its first admin', async () => {
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      const admin = await createUserWithLoginLink(deps, 'plattform@example.org', true);
      ids.plattform = admin.userId;
      const a = await as('plattform');
      const list = await a.get('/admin/organisationen');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Eisenach/);
      const bad = await a.post(
        '/admin/organisationen',
        { name: 'OpenRathaus GmbH', adminEmail: 'niemand@example.org' },
        '/admin/organisationen',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /OpenRathaus GmbH/, 'the form keeps what was typed');
      const ok = await a.post(
        '/admin/organisationen',
        { name: 'OpenRathaus GmbH', adminEmail: 'carla@gemeinde-b.de' },
        '/admin/organisationen',
      );
      assert.equal(ok.statusCode, 303);
      // Its one member in the right number (not "1 Mitglieder").
      const after = (await a.get('/admin/organisationen')).body;
      assert.match(after, /OpenRathaus GmbH<\/a> – [^,<]+, 1 Mitglied,/);
      assert.doesNotMatch(after, /\b1 Mitglieder\b/);
      const id = Number(String(ok.headers.location).split('/').pop());
      const rows = await t.db.query<{ kind: string; role: string }>(
        'SELECT o.kind, m.role FROM organisations o JOIN memberships m ON m.org_id = o.id WHERE o.id = $1',
        [id],
      );
      assert.deepEqual(rows, [{ kind: 'provider', role: 'admin' }]);
      assert.equal((await (await as('bert')).get('/admin/organisationen')).statusCode, 403);
    });

    test('SQL injection and XSS in the note are stored as text and escaped', async () => {
      const carla = await as('carla');
      const note = `'); DROP TABLE memberships; -- <script>alert(1)</script>`;
      const res = await carla.post(
        '/organisationen/beitreten?region=16061',
        { note },
        '/organisationen/beitreten?region=16061',
      );
      assert.equal(res.statusCode, 303);
      const orgC = Number(String(res.headers.location).match(/\/organisationen\/(\d+)/)![1]);
      const berater = await as('berater');
      const page = await berater.get(`/organisationen/${orgC}`);
      assert.doesNotMatch(page.body, /<script>alert/);
      assert.match(page.body, /&lt;script>alert\(1\)&lt;\/script>/, 'shown as text');
      assert.ok((await memberships(orgA)).length > 0, 'memberships still there');
    });

    test('nobody decides their own request: not an advisor, not a platform admin (even without an admin)', async () => {
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      ids.plattform = (await createUserWithLoginLink(deps, 'plattform@example.org', true)).userId;
      // A workspace nobody administers (Wartburgkreis, Thüringen): the advisor asks for access to it …
      const berater = await as('berater');
      const sent = await berater.post(
        '/organisationen/beitreten?region=16063',
        { note: '' },
        '/organisationen/beitreten?region=16063',
      );
      assert.equal(sent.statusCode, 303);
      const org = Number(String(sent.headers.location).match(/\/organisationen\/(\d+)/)![1]);
      const [req] = await t.db.query<{ id: number }>(
        "SELECT id::int AS id FROM access_requests WHERE org_id = $1 AND user_id = $2 AND status = 'open'",
        [org, ids.berater],
      );
      // … and may not approve it (the workspace page offers no decision either).
      const page = await berater.get(`/organisationen/${org}`);
      assert.doesNotMatch(page.body, new RegExp(`antraege/${req!.id}`));
      const own = await berater.post(
        `/organisationen/${org}/antraege/${req!.id}`,
        { decision: 'approve' },
        `/organisationen/${org}`,
      );
      assert.equal(own.statusCode, 403);
      assert.match(own.body, /Über den eigenen Antrag entscheidet niemand selbst/);
      assert.deepEqual(await memberships(org), [], 'no membership came from it');
      // The same for a platform admin on a workspace with an active admin.
      const admin = await as('plattform');
      await admin.post(
        `/organisationen/beitreten?region=16056`,
        { note: '' },
        '/organisationen/beitreten?region=16056',
      );
      const [mine] = await t.db.query<{ id: number }>(
        "SELECT id::int AS id FROM access_requests WHERE org_id = $1 AND user_id = $2 AND status = 'open'",
        [orgA, ids.plattform],
      );
      assert.ok(mine);
      const selfApproved = await admin.post(
        `/organisationen/${orgA}/antraege/${mine.id}`,
        { decision: 'approve' },
        `/organisationen/${orgA}`,
      );
      assert.equal(selfApproved.statusCode, 403);
      assert.ok(!(await memberships(orgA)).some((m) => m.userId === ids.plattform));
      // Another person who manages it may decide: the other advisor of Thüringen is not there, so the platform
      // admin decides the advisor's request (and the decision is audited).
      const decided = await admin.post(
        `/organisationen/${org}/antraege/${req!.id}`,
        { decision: 'approve' },
        `/organisationen/${org}`,
      );
      assert.equal(decided.statusCode, 303);
      const [entry] = await t.db.query<{ actor: number }>(
        "SELECT actor_user_id::int AS actor FROM audit_log WHERE action = 'access-request.approve' AND entity_id = $1",
        [String(req!.id)],
      );
      assert.equal(entry?.actor, ids.plattform);
    });

    test('two first access requests for the same region at the same moment: no 500, one workspace', async () => {
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      const people = await Promise.all(
        [1, 2, 3, 4].map(
          async (i) => (await createUserWithLoginLink(deps, `gleichzeitig${i}@gemeinde.example`, false)).userId,
        ),
      );
      const agents = await Promise.all(
        people.map(async (id) => {
          const a = new Agent(app);
          const s = await createSession({ db: t.db, mailer: noMail, publicUrl: '', t: TEST_T }, id);
          a.cookies.set('kl_session', s.token);
          return a;
        }),
      );
      const forms = await Promise.all(agents.map((a) => a.get('/organisationen/beitreten?region=16064')));
      const results = await Promise.all(
        agents.map((a, i) =>
          a.post('/organisationen/beitreten?region=16064', {
            note: '',
            _csrf: forms[i]!.body.match(/name="_csrf" value="([^"]+)"/)![1]!,
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.statusCode),
        [303, 303, 303, 303],
      );
      const orgs = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM organisations WHERE region_key = '16064'",
      );
      assert.equal(orgs[0]!.n, 1);
      const requests = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM access_requests r JOIN organisations o ON o.id = r.org_id WHERE o.region_key = '16064'",
      );
      assert.equal(requests[0]!.n, 4);
      // The same person twice at once: one open request.
      const twice = await Promise.all(
        [0, 1].map(() =>
          agents[0]!.post('/organisationen/beitreten?region=16065', {
            note: 'doppelt',
            _csrf: forms[0]!.body.match(/name="_csrf" value="([^"]+)"/)![1]!,
          }),
        ),
      );
      assert.deepEqual(
        twice.map((r) => r.statusCode),
        [303, 303],
      );
    });

    test('the invitation audit entry names the invitation, not the organisation', async () => {
      await t.db.query(
        `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')
         ON CONFLICT (org_id, user_id) DO UPDATE SET role = 'admin'`,
        [orgA, ids.anna],
      );
      const anna = await as('anna');
      const page = await anna.get(`/organisationen/${orgA}`);
      const res = await anna.post(`/organisationen/${orgA}/einladungen`, {
        email: 'eingeladen@gemeinde-a.de',
        role: 'member',
        _csrf: page.body.match(/name="_csrf" value="([^"]+)"/)![1]!,
      });
      assert.equal(res.statusCode, 303);
      const [inv] = await t.db.query<{ id: number }>(
        "SELECT id::int AS id FROM invitations WHERE email = 'eingeladen@gemeinde-a.de'",
      );
      const [entry] = await t.db.query<{ entityId: string; orgId: number }>(
        `SELECT entity_id AS "entityId", org_id::int AS "orgId" FROM audit_log WHERE action = 'invitation.create' ORDER BY id DESC LIMIT 1`,
      );
      assert.equal(entry?.entityId, String(inv!.id));
      assert.equal(entry?.orgId, orgA);
    });
  });
}
