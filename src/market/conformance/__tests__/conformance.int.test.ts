/**
 * The conformance registry on PGlite and PostgreSQL: registration and its authorisation, the background check and its
 * stored findings, the history, the rate limit of "Jetzt erneut prüfen", the schedule (due artefacts only, never
 * twice), "could not be checked" kept as such, file uploads, the profile section, the Lagebild counts and the API.
 * The validators and the fetcher are small fakes (the real ones are wired by the lead).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, settle } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { MODULES } from '../../../modules.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import { verdictsForRegion, verdictsForSolutions } from '../../index.js';
import { conformanceServiceOf, setConformanceWiring } from '../conformance.module.js';
import { conformanceLagebildContribution } from '../lagebild-view.js';
import type { ConformanceService } from '../registry.service.js';
import { type Fetcher, FetchRefused, type Report, type Validator } from '../types.js';

// ---- fakes: an OParl "validator" that fetches the URL and judges its body; a GTFS one that judges uploaded bytes.
const PAGES: Record<string, string> = {
  'https://rat.example/oparl/gut': '{"type":"https://schema.oparl.org/1.1/System"}',
  'https://rat.example/oparl/schlecht': '{"type":"System"}',
  'https://daten.example/katalog': 'ok',
};
const fakeFetch: Fetcher = async (url) => {
  if (url.startsWith('http://10.'))
    throw new FetchRefused('private-address', 'Adressen in privaten Netzen werden nicht abgerufen.');
  const body = PAGES[url];
  if (body === undefined) throw new FetchRefused('status', `Der Server antwortete mit 404 für ${url}.`);
  return { url, status: 200, headers: {}, bytes: new TextEncoder().encode(body) };
};
let gate: Promise<void> | null = null;
const oparl: Validator = {
  standard: 'oparl',
  validatorVersion: 'fake-oparl/1.0',
  async check(artefact, { fetch }) {
    if (gate) await gate;
    const input = artefact.kind === 'url' ? artefact.url : 'datei';
    const base: Report = {
      input,
      standard: 'oparl',
      verdict: 'conformant',
      findings: [],
      validatorVersion: 'fake-oparl/1.0',
      standardVersion: '1.1',
    };
    if (artefact.kind !== 'url') return base;
    try {
      const res = await fetch(artefact.url);
      const text = new TextDecoder().decode(res.bytes);
      if (text.includes('schema.oparl.org')) return { ...base, stats: { objects: 1 } };
      return {
        ...base,
        verdict: 'not conformant',
        findings: [
          {
            rule: 'oparl.type-url',
            severity: 'error',
            location: artefact.url,
            message: 'type ist keine OParl-Typ-URL.',
            source: 'OParl 1.1 §2.3',
          },
          { rule: 'oparl.created', severity: 'warning', location: artefact.url, message: 'created fehlt.' },
        ],
      };
    } catch (err) {
      return { ...base, verdict: 'could not be checked', reason: (err as Error).message };
    }
  },
};
const gtfs: Validator = {
  standard: 'gtfs',
  validatorVersion: 'fake-gtfs/1.0',
  async check(artefact) {
    const bad = artefact.kind === 'bytes' && new TextDecoder().decode(artefact.bytes).includes('kaputt');
    return {
      input: artefact.kind === 'bytes' ? artefact.name : '',
      standard: 'gtfs',
      verdict: bad ? 'not conformant' : 'conformant',
      findings: bad
        ? [{ rule: 'gtfs.required-file', severity: 'error', location: 'stops.txt', message: 'stops.txt fehlt.' }]
        : [],
      validatorVersion: 'fake-gtfs/1.0',
    };
  },
};
const dcat: Validator = {
  standard: 'dcat-ap-de',
  validatorVersion: 'fake-dcat/1.0',
  async check(artefact) {
    return {
      input: artefact.kind === 'url' ? artefact.url : '',
      standard: 'dcat-ap-de',
      verdict: 'conformant',
      findings: [],
      validatorVersion: 'fake-dcat/1.0',
    };
  },
};
const OWNED = new Set(['PROVIDER:42']);
let providerOrg = 0;

for (const kind of databaseKinds()) {
  describe(`conformance registry on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let service: ConformanceService;
    let now = new Date('2026-03-02T09:00:00Z');
    const clock = () => new Date(now.getTime());
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    const users: Record<string, number> = {};
    let orgId = 0;
    let foreignOrg = 0;
    const deps = () => ({ db: t.db, mailer: { send: async () => ({}) }, publicUrl: 'http://localhost', t: TEST_T });
    const actor = (name: string) => ({ id: users[name]!, email: `${name}@example.org`, isPlatformAdmin: false });

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      setConformanceWiring({
        validators: { oparl, gtfs, 'dcat-ap-de': dcat },
        fetch: fakeFetch,
        ownsSolution: async (_db, ws, sol) => ws === providerOrg && OWNED.has(`PROVIDER:${sol}`),
      });
      app = await buildTestApp(t.db, undefined, {}, clock);
      service = conformanceServiceOf(app.platform);
      for (const name of ['eisenach', 'erfurt', 'anbieter', 'niemand']) {
        users[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      const org = async (k: string, key: string | null, name: string, user: number) => {
        const [row] = await t.db.query<{ id: number }>(
          'INSERT INTO organisations (kind, region_key, name) VALUES ($1, $2, $3) RETURNING id::int AS id',
          [k, key, name],
        );
        await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')", [row!.id, user]);
        return row!.id;
      };
      orgId = await org('region', '16056', 'Eisenach', users.eisenach!);
      foreignOrg = await org('region', '16051', 'Erfurt', users.erfurt!);
      providerOrg = await org('provider', null, 'Fahrplan GmbH', users.anbieter!);
    });
    after(async () => {
      setConformanceWiring(null);
      await app?.close();
      await t?.dispose();
    });

    async function session(name: string) {
      const s = await createSession(deps(), users[name]!);
      return { cookie: `kl_session=${s.token}`, csrf: s.csrfSecret };
    }
    async function post(name: string | null, url: string, form: Record<string, string>) {
      const s = name ? await session(name) : { cookie: 'kl_csrf=abc', csrf: 'abc' };
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({ _csrf: s.csrf, ...form }).toString(),
      });
    }
    const idOf = (location: string) => Number(/\/konformitaet\/(\d+)/.exec(location)?.[1]);
    const checks = (id: number) =>
      t.db.query<{
        verdict: string;
        trigger: string;
        findings: unknown[];
        validator_version: string;
        input: string;
        reason: string | null;
        checked_at: Date;
      }>(
        'SELECT verdict, trigger, findings, validator_version, input, reason, checked_at FROM conformance_checks WHERE artefact_id = $1 ORDER BY id',
        [id],
      );

    test('a municipal member registers an endpoint of their own region; the check runs after the answer', async () => {
      let open!: () => void;
      gate = new Promise<void>((r) => {
        open = r;
      });
      const res = await post('eisenach', '/konformitaet/neu', {
        subject: 'region',
        standard: 'oparl',
        url: 'https://rat.example/oparl/schlecht',
      });
      assert.equal(res.statusCode, 303, res.body);
      const id = idOf(String(res.headers.location));
      assert.ok(id > 0);
      const running = await app.inject({ url: `/konformitaet/${id}`, headers: { accept: 'text/html' } });
      assert.equal(running.statusCode, 200);
      assert.match(running.body, /Prüfung läuft/);
      assert.equal((await checks(id)).length, 0);
      open();
      gate = null;
      await settle(app);
      const [c, ...more] = await checks(id);
      assert.equal(more.length, 0);
      assert.equal(c!.verdict, 'not conformant');
      assert.equal(c!.trigger, 'registered');
      assert.equal(c!.validator_version, 'fake-oparl/1.0');
      assert.equal(c!.input, 'https://rat.example/oparl/schlecht');
      assert.equal(c!.findings.length, 2);
      const page = await app.inject({ url: `/konformitaet/${id}`, headers: { accept: 'text/html' } });
      assert.doesNotMatch(page.body, /Prüfung läuft/);
      assert.match(page.body, /nicht konform/);
      assert.match(page.body, /oparl\.type-url/);
      assert.match(page.body, /type ist keine OParl-Typ-URL\./);
      assert.match(page.body, /OParl 1\.1 §2\.3/);
      assert.match(page.body, /fake-oparl\/1\.0/);
      // The registration is audited, with the workspace and the person.
      const [audit] = await t.db.query<{ actor: number; org: number }>(
        "SELECT actor_user_id::int AS actor, org_id::int AS org FROM audit_log WHERE action = 'conformance.register' AND entity_id = $1",
        [String(id)],
      );
      assert.deepEqual(audit, { actor: users.eisenach, org: orgId });
    });

    test('another region, no workspace, anonymous: refused; a duplicate is a conflict', async () => {
      const other = await post('eisenach', '/konformitaet/neu', {
        org: String(foreignOrg),
        subject: 'region',
        standard: 'oparl',
        url: 'https://rat.example/oparl/gut',
      });
      assert.equal(other.statusCode, 403);
      await assert.rejects(
        service.register(actor('eisenach'), {
          orgId: foreignOrg,
          subject: { kind: 'region' },
          standard: 'oparl',
          url: 'https://rat.example/oparl/gut',
        }),
        { status: 403 },
      );
      assert.equal(
        (
          await post('niemand', '/konformitaet/neu', {
            subject: 'region',
            standard: 'oparl',
            url: 'https://rat.example/x',
          })
        ).statusCode,
        403,
      );
      const anon = await post(null, '/konformitaet/neu', {
        subject: 'region',
        standard: 'oparl',
        url: 'https://rat.example/x',
      });
      assert.equal(anon.statusCode, 303);
      assert.match(String(anon.headers.location), /^\/anmelden/);
      const dup = await post('eisenach', '/konformitaet/neu', {
        subject: 'region',
        standard: 'oparl',
        url: 'https://rat.example/oparl/schlecht',
      });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /schon angemeldet/);
      const bad = await post('eisenach', '/konformitaet/neu', {
        subject: 'region',
        standard: 'oparl',
        url: 'https://nutzer:geheim@rat.example/',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /keinen Benutzernamen/);
      const [{ n }] = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conformance_artefacts')) as [
        { n: number },
      ];
      assert.equal(n, 1);
    });

    test('"Jetzt erneut prüfen": refused within 10 minutes with a clear message, then a second check; history kept', async () => {
      const [{ id }] = (await t.db.query<{ id: number }>(
        "SELECT id::int AS id FROM conformance_artefacts WHERE standard = 'oparl'",
      )) as [{ id: number }];
      const first = (await checks(id))[0]!;
      advance(5 * 60_000);
      const soon = await post('eisenach', `/konformitaet/${id}/pruefen`, {});
      assert.equal(soon.statusCode, 429);
      assert.equal(soon.headers['retry-after'], '300');
      assert.match(soon.body, /in 5 Minuten möglich/);
      assert.equal((await post('niemand', `/konformitaet/${id}/pruefen`, {})).statusCode, 403);
      advance(5 * 60_000);
      const ok = await post('eisenach', `/konformitaet/${id}/pruefen`, {});
      assert.equal(ok.statusCode, 303);
      // A second demand while the first runs (or right after) is refused: at most one per 10 minutes.
      assert.ok([409, 429].includes((await post('eisenach', `/konformitaet/${id}/pruefen`, {})).statusCode));
      await settle(app);
      const all = await checks(id);
      assert.deepEqual(
        all.map((c) => c.trigger),
        ['registered', 'demand'],
      );
      assert.deepEqual(all[0], first, 'the first check is unchanged');
      await assert.rejects(
        t.db.query("UPDATE conformance_checks SET verdict = 'conformant' WHERE artefact_id = $1", [id]),
      );
      const page = await app.inject({ url: `/konformitaet/${id}`, headers: { accept: 'text/html' } });
      assert.match(page.body, /auf Anforderung/);
      assert.match(page.body, /Anmeldung<\/td>/);
      const [audit] = await t.db.query(
        "SELECT 1 FROM audit_log WHERE action = 'conformance.recheck' AND entity_id = $1",
        [String(id)],
      );
      assert.ok(audit);
    });

    test('a refused fetch is "could not be checked" with its reason, kept as such; retried sooner', async () => {
      const id = await service.register(actor('eisenach'), {
        orgId: null,
        subject: { kind: 'region' },
        standard: 'oparl',
        url: 'http://10.0.0.5/oparl',
      });
      await settle(app);
      const [c] = await checks(id);
      assert.equal(c!.verdict, 'could not be checked');
      assert.match(c!.reason!, /privaten Netzen/);
      const [a] = await t.db.query<{ next: Date }>(
        'SELECT next_check_at AS next FROM conformance_artefacts WHERE id = $1',
        [id],
      );
      assert.equal(a!.next.getTime() - c!.checked_at.getTime(), 24 * 3600_000);
      const page = await app.inject({ url: `/konformitaet/${id}`, headers: { accept: 'text/html' } });
      assert.match(page.body, /nicht prüfbar/);
      assert.match(page.body, /privaten Netzen/);
      // A badge shows the latest verdict of each artefact: the conformant one wins for the region, if any.
      const badges = await verdictsForRegion(t.db, '16056');
      assert.equal(badges.get('oparl')?.verdict, 'not conformant');
    });

    test('a file upload (multipart with CSRF): stored with name and hash, checked, the bytes never public', async () => {
      const s = await session('eisenach');
      const bytes = Buffer.from('agency_id,agency_name\nkaputt,Verkehr\n');
      const boundary = '----klTestBoundary';
      const part = (name: string, value: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const payload = Buffer.concat([
        Buffer.from(part('_csrf', s.csrf) + part('subject', 'region') + part('standard', 'gtfs') + part('url', '')),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fahrplan.zip"\r\nContent-Type: application/zip\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await app.inject({
        method: 'POST',
        url: '/konformitaet/neu',
        headers: { cookie: s.cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
        payload,
      });
      assert.equal(res.statusCode, 303, res.body);
      const id = idOf(String(res.headers.location));
      await settle(app);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const [c] = await checks(id);
      assert.equal(c!.input, `sha256:${sha}`);
      assert.equal(c!.verdict, 'not conformant');
      const page = await app.inject({ url: `/konformitaet/${id}`, headers: { accept: 'text/html' } });
      assert.match(page.body, /fahrplan\.zip/);
      assert.match(page.body, new RegExp(sha));
      assert.doesNotMatch(page.body, /kaputt,Verkehr/);
      const api = await app.inject({ url: `/api/v1/conformance/${id}` });
      assert.equal(api.statusCode, 200);
      assert.equal(api.json().input.sha256, sha);
      assert.doesNotMatch(api.body, /kaputt/);
      // Without the CSRF token: refused.
      const noCsrf = await app.inject({
        method: 'POST',
        url: '/konformitaet/neu',
        headers: { cookie: s.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.from(`${part('standard', 'gtfs')}--${boundary}--\r\n`),
      });
      assert.equal(noCsrf.statusCode, 403);
    });

    test('the schedule checks due artefacts only, each once, also from two runs at once', async () => {
      const count = async () =>
        new Map(
          (
            await t.db.query<{ id: number; n: number }>(
              'SELECT artefact_id::int AS id, count(*)::int AS n FROM conformance_checks GROUP BY 1',
            )
          ).map((r) => [r.id, r.n]),
        );
      assert.equal(await service.runDue(), 0, 'nothing is due yet');
      // The refused one is due again after a day (the retry), the others after 7 days.
      advance(24 * 3600_000 + 60_000);
      assert.equal(await service.runDue(), 1);
      advance(2 * 24 * 3600_000);
      // A new conformant DCAT catalogue, three days after the others.
      const fresh = await service.register(actor('eisenach'), {
        orgId: null,
        subject: { kind: 'region' },
        standard: 'dcat-ap-de',
        url: 'https://daten.example/katalog',
      });
      await settle(app);
      const before = await count();
      advance(4 * 24 * 3600_000);
      const [a, b] = await Promise.all([service.runDue(), service.runDue()]);
      const after = await count();
      const grown = [...after]
        .filter(([id, n]) => n > (before.get(id) ?? 0))
        .map(([id, n]) => [id, n - before.get(id)!]);
      // Every artefact registered before is due once; the fresh one not yet; none is checked twice.
      assert.equal(a + b, 3, `both runs together checked each due artefact once (${a} + ${b})`);
      assert.equal(grown.length, 3);
      assert.ok(grown.every(([, n]) => n === 1));
      assert.ok(!grown.some(([id]) => id === fresh), 'the fresh artefact was not due');
      const triggers = await t.db.query<{ trigger: string }>(
        "SELECT trigger FROM conformance_checks WHERE trigger = 'schedule'",
      );
      assert.equal(triggers.length, a + b + 1);
      // A removed registration is never checked again.
      await service.remove(actor('eisenach'), fresh);
      advance(8 * 24 * 3600_000);
      await service.runDue();
      assert.equal((await count()).get(fresh), 1);
    });

    test('profile section, Lagebild counts and badges: only from checks', async () => {
      const profile = await app.inject({ url: '/kommunen/16056', headers: { accept: 'text/html' } });
      assert.equal(profile.statusCode, 200);
      assert.match(profile.body, /Nachweislich eingesetzte Standards/);
      // Nothing of Eisenach is conformant yet (OParl not conformant, DCAT removed, GTFS not conformant).
      assert.match(profile.body, /Keine der angemeldeten Schnittstellen ist nach ihrer letzten Prüfung konform/);
      let lb = await conformanceLagebildContribution.compute(t.db);
      assert.deepEqual(lb.byState['16'], { oparl: 0, 'dcat-ap-de': 0, gtfs: 0 });
      // Erfurt registers a conformant OParl endpoint.
      const id = await service.register(actor('erfurt'), {
        orgId: null,
        subject: { kind: 'region' },
        standard: 'oparl',
        url: 'https://rat.example/oparl/gut',
      });
      await settle(app);
      lb = await conformanceLagebildContribution.compute(t.db);
      assert.deepEqual(lb.byState['16'], { oparl: 1, 'dcat-ap-de': 0, gtfs: 0 });
      assert.equal(lb.total.oparl, 1);
      assert.ok(Object.keys(lb.byState).length >= 16);
      const erfurt = await app.inject({ url: '/kommunen/16051', headers: { accept: 'text/html' } });
      assert.match(erfurt.body, /Von der Plattform geprüft und konform/);
      assert.match(erfurt.body, new RegExp(`/konformitaet/${id}`));
      assert.equal((await verdictsForRegion(t.db, '16051')).get('oparl')?.verdict, 'conformant');
      // The Lagebild page shows the section after a release.
      const page = await app.inject({ url: '/lagebild', headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Geprüfte offene Schnittstellen der Kommunen/);
    });

    test('solutions: only the provider that owns one registers it; verdictsForSolutions from checks only', async () => {
      await assert.rejects(
        service.register(actor('anbieter'), {
          orgId: null,
          subject: { kind: 'solution', solutionId: 43 },
          standard: 'oparl',
          url: 'https://rat.example/oparl/gut',
        }),
        { status: 403 },
      );
      await assert.rejects(
        service.register(actor('eisenach'), {
          orgId: null,
          subject: { kind: 'solution', solutionId: 42 },
          standard: 'oparl',
          url: 'https://rat.example/oparl/gut',
        }),
        { status: 403 },
      );
      const id = await service.register(actor('anbieter'), {
        orgId: null,
        subject: { kind: 'solution', solutionId: 42 },
        standard: 'oparl',
        url: 'https://rat.example/oparl/gut',
      });
      const pending = await verdictsForSolutions(t.db, [42, 43]);
      assert.equal(pending.size, 0, 'no badge before the check');
      await settle(app);
      const v = await verdictsForSolutions(t.db, [42, 43]);
      assert.deepEqual([...v.keys()], [42]);
      assert.equal(v.get(42)?.get('oparl')?.verdict, 'conformant');
      assert.equal(v.get(42)?.get('oparl')?.artefactId, id);
    });

    test('API: list by subject and standard, one artefact with findings and history; bad subject is 400', async () => {
      const list = await app.inject({ url: '/api/v1/conformance?subject=region:16056&standard=oparl' });
      assert.equal(list.statusCode, 200);
      const body = list.json();
      assert.equal(body.total, 2);
      assert.ok(body.items.every((i: { subject: { regionKey: string } }) => i.subject.regionKey === '16056'));
      const bad = body.items.find(
        (i: { input: { url: string } }) => i.input.url === 'https://rat.example/oparl/schlecht',
      );
      assert.equal(bad.latest.verdict, 'not conformant');
      const one = (await app.inject({ url: `/api/v1/conformance/${bad.id}` })).json();
      assert.equal(one.findings.length, 2);
      assert.equal(one.findings[0].rule, 'oparl.type-url');
      assert.ok(one.history.length >= 2);
      assert.equal((await app.inject({ url: '/api/v1/conformance?subject=stadt:1' })).statusCode, 400);
      assert.equal((await app.inject({ url: '/api/v1/conformance/999999' })).statusCode, 404);
      const sol = (await app.inject({ url: '/api/v1/conformance?subject=solution:42' })).json();
      assert.equal(sol.total, 1);
    });

    test('personal data: the registrations are exported; erasure keeps them with the workspace', async () => {
      const market = MODULES.find((m) => m.name === 'market')!;
      const data = await market.personalData!.export(t.db, { userId: users.eisenach!, addresses: [] });
      assert.ok((data.conformance_artefacts as unknown[]).length >= 3);
      const counts = await t.db.transaction((tx) =>
        market.personalData!.erase(tx, { userId: users.erfurt!, addresses: [] }),
      );
      assert.equal(counts.conformanceRegistrations, 1);
      const [row] = await t.db.query<{ by: number | null; org: number }>(
        "SELECT registered_by AS by, org_id::int AS org FROM conformance_artefacts WHERE region_key = '16051'",
      );
      assert.deepEqual(row, { by: null, org: foreignOrg });
    });
  });
}
