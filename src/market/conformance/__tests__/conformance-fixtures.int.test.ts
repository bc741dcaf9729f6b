import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { buildTestApp, settle } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createUserWithLoginLink } from '../../../identity/identity.service.js';
import { ROOT } from '../../../platform/paths.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import { conformanceServiceOf } from '../conformance.module.js';
import { type FixtureServer, startOparlFixture } from '../oparl/__tests__/oparl-fixture-server.js';

/**
 * The platform's own checks with the real validators and the real safe fetcher, against fixture servers on
 * 127.0.0.1, on both databases: an OParl endpoint with pagination, a DCAT-AP.de catalogue (and a malformed one), a
 * GTFS ZIP (and a ZIP that is none); and, on an instance without CHECK_ALLOW_PRIVATE, the same local endpoint and a
 * redirect to a private address are refused and stored as "could not be checked" with the reason.
 */
const FIX = path.join(ROOT, 'test/fixtures/market');
const GTFS_DIR = path.join(FIX, 'gtfs/valid');
const gtfsZip = () =>
  zipSync(
    Object.fromEntries(
      fs
        .readdirSync(GTFS_DIR)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => [f, new Uint8Array(fs.readFileSync(path.join(GTFS_DIR, f)))]),
    ),
  );

for (const kind of databaseKinds()) {
  describe(`conformance checks against fixture servers on ${kind}`, () => {
    let t: TestDb;
    let open: FastifyInstance; // CHECK_ALLOW_PRIVATE=true (as tests and intranet installations)
    let closed: FastifyInstance; // the default: private and loopback addresses refused
    let oparl: FixtureServer;
    let files: http.Server;
    let base = '';
    let member = 0;
    const actor = () => ({ id: member, email: 'rat@example.org', isPlatformAdmin: false });

    before(async () => {
      oparl = await startOparlFixture({ persons: 5, pageSize: 2 });
      files = http.createServer((req, res) => {
        const send = (type: string, body: Uint8Array | string) => {
          res.writeHead(200, { 'content-type': type });
          res.end(body);
        };
        if (req.url === '/katalog.ttl') send('text/turtle', fs.readFileSync(path.join(FIX, 'dcat/valid-catalog.ttl')));
        else if (req.url === '/kaputt.ttl') send('text/turtle', fs.readFileSync(path.join(FIX, 'dcat/broken.ttl')));
        else if (req.url === '/feed.zip') send('application/zip', gtfsZip());
        else if (req.url === '/kein.zip') send('application/zip', 'Das ist kein ZIP.');
        else if (req.url === '/umleitung') {
          res.writeHead(302, { location: 'http://10.0.0.1/oparl' });
          res.end();
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      open = await buildTestApp(t.db, undefined, { CHECK_ALLOW_PRIVATE: 'true' });
      closed = await buildTestApp(t.db);
      const deps = { db: t.db, mailer: { send: async () => ({}) }, publicUrl: 'http://localhost', t: TEST_T };
      member = (await createUserWithLoginLink(deps, 'rat@example.org', false)).userId;
      const [org] = await t.db.query<{ id: number }>(
        "INSERT INTO organisations (kind, region_key, name) VALUES ('region', '16056', 'Eisenach') RETURNING id::int AS id",
      );
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [org!.id, member]);
    });
    after(async () => {
      await open?.close();
      await closed?.close();
      await t?.dispose();
      await oparl?.close();
      await new Promise<void>((r) => files.close(() => r()));
    });

    async function checkUrl(app: FastifyInstance, standard: string, url: string) {
      const service = conformanceServiceOf(app.platform);
      const id = await service.register(actor(), { orgId: null, subject: { kind: 'region' }, standard, url });
      await settle(app);
      const [c] = await t.db.query<{
        verdict: string;
        reason: string | null;
        findings: { rule: string; severity: string }[];
        stats: Record<string, number> | null;
        validator_version: string;
      }>(
        'SELECT verdict, reason, findings, stats, validator_version FROM conformance_checks WHERE artefact_id = $1 ORDER BY id DESC LIMIT 1',
        [id],
      );
      assert.ok(c, `a check of ${url} is stored`);
      return { id, ...c };
    }

    test('an OParl endpoint with pagination is crawled page by page and judged conformant', async () => {
      const c = await checkUrl(open, 'oparl', oparl.url('/oparl'));
      assert.equal(c.verdict, 'conformant', JSON.stringify(c.findings.filter((f) => f.severity === 'error')));
      assert.match(c.validator_version, /^kommunallotse-oparl\//);
      assert.ok((c.stats?.pages ?? 0) > 1, `more than one list page: ${JSON.stringify(c.stats)}`);
      assert.ok(
        oparl.requests.some((r) => /page=2/.test(r)),
        'the second page of a list was fetched',
      );
    });

    test('a DCAT-AP.de catalogue is judged by the SHACL rules; a malformed one is not conformant', async () => {
      const good = await checkUrl(open, 'dcat-ap-de', `${base}/katalog.ttl`);
      assert.equal(good.verdict, 'conformant', JSON.stringify(good.findings.filter((f) => f.severity === 'error')));
      const bad = await checkUrl(open, 'dcat-ap-de', `${base}/kaputt.ttl`);
      assert.equal(bad.verdict, 'not conformant');
      assert.ok(bad.findings.some((f) => f.rule === 'dcat.parse'));
    });

    test('a GTFS ZIP is unpacked and checked; a file that is no ZIP is not conformant', async () => {
      const good = await checkUrl(open, 'gtfs', `${base}/feed.zip`);
      assert.equal(good.verdict, 'conformant', JSON.stringify(good.findings.filter((f) => f.severity === 'error')));
      const bad = await checkUrl(open, 'gtfs', `${base}/kein.zip`);
      assert.equal(bad.verdict, 'not conformant');
      assert.ok(bad.findings.some((f) => f.rule === 'gtfs.zip-invalid'));
    });

    test('without CHECK_ALLOW_PRIVATE a loopback endpoint is not fetched: could not be checked, with the reason', async () => {
      const c = await checkUrl(closed, 'oparl', `${oparl.base}/oparl?lokal=1`);
      assert.equal(c.verdict, 'could not be checked');
      assert.match(c.reason ?? '', /Adresse|privat|lokal/i);
      const before = oparl.requests.length;
      const r = await checkUrl(closed, 'dcat-ap-de', `${base}/umleitung`);
      assert.equal(r.verdict, 'could not be checked');
      assert.equal(oparl.requests.length, before, 'nothing reached the fixture server');
    });

    test('an endpoint that answers 404 could not be checked, and the report says so', async () => {
      const c = await checkUrl(open, 'dcat-ap-de', `${base}/gibt-es-nicht.ttl`);
      assert.equal(c.verdict, 'could not be checked');
      assert.match(c.reason ?? '', /404/);
    });
  });
}
