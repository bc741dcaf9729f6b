/**
 * Deny by default, checked: this table says, for every route and every role, what must happen.
 * The test calls every route of the running app as every role and compares. A route that is not in
 * the table fails the test; so does a table row whose route no longer exists.
 *
 * Outcomes: 'allow' (the handler ran: 2xx, 3xx other than to the login, or a 400/401/404/410 of its own),
 * 'login' (303 to /anmelden for pages, 401 for the API), 'deny' (403).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, type TestDb } from '../../../test/helpers/db.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';

type Outcome = 'allow' | 'login' | 'deny';
const ROLES = ['anonymous', 'user', 'platformAdmin'] as const;
type Role = (typeof ROLES)[number];

const PUBLIC: Record<Role, Outcome> = { anonymous: 'allow', user: 'allow', platformAdmin: 'allow' };
const USER: Record<Role, Outcome> = { anonymous: 'login', user: 'allow', platformAdmin: 'allow' };
const ADMIN: Record<Role, Outcome> = { anonymous: 'login', user: 'deny', platformAdmin: 'allow' };

export const ACCESS_TABLE: Record<string, Record<Role, Outcome>> = {
  'GET /health': PUBLIC,
  'GET /sprache': PUBLIC,
  'GET /': PUBLIC,
  'GET /kommunen': PUBLIC,
  'GET /kommunen/:key': PUBLIC,
  'GET /datenquellen': PUBLIC,
  'GET /impressum': PUBLIC,
  'GET /barrierefreiheit': PUBLIC,
  'GET /api/docs': PUBLIC,
  'GET /api/v1/openapi.json': PUBLIC,
  'GET /api/v1/regions': PUBLIC,
  'GET /api/v1/regions/:key': PUBLIC,
  'GET /api/v1/regions/:key/children': PUBLIC,
  'GET /anmelden': PUBLIC,
  'POST /anmelden': PUBLIC,
  'GET /anmelden/link': PUBLIC,
  'POST /anmelden/link': PUBLIC,
  'POST /abmelden': USER,
  'GET /registrieren': PUBLIC,
  'POST /registrieren': PUBLIC,
  'GET /registrieren/danke': PUBLIC,
  'GET /konto/bestaetigen': PUBLIC,
  'GET /passwort-vergessen': PUBLIC,
  'POST /passwort-vergessen': PUBLIC,
  'GET /passwort-neu': PUBLIC,
  'POST /passwort-neu': PUBLIC,
  'GET /konto': USER,
  'POST /konto/passwort': USER,
  'POST /konto/abmelden-ueberall': USER,
  'GET /admin': ADMIN,
  'GET /admin/outbox': ADMIN,
};

const SAMPLE_PARAMS: Record<string, string> = { ':key': '16056' };

describe('route × role access table', () => {
  let t: TestDb;
  let app: FastifyInstance;
  const userIds: Partial<Record<Role, number>> = {};

  before(async () => {
    t = await createTestDb('pglite');
    await ensureEmbeddedDefault(t.db);
    app = await buildTestApp(t.db);
    const deps = { db: t.db, mailer: { send: async () => ({}) }, baseUrl: 'http://localhost' };
    userIds.user = (await createUserWithLoginLink(deps, 'mitglied@example.org', false)).userId;
    userIds.platformAdmin = (await createUserWithLoginLink(deps, 'admin@example.org', true)).userId;
  });
  after(async () => {
    await app?.close();
    await t?.dispose();
  });

  test('every route is in the table and every table row is a route', () => {
    const routes = new Set(app.routeAccess.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
    const missing = [...routes].filter((r) => !(r in ACCESS_TABLE));
    const stale = Object.keys(ACCESS_TABLE).filter((r) => !routes.has(r));
    assert.deepEqual(missing, [], 'routes missing from the access table');
    assert.deepEqual(stale, [], 'table rows without a route');
  });

  test('every route answers every role as the table says', async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const route of app.routeAccess) {
      if (route.method === 'HEAD') continue;
      const expected = ACCESS_TABLE[`${route.method} ${route.url}`];
      if (!expected) continue;
      const url = route.url.replace(/:[a-z]+/g, (p) => SAMPLE_PARAMS[p] ?? 'x');
      for (const role of ROLES) {
        // A fresh session per call: some routes end the session they are called with.
        const headers: Record<string, string> = { accept: 'text/html' };
        let csrf = 'anonymous-csrf-token-for-the-access-table-test-';
        if (role !== 'anonymous') {
          const s = await createSession({ db: t.db, mailer: { send: async () => ({}) }, baseUrl: '' }, userIds[role]!);
          headers.cookie = `kl_session=${s.token}`;
          csrf = s.csrfSecret;
        } else {
          csrf = csrf.slice(0, 43).padEnd(43, 'a');
          headers.cookie = `kl_csrf=${csrf}`;
        }
        const res = await app.inject({
          method: route.method as 'GET' | 'POST',
          url,
          headers:
            route.method === 'POST' ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
          ...(route.method === 'POST' ? { payload: `_csrf=${csrf}` } : {}),
        });
        calls++;
        const location = String(res.headers.location ?? '');
        const outcome: Outcome =
          (url.startsWith('/api/') && res.statusCode === 401) ||
          (res.statusCode === 303 && location.startsWith('/anmelden?weiter='))
            ? 'login'
            : res.statusCode === 403
              ? 'deny'
              : 'allow';
        if (outcome !== expected[role]) {
          failures.push(
            `${route.method} ${route.url} as ${role}: ${outcome} (${res.statusCode}), expected ${expected[role]}`,
          );
        }
        if (res.statusCode >= 500) failures.push(`${route.method} ${route.url} as ${role}: ${res.statusCode}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(calls >= Object.keys(ACCESS_TABLE).length * ROLES.length);
  });
});
