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
import { startCheck } from '../../assessment/assessment.service.js';
import { applicableQuestions, loadModel } from '../../assessment/model.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { makeAdvisor, requestAccess } from '../../organisations/organisations.service.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';

type Outcome = 'allow' | 'login' | 'deny';
/**
 * The roles: anonymous; a signed-in person without membership ('user'); a member and an admin of the
 * sample workspace (Kreis 16056); an advisor of the competence centre for its Land (Thüringen);
 * a platform admin. The sample workspace has an admin, so the advisor may see but not manage it.
 */
const ROLES = ['anonymous', 'user', 'member', 'orgAdmin', 'advisor', 'platformAdmin'] as const;
type Role = (typeof ROLES)[number];

const row = (
  anonymous: Outcome,
  user: Outcome,
  member: Outcome,
  orgAdmin: Outcome,
  advisor: Outcome,
  platformAdmin: Outcome,
) => ({
  anonymous,
  user,
  member,
  orgAdmin,
  advisor,
  platformAdmin,
});
const PUBLIC = row('allow', 'allow', 'allow', 'allow', 'allow', 'allow');
const USER = row('login', 'allow', 'allow', 'allow', 'allow', 'allow');
const ADMIN = row('login', 'deny', 'deny', 'deny', 'deny', 'allow');
/** The workspace page: its members, the advisor of its Land and platform admins. */
const ORG_VIEW = row('login', 'deny', 'allow', 'allow', 'allow', 'allow');
/** Managing the workspace: its admins and platform admins (the advisor only while it has no admin). */
const ORG_MANAGE = row('login', 'deny', 'deny', 'allow', 'deny', 'allow');
/** A workspace's Digitalcheck: its members only (results are private until published). */
const CHECK_MEMBER = row('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/** Publishing a result: the workspace's admins. */
const CHECK_ADMIN = row('login', 'deny', 'deny', 'allow', 'deny', 'deny');
/** Leaving: members only (a non-member gets 404, which is the handler's own answer). */
const ORG_MEMBER = row('login', 'allow', 'allow', 'allow', 'allow', 'allow');

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
  'GET /anmelden/oidc': PUBLIC,
  'GET /anmelden/oidc/callback': PUBLIC,
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
  'GET /konto/tokens': USER,
  'POST /konto/tokens': USER,
  'POST /konto/tokens/:id/widerrufen': USER,
  'GET /organisationen': USER,
  'POST /organisationen/handeln': USER,
  'GET /organisationen/beitreten': USER,
  'POST /organisationen/beitreten': USER,
  'GET /organisationen/:id': ORG_VIEW,
  'POST /organisationen/:id/antraege/:rid': ORG_MANAGE,
  'POST /organisationen/:id/einladungen': ORG_MANAGE,
  'POST /organisationen/:id/mitglieder/:uid': ORG_MANAGE,
  'POST /organisationen/:id/verlassen': ORG_MEMBER,
  'GET /organisationen/:id/protokoll': ORG_MANAGE,
  'GET /organisationen/:id/protokoll.csv': ORG_MANAGE,
  'GET /einladung': USER,
  'POST /einladung': USER,
  'GET /digitalcheck': PUBLIC,
  'POST /digitalcheck/start': CHECK_MEMBER,
  'GET /digitalcheck/:id': CHECK_MEMBER,
  'GET /digitalcheck/:id/frage/:qid': CHECK_MEMBER,
  'POST /digitalcheck/:id/frage/:qid': CHECK_MEMBER,
  'POST /digitalcheck/:id/absenden': CHECK_MEMBER,
  'GET /digitalcheck/:id/ergebnis': CHECK_MEMBER,
  'GET /digitalcheck/:id/ergebnis.csv': CHECK_MEMBER,
  'GET /digitalcheck/:id/ergebnis.pdf': CHECK_MEMBER,
  'POST /digitalcheck/:id/veroeffentlichen': CHECK_ADMIN,
  'GET /lagebild': PUBLIC,
  'GET /api/v1/lagebild': PUBLIC,
  'GET /api/v1/maturity-model': PUBLIC,
  'GET /admin/organisationen': ADMIN,
  'POST /admin/organisationen': ADMIN,
  'GET /admin': ADMIN,
  'GET /admin/outbox': ADMIN,
  'GET /admin/audit': ADMIN,
  'GET /admin/audit.csv': ADMIN,
  'GET /datenschutz': PUBLIC,
  'GET /konto/daten': USER,
  'GET /konto/loeschen': USER,
  'POST /konto/loeschen': USER,
  'GET /konto/geloescht': PUBLIC,
};

const SAMPLE_PARAMS: Record<string, string> = { ':key': '16056' };
/** Form fields every POST carries (besides _csrf), so handlers get past validation to the permission check. */
const SAMPLE_FORM = 'action=member&decision=reject&role=member&email=neu%40example.org&org=&token=x&note=';

describe('route × role access table', () => {
  let t: TestDb;
  let app: FastifyInstance;
  const userIds: Partial<Record<Role, number>> = {};
  let orgId = 0;
  let requesterId = 0;
  let checkId = 0;

  before(async () => {
    t = await createTestDb('pglite');
    await ensureEmbeddedDefault(t.db);
    app = await buildTestApp(t.db);
    const deps = { db: t.db, mailer: { send: async () => ({}) }, baseUrl: 'http://localhost' };
    userIds.user = (await createUserWithLoginLink(deps, 'mitglied@example.org', false)).userId;
    userIds.platformAdmin = (await createUserWithLoginLink(deps, 'admin@example.org', true)).userId;
    userIds.member = (await createUserWithLoginLink(deps, 'member@kreis.example', false)).userId;
    userIds.orgAdmin = (await createUserWithLoginLink(deps, 'orgadmin@kreis.example', false)).userId;
    userIds.advisor = (await createUserWithLoginLink(deps, 'beratung@zentrum.example', false)).userId;
    const requester = (await createUserWithLoginLink(deps, 'antrag@kreis.example', false)).userId;
    const actorOf = (id: number) => ({ userId: id, email: '', isPlatformAdmin: false });
    orgId = await requestAccess(deps, actorOf(userIds.orgAdmin), '16056', '');
    await makeAdvisor(t.db, userIds.advisor, '16');
    requesterId = requester;
    await resetWorkspace();
    checkId = await startCheck(
      t.db,
      { userId: userIds.member, email: 'member@kreis.example', isPlatformAdmin: false },
      orgId,
    );
    SAMPLE_PARAMS[':qid'] = applicableQuestions(loadModel(), { population: 42_370, kind: 'kreisfreie-stadt' })[0]!.id;
  });

  /** Restore the sample workspace before each call (some calls leave it, decide requests or change roles). */
  async function resetWorkspace() {
    await t.db.query('DELETE FROM memberships WHERE org_id = $1', [orgId]);
    await t.db.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3), ($1, $4, $5)', [
      orgId,
      userIds.orgAdmin,
      'admin',
      userIds.member,
      'member',
    ]);
    await t.db.query('DELETE FROM access_requests WHERE org_id = $1', [orgId]);
    const rows = await t.db.query<{ id: number }>(
      "INSERT INTO access_requests (org_id, user_id, email_domain) VALUES ($1, $2, 'kreis.example') RETURNING id::int AS id",
      [orgId, requesterId],
    );
    SAMPLE_PARAMS[':rid'] = String(rows[0]!.id);
    SAMPLE_PARAMS[':id'] = String(orgId);
    SAMPLE_PARAMS[':uid'] = String(userIds.member);
  }
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
      for (const role of ROLES) {
        await resetWorkspace();
        const params = route.url.startsWith('/digitalcheck/')
          ? { ...SAMPLE_PARAMS, ':id': String(checkId) }
          : SAMPLE_PARAMS;
        const url = route.url.replace(/:[a-z]+/g, (p) => params[p] ?? 'x');
        const form = route.url === '/digitalcheck/start' ? SAMPLE_FORM.replace('org=', `org=${orgId}`) : SAMPLE_FORM;
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
          ...(route.method === 'POST' ? { payload: `_csrf=${csrf}&${form}` } : {}),
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

  test('hostile input in every parameter of every route: no 5xx, nothing reflected raw, no table touched', async () => {
    const PAYLOADS = [
      "' OR '1'='1' --",
      '1; DROP TABLE users; --',
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
    ];
    const tableCounts = async () =>
      t.db.query<{ relname: string; n: number }>(
        `SELECT 'users' AS relname, count(*)::int AS n FROM users UNION ALL SELECT 'regions', count(*)::int FROM regions
         UNION ALL SELECT 'memberships', count(*)::int FROM memberships`,
      );
    await resetWorkspace();
    const before = await tableCounts();
    const failures: string[] = [];
    for (const route of app.routeAccess) {
      if (route.method === 'HEAD') continue;
      for (const payload of PAYLOADS) {
        const enc = encodeURIComponent(payload);
        const s = await createSession(
          { db: t.db, mailer: { send: async () => ({}) }, baseUrl: '' },
          userIds.platformAdmin!,
        );
        const url = `${route.url.replace(/:[a-z]+/g, enc)}?q=${enc}&region=${enc}&token=${enc}&weiter=${enc}&level=${enc}`;
        const form = ['email', 'password', 'note', 'name', 'action', 'role', 'decision', 'org', 'token', 'current']
          .map((f) => `${f}=${enc}`)
          .join('&');
        const res = await app.inject({
          method: route.method as 'GET' | 'POST',
          url,
          headers: {
            accept: 'text/html',
            cookie: `kl_session=${s.token}`,
            ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(route.method === 'POST' ? { payload: `_csrf=${s.csrfSecret}&${form}` } : {}),
        });
        if (res.statusCode >= 500) failures.push(`${route.method} ${route.url} with ${payload}: ${res.statusCode}`);
        // JSON answers may quote input (served as JSON with nosniff); HTML must never carry it raw.
        const html = String(res.headers['content-type'] ?? '').startsWith('text/html');
        if (html && (res.body.includes('<script>alert(1)</script>') || res.body.includes('<img src=x onerror'))) {
          failures.push(`${route.method} ${route.url} reflects ${payload} unescaped`);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await tableCounts(), before);
  });
});
