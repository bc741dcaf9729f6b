import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createApiToken } from '../../../identity/api-tokens.service.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { makeAdvisor } from '../../../organisations/index.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import type { Notification } from '../../contract.js';
import * as svc from '../inquiries.service.js';

/**
 * Inquiries through their pages on both databases: the platform admin sets up teams and a rule; Eisenach (Thüringen)
 * asks with an attachment and is routed round robin in the Thüringen team, acknowledged by mail; every state
 * transition with its access rule (Erfurt's members, Bayern's advisor and Hessen's members never see it; members
 * never see notes); stale forms are 409; the rating once; the queue; escalation once; the API.
 */
const PDF = Buffer.from('%PDF-1.4\n%test\n');

function multipart(fields: Record<string, string>, files: { name: string; filename: string; bytes: Buffer }[] = []) {
  const boundary = '----kl-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

for (const kind of databaseKinds()) {
  describe(`inquiries on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const orgs: Record<string, number> = {};
    const deps = () => ({
      db: t.db,
      mailer: { send: async () => ({ id: 0 }) },
      publicUrl: 'http://localhost',
      t: TEST_T,
    });
    const sent: Notification[] = [];
    let now = new Date('2026-06-03T08:00:00Z');
    const sdeps = (): svc.InquiryDeps => ({
      db: t.db,
      now: () => now,
      notifier: { notify: async (n) => void sent.push(n) },
      t: TEST_T,
    });
    const actor = (name: string) => ({
      id: ids[name]!,
      email: `${name}@example.org`,
      isPlatformAdmin: name === 'admin',
    });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const inquiry = async (id: number) =>
      (
        await t.db.query<{ status: string; version: number; assignee: number | null; first: Date | null }>(
          `SELECT status, version, assignee_user_id::int AS assignee, first_answered_at AS first
           FROM desk_inquiries WHERE id = $1`,
          [id],
        )
      )[0]!;
    const history = async (id: number) =>
      (
        await t.db.query<{ s: string }>(
          "SELECT coalesce(from_status, '-') || '>' || to_status AS s FROM desk_inquiry_history WHERE inquiry_id = $1 ORDER BY id",
          [id],
        )
      ).map((r) => r.s);
    let thTeam = 0;
    let first = 0;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db, undefined, {}, () => now);
      for (const name of ['anna', 'bert', 'hans', 'thea', 'theo', 'bayer', 'admin', 'niemand']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, name === 'admin')).userId;
      }
      for (const [name, region, user] of [
        ['eisenach', '16056', 'anna'],
        ['erfurt', '16051', 'bert'],
        ['darmstadt', '06411', 'hans'],
      ] as const) {
        orgs[name] = (
          await t.db.query<{ id: number }>(
            "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, $2) RETURNING id::int AS id",
            [region, name],
          )
        )[0]!.id;
        await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
          orgs[name],
          ids[user],
        ]);
      }
      await makeAdvisor(t.db, ids.thea!, '16');
      await makeAdvisor(t.db, ids.theo!, '16');
      await makeAdvisor(t.db, ids.bayer!, '09');
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('platform admins set up teams and rules; nobody else may', async () => {
      const admin = await as('admin');
      assert.equal(
        (await admin.post('/beratung/teams', { name: 'Bund', national: '1' }, '/beratung/teams')).statusCode,
        303,
      );
      const res = await admin.post('/beratung/teams', { name: 'Thüringen' }, '/beratung/teams');
      assert.equal(res.statusCode, 303);
      thTeam = Number(/teams\/(\d+)/.exec(String(res.headers.location))![1]);
      for (const who of ['thea', 'theo']) {
        const r = await admin.post(
          `/beratung/teams/${thTeam}/mitglieder`,
          { email: `${who}@example.org` },
          `/beratung/teams/${thTeam}`,
        );
        assert.equal(r.statusCode, 303);
      }
      // Only advisors join a team; the form keeps what was typed.
      const bad = await admin.post(
        `/beratung/teams/${thTeam}/mitglieder`,
        { email: 'anna@example.org' },
        `/beratung/teams/${thTeam}`,
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /value="anna@example.org"/);
      assert.equal(
        (
          await admin.post(
            `/beratung/teams/${thTeam}`,
            { name: 'Thüringen', lead: String(ids.thea) },
            `/beratung/teams/${thTeam}`,
          )
        ).statusCode,
        303,
      );
      assert.equal(
        (await admin.post('/beratung/regeln', { state: '16', sector: '', team: String(thTeam) }, '/beratung/regeln'))
          .statusCode,
        303,
      );
      const thea = await as('thea');
      assert.equal((await thea.get('/beratung/teams')).statusCode, 403);
      assert.equal((await thea.get('/beratung/regeln')).statusCode, 403);
    });

    test('a member asks with an attachment from a measure: routed round robin in the Land’s team, acknowledged by mail', async () => {
      const anna = await as('anna');
      const form = await anna.get('/beratung/neu?kontext=measure&ref=digitalbeauftragte-benennen');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Zur Maßnahme/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const ask = async (subject: string, files: { name: string; filename: string; bytes: Buffer }[] = []) => {
        const mp = multipart(
          {
            _csrf: csrf,
            org: String(orgs.eisenach),
            subject,
            body: 'Wie gehen wir die Ausschreibung an?',
            sector: 'verwaltung',
            urgency: 'normal',
            kontext: 'measure',
            ref: 'digitalbeauftragte-benennen',
          },
          files,
        );
        return app.inject({
          method: 'POST',
          url: '/beratung/neu',
          headers: { cookie: anna.cookieHeader(), 'content-type': mp.type, accept: 'text/html' },
          payload: mp.body,
        });
      };
      // A file that is not what it claims is refused, and the typed text is kept.
      const refused = await ask('Ausschreibung', [
        { name: 'files', filename: 'plan.pdf', bytes: Buffer.from('MZ\u0000\u0001') },
      ]);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /keine PDF-/);
      assert.match(refused.body, /value="Ausschreibung"/);

      const res = await ask('Ausschreibung', [{ name: 'files', filename: 'plan.pdf', bytes: PDF }]);
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      first = Number(/anfragen\/(\d+)/.exec(String(res.headers.location))![1]);
      const row = await inquiry(first);
      assert.equal(row.status, 'assigned');
      const firstAssignee = row.assignee;
      assert.ok(firstAssignee === ids.thea || firstAssignee === ids.theo);
      assert.deepEqual(await history(first), ['->new', 'new>assigned']);
      const [due] = await t.db.query<{ due: Date }>(
        'SELECT first_answer_due_at AS due FROM desk_inquiries WHERE id = $1',
        [first],
      );
      // Wednesday 3 June 2026 in Thüringen (no Fronleichnam): due Friday 5 June at the same time.
      assert.equal(due!.due.toISOString(), '2026-06-05T08:00:00.000Z');
      const mails = await t.db.query<{ subject: string; body: string }>(
        "SELECT subject, body_text AS body FROM mail_outbox WHERE to_address = 'anna@example.org'",
      );
      assert.ok(mails.some((m) => m.subject === `Ihre Anfrage Nr. ${first} ist eingegangen`));
      assert.ok(mails.every((m) => !m.body.includes('%PDF')));

      const second = Number(/anfragen\/(\d+)/.exec(String((await ask('Zweite Frage')).headers.location))![1]);
      const other = (await inquiry(second)).assignee;
      assert.ok(other !== null && other !== firstAssignee, 'round robin: the other member');
      const third = Number(/anfragen\/(\d+)/.exec(String((await ask('Dritte Frage')).headers.location))![1]);
      assert.equal((await inquiry(third)).assignee, firstAssignee, 'and back to the first');
    });

    test('with nobody available in the team the inquiry stays new for the team; without a rule the national team gets it', async () => {
      await t.db.query('UPDATE desk_team_members SET available = false WHERE team_id = $1', [thTeam]);
      const id = await svc.ask(sdeps(), actor('anna'), orgs.eisenach!, {
        subject: 'Urlaubszeit',
        body: 'Niemand ist da, oder?',
        sector: 'bildung',
        urgency: 'low',
        context: null,
      });
      const [r] = await t.db.query<{ status: string; team: number }>(
        'SELECT status, team_id::int AS team FROM desk_inquiries WHERE id = $1',
        [id],
      );
      assert.deepEqual(r, { status: 'new', team: thTeam });
      await t.db.query('UPDATE desk_team_members SET available = true WHERE team_id = $1', [thTeam]);
      const hessen = await svc.ask(sdeps(), actor('hans'), orgs.darmstadt!, {
        subject: 'Aus Hessen',
        body: 'Eine Frage aus Darmstadt.',
        sector: 'verwaltung',
        urgency: 'normal',
        context: null,
      });
      const [h] = await t.db.query<{ status: string; national: boolean }>(
        'SELECT i.status, t.is_national AS national FROM desk_inquiries i JOIN desk_teams t ON t.id = i.team_id WHERE i.id = $1',
        [hessen],
      );
      assert.deepEqual(h, { status: 'new', national: true });
      // An advisor of Bayern never reads Hessen's inquiry; Thüringen's advisors neither.
      for (const who of ['bayer', 'thea', 'anna'])
        assert.equal((await (await as(who)).get(svc.inquiryPath(hessen))).statusCode, 404, who);
      assert.equal((await (await as('hans')).get(svc.inquiryPath(hessen))).statusCode, 200);
    });

    test('who sees an inquiry: its workspace and the advisors of its Land; never another workspace or Land', async () => {
      const url = svc.inquiryPath(first);
      for (const [who, status] of [
        ['anna', 200],
        ['thea', 200],
        ['theo', 200],
        ['bert', 404],
        ['hans', 404],
        ['bayer', 404],
        ['niemand', 404],
        ['admin', 404],
      ] as const) {
        assert.equal((await (await as(who)).get(url)).statusCode, status, who);
      }
      const file = await t.db.query<{ id: number }>(
        'SELECT id::int AS id FROM desk_inquiry_attachments WHERE inquiry_id = $1',
        [first],
      );
      assert.equal((await (await as('anna')).get(`${url}/anhaenge/${file[0]!.id}`)).statusCode, 200);
      assert.equal((await (await as('bert')).get(`${url}/anhaenge/${file[0]!.id}`)).statusCode, 404);
      assert.equal((await (await as('bayer')).get(`${url}/anhaenge/${file[0]!.id}`)).statusCode, 404);
      // The overview lists one's own workspace's inquiries only.
      assert.match((await (await as('anna')).get('/beratung')).body, /Ausschreibung/);
      assert.doesNotMatch((await (await as('bert')).get('/beratung')).body, /Ausschreibung/);
    });

    test('internal notes: advisors only; members cannot write them and never see them', async () => {
      const url = svc.inquiryPath(first);
      const thea = await as('thea');
      assert.equal((await thea.post(`${url}/notiz`, { noteBody: 'Geheime Einschätzung' }, url)).statusCode, 303);
      assert.match((await thea.get(url)).body, /Geheime Einschätzung/);
      const anna = await as('anna');
      assert.doesNotMatch((await anna.get(url)).body, /Geheime Einschätzung/);
      assert.equal((await anna.post(`${url}/notiz`, { noteBody: 'Ich auch' }, url)).statusCode, 403);
      assert.equal((await (await as('bayer')).post(`${url}/notiz`, { noteBody: 'x' }, '/beratung')).statusCode, 404);
    });

    test('every transition in the history, with its access rule; a stale form is a 409 and keeps the text', async () => {
      const url = svc.inquiryPath(first);
      const thea = await as('thea');
      const anna = await as('anna');
      let v = (await inquiry(first)).version;
      // assigned → in_progress (advisor); members and Bayern may not.
      assert.equal(
        (await anna.post(`${url}/status`, { version: String(v), status: 'in_progress' }, url)).statusCode,
        403,
      );
      assert.equal(
        (await (await as('bayer')).post(`${url}/status`, { version: String(v), status: 'in_progress' }, '/beratung'))
          .statusCode,
        404,
      );
      assert.equal(
        (await thea.post(`${url}/status`, { version: String(v), status: 'in_progress' }, url)).statusCode,
        303,
      );
      // The same stale form again: 409.
      const stale = await thea.post(`${url}/antworten`, { version: String(v), body: 'Meine lange Antwort' }, url);
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /inzwischen geändert/);
      assert.match(stale.body, /Meine lange Antwort/);
      // A transition the machine does not allow.
      v = (await inquiry(first)).version;
      assert.equal((await thea.post(`${url}/status`, { version: String(v), status: 'new' }, url)).statusCode, 409);
      // in_progress → waiting → (municipality replies) in_progress
      assert.equal((await thea.post(`${url}/status`, { version: String(v), status: 'waiting' }, url)).statusCode, 303);
      v = (await inquiry(first)).version;
      assert.equal(
        (await anna.post(`${url}/antworten`, { version: String(v), body: 'Hier die Unterlagen.' }, url)).statusCode,
        303,
      );
      assert.equal((await inquiry(first)).status, 'in_progress');
      // The advisor answers: answered, first answer set once.
      now = new Date('2026-06-04T09:00:00Z');
      v = (await inquiry(first)).version;
      assert.equal(
        (await thea.post(`${url}/antworten`, { version: String(v), body: 'So geht es.' }, url)).statusCode,
        303,
      );
      const answered = await inquiry(first);
      assert.equal(answered.status, 'answered');
      assert.equal(answered.first?.toISOString(), '2026-06-04T09:00:00.000Z');
      now = new Date('2026-06-05T09:00:00Z');
      await thea.post(`${url}/antworten`, { version: String(answered.version), body: 'Noch ein Hinweis.' }, url);
      assert.equal((await inquiry(first)).first?.toISOString(), '2026-06-04T09:00:00.000Z', 'first answer set once');
      // The municipality marks it done (answered → closed); the advisor may not use that form.
      v = (await inquiry(first)).version;
      assert.equal((await thea.post(`${url}/erledigt`, { version: String(v) }, url)).statusCode, 404);
      assert.equal((await anna.post(`${url}/erledigt`, { version: String(v) }, url)).statusCode, 303);
      assert.equal((await inquiry(first)).status, 'closed');
      // A reply on a closed inquiry reopens it.
      v = (await inquiry(first)).version;
      assert.equal(
        (await anna.post(`${url}/antworten`, { version: String(v), body: 'Eine Nachfrage.' }, url)).statusCode,
        303,
      );
      assert.equal((await inquiry(first)).status, 'in_progress');
      // Bert (another workspace) cannot write in it.
      assert.equal(
        (await (await as('bert')).post(`${url}/antworten`, { body: 'Ich auch!' }, '/beratung')).statusCode,
        404,
      );
      v = (await inquiry(first)).version;
      assert.equal((await thea.post(`${url}/status`, { version: String(v), status: 'closed' }, url)).statusCode, 303);
      assert.deepEqual(await history(first), [
        '->new',
        'new>assigned',
        'assigned>in_progress',
        'in_progress>waiting',
        'waiting>in_progress',
        'in_progress>answered',
        'answered>closed',
        'closed>in_progress',
        'in_progress>closed',
      ]);
      // Anna was told of the answer; the mail has no internal note.
      const mails = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE subject LIKE 'Antwort auf%'",
      );
      assert.ok(mails.length >= 1);
      assert.ok(mails.every((m) => !m.body.includes('Geheime')));
    });

    test('rating once after closing, by members only', async () => {
      const url = svc.inquiryPath(first);
      assert.equal((await (await as('thea')).post(`${url}/bewertung`, { rating: '5' }, url)).statusCode, 403);
      const anna = await as('anna');
      assert.match((await anna.get(url)).body, /Wie hilfreich war die Beratung/);
      assert.equal((await anna.post(`${url}/bewertung`, { rating: '9' }, url)).statusCode, 400);
      assert.equal((await anna.post(`${url}/bewertung`, { rating: '4', comment: 'Danke' }, url)).statusCode, 303);
      assert.equal((await anna.post(`${url}/bewertung`, { rating: '1' }, url)).statusCode, 409);
      const [r] = await t.db.query<{ rating: number; comment: string }>(
        'SELECT rating, rating_comment AS comment FROM desk_inquiries WHERE id = $1',
        [first],
      );
      assert.deepEqual(r, { rating: 4, comment: 'Danke' });
      // An open inquiry cannot be rated.
      const open = (
        await t.db.query<{ id: number }>(
          "SELECT id::int AS id FROM desk_inquiries WHERE status <> 'closed' AND org_id = $1 LIMIT 1",
          [orgs.eisenach],
        )
      )[0]!.id;
      assert.equal(
        (await anna.post(`${svc.inquiryPath(open)}/bewertung`, { rating: '3' }, svc.inquiryPath(open))).statusCode,
        403,
      );
    });

    test('hand-over to another advisor of the inquiry, assign to me; never to an advisor of another Land', async () => {
      const id = await svc.ask(sdeps(), actor('anna'), orgs.eisenach!, {
        subject: 'Übergabe',
        body: 'Eine Frage zur Übergabe.',
        sector: 'mobilitaet',
        urgency: 'high',
        context: null,
      });
      const url = svc.inquiryPath(id);
      const row = await inquiry(id);
      const from = row.assignee === ids.thea ? 'thea' : 'theo';
      const to = from === 'thea' ? 'theo' : 'thea';
      const a = await as(from);
      const bad = await a.post(
        `${url}/uebergeben`,
        { version: String(row.version), to: String(ids.bayer), note: 'x' },
        url,
      );
      assert.equal(bad.statusCode, 400);
      sent.length = 0;
      assert.equal(
        (await a.post(`${url}/uebergeben`, { version: String(row.version), to: String(ids[to]), note: 'Urlaub' }, url))
          .statusCode,
        303,
      );
      assert.equal((await inquiry(id)).assignee, ids[to]);
      const back = await as(from);
      const v = (await inquiry(id)).version;
      assert.equal((await back.post(`${url}/uebernehmen`, { version: String(v) }, url)).statusCode, 303);
      assert.equal((await inquiry(id)).assignee, ids[from]);
      assert.equal(
        (await (await as('anna')).post(`${url}/uebernehmen`, { version: String(v + 1) }, url)).statusCode,
        403,
      );
      const h = await t.db.query<{ note: string | null }>(
        'SELECT note FROM desk_inquiry_history WHERE inquiry_id = $1 ORDER BY id',
        [id],
      );
      assert.ok(h.some((x) => x.note === 'Urlaub'));
    });

    test('the queue: sorted by due time, overdue marked, filters; another Land’s advisor sees none; escalation once', async () => {
      now = new Date('2026-06-20T08:00:00Z');
      const thea = await as('thea');
      const q = await thea.get('/beratung/eingang');
      assert.equal(q.statusCode, 200);
      assert.match(q.body, /überfällig/);
      assert.doesNotMatch(q.body, /Aus Hessen/);
      const v = await svc.queue(sdeps(), actor('thea'), { teamId: null, mine: false, status: 'open' });
      const dues = v.rows.map((r) => r.firstAnswerDueAt.getTime());
      assert.deepEqual(
        dues,
        [...dues].sort((x, y) => x - y),
      );
      assert.ok(v.rows.every((r) => r.stateKey === '16'));
      assert.equal(v.total, v.rows.length, 'fewer than a page: all on the first');
      assert.equal(v.overdue, v.rows.filter((r) => svc.isOverdue(r, now)).length);
      assert.ok(v.overdue >= 1);
      assert.match(q.body, new RegExp(`${v.total} Anfragen, davon ${v.overdue} überfällig`));
      const second = await svc.queue(sdeps(), actor('thea'), { teamId: null, mine: false, status: 'open', page: 2 });
      assert.equal(second.rows.length, 0);
      assert.equal(second.total, v.total);
      const mine = await svc.queue(sdeps(), actor('thea'), { teamId: null, mine: true, status: 'all' });
      assert.ok(mine.rows.every((r) => r.assigneeUserId === ids.thea));
      assert.equal(
        (await svc.queue(sdeps(), actor('bayer'), { teamId: null, mine: false, status: 'all' })).rows.length,
        0,
      );
      assert.equal((await (await as('anna')).get('/beratung/eingang')).statusCode, 403);

      sent.length = 0;
      const n = await svc.escalateOverdue(sdeps());
      assert.ok(n >= 2);
      assert.ok(
        sent.some((s) => s.userId === ids.thea && /überfällig/.test(s.subject)),
        'the Thüringen lead is told',
      );
      assert.equal(await svc.escalateOverdue(sdeps()), 0, 'once');

      // More than a page: 50 on the first, the rest on the second, in the same order as one long list.
      await t.db.query(
        `INSERT INTO desk_inquiries (org_id, region_key, state_key, author_user_id, subject, body, sector, urgency,
                                     status, team_id, received_at, first_answer_due_at)
         SELECT org_id, region_key, state_key, author_user_id, subject || ' #' || g, body, sector, urgency, 'new',
                team_id, received_at, first_answer_due_at + g * interval '1 minute'
           FROM desk_inquiries, generate_series(1, 60) AS g WHERE id = (SELECT min(id) FROM desk_inquiries WHERE state_key = '16')`,
      );
      const p1 = await svc.queue(sdeps(), actor('thea'), { teamId: null, mine: false, status: 'open' });
      const p2 = await svc.queue(sdeps(), actor('thea'), { teamId: null, mine: false, status: 'open', page: 2 });
      assert.equal(p1.rows.length, svc.QUEUE_PAGE_SIZE);
      assert.equal(p1.total, v.total + 60);
      assert.equal(p1.pages, 2);
      assert.equal(p2.rows.length, p1.total - svc.QUEUE_PAGE_SIZE);
      const both = [...p1.rows, ...p2.rows];
      assert.equal(new Set(both.map((r) => r.id)).size, both.length, 'no inquiry on both pages');
      const order = both.map((r) => [r.firstAnsweredAt !== null, r.firstAnswerDueAt.getTime(), r.id] as const);
      assert.deepEqual(
        order,
        [...order].sort((x, y) => Number(x[0]) - Number(y[0]) || x[1] - y[1] || x[2] - y[2]),
      );
      const page2 = await thea.get('/beratung/eingang?status=open&seite=2');
      assert.match(page2.body, /Seite 2 von 2/);
      assert.match(page2.body, /rel="prev"/);
      await t.db.query("DELETE FROM desk_inquiries WHERE subject LIKE '% #%'");
    });

    test('canned answers: advisors write them and insert them into a reply', async () => {
      const thea = await as('thea');
      assert.equal(
        (
          await thea.post(
            '/beratung/textbausteine',
            { title: 'EVB-IT', sector: '', body: 'Nutzen Sie die EVB-IT-Vorlagen.' },
            '/beratung/textbausteine',
          )
        ).statusCode,
        303,
      );
      const [c] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM desk_canned_answers');
      const id = (
        await t.db.query<{ id: number }>("SELECT id::int AS id FROM desk_inquiries WHERE subject = 'Übergabe'")
      )[0]!.id;
      const page = await thea.get(`${svc.inquiryPath(id)}?baustein=${c!.id}`);
      assert.match(page.body, />Nutzen Sie die EVB-IT-Vorlagen.<\/textarea>/);
      assert.equal((await (await as('anna')).get('/beratung/textbausteine')).statusCode, 403);
    });

    test('API: a workspace’s own inquiries with scope desk; no internal notes; another workspace gets 404', async () => {
      const read = (await createApiToken({ db: t.db }, ids.anna!, { name: 'r', scopes: ['desk:read'], expiryDays: 1 }))
        .token;
      const write = (
        await createApiToken({ db: t.db }, ids.anna!, { name: 'w', scopes: ['desk:write'], expiryDays: 1 })
      ).token;
      const bert = (await createApiToken({ db: t.db }, ids.bert!, { name: 'b', scopes: ['desk:read'], expiryDays: 1 }))
        .token;
      const get = (url: string, token: string) => app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      const list = await get('/api/v1/inquiries', read);
      assert.equal(list.statusCode, 200);
      const items = list.json().items as { id: number; orgId: number }[];
      assert.ok(items.length >= 4 && items.every((i) => i.orgId === orgs.eisenach));
      const one = await get(`/api/v1/inquiries/${first}`, read);
      assert.equal(one.statusCode, 200);
      assert.doesNotMatch(one.body, /Geheime/);
      assert.equal((await get(`/api/v1/inquiries/${first}`, bert)).statusCode, 404);
      const other = (
        await createApiToken({ db: t.db }, ids.anna!, { name: 'o', scopes: ['register:read'], expiryDays: 1 })
      ).token;
      assert.equal((await get('/api/v1/inquiries', other)).statusCode, 403, 'another scope');
      assert.equal((await get('/api/v1/inquiries', write)).statusCode, 200, 'write includes read');
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/inquiries',
        headers: { authorization: `Bearer ${write}` },
        payload: { orgId: orgs.eisenach, subject: 'Per API', body: 'Eine Frage per API.', sector: 'verwaltung' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const cid = created.json().id as number;
      const foreign = await app.inject({
        method: 'POST',
        url: '/api/v1/inquiries',
        headers: { authorization: `Bearer ${write}` },
        payload: { orgId: orgs.erfurt, subject: 'Für Erfurt', body: 'Darf ich nicht.', sector: 'verwaltung' },
      });
      assert.equal(foreign.statusCode, 403);
      const msg = await app.inject({
        method: 'POST',
        url: `/api/v1/inquiries/${cid}/messages`,
        headers: { authorization: `Bearer ${write}` },
        payload: { body: 'Nachtrag per API' },
      });
      assert.equal(msg.statusCode, 201, msg.body);
      assert.equal((msg.json().messages as { side: string }[])[0]!.side, 'municipality');
    });
  });
}
