import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { createUserWithLoginLink } from '../../identity/identity.service.js';
import { AUDIT_CSV_HEADER, recordAudit } from '../audit.service.js';

const PASSWORD = 'Lange Sätze sind gute Passwörter 7';
const NO_MAIL = { send: async () => ({}) };

/** Parse RFC 4180 CSV (quoted fields with doubled quotes and line breaks; CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell, '', 'the last record ends with CRLF');
  return rows;
}

const rowCount = (html: string) => (html.match(/<tr class="kern-table__row" id="eintrag-/g) ?? []).length;
const berlinToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
const shiftDay = (day: string, days: number) =>
  new Date(new Date(`${day}T12:00:00Z`).getTime() + days * 86400_000).toISOString().slice(0, 10);

for (const kind of databaseKinds()) {
  describe(`audit log on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let admin: Agent;
    let adminId: number;

    async function linkLogin(email: string, isAdmin: boolean) {
      const deps = { db: t.db, mailer: NO_MAIL, publicUrl: 'http://localhost', t: TEST_T };
      const { userId, link } = await createUserWithLoginLink(deps, email, isAdmin);
      const agent = new Agent(app);
      const path = link.replace('http://localhost', '');
      const res = await agent.post('/anmelden/link', { token: path.split('token=')[1]! }, path);
      assert.equal(res.statusCode, 303);
      return { agent, userId };
    }

    async function entries(action: string) {
      return t.db.query<{
        id: number;
        actorUserId: number | null;
        entityId: string | null;
        before: Record<string, unknown> | null;
        after: Record<string, unknown> | null;
        requestId: string | null;
      }>(
        `SELECT id, actor_user_id AS "actorUserId", entity_id AS "entityId", before, after, request_id AS "requestId"
         FROM audit_log WHERE action = $1 ORDER BY id`,
        [action],
      );
    }

    before(async () => {
      t = await createTestDb(kind);
      app = await buildTestApp(t.db);
      ({ agent: admin, userId: adminId } = await linkLogin('admin@kompetenzzentrum.example', true));
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('sign-up, verification, password change, reset and logout everywhere are logged with the request id', async () => {
      const a = new Agent(app);
      const signup = await a.post(
        '/registrieren',
        { email: 'Eva@Beispiel-Gemeinde.de', password: PASSWORD },
        '/registrieren',
      );
      assert.equal(signup.statusCode, 303);
      const [user] = await t.db.query<{ id: number }>("SELECT id FROM users WHERE email = 'eva@beispiel-gemeinde.de'");
      const userId = user!.id;
      const [s] = await entries('user.signup');
      assert.equal(s?.entityId, String(userId));
      assert.equal(s?.actorUserId, userId);
      assert.equal(s?.requestId, signup.headers['x-request-id']);
      assert.equal(s?.before, null);
      assert.deepEqual(s?.after, { verified: false, passwordSet: true, platformAdmin: false });

      const [mail] = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE to_address = 'eva@beispiel-gemeinde.de' ORDER BY id DESC",
      );
      const link = mail!.body.match(/\/konto\/bestaetigen\?token=[A-Za-z0-9_-]+/)![0];
      const verify = await a.get(link);
      assert.equal(verify.statusCode, 200);
      const [v] = await entries('user.verify');
      assert.equal(v?.entityId, String(userId));
      assert.equal(v?.requestId, verify.headers['x-request-id']);
      assert.deepEqual([v?.before, v?.after], [{ verified: false }, { verified: true }]);

      const login = await a.post('/anmelden', { email: 'eva@beispiel-gemeinde.de', password: PASSWORD }, '/anmelden');
      assert.equal(login.statusCode, 303);
      const NEW = 'Ein ganz neues Passwort für Eva';
      const change = await a.post('/konto/passwort', { current: PASSWORD, password: NEW }, '/konto');
      assert.equal(change.statusCode, 303);
      const [c] = await entries('user.password-change');
      assert.equal(c?.actorUserId, userId);
      assert.equal(c?.entityId, String(userId));
      assert.equal(c?.requestId, change.headers['x-request-id']);
      assert.deepEqual(c?.after, { passwordSet: true, sessionsEnded: 0 });

      const b = new Agent(app);
      await b.post('/passwort-vergessen', { email: 'eva@beispiel-gemeinde.de' }, '/passwort-vergessen');
      const [resetMail] = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE kind = 'password-reset' ORDER BY id DESC LIMIT 1",
      );
      const resetLink = resetMail!.body.match(/\/passwort-neu\?token=[A-Za-z0-9_-]+/)![0];
      const reset = await b.post(
        '/passwort-neu',
        { token: resetLink.split('token=')[1]!, password: PASSWORD },
        resetLink,
      );
      assert.equal(reset.statusCode, 200);
      const [r] = await entries('user.password-reset');
      assert.equal(r?.actorUserId, userId);
      assert.equal(r?.requestId, reset.headers['x-request-id']);
      assert.deepEqual(r?.after, { passwordSet: true, sessionsEnded: 1 });

      await b.post('/anmelden', { email: 'eva@beispiel-gemeinde.de', password: PASSWORD }, '/anmelden');
      const everywhere = await b.post('/konto/abmelden-ueberall', {}, '/konto');
      assert.equal(everywhere.statusCode, 303);
      const [e] = await entries('session.logout-everywhere');
      assert.equal(e?.actorUserId, userId);
      assert.equal(e?.requestId, everywhere.headers['x-request-id']);
      assert.deepEqual(e?.after, { sessionsEnded: 1 });

      // the admin's login link (created without a request: CLI) is logged, with no actor and no request id
      const created = await entries('user.create');
      assert.equal(created[0]?.entityId, String(adminId));
      assert.equal(created[0]?.actorUserId, null);
      assert.equal(created[0]?.requestId, null);
      assert.equal((await entries('token.create'))[0]?.after?.purpose, 'login-link');

      // privacy by design: no e-mail address anywhere in the log
      const [leak] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log
         WHERE coalesce(before::text, '') || coalesce(after::text, '') || coalesce(entity_id, '') LIKE '%@%'`,
      );
      assert.equal(leak?.n, 0);
    });

    test('the log is append-only: UPDATE, DELETE and TRUNCATE fail; an entry rolls back with its change', async () => {
      const id = await recordAudit(t.db, { action: 'test.append', entity: 'test', actorUserId: null, after: { a: 1 } });
      const [{ n: before } = { n: 0 }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
      await assert.rejects(
        t.db.query("UPDATE audit_log SET action = 'test.changed' WHERE id = $1", [id]),
        /append-only/,
      );
      await assert.rejects(t.db.query('DELETE FROM audit_log WHERE id = $1', [id]), /append-only/);
      await assert.rejects(t.db.query('DELETE FROM audit_log'), /append-only/);
      await assert.rejects(t.db.query('TRUNCATE audit_log'), /append-only/);
      const [{ n: afterCount } = { n: -1 }] = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log',
      );
      assert.equal(afterCount, before);
      assert.equal((await entries('test.append'))[0]?.id, id);
      assert.equal((await entries('test.changed')).length, 0);

      await assert.rejects(
        t.db.transaction(async (tx) => {
          await recordAudit(tx, { action: 'test.rolled-back', entity: 'test', actorUserId: null });
          throw new Error('the change fails');
        }),
        /the change fails/,
      );
      assert.equal((await entries('test.rolled-back')).length, 0);
    });

    test('the admin page lists newest first, filters and pages by id', async () => {
      for (let i = 0; i < 60; i++) {
        await recordAudit(t.db, {
          action: 'test.bulk',
          entity: 'item',
          entityId: i,
          actorUserId: adminId,
          orgId: i % 2 ? 77 : 78,
          requestId: `req-${i}`,
        });
      }
      const page = await admin.get('/admin/audit');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>Änderungsprotokoll<\/h1>/);
      assert.equal(rowCount(page.body), 50);
      assert.ok(page.body.indexOf('req-59') < page.body.indexOf('req-58'), 'newest first');
      assert.match(page.body, /admin@kompetenzzentrum\.example \(#\d+\)/, 'the actor with the current e-mail');

      const bulk = await admin.get('/admin/audit?aktion=test.bulk');
      assert.equal(rowCount(bulk.body), 50);
      assert.doesNotMatch(bulk.body, /<code>user\.signup<\/code>/);
      const next = bulk.body.match(/href="(\/admin\/audit\?aktion=test\.bulk&amp;vor=\d+)" rel="next"/);
      assert.ok(next, 'a link to older entries');
      const older = await admin.get(next[1]!.replace(/&amp;/g, '&'));
      assert.equal(rowCount(older.body), 10);
      assert.match(older.body, /req-0</);
      assert.doesNotMatch(older.body, /rel="next"/);

      const prefix = await admin.get('/admin/audit?aktion=user');
      assert.match(prefix.body, /<code>user\.signup<\/code>/);
      assert.match(prefix.body, /<code>user\.verify<\/code>/);
      assert.doesNotMatch(prefix.body, /<code>test\.bulk<\/code>/);

      const org = await admin.get('/admin/audit?aktion=test.bulk&organisation=77');
      assert.equal(rowCount(org.body), 30);
      assert.doesNotMatch(org.body, /#78</);

      const [eva] = await t.db.query<{ id: number }>("SELECT id FROM users WHERE email = 'eva@beispiel-gemeinde.de'");
      const actor = await admin.get(`/admin/audit?akteur=${eva!.id}`);
      assert.ok(rowCount(actor.body) >= 5);
      assert.doesNotMatch(actor.body, /<code>test\.bulk<\/code>/);

      const today = berlinToday();
      assert.ok(rowCount((await admin.get(`/admin/audit?von=${today}&bis=${today}`)).body) > 0);
      const tomorrow = await admin.get(`/admin/audit?von=${shiftDay(today, 1)}`);
      assert.equal(rowCount(tomorrow.body), 0);
      assert.match(tomorrow.body, /Keine Einträge für diese Filter/);
      assert.equal(rowCount((await admin.get(`/admin/audit?bis=${shiftDay(today, -1)}`)).body), 0);

      const invalid = await admin.get('/admin/audit?von=2025-02-30&akteur=abc');
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.body, /href="#von"/);
      assert.match(invalid.body, /href="#akteur"/);
    });

    test('CSV export: same filters, RFC 4180 quoting, formula injection defused', async () => {
      const { userId: trickyId } = await linkLogin('=1+1@example.org', false);
      await recordAudit(t.db, {
        action: 'org.rename',
        entity: 'organisation',
        entityId: '@SUM(1)',
        orgId: 501,
        actorUserId: trickyId,
        before: { name: 'Stadt "Alt", Nord' },
        after: { name: '=HYPERLINK("http://evil.example")', note: 'zwei\nZeilen' },
        requestId: '-2+3',
      });
      await recordAudit(t.db, { action: 'org.rename', entity: 'organisation', orgId: 502, actorUserId: null });

      const res = await admin.get('/admin/audit.csv?aktion=org.rename&organisation=501');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="kommunallotse-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      assert.ok(res.body.startsWith('\uFEFFid,at,'), 'byte order mark, then the header');
      const rows = parseCsv(res.body.slice(1));
      assert.deepEqual(rows[0], [...AUDIT_CSV_HEADER]);
      assert.equal(rows.length, 2, 'header and the one matching entry');
      const cell = Object.fromEntries(AUDIT_CSV_HEADER.map((h, i) => [h, rows[1]![i]!]));
      assert.equal(cell.actor_user_id, String(trickyId));
      assert.equal(cell.actor_email, "'=1+1@example.org");
      assert.equal(cell.org_id, '501');
      assert.equal(cell.entity_id, "'@SUM(1)");
      assert.equal(cell.request_id, "'-2+3");
      assert.deepEqual(JSON.parse(cell.before!), { name: 'Stadt "Alt", Nord' });
      assert.deepEqual(JSON.parse(cell.after!), { name: '=HYPERLINK("http://evil.example")', note: 'zwei\nZeilen' });
      assert.match(res.body, /"\{""name"":""Stadt \\""Alt\\"", Nord""\}"/, 'quotes doubled inside a quoted cell');
      assert.ok(!Number.isNaN(Date.parse(cell.at!)));

      const all = parseCsv((await admin.get('/admin/audit.csv')).body.slice(1));
      const [{ n } = { n: 0 }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
      assert.equal(all.length, n + 1, 'without filters: every entry, across batches');

      const invalid = await admin.get('/admin/audit.csv?organisation=x');
      assert.equal(invalid.statusCode, 400);
    });

    test('only platform admins: a member gets 403, anonymous a redirect to the login', async () => {
      const { agent: member } = await linkLogin('mitglied@beispiel-gemeinde.de', false);
      for (const url of ['/admin/audit', '/admin/audit.csv']) {
        assert.equal((await member.get(url)).statusCode, 403, url);
        const anon = await new Agent(app).get(url);
        assert.equal(anon.statusCode, 303, url);
        assert.match(String(anon.headers.location), /^\/anmelden\?weiter=/);
      }
      assert.match((await admin.get('/admin')).body, /href="\/admin\/audit"/);
    });
  });
}
