/**
 * Defects an outside review reproduced against the running server, one test each (each failed on the code
 * before its fix): mail links built from the Host header, open redirects, a forged X-Forwarded-For past the
 * rate limits, 500s on bad input, the API rate limit on one route only, cacheable private pages, session
 * lifetimes, the timing of the reset form, live links in the outbox view, account lockout by strangers, the
 * invitation's 403 naming the invited address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import * as identityRepo from '../../identity/identity.repository.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { hashPassword } from '../../identity/passwords.js';
import { requestAccess } from '../../organisations/organisations.service.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import { hashToken, newToken } from '../crypto.js';
import { createMailer, type Mailer } from '../mail/mailer.js';

const PASSWORD = 'Lange Sätze sind gute Passwörter 7';
const PUBLIC_URL = 'https://lotse.example.de';
const NO_MAIL = { send: async () => ({}) };

for (const kind of databaseKinds()) {
  describe(`review defects on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const deps = () => ({ db: t.db, mailer: NO_MAIL, publicUrl: PUBLIC_URL, t: TEST_T });

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC_URL, HOST: '0.0.0.0' });
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    async function account(email: string) {
      const { userId } = await createUserWithLoginLink(deps(), email, false);
      await identityRepo.setPassword(t.db, userId, await hashPassword(PASSWORD));
      return userId;
    }
    const lastMail = async (to: string) =>
      (
        await t.db.query<{ body: string }>(
          'SELECT body_text AS body FROM mail_outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1',
          [to],
        )
      )[0]?.body ?? '';
    const csrfOf = async (url: string, headers: Record<string, string> = {}) => {
      const page = await app.inject({ url, headers: { accept: 'text/html', ...headers } });
      const cookie = String(page.headers['set-cookie'] ?? '').match(/kl_csrf=([^;]+)/)?.[1] ?? '';
      return { cookie: `kl_csrf=${cookie}`, csrf: cookie };
    };
    const postForm = async (url: string, form: Record<string, string>, headers: Record<string, string> = {}) => {
      const { cookie, csrf } = await csrfOf(url.split('?')[0]!, headers);
      const res = await app.inject({
        method: 'POST',
        url,
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
          cookie: [cookie, headers.cookie].filter(Boolean).join('; '),
        },
        payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
      });
      await app.platform.tasks.idle();
      return res;
    };

    test('links in mails come from BASE_URL only, whatever Host or X-Forwarded-Host say', async () => {
      await account('opfer@gemeinde.example');
      for (const host of ['evil.example', '127.0.0.1:4201@evil.example']) {
        await postForm('/passwort-vergessen', { email: 'opfer@gemeinde.example' }, { host, 'x-forwarded-host': host });
        const body = await lastMail('opfer@gemeinde.example');
        assert.match(body, new RegExp(`${PUBLIC_URL}/passwort-neu\\?token=`), host);
        assert.doesNotMatch(body, /evil/);
      }
      // Sign-up with an existing address mails a reset link too.
      await postForm(
        '/registrieren',
        { email: 'opfer@gemeinde.example', password: PASSWORD },
        { host: 'evil.example' },
      );
      assert.match(await lastMail('opfer@gemeinde.example'), new RegExp(`${PUBLIC_URL}/passwort-neu`));
      // Invitations.
      const adminId = await account('chefin@kreis.example');
      const orgId = await requestAccess(
        deps(),
        { id: adminId, email: 'chefin@kreis.example', isPlatformAdmin: false },
        '16056',
        '',
      );
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [orgId, adminId]);
      const chefin = new Agent(app);
      await chefin.post('/anmelden', { email: 'chefin@kreis.example', password: PASSWORD }, '/anmelden');
      const inv = await app.inject({
        method: 'POST',
        url: `/organisationen/${orgId}/einladungen`,
        headers: {
          host: 'evil.example',
          accept: 'text/html',
          cookie: chefin.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({
          _csrf: (await chefin.get(`/organisationen/${orgId}`)).body.match(/name="_csrf" value="([^"]+)"/)![1]!,
          email: 'neu@kreis.example',
          role: 'member',
        }).toString(),
      });
      assert.equal(inv.statusCode, 303);
      assert.match(await lastMail('neu@kreis.example'), new RegExp(`${PUBLIC_URL}/einladung\\?token=`));
    });

    test('one safe-redirect helper: backslashes, tabs, encoded slashes and absolute URLs stay on the site', async () => {
      for (const target of [
        '/\\evil.example',
        '/%5Cevil.example',
        '/\t/evil.example/',
        '/%09/evil.example/',
        '//evil.example',
        '/%2F/evil.example',
        'https://evil.example/',
        'javascript:alert(1)',
        '/\r\nSet-Cookie:x=1',
        '/ünïcode',
      ]) {
        const res = await app.inject(`/sprache?lang=en&zurueck=${encodeURIComponent(target)}`);
        assert.equal(res.statusCode, 303, target);
        const location = String(res.headers.location);
        assert.ok(
          location.startsWith('/') && !/^\/[\\/]/.test(location) && !/[\s\\]/.test(location),
          `${target} → ${location}`,
        );
        assert.doesNotMatch(location, /evil/);
      }
      assert.equal(
        (await app.inject('/sprache?lang=en&zurueck=%2Fkommunen%3Fq%3DM%C3%BCnchen')).headers.location,
        '/kommunen?q=M%C3%BCnchen',
      );
      assert.equal(
        (await app.inject('/sprache?lang=de&zurueck=/kommunen/09162000')).headers.location,
        '/kommunen/09162000',
      );
      // The login's continue target as well.
      await account('weiter@gemeinde.example');
      const login = await postForm('/anmelden', {
        email: 'weiter@gemeinde.example',
        password: PASSWORD,
        weiter: '/\\evil.example',
      });
      // Refused: the landing for a person without a workspace instead ("Ihre Kommune finden").
      assert.equal(login.headers.location, '/kommune-finden');
    });

    test('bad input answers 400 with a message, never 500', async () => {
      const nul = await postForm('/anmelden', { email: 'a\u0000b@example.org', password: 'x' });
      assert.equal(nul.statusCode, 400);
      assert.match(nul.body, /Steuerzeichen/);
      const nulApi = await app.inject('/api/v1/regions?q=M%00nchen');
      assert.equal(nulApi.statusCode, 400);
      assert.equal(nulApi.json().errors[0].field, 'q');
      // An address with umlauts before the @: refused with a message that says why; after the @: accepted.
      const local = await postForm('/registrieren', { email: 'ünï@exämple.de', password: PASSWORD });
      assert.equal(local.statusCode, 400);
      assert.match(local.body, /Vor dem @ sind nur Zeichen ohne Umlaute/);
      const domain = await postForm('/registrieren', { email: 'info@müller-gemeinde.de', password: PASSWORD });
      assert.equal(domain.statusCode, 303);
      const [mail] = await t.db.query<{ to: string; body: string }>(
        "SELECT to_address AS to, body_text AS body FROM mail_outbox WHERE kind = 'verify-email' AND to_address LIKE 'info@xn--%'",
      );
      assert.match(mail?.body ?? '', /konto\/bestaetigen/, 'delivered to the ASCII form of the domain');
      const [user] = await t.db.query<{ email: string }>("SELECT email FROM users WHERE email LIKE 'info@m%'");
      assert.equal(user?.email, 'info@müller-gemeinde.de');
    });

    test('English validation messages in the English interface', async () => {
      const res = await postForm(
        '/registrieren',
        { email: 'kein-at-zeichen', password: 'kurz' },
        { cookie: 'lang=en' },
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Enter a valid e-mail address/);
      assert.match(res.body, /at least 12 characters/);
      assert.doesNotMatch(res.body, /Bitte geben Sie/);
      const api = await app.inject({ url: '/api/v1/regions/0916200', headers: { 'accept-language': 'en' } });
      assert.equal(api.statusCode, 400);
      assert.match(api.json().errors[0].message, /A key has 2, 3, 4, 5, 8 \(AGS\), 9 or 12 \(ARS\) digits, not 7/);
    });

    test('pages for signed-in people are never stored (no-store); public pages may be revalidated', async () => {
      const userId = await account('privat@gemeinde.example');
      const s = await createSession(deps(), userId);
      const res = await app.inject({
        url: '/konto',
        headers: { accept: 'text/html', cookie: `kl_session=${s.token}` },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['cache-control']), /no-store/);
      const pub = await app.inject({ url: '/kommunen', headers: { accept: 'text/html' } });
      assert.equal(pub.headers['cache-control'], 'no-cache');
    });

    test('/admin/outbox hides the secrets of reset, verification and invitation links', async () => {
      const { userId } = await createUserWithLoginLink(deps(), 'plattform@example.org', true);
      await account('kunde@gemeinde.example');
      await postForm('/passwort-vergessen', { email: 'kunde@gemeinde.example' });
      const token = (await lastMail('kunde@gemeinde.example')).match(/token=([A-Za-z0-9_-]+)/)![1]!;
      const s = await createSession(deps(), userId);
      const view = await app.inject({
        url: '/admin/outbox',
        headers: { accept: 'text/html', cookie: `kl_session=${s.token}` },
      });
      assert.equal(view.statusCode, 200);
      assert.ok(!view.body.includes(token), 'the live token is not shown');
      assert.match(view.body, /passwort-neu\?token=\[verborgen\]/);
    });

    test('the reset form answers before the reset work runs (same time for known and unknown addresses)', async () => {
      await account('bekannt@gemeinde.example');
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      // A mail module that blocks until released: the answer must not wait for it.
      const blocking = createBlockingMailer(t, gate);
      const slowApp = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC_URL }, undefined, blocking);
      try {
        const page = await slowApp.inject({ url: '/passwort-vergessen', headers: { accept: 'text/html' } });
        const csrf = String(page.headers['set-cookie']).match(/kl_csrf=([^;]+)/)![1]!;
        const answer = slowApp.inject({
          method: 'POST',
          url: '/passwort-vergessen',
          headers: {
            accept: 'text/html',
            'content-type': 'application/x-www-form-urlencoded',
            cookie: `kl_csrf=${csrf}`,
          },
          payload: `_csrf=${csrf}&email=bekannt%40gemeinde.example`,
        });
        const res = await Promise.race([answer, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
        assert.ok(res, 'answered while the mail was still being written');
        assert.equal(res.statusCode, 200);
        release();
        await slowApp.platform.tasks.idle();
        assert.match(await lastMail('bekannt@gemeinde.example'), /passwort-neu\?token=/);
      } finally {
        release();
        await slowApp.close();
      }
    });

    test('ten wrong passwords from ten addresses do not lock the owner out; a flood is held back but the owner’s device passes', async () => {
      const proxied = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC_URL, TRUST_PROXY: '1' });
      try {
        await account('ziel@gemeinde.example');
        const attempt = async (ip: string, password: string, cookie = '') => {
          const page = await proxied.inject({
            url: '/anmelden',
            headers: { accept: 'text/html', 'x-forwarded-for': ip },
          });
          const csrf = String(page.headers['set-cookie']).match(/kl_csrf=([^;]+)/)![1]!;
          return proxied.inject({
            method: 'POST',
            url: '/anmelden',
            headers: {
              accept: 'text/html',
              'content-type': 'application/x-www-form-urlencoded',
              'x-forwarded-for': ip,
              cookie: `kl_csrf=${csrf}${cookie ? `; ${cookie}` : ''}`,
            },
            payload: new URLSearchParams({ _csrf: csrf, email: 'ziel@gemeinde.example', password }).toString(),
          });
        };
        // The owner signs in once from their office PC: it becomes a known device.
        const first = await attempt('198.51.100.7', PASSWORD);
        assert.equal(first.statusCode, 303);
        const device = String(first.headers['set-cookie']).match(/kl_device=([^;]+)/)![1]!;
        for (let i = 1; i <= 10; i++)
          assert.equal((await attempt(`203.0.113.${i}`, 'falsch falsch falsch')).statusCode, 401);
        // Not locked: the owner, from another address, with the right password.
        assert.equal((await attempt('198.51.100.8', PASSWORD)).statusCode, 303);
        // A flood from many addresses: password logins to the account pause for unknown devices …
        for (let i = 11; i <= 60; i++) await attempt(`203.0.113.${i}`, 'falsch falsch falsch');
        const stranger = await attempt('192.0.2.1', PASSWORD);
        assert.equal(stranger.statusCode, 429);
        assert.match(stranger.body, /nur auf einem Gerät, auf dem Sie sich schon einmal angemeldet haben/);
        // … but the owner's own device still gets in.
        assert.equal((await attempt('198.51.100.9', PASSWORD, `kl_device=${device}`)).statusCode, 303);
      } finally {
        await proxied.close();
      }
    });

    test('TRUST_PROXY trusts only the configured hops: a forged X-Forwarded-For does not escape the per-address limit', async () => {
      const proxied = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC_URL, TRUST_PROXY: '1' });
      try {
        let limited = 0;
        for (let i = 0; i < 45; i++) {
          // The client forges the first entry; the proxy appends the address it really saw.
          const xff = `10.${i}.0.1, 203.0.113.99`;
          const page = await proxied.inject({
            url: '/anmelden',
            headers: { accept: 'text/html', 'x-forwarded-for': xff },
          });
          const csrf = String(page.headers['set-cookie']).match(/kl_csrf=([^;]+)/)![1]!;
          const res = await proxied.inject({
            method: 'POST',
            url: '/anmelden',
            headers: {
              accept: 'text/html',
              'content-type': 'application/x-www-form-urlencoded',
              'x-forwarded-for': xff,
              cookie: `kl_csrf=${csrf}`,
            },
            payload: new URLSearchParams({
              _csrf: csrf,
              email: `konto${i}@gemeinde.example`,
              password: 'x',
            }).toString(),
          });
          if (res.statusCode === 429) limited++;
        }
        assert.ok(limited >= 10, `the 31st and later attempts from one address are refused (${limited})`);
      } finally {
        await proxied.close();
      }
    });

    test('API_RATE_LIMIT applies to every API route, per client, with Retry-After', async () => {
      for (const url of ['/api/v1/lagebild', '/api/v1/maturity-model', '/api/v1/openapi.json', '/api/v1/regions/16']) {
        await t.db.query('DELETE FROM rate_limit_windows');
        const fresh = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC_URL, API_RATE_LIMIT: '5' });
        try {
          const statuses: number[] = [];
          for (let i = 0; i < 6; i++) statuses.push((await fresh.inject(url)).statusCode);
          assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200], url);
          const res = await fresh.inject(url);
          assert.equal(res.statusCode, 429, url);
          assert.ok(Number(res.headers['retry-after']) >= 1);
          assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
          // Another client is not affected.
          assert.equal((await fresh.inject({ url, remoteAddress: '192.0.2.55' })).statusCode, 200);
        } finally {
          await fresh.close();
        }
      }
    });

    test('sessions end after 2 hours idle and 12 hours in total', async () => {
      let now = Date.now();
      const clock = () => new Date(now);
      const timed = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC_URL }, clock);
      try {
        const userId = await account('uhr@gemeinde.example');
        const d = { ...deps(), now: clock };
        const visit = async (token: string) =>
          (await timed.inject({ url: '/konto', headers: { accept: 'text/html', cookie: `kl_session=${token}` } }))
            .statusCode;
        const idle = await createSession(d, userId);
        now += 2 * 3600_000 - 60_000;
        assert.equal(await visit(idle.token), 200, 'just under 2 h idle');
        now += 2 * 3600_000 + 1000;
        assert.equal(await visit(idle.token), 303, 'over 2 h idle: to the login');
        const busy = await createSession(d, userId);
        for (let h = 0; h < 11; h++) {
          now += 3600_000;
          assert.equal(await visit(busy.token), 200, `active, hour ${h + 1}`);
        }
        now += 3600_000 + 1000;
        assert.equal(await visit(busy.token), 303, 'over 12 h in total, however active');
      } finally {
        await timed.close();
      }
    });

    test('the 403 for someone else’s invitation does not name the invited address', async () => {
      const userId = await account('falsche@person.example');
      const orgId = await requestAccess(
        deps(),
        { id: userId, email: 'falsche@person.example', isPlatformAdmin: false },
        '16055',
        '',
      );
      const token = newToken();
      await t.db.query(
        `INSERT INTO invitations (org_id, email, role, token_hash, expires_at)
         VALUES ($1, 'geheim@eingeladen.example', 'member', $2, now() + interval '1 day')`,
        [orgId, hashToken(token)],
      );
      const a = new Agent(app);
      await a.post('/anmelden', { email: 'falsche@person.example', password: PASSWORD }, '/anmelden');
      const res = await a.post('/einladung', { token }, `/einladung?token=${token}`);
      assert.equal(res.statusCode, 403);
      assert.doesNotMatch(res.body, /geheim@eingeladen/);
    });

    test('the Lagebild page cache keys on the language only: random query strings create no entries', async () => {
      const first = await app.inject({ url: '/lagebild', headers: { accept: 'text/html' } });
      assert.equal(first.statusCode, 200);
      for (let i = 0; i < 30; i++) {
        const res = await app.inject({ url: `/lagebild?x=${newToken()}`, headers: { accept: 'text/html' } });
        assert.equal(res.body, first.body);
      }
    });
  });
}

/** A mailer on the test database whose `send` waits for `gate`. */
function createBlockingMailer(t: TestDb, gate: Promise<void>): Mailer {
  const inner = createMailer({ db: t.db, smtpUrl: null, from: 'lotse@example.org', outboxDir: null });
  return {
    ...inner,
    async send(msg, tx) {
      await gate;
      return inner.send(msg, tx);
    },
  };
}
