/**
 * Single sign-on against a real OpenID provider (oidc-provider on 127.0.0.1), with the app listening on a
 * real port, driven by a tiny cookie-keeping browser over fetch.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { startOidcProvider, type TestOidcProvider } from '../../../test/helpers/oidc-provider.js';
import { freePort } from '../../../test/helpers/server.js';
import { ConfigError, oidcConfigFromEnv } from '../../platform/config.js';
import { signUp } from '../identity.service.js';

const CLIENT_ID = 'kommunallotse';
const CLIENT_SECRET = 'ein-langes-testgeheimnis-fuer-den-client';
const PASSWORD = 'Lange Sätze sind gute Passwörter 7';

/** Keeps cookies per origin (host and port), follows redirects by hand so every hop can be inspected. */
class Browser {
  private jars = new Map<string, Map<string, string>>();

  private jar(url: URL) {
    let jar = this.jars.get(url.host);
    if (!jar) {
      jar = new Map();
      this.jars.set(url.host, jar);
    }
    return jar;
  }

  cookie(origin: string, name: string) {
    return this.jar(new URL(origin)).get(name);
  }

  async get(url: string): Promise<Response> {
    const u = new URL(url);
    const jar = this.jar(u);
    const res = await fetch(u, {
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /**
   * Follow redirects from `url` until a response is not a redirect, or until the next hop would go to a URL
   * that `stopAt` accepts (then that URL is returned unvisited).
   */
  async follow(url: string, stopAt?: (next: URL) => boolean): Promise<{ res: Response | null; url: URL }> {
    let current = new URL(url);
    for (let hop = 0; hop < 15; hop++) {
      const res = await this.get(current.href);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      await res.arrayBuffer();
      current = new URL(location, current);
      if (stopAt?.(current)) return { res: null, url: current };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

for (const kind of databaseKinds()) {
  describe(`OpenID Connect single sign-on on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let idp: TestOidcProvider;
    let base: string;

    before(async () => {
      t = await createTestDb(kind);
      idp = await startOidcProvider();
      // The redirect URL comes from configuration (BASE_URL), never from the request's Host header.
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      app = await buildTestApp(t.db, undefined, {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_NAME: 'Landesportal',
        BASE_URL: base,
      });
      await app.listen({ port, host: '127.0.0.1' });
      await idp.addClient({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: `${base}/anmelden/oidc/callback`,
      });
    });
    after(async () => {
      await app?.close();
      await idp?.close();
      await t?.dispose();
    });
    beforeEach(() => idp.loginAs('deny'));

    const users = (email: string) =>
      t.db.query<{ id: number; verified: boolean; hasPassword: boolean }>(
        `SELECT id::int AS id, email_verified_at IS NOT NULL AS verified, password_hash IS NOT NULL AS "hasPassword"
         FROM users WHERE email = $1`,
        [email],
      );
    const count = async (sql: string) => (await t.db.query<{ n: number }>(sql))[0]!.n;
    const identities = (userId: number) =>
      t.db.query<{ issuer: string; subject: string }>(
        'SELECT issuer, subject FROM user_identities WHERE user_id = $1 ORDER BY id',
        [userId],
      );

    /**
     * The whole round trip for whoever the provider signs in; ends at the app's final answer. (Without a return
     * target a person without a workspace lands on "Ihre Kommune finden"; these tests ask for the account page.)
     */
    async function signIn(browser: Browser, start = '/anmelden/oidc?weiter=%2Fkonto') {
      const { res, url } = await browser.follow(`${base}${start}`);
      return { res: res!, url };
    }

    test('the login page offers the provider', async () => {
      const res = await fetch(`${base}/anmelden?weiter=%2Fkonto`, { headers: { accept: 'text/html' } });
      const html = await res.text();
      assert.match(html, /href="\/anmelden\/oidc\?weiter=%2Fkonto"/);
      assert.match(html, /Mit Landesportal anmelden/);
    });

    test('start redirects to the provider with PKCE, state and nonce in an HttpOnly cookie', async () => {
      const browser = new Browser();
      const res = await browser.get(`${base}/anmelden/oidc`);
      assert.equal(res.status, 303);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.origin, idp.issuer);
      assert.equal(location.searchParams.get('client_id'), CLIENT_ID);
      assert.equal(location.searchParams.get('redirect_uri'), `${base}/anmelden/oidc/callback`);
      assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(location.searchParams.get('state'));
      assert.ok(location.searchParams.get('nonce'));
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('kl_oidc='));
      assert.ok(setCookie);
      assert.match(setCookie, /HttpOnly/i);
      assert.match(setCookie, /SameSite=Lax/i);
    });

    test('a new user gets a verified account without password, a link and a session', async () => {
      idp.setAccount({ sub: 'neu-1', email: 'Neu.Person@Example.org', email_verified: true });
      idp.loginAs('neu-1');
      const browser = new Browser();
      const { res, url } = await signIn(browser, '/anmelden/oidc?weiter=%2Fkonto%3Fx%3D1');
      assert.equal(url.pathname, '/konto');
      assert.equal(url.search, '?x=1', 'continues to the path given at the start');
      assert.equal(res.status, 200);
      assert.match(await res.text(), /neu\.person@example\.org/);
      const [u] = await users('neu.person@example.org');
      assert.ok(u);
      assert.equal(u.verified, true);
      assert.equal(u.hasPassword, false);
      assert.deepEqual(await identities(u.id), [{ issuer: idp.issuer, subject: 'neu-1' }]);
      assert.equal(browser.cookie(base, 'kl_oidc'), undefined, 'the pending-login cookie is gone');

      // A second login finds the same account, with a fresh session.
      const first = browser.cookie(base, 'kl_session');
      const again = await signIn(browser);
      assert.equal(again.url.pathname, '/konto');
      assert.notEqual(browser.cookie(base, 'kl_session'), first);
      assert.equal((await users('neu.person@example.org')).length, 1);
    });

    test('an existing unverified account is verified and linked, and its unproven password removed', async () => {
      await signUp(
        { db: t.db, mailer: { send: async () => ({}) }, publicUrl: base, t: TEST_T },
        { email: 'unbestaetigt@example.org', password: PASSWORD },
      );
      const [before] = await users('unbestaetigt@example.org');
      assert.equal(before!.verified, false);
      assert.equal(before!.hasPassword, true);

      idp.setAccount({ sub: 'alt-2', email: 'unbestaetigt@example.org', email_verified: true });
      idp.loginAs('alt-2');
      const { res, url } = await signIn(new Browser());
      assert.equal(url.pathname, '/konto');
      assert.equal(res.status, 200);
      const [u] = await users('unbestaetigt@example.org');
      assert.equal(u!.id, before!.id, 'the same account');
      assert.equal(u!.verified, true);
      assert.equal(u!.hasPassword, false);
      assert.deepEqual(await identities(u!.id), [{ issuer: idp.issuer, subject: 'alt-2' }]);
    });

    test('the link survives a change of the e-mail address at the provider', async () => {
      idp.setAccount({ sub: 'wechsel-3', email: 'vorher@example.org', email_verified: true });
      idp.loginAs('wechsel-3');
      await signIn(new Browser());
      const [u] = await users('vorher@example.org');
      assert.ok(u);
      idp.setAccount({ sub: 'wechsel-3', email: 'nachher@example.org', email_verified: true });
      const { res, url } = await signIn(new Browser());
      assert.equal(url.pathname, '/konto');
      assert.match(await res.text(), /vorher@example\.org/);
      assert.equal((await users('nachher@example.org')).length, 0, 'no second account');
    });

    test('an address the provider has not verified is refused: no account, no session', async () => {
      const before = await count('SELECT count(*)::int AS n FROM users');
      const sessions = await count('SELECT count(*)::int AS n FROM sessions');
      idp.setAccount({ sub: 'unverified-4', email: 'nicht-geprueft@example.org', email_verified: false });
      idp.loginAs('unverified-4');
      const browser = new Browser();
      const { res, url } = await signIn(browser);
      assert.equal(url.pathname, '/anmelden/oidc/callback');
      assert.equal(res.status, 403);
      assert.match(await res.text(), /nicht bestätigt/);
      assert.equal(browser.cookie(base, 'kl_session'), undefined);
      assert.equal(await count('SELECT count(*)::int AS n FROM users'), before);
      assert.equal(await count('SELECT count(*)::int AS n FROM sessions'), sessions);
      assert.equal(await count("SELECT count(*)::int AS n FROM user_identities WHERE subject = 'unverified-4'"), 0);
    });

    test('an unverified address never links to an existing account either', async () => {
      await signUp(
        { db: t.db, mailer: { send: async () => ({}) }, publicUrl: base, t: TEST_T },
        { email: 'opfer@example.org', password: PASSWORD },
      );
      idp.setAccount({ sub: 'angreifer-5', email: 'opfer@example.org' }); // email_verified missing
      idp.loginAs('angreifer-5');
      const { res } = await signIn(new Browser());
      assert.equal(res.status, 403);
      const [u] = await users('opfer@example.org');
      assert.equal(u!.verified, false);
      assert.equal(u!.hasPassword, true);
      assert.deepEqual(await identities(u!.id), []);
    });

    test('a wrong state is refused', async () => {
      idp.setAccount({ sub: 'state-6', email: 'state@example.org', email_verified: true });
      idp.loginAs('state-6');
      const browser = new Browser();
      const callback = (u: URL) => u.origin === base && u.pathname === '/anmelden/oidc/callback';
      const { url } = await browser.follow(`${base}/anmelden/oidc`, callback);
      assert.ok(callback(url));
      url.searchParams.set('state', 'ein-fremder-state');
      const res = await browser.get(url.href);
      assert.equal(res.status, 400);
      assert.match(await res.text(), /nicht in diesem Browser begonnen/);
      assert.equal(browser.cookie(base, 'kl_session'), undefined);
      assert.equal((await users('state@example.org')).length, 0);
    });

    test('a callback in another browser (no pending-login cookie) is refused', async () => {
      idp.setAccount({ sub: 'fremd-7', email: 'fremd@example.org', email_verified: true });
      idp.loginAs('fremd-7');
      const callback = (u: URL) => u.origin === base && u.pathname === '/anmelden/oidc/callback';
      const { url } = await new Browser().follow(`${base}/anmelden/oidc`, callback);
      const other = new Browser();
      const res = await other.get(url.href);
      assert.equal(res.status, 400);
      assert.equal(other.cookie(base, 'kl_session'), undefined);
      assert.equal((await users('fremd@example.org')).length, 0);
    });

    test('a login refused at the provider (access_denied) shows a clear page, no session', async () => {
      idp.loginAs('deny');
      const browser = new Browser();
      const { res, url } = await signIn(browser);
      assert.equal(url.pathname, '/anmelden/oidc/callback');
      assert.equal(url.searchParams.get('error'), 'access_denied');
      assert.equal(res.status, 401);
      assert.match(await res.text(), /abgebrochen oder abgelehnt/);
      assert.equal(browser.cookie(base, 'kl_session'), undefined);
    });
  });
}

describe('OpenID Connect not configured', () => {
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

  test('both routes answer 404 and the login page offers no provider', async () => {
    for (const url of ['/anmelden/oidc', '/anmelden/oidc/callback?code=x&state=y']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 404, url);
    }
    const login = await app.inject({ method: 'GET', url: '/anmelden', headers: { accept: 'text/html' } });
    assert.doesNotMatch(login.body, /anmelden\/oidc/);
  });
});

test('OIDC configuration: all three or none, named in the error', () => {
  assert.equal(oidcConfigFromEnv({}), null);
  const full = { OIDC_ISSUER: 'https://sso.example.de/realms/land', OIDC_CLIENT_ID: 'lotse', OIDC_CLIENT_SECRET: 's' };
  assert.deepEqual(oidcConfigFromEnv({ ...full, OIDC_NAME: 'Landesportal' }), {
    issuer: 'https://sso.example.de/realms/land',
    clientId: 'lotse',
    clientSecret: 's',
    name: 'Landesportal',
  });
  const fails = (env: Record<string, string>, variable: string) =>
    assert.throws(
      () => oidcConfigFromEnv(env),
      (err) => err instanceof ConfigError && err.variable === variable,
    );
  fails({ OIDC_CLIENT_ID: 'lotse', OIDC_CLIENT_SECRET: 's' }, 'OIDC_ISSUER');
  fails({ OIDC_ISSUER: full.OIDC_ISSUER, OIDC_CLIENT_SECRET: 's' }, 'OIDC_CLIENT_ID');
  fails({ OIDC_ISSUER: full.OIDC_ISSUER, OIDC_CLIENT_ID: 'lotse' }, 'OIDC_CLIENT_SECRET');
  fails({ OIDC_NAME: 'Landesportal' }, 'OIDC_ISSUER');
  fails({ ...full, OIDC_ISSUER: 'sso.example.de' }, 'OIDC_ISSUER');
  fails({ ...full, OIDC_ISSUER: 'http://sso.example.de/realms/land' }, 'OIDC_ISSUER');
  assert.ok(oidcConfigFromEnv({ ...full, OIDC_ISSUER: 'http://localhost:8080/realms/dev' }));
});
