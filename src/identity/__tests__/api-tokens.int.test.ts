import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { requireScope } from '../../platform/http/auth.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import { createSession, createUserWithLoginLink } from '../identity.service.js';

const TOKEN_RE = /klt_[A-Za-z0-9_-]{43}/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A signed-in browser: the session cookie, and the session's CSRF secret in every form. */
class Agent {
  constructor(
    private app: FastifyInstance,
    readonly cookie: string,
    private csrf: string,
    readonly userId: number,
    private ip = '127.0.0.1',
  ) {}
  get(url: string) {
    return this.app.inject({
      method: 'GET',
      url,
      remoteAddress: this.ip,
      headers: { accept: 'text/html', cookie: this.cookie },
    });
  }
  post(url: string, form: Record<string, string | string[]>, opts: { csrf?: boolean } = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    if (opts.csrf !== false) body.append('_csrf', this.csrf);
    return this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers: { accept: 'text/html', cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }
  /** Create a token through the page and return it as shown on the result page. */
  async createToken(name: string, scopes: string[] = ['register:read'], expiryDays = '90') {
    const res = await this.post('/konto/tokens', { name, scopes, expiryDays });
    assert.equal(res.statusCode, 201, res.body.slice(0, 500));
    const token = res.body.match(TOKEN_RE)?.[0];
    assert.ok(token, 'the token is shown on the result page');
    return token;
  }
}

function api(app: FastifyInstance, url: string, authorization?: string) {
  return app.inject({
    method: 'GET',
    url,
    headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
  });
}

function assertInvalidToken(res: LightMyRequestResponse) {
  assert.equal(res.statusCode, 401, res.body);
  assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal(res.json().type, 'https://kommunallotse.de/probleme/invalid-token');
}

for (const kind of databaseKinds()) {
  describe(`API tokens on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let nextUser = 0;
    const deps = () => ({ db: t.db, mailer: { send: async () => ({}) }, publicUrl: 'http://localhost', t: TEST_T });

    /** A fresh verified user with a session; each test gets its own, so the per-account limit stays apart. */
    async function signIn(ip?: string) {
      const { userId } = await createUserWithLoginLink(deps(), `nutzer${++nextUser}@gemeinde.example`, false);
      const s = await createSession(deps(), userId);
      return new Agent(app, `kl_session=${s.token}`, s.csrfSecret, userId, ip);
    }

    async function tokenRows(userId: number) {
      return t.db.query<{
        id: number;
        name: string;
        tokenHash: string;
        prefix: string;
        scopes: string[];
        days: number;
        lastUsedAt: Date | null;
        revokedAt: Date | null;
      }>(
        `SELECT id::int AS id, name, token_hash AS "tokenHash", prefix, scopes,
           round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days,
           last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_tokens WHERE user_id = $1 ORDER BY id`,
        [userId],
      );
    }

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      // A test-only write route: how future API routes use requireScope.
      app.get('/api/v1/test-schreiben', { config: { access: 'public' }, schema: { hide: true } }, async (request) => {
        const token = requireScope(request, 'register:write');
        return { userId: token.userId };
      });
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('the page lists nothing yet and offers an accessible form', async () => {
      const a = await signIn();
      const page = await a.get('/konto/tokens');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>API-Tokens<\/h1>/);
      assert.match(page.body, /Sie haben noch keine API-Tokens/);
      assert.match(
        page.body,
        /<fieldset class="kern-fieldset"[^>]*><legend class="kern-label">Berechtigungen<\/legend>/,
      );
      assert.match(page.body, /type="checkbox" id="scopes" name="scopes" value="register:read"/);
      assert.match(page.body, /name="scopes" value="register:write"/);
      assert.match(page.body, /<label class="kern-label" for="expiryDays">/);
      assert.match(page.body, /id="expiryDays" name="expiryDays" value="90"/);
      assert.match(page.body, /<label class="kern-label" for="name">/);
    });

    test('create through the page: shown once, stored hashed, accepted as Bearer', async () => {
      const a = await signIn();
      const res = await a.post('/konto/tokens', {
        name: 'Abgleich Fachverfahren',
        scopes: 'register:read',
        expiryDays: '30',
      });
      assert.equal(res.statusCode, 201);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /Nur jetzt sichtbar/);
      const token = res.body.match(TOKEN_RE)?.[0];
      assert.ok(token);

      const [row, ...more] = await tokenRows(a.userId);
      assert.equal(more.length, 0);
      assert.equal(row!.name, 'Abgleich Fachverfahren');
      assert.equal(row!.tokenHash, sha256(token));
      assert.equal(row!.prefix, token.slice(0, 8));
      assert.deepEqual(row!.scopes, ['register:read']);
      assert.equal(row!.days, 30);
      assert.equal(row!.lastUsedAt, null);

      // The plain token (or its random part) is nowhere in the database.
      const tables = await t.db.query<{ name: string }>(
        `SELECT quote_ident(table_name) AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      assert.ok(tables.some((x) => x.name === 'api_tokens'));
      for (const { name } of tables) {
        const hits: { n: number }[] = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${name} x WHERE x::text LIKE '%' || $1 || '%'`,
          [token.slice(4)],
        );
        assert.equal(hits[0]!.n, 0, `token found in table ${name}`);
      }

      // Second view: the list shows the name and the prefix, never the token.
      const list = await a.get('/konto/tokens');
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, TOKEN_RE);
      assert.ok(list.body.includes(`<code>${token.slice(0, 8)}…</code>`));
      assert.match(list.body, /Abgleich Fachverfahren/);
      assert.match(list.body, /aktiv/);
      assert.match(list.body, /nie/);

      const ok = await api(app, '/api/v1/regions?q=Berlin', `Bearer ${token}`);
      assert.equal(ok.statusCode, 200, ok.body);
      const used = (await tokenRows(a.userId))[0]!.lastUsedAt;
      assert.ok(used, 'last_used_at is recorded');
      const again = await api(app, '/api/v1/regions/11', `bearer ${token}`);
      assert.equal(again.statusCode, 200, 'the scheme is case-insensitive');
      assert.equal(
        new Date((await tokenRows(a.userId))[0]!.lastUsedAt!).getTime(),
        new Date(used).getTime(),
        'last_used_at is written at most once a minute',
      );

      // Unknown or malformed tokens are refused, even on public routes.
      assertInvalidToken(await api(app, '/api/v1/regions', `Bearer klt_${'A'.repeat(43)}`));
      assertInvalidToken(await api(app, '/api/v1/regions', 'Bearer kein-token'));
      assertInvalidToken(await api(app, '/api/v1/regions', 'Bearer'));
      assertInvalidToken(await api(app, '/api/v1/regions', `Bearer ${token.slice(0, -1)}`));
      // Without a token, the public API stays public.
      assert.equal((await api(app, '/api/v1/regions')).statusCode, 200);
    });

    test('expired and revoked tokens are refused with 401', async () => {
      const a = await signIn();
      const expired = await a.createToken('läuft ab');
      const revoked = await a.createToken('wird widerrufen');
      assert.equal((await api(app, '/api/v1/regions', `Bearer ${expired}`)).statusCode, 200);
      await t.db.query(
        `UPDATE api_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second'
         WHERE token_hash = $1`,
        [sha256(expired)],
      );
      assertInvalidToken(await api(app, '/api/v1/regions', `Bearer ${expired}`));

      const [, row] = await tokenRows(a.userId);
      const res = await a.post(`/konto/tokens/${row!.id}/widerrufen`, {});
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/konto/tokens?widerrufen=1');
      assertInvalidToken(await api(app, '/api/v1/regions', `Bearer ${revoked}`));
      const first = (await tokenRows(a.userId))[1]!.revokedAt;
      assert.ok(first);
      // Revoking again changes nothing.
      assert.equal((await a.post(`/konto/tokens/${row!.id}/widerrufen`, {})).statusCode, 303);
      assert.equal(new Date((await tokenRows(a.userId))[1]!.revokedAt!).getTime(), new Date(first).getTime());

      const list = await a.get('/konto/tokens?widerrufen=1');
      assert.match(list.body, /Das Token wurde widerrufen/);
      assert.match(list.body, /widerrufen<\/span>/);
      assert.match(list.body, /abgelaufen<\/span>/);
      assert.doesNotMatch(list.body, /action="\/konto\/tokens\/\d+\/widerrufen"/, 'no revoke button for dead tokens');
    });

    test("revoking another user's token answers 404 and changes nothing", async () => {
      const owner = await signIn();
      const other = await signIn();
      const token = await owner.createToken('gehört mir', ['register:read', 'register:write']);
      const [row] = await tokenRows(owner.userId);
      const res = await other.post(`/konto/tokens/${row!.id}/widerrufen`, {});
      assert.equal(res.statusCode, 404);
      for (const id of ['abc', '0', '-1', '99999999', '1e3']) {
        assert.equal((await other.post(`/konto/tokens/${id}/widerrufen`, {})).statusCode, 404, id);
      }
      // Without the CSRF token even the owner cannot revoke.
      assert.equal((await owner.post(`/konto/tokens/${row!.id}/widerrufen`, {}, { csrf: false })).statusCode, 403);
      assert.equal((await tokenRows(owner.userId))[0]!.revokedAt, null);
      assert.equal((await api(app, '/api/v1/regions', `Bearer ${token}`)).statusCode, 200);
      // The other user's list does not show it either.
      assert.doesNotMatch((await other.get('/konto/tokens')).body, /gehört mir/);
      // Deleting the account deletes its tokens.
      await t.db.query('DELETE FROM users WHERE id = $1', [owner.userId]);
      assert.equal((await tokenRows(owner.userId)).length, 0);
      assertInvalidToken(await api(app, '/api/v1/regions', `Bearer ${token}`));
    });

    test('validation: field errors name the fields and the form keeps what was typed', async () => {
      const a = await signIn();
      const empty = await a.post('/konto/tokens', { name: '  ', expiryDays: '0' });
      assert.equal(empty.statusCode, 400);
      for (const field of ['name', 'scopes', 'expiryDays']) {
        assert.match(empty.body, new RegExp(`href="#${field}"`), field);
        assert.match(empty.body, new RegExp(`id="${field}-error"`), field);
      }
      assert.match(empty.body, /<title>Fehler: API-Tokens/);
      assert.match(empty.body, /id="expiryDays" name="expiryDays" value="0" autocomplete="off" aria-invalid="true"/);
      assert.match(empty.body, /kern-fieldset--error/);

      const tooLong = await a.post('/konto/tokens', {
        name: 'Mein Skript',
        scopes: 'register:write',
        expiryDays: '400',
      });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /href="#expiryDays"/);
      assert.doesNotMatch(tooLong.body, /href="#name"|href="#scopes"/);
      assert.match(tooLong.body, /id="name" name="name" value="Mein Skript"/);
      assert.match(tooLong.body, /value="register:write" checked/);
      assert.doesNotMatch(tooLong.body, /value="register:read" checked/);

      const unknownScope = await a.post('/konto/tokens', { name: 'x', scopes: 'admin:write', expiryDays: '1' });
      assert.equal(unknownScope.statusCode, 400);
      assert.match(unknownScope.body, /href="#scopes"/);
      const longName = await a.post('/konto/tokens', {
        name: 'n'.repeat(101),
        scopes: 'register:read',
        expiryDays: '1',
      });
      assert.equal(longName.statusCode, 400);
      assert.match(longName.body, /href="#name"/);
      for (const days of ['abc', '1.5', '-3', '']) {
        const res = await a.post('/konto/tokens', { name: 'x', scopes: 'register:read', expiryDays: days });
        assert.equal(res.statusCode, 400, days);
      }
      assert.equal((await tokenRows(a.userId)).length, 0, 'nothing was created');

      // The limits themselves are accepted.
      await a.createToken('ein Tag', ['register:read'], '1');
      await a.createToken('ein Jahr', ['register:read'], '365');
      assert.deepEqual(
        (await tokenRows(a.userId)).map((r) => r.days),
        [1, 365],
      );
    });

    test('requireScope: 401 without a token, 403 insufficient_scope with too few, allowed with the scope', async () => {
      const a = await signIn();
      const read = await a.createToken('nur lesen', ['register:read']);
      const write = await a.createToken('schreiben', ['register:write']);
      const none = await api(app, '/api/v1/test-schreiben');
      assert.equal(none.statusCode, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer');
      const weak = await api(app, '/api/v1/test-schreiben', `Bearer ${read}`);
      assert.equal(weak.statusCode, 403);
      assert.equal(weak.headers['www-authenticate'], 'Bearer error="insufficient_scope", scope="register:write"');
      assert.equal(weak.json().requiredScope, 'register:write');
      const ok = await api(app, '/api/v1/test-schreiben', `Bearer ${write}`);
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { userId: a.userId });
      // A session cookie is never accepted by the API.
      const cookieOnly = await app.inject({
        method: 'GET',
        url: '/api/v1/test-schreiben',
        headers: { cookie: a.cookie },
      });
      assert.equal(cookieOnly.statusCode, 401);
    });

    test('OpenAPI documents the bearer scheme, optional on the register routes', async () => {
      const doc = (await api(app, '/api/v1/openapi.json')).json();
      assert.deepEqual(
        {
          type: doc.components.securitySchemes.bearerAuth.type,
          scheme: doc.components.securitySchemes.bearerAuth.scheme,
        },
        { type: 'http', scheme: 'bearer' },
      );
      for (const path of ['/api/v1/regions', '/api/v1/regions/{key}', '/api/v1/regions/{key}/children']) {
        assert.deepEqual(doc.paths[path].get.security, [{}, { bearerAuth: [] }], path);
        assert.ok(doc.paths[path].get.responses['401'], path);
      }
      assert.equal(doc.paths['/api/v1/test-schreiben'], undefined);
    });

    test('rate limit: 10 per account and 30 per IP in an hour, then 429 with Retry-After', async () => {
      const a = await signIn('10.0.0.1');
      for (let i = 0; i < 10; i++) await a.createToken(`Token ${i}`);
      const limited = await a.post('/konto/tokens', { name: 'eins zu viel', scopes: 'register:read', expiryDays: '5' });
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.match(limited.body, /Zu viele Versuche/);
      assert.match(limited.body, /value="eins zu viel"/, 'what was typed is kept');
      assert.equal((await tokenRows(a.userId)).length, 10);

      // Per IP: three more accounts from one address share 30 creations.
      const ip = '10.0.0.2';
      for (let u = 0; u < 3; u++) {
        const b = await signIn(ip);
        for (let i = 0; i < 10; i++) await b.createToken(`IP-Token ${u}/${i}`);
      }
      const fourth = await signIn(ip);
      const blocked = await fourth.post('/konto/tokens', { name: 'x', scopes: 'register:read', expiryDays: '5' });
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
      assert.equal((await tokenRows(fourth.userId)).length, 0);
      // Another address is not affected.
      const elsewhere = await signIn('10.0.0.3');
      await elsewhere.createToken('anderswo');
    });

    test('a script in the token name is escaped on the result and list pages', async () => {
      const a = await signIn();
      const xss = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
      const created = await a.post('/konto/tokens', { name: xss, scopes: 'register:read', expiryDays: '7' });
      assert.equal(created.statusCode, 201);
      assert.doesNotMatch(created.body, /<script>alert|<img src=x/);
      const list = await a.get('/konto/tokens');
      assert.doesNotMatch(list.body, /<script>alert|<img src=x/);
      assert.match(list.body, /&lt;script>alert\(1\)&lt;\/script>|&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    });

    test('anonymous visitors are sent to the login', async () => {
      const res = await app.inject({ method: 'GET', url: '/konto/tokens', headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/anmelden?weiter=%2Fkonto%2Ftokens');
    });
  });
}
