import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';

const PASSWORD = 'Lange Sätze sind gute Passwörter 7';

async function lastMail(t: TestDb, to: string) {
  const rows = await t.db.query<{ subject: string; body: string; kind: string }>(
    'SELECT subject, body_text AS body, kind FROM mail_outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1',
    [to],
  );
  return rows[0] ?? null;
}

function linkIn(text: string, path: string) {
  const m = text.match(new RegExp(`https?://[^\\s]*${path}\\?token=([A-Za-z0-9_-]+)`));
  assert.ok(m, `no ${path} link in mail`);
  return `${path}?token=${m[1]}`;
}

async function counts(t: TestDb) {
  const [r] = await t.db.query<{ users: number; sessions: number; mails: number }>(
    `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM sessions) AS sessions,
       (SELECT count(*)::int FROM mail_outbox) AS mails`,
  );
  return r!;
}

for (const kind of databaseKinds()) {
  describe(`accounts and sessions on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    before(async () => {
      t = await createTestDb(kind);
      app = await buildTestApp(t.db);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('sign up → verify through the outbox → log in → account → log out', async () => {
      const a = new Agent(app);
      const signup = await a.post(
        '/registrieren',
        { email: 'Anna@Gemeinde-Beispiel.de', password: PASSWORD },
        '/registrieren',
      );
      assert.equal(signup.statusCode, 303);
      assert.equal(signup.headers.location, '/registrieren/danke');
      const mail = await lastMail(t, 'anna@gemeinde-beispiel.de');
      assert.equal(mail?.kind, 'verify-email');
      // Not verified yet: login refused with a clear message.
      const early = await a.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: PASSWORD }, '/anmelden');
      assert.equal(early.statusCode, 401);
      assert.match(early.body, /bestätigen Sie zuerst/);
      const verify = await a.get(linkIn(mail!.body, '/konto/bestaetigen'));
      assert.equal(verify.statusCode, 200);
      assert.equal((await a.get(linkIn(mail!.body, '/konto/bestaetigen'))).statusCode, 410, 'single use');

      const preLoginCookies = new Map(a.cookies);
      const login = await a.post(
        '/anmelden',
        { email: 'ANNA@gemeinde-beispiel.de', password: PASSWORD, weiter: '/konto' },
        '/anmelden',
      );
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, '/konto');
      const setCookie = String(login.headers['set-cookie']);
      assert.match(setCookie, /kl_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
      assert.ok(a.cookies.get('kl_session'));
      assert.notEqual(a.cookies.get('kl_session'), preLoginCookies.get('kl_session'));
      const account = await a.get('/konto');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /anna@gemeinde-beispiel\.de/);
      const logout = await a.post('/abmelden', {}, '/konto');
      assert.equal(logout.statusCode, 303);
      const afterLogout = await a.get('/konto');
      assert.equal(afterLogout.statusCode, 303);
      assert.match(String(afterLogout.headers.location), /^\/anmelden\?weiter=/);
    });

    test('no account enumeration: sign-up and reset answer the same for known and unknown addresses', async () => {
      const a = new Agent(app);
      const known = await a.post(
        '/registrieren',
        { email: 'anna@gemeinde-beispiel.de', password: PASSWORD },
        '/registrieren',
      );
      const unknown = await a.post(
        '/registrieren',
        { email: 'neu@gemeinde-beispiel.de', password: PASSWORD },
        '/registrieren',
      );
      assert.equal(known.statusCode, unknown.statusCode);
      assert.equal(known.headers.location, unknown.headers.location);
      assert.equal((await lastMail(t, 'anna@gemeinde-beispiel.de'))?.kind, 'signup-exists');
      const r1 = await a.post('/passwort-vergessen', { email: 'anna@gemeinde-beispiel.de' }, '/passwort-vergessen');
      const r2 = await a.post('/passwort-vergessen', { email: 'niemand@example.org' }, '/passwort-vergessen');
      assert.equal(r1.statusCode, r2.statusCode);
      const strip = (s: string) => s.replace(/name="_csrf" value="[^"]+"/g, '').replace(/[0-9a-f-]{36}/g, '');
      assert.equal(strip(r1.body), strip(r2.body));
      const wrong = await a.post('/anmelden', { email: 'niemand@example.org', password: PASSWORD }, '/anmelden');
      const wrongPw = await a.post(
        '/anmelden',
        { email: 'anna@gemeinde-beispiel.de', password: 'falsch falsch falsch' },
        '/anmelden',
      );
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrongPw.statusCode, 401);
      assert.equal(
        strip(wrong.body).replace('niemand@example.org', ''),
        strip(wrongPw.body).replace('anna@gemeinde-beispiel.de', ''),
      );
    });

    test('password reset: single use, ends all sessions, policy enforced', async () => {
      const a = new Agent(app);
      await a.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: PASSWORD }, '/anmelden');
      assert.equal((await a.get('/konto')).statusCode, 200);
      const b = new Agent(app);
      await b.post('/passwort-vergessen', { email: 'anna@gemeinde-beispiel.de' }, '/passwort-vergessen');
      const link = linkIn((await lastMail(t, 'anna@gemeinde-beispiel.de'))!.body, '/passwort-neu');
      const token = link.split('token=')[1]!;
      const weak = await b.post('/passwort-neu', { token, password: 'passwort1234' }, link);
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /href="#password"/);
      const NEW = 'Ein ganz neues Passwort für Anna';
      const ok = await b.post('/passwort-neu', { token, password: NEW }, link);
      assert.equal(ok.statusCode, 200);
      assert.equal((await b.get(link)).statusCode, 410, 'the link works once');
      assert.equal((await a.get('/konto')).statusCode, 303, 'the old session ended');
      const login = await b.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: NEW }, '/anmelden');
      assert.equal(login.statusCode, 303);
      // change back through the account page (keeps this session, ends others)
      const change = await b.post('/konto/passwort', { current: NEW, password: PASSWORD }, '/konto');
      assert.equal(change.statusCode, 303);
      assert.equal((await b.get('/konto')).statusCode, 200);
    });

    test('CSRF: a state-changing POST without or with a wrong token is refused and changes nothing', async () => {
      const before = await counts(t);
      const a = new Agent(app);
      const none = await a.post('/registrieren', { email: 'csrf@example.org', password: PASSWORD });
      assert.equal(none.statusCode, 403);
      const wrong = await a.post('/registrieren', {
        email: 'csrf@example.org',
        password: PASSWORD,
        _csrf: 'x'.repeat(43),
      });
      assert.equal(wrong.statusCode, 403);
      assert.deepEqual(await counts(t), before);
      // a signed-in session's token is bound to the session, not the pre-login cookie
      await a.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: PASSWORD }, '/anmelden');
      const sessionsBefore = (await counts(t)).sessions;
      const forged = await a.post('/konto/abmelden-ueberall', { _csrf: a.cookies.get('kl_csrf') ?? '' });
      assert.equal(forged.statusCode, 403);
      assert.equal((await counts(t)).sessions, sessionsBefore);
    });

    test('session fixation: an unknown session cookie is dropped, login issues a new id', async () => {
      const a = new Agent(app);
      a.cookies.set('kl_session', 'attacker-chosen-session-id-aaaaaaaaaaaaaaaaaa');
      const page = await a.get('/anmelden');
      assert.equal(page.statusCode, 200);
      assert.equal(a.cookies.has('kl_session'), false);
      a.cookies.set('kl_session', 'attacker-chosen-session-id-aaaaaaaaaaaaaaaaaa');
      await a.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: PASSWORD }, '/anmelden');
      assert.notEqual(a.cookies.get('kl_session'), 'attacker-chosen-session-id-aaaaaaaaaaaaaaaaaa');
    });

    test('log out everywhere ends every session of the account', async () => {
      const a = new Agent(app);
      const b = new Agent(app);
      await a.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: PASSWORD }, '/anmelden');
      await b.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: PASSWORD }, '/anmelden');
      const res = await a.post('/konto/abmelden-ueberall', {}, '/konto');
      assert.equal(res.statusCode, 303);
      assert.equal((await a.get('/konto')).statusCode, 303);
      assert.equal((await b.get('/konto')).statusCode, 303);
    });

    test('admin pages: anonymous → login, member → 403, platform admin → 200; outbox lists the mails', async () => {
      const anon = new Agent(app);
      assert.equal((await anon.get('/admin')).statusCode, 303);
      const member = new Agent(app);
      await member.post('/anmelden', { email: 'anna@gemeinde-beispiel.de', password: PASSWORD }, '/anmelden');
      assert.equal((await member.get('/admin')).statusCode, 403);
      assert.equal((await member.get('/admin/outbox')).statusCode, 403);
      const { createUserWithLoginLink } = await import('../identity.service.js');
      const { link } = await createUserWithLoginLink(
        { db: t.db, mailer: { send: async () => ({}) }, publicUrl: 'http://localhost', t: TEST_T },
        'admin@kompetenzzentrum.example',
        true,
      );
      const admin = new Agent(app);
      const path = link.replace('http://localhost', '');
      const used = await admin.post('/anmelden/link', { token: path.split('token=')[1]! }, path);
      assert.equal(used.statusCode, 303);
      assert.equal((await admin.get(path)).statusCode, 410, 'login links are single use');
      const outbox = await admin.get('/admin/outbox');
      assert.equal(outbox.statusCode, 200);
      assert.match(outbox.body, /anna@gemeinde-beispiel\.de/);
      assert.match((await admin.get('/admin')).body, /admin@kompetenzzentrum\.example/);
    });

    test('rate limit on login: 429 with Retry-After, per account', async () => {
      const a = new Agent(app);
      let last: LightMyRequestResponse | null = null;
      for (let i = 0; i < 11; i++) {
        last = await a.post(
          '/anmelden',
          { email: 'opfer@example.org', password: `falsches Passwort ${i}` },
          '/anmelden',
        );
      }
      assert.equal(last!.statusCode, 429);
      assert.ok(Number(last!.headers['retry-after']) > 0);
      assert.match(last!.body, /Zu viele Versuche/);
    });

    test('stored and reflected XSS payloads are escaped', async () => {
      const a = new Agent(app);
      const xss = '"><script>alert(1)</script>';
      const res = await a.post('/registrieren', { email: xss, password: PASSWORD }, '/registrieren');
      assert.equal(res.statusCode, 400);
      assert.doesNotMatch(res.body, /<script>alert/);
      const next = await a.get(`/anmelden?weiter=${encodeURIComponent(`javascript:alert(1)${xss}`)}`);
      assert.doesNotMatch(next.body, /<script>alert|value="javascript:/);
    });
  });
}

describe('bad requests change nothing', () => {
  let t: TestDb;
  let app: FastifyInstance;
  before(async () => {
    t = await createTestDb('pglite');
    app = await buildTestApp(t.db);
  });
  after(async () => {
    await app?.close();
    await t?.dispose();
  });

  test('oversized bodies (413) and wrong content types (415)', async () => {
    const before = await counts(t);
    const agent = new Agent(app);
    const page = await agent.get('/registrieren');
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const big = await app.inject({
      method: 'POST',
      url: '/registrieren',
      headers: { cookie: agent.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf}&email=a%40example.org&password=${'x'.repeat(200_000)}`,
    });
    assert.equal(big.statusCode, 413);
    for (const [type, payload] of [
      ['application/json', JSON.stringify({ _csrf: csrf, email: 'json@example.org', password: PASSWORD })],
      ['text/plain', `_csrf=${csrf}&email=text@example.org`],
      ['application/xml', '<x/>'],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/registrieren',
        headers: { cookie: agent.cookieHeader(), 'content-type': type },
        payload,
      });
      assert.ok([400, 415].includes(res.statusCode), `${type}: ${res.statusCode}`);
    }
    assert.deepEqual(await counts(t), before);
  });
});
