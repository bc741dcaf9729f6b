import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { type AppError, ImportError } from '../../platform/errors.js';
import { ensureEmbeddedDefault, importBoundaries, importGv100ad } from '../register.service.js';

const fixture = (name: string) => new URL(`../../../test/fixtures/${name}`, import.meta.url);
const read = (name: string) => fs.readFileSync(fixture(name));

async function snapshotCounts(t: TestDb) {
  const [r] = await t.db.query<{ regions: number; releases: number; changes: number; versions: number; ended: number }>(
    `SELECT (SELECT count(*)::int FROM regions) AS regions, (SELECT count(*)::int FROM register_releases) AS releases,
      (SELECT count(*)::int FROM register_changes) AS changes, (SELECT count(*)::int FROM region_versions) AS versions,
      (SELECT count(*)::int FROM regions WHERE valid_to IS NOT NULL) AS ended`,
  );
  return r!;
}

for (const kind of databaseKinds()) {
  describe(`register on ${kind}`, () => {
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

    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

    test('embedded default: 16 Länder and the Kreise, loaded once', async () => {
      assert.equal(await ensureEmbeddedDefault(t.db), true);
      assert.equal(await ensureEmbeddedDefault(t.db), false);
      const counts = await t.db.query<{ level: string; n: number }>(
        'SELECT level, count(*)::int AS n FROM regions GROUP BY level ORDER BY level',
      );
      assert.deepEqual(counts, [
        { level: 'kreis', n: 401 },
        { level: 'land', n: 16 },
      ]);
      const res = await get('/api/v1/regions/16056');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().name, 'Eisenach, Stadt');
      assert.equal(res.json().validity.source, 'landkreise-deutschland');
      // A partial file would end nearly all of these Kreise: refused unless forced, nothing changes.
      const before = await snapshotCounts(t);
      await assert.rejects(
        importGv100ad(t.db, { fileName: 'release-a.txt', data: read('gv100ad/release-a.txt') }),
        (err: AppError) => err instanceof ImportError && /unvollständig/.test(err.message),
      );
      assert.deepEqual(await snapshotCounts(t), before);
      // Start the fixture tests from an empty register.
      await t.db.exec('TRUNCATE regions, register_releases, register_changes, region_versions CASCADE');
    });

    test('a malformed record aborts the import with file, line and field; nothing changes', async () => {
      const before = await snapshotCounts(t);
      await assert.rejects(
        importGv100ad(t.db, { fileName: 'bad-line.txt', data: read('gv100ad/bad-line.txt') }),
        (err: ImportError) => {
          assert.ok(err instanceof ImportError);
          assert.equal(err.file, 'bad-line.txt');
          assert.equal(err.line, 8);
          assert.equal(err.field, 'Fläche');
          assert.match(err.message, /bad-line\.txt, Zeile 8, Feld Fläche/);
          return true;
        },
      );
      assert.deepEqual(await snapshotCounts(t), before);
    });

    test('first import of release A; re-import changes nothing; the Latin-1 copy is the same release', async () => {
      const report = await importGv100ad(t.db, { fileName: 'release-a.txt', data: read('gv100ad/release-a.txt') });
      assert.equal(report.status, 'imported');
      assert.equal(report.release, '2023-12-31');
      assert.equal(report.counts.ended, 0);
      assert.equal(report.countsByType['60'], 14);
      const after1 = await snapshotCounts(t);
      assert.equal(after1.regions, report.counts.added);

      const again = await importGv100ad(t.db, { fileName: 'release-a.txt', data: read('gv100ad/release-a.txt') });
      assert.equal(again.status, 'unchanged');
      assert.deepEqual(await snapshotCounts(t), after1);

      // Same content in another encoding: a different file, so it is diffed — and nothing differs.
      const latin1 = await importGv100ad(t.db, {
        fileName: 'release-a-latin1.txt',
        data: read('gv100ad/release-a-latin1.txt'),
      });
      assert.deepEqual(
        { ...latin1.counts, unchanged: 0 },
        { added: 0, ended: 0, renamed: 0, reparented: 0, updated: 0, unchanged: 0 },
      );
      // Upper levels carry the sums of their Gemeinden.
      const [kreis] = await t.db.query<{ population: number; sum: number }>(
        `SELECT k.population, (SELECT sum(population)::int FROM regions g
           WHERE g.level = 'gemeinde' AND g.kreis_key = '16063') AS sum FROM regions k WHERE k.key = '16063'`,
      );
      assert.equal(kreis!.population, kreis!.sum);
    });

    test('release B: mergers, rename, re-parenting, dissolved Kreise – with history and successors', async () => {
      const report = await importGv100ad(t.db, { fileName: 'release-b.txt', data: read('gv100ad/release-b.txt') });
      assert.equal(report.status, 'imported');
      assert.equal(report.previousRelease, '2023-12-31');
      const ended = new Map(report.ended.map((e) => [e.key, e]));
      assert.equal(ended.get('16063001')?.successorKey, '16063010');
      assert.equal(ended.get('16063001')?.method, 'area-sum');
      assert.equal(ended.get('16063002')?.successorKey, '16063010');
      assert.equal(ended.get('16063002')?.method, 'same-name');
      assert.equal(ended.get('16063040')?.successorKey, null, 'a split has no inferable successor');
      assert.equal(ended.get('16077')?.successorKey, '16076');
      assert.equal(ended.get('16056')?.successorKey, '16063');
      assert.ok(report.renamed.some((r) => r.key === '16063030' && r.to === 'Bad Bergstadt, Stadt'));
      assert.ok(report.reparented.some((r) => r.key === '16063022' && r.to === '160635001'));

      // Old keys keep working and point to the successor.
      const old = await get('/api/v1/regions/16063001');
      assert.equal(old.statusCode, 200);
      const body = old.json();
      assert.equal(body.validity.to, '2024-12-31');
      assert.equal(body.successor.key, '16063010');
      assert.equal(body.successor.inferred, true);
      const succ = (await get('/api/v1/regions/16063010')).json();
      assert.deepEqual(
        succ.predecessors.map((p: { key: string }) => p.key),
        ['16063001', '16063002'],
      );
      // Ended regions are not found by default, but are with includeEnded.
      const search = (await get('/api/v1/regions?q=Niederau')).json();
      assert.equal(search.total, 0);
      const withEnded = (await get('/api/v1/regions?q=Niederau&includeEnded=true')).json();
      assert.equal(withEnded.items[0].key, '16063001');
      // The rename kept the earlier state.
      const versions = await t.db.query<{ name: string }>(
        "SELECT data->>'name' AS name FROM region_versions WHERE key = '16063030'",
      );
      assert.deepEqual(
        versions.map((v) => v.name),
        ['Bergstadt, Stadt'],
      );
      // The profile page of a dissolved Gemeinde says so and links the successor.
      const page = await get('/kommunen/16063001', { accept: 'text/html' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /besteht nicht mehr/);
      assert.match(page.body, /href="\/kommunen\/16063010"/);
    });

    test('an older release is refused unless forced', async () => {
      const before = await snapshotCounts(t);
      await assert.rejects(
        importGv100ad(t.db, { fileName: 'release-a.txt', data: read('gv100ad/release-a.txt') }),
        /älter als der aktuelle Stand 2024-12-31/,
      );
      assert.deepEqual(await snapshotCounts(t), before);
    });

    test('GET /api/v1/regions: search, filters, ranking, cursor pagination and errors', async () => {
      const names = async (url: string) =>
        (await get(url)).json().items.map((i: { name: string }) => i.name) as string[];
      // accent-, case- and typo-tolerant
      for (const q of ['Ölbronn', 'olbronn', 'OELBRONN', 'Oelbron', 'Olbron']) {
        assert.equal((await names(`/api/v1/regions?q=${encodeURIComponent(q)}`))[0], 'Ölbronn', q);
      }
      // prefix while typing
      assert.ok((await names('/api/v1/regions?q=%C3%9Cber')).includes('Überach'));
      // AGS/ARS prefix and exact key first
      const byKey = (await get('/api/v1/regions?q=16063')).json();
      assert.equal(byKey.items[0].key, '16063');
      assert.ok(byKey.total > 3);
      const byArs = (await get('/api/v1/regions?q=160635001')).json();
      assert.equal(byArs.items[0].key, '160635001');
      // level / state / parent / population filters
      const gemeinden = (await get('/api/v1/regions?level=gemeinde&state=16')).json();
      assert.ok(gemeinden.items.every((i: { level: string; state: { key: string } }) => i.level === 'gemeinde'));
      assert.ok(gemeinden.items.every((i: { state: { key: string } }) => i.state.key === '16'));
      const children = (await get('/api/v1/regions?parent=160635001')).json();
      assert.deepEqual(children.items.map((i: { key: string }) => i.key).sort(), ['16063010', '16063022']);
      const big = (await get('/api/v1/regions?level=gemeinde&minPopulation=10000&sort=-population')).json();
      const pops = big.items.map((i: { population: number }) => i.population);
      assert.ok(pops.every((p: number) => p >= 10000));
      assert.deepEqual(
        pops,
        [...pops].sort((a: number, b: number) => b - a),
      );
      // cursor pagination: every row exactly once, total stable
      const seen: string[] = [];
      let url = '/api/v1/regions?limit=3&sort=name';
      let total = -1;
      for (let i = 0; i < 50 && url; i++) {
        const page = (await get(url)).json();
        total = page.total;
        seen.push(...page.items.map((it: { key: string }) => it.key));
        url = page.nextCursor ? `/api/v1/regions?limit=3&sort=name&cursor=${page.nextCursor}` : '';
      }
      assert.equal(seen.length, total);
      assert.equal(new Set(seen).size, total);
      // errors are problem+json with the field named
      for (const [bad, field] of [
        ['level=dorf', 'level'],
        ['state=99', 'state'],
        ['cursor=%%%', 'cursor'],
        ['limit=0', 'limit'],
        ['minPopulation=-5', 'minPopulation'],
        ['sort=random', 'sort'],
      ] as const) {
        const res = await get(`/api/v1/regions?${bad}`);
        assert.equal(res.statusCode, 400, bad);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        assert.ok(
          res.json().errors.some((e: { field: string }) => e.field.includes(field)),
          `${bad}: ${res.body}`,
        );
      }
      // SQL injection strings are just search terms
      for (const q of ["'; DROP TABLE regions; --", "' OR '1'='1", '%', '_', '\\']) {
        const res = await get(`/api/v1/regions?q=${encodeURIComponent(q)}`);
        assert.ok([200, 400].includes(res.statusCode), q);
      }
      assert.ok((await snapshotCounts(t)).regions > 0);
    });

    test('GET /api/v1/regions/{key} and /children: parents, counts, 400 and 404', async () => {
      const g = (await get('/api/v1/regions/16063022')).json();
      assert.deepEqual(
        g.parents.map((p: { key: string }) => p.key),
        ['16', '16063', '160635001'],
      );
      assert.equal(g.kreis.key, '16063');
      assert.equal(g.state.name, 'Thüringen');
      const viaArs = await get('/api/v1/regions/160630220022');
      assert.equal(viaArs.statusCode, 200);
      assert.equal(viaArs.json().key, '16063022');
      const kreis = (await get('/api/v1/regions/16063')).json();
      assert.ok(kreis.childCounts.gemeinde >= 4);
      const children = (await get('/api/v1/regions/16063/children')).json();
      assert.ok(children.items.every((c: { level: string }) => c.level === 'gemeindeverband'));

      const notFound = await get('/api/v1/regions/16063999');
      assert.equal(notFound.statusCode, 404);
      assert.match(String(notFound.headers['content-type']), /problem\+json/);
      assert.equal(notFound.json().title, 'Nicht gefunden');
      const en = await get('/api/v1/regions/16063999', { 'accept-language': 'en' });
      assert.equal(en.json().title, 'Not found');
      for (const bad of ['abc', '160630', '99', '1606300', '160630220022999']) {
        const res = await get(`/api/v1/regions/${bad}`);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(res.json().errors[0].field, 'key');
      }
      assert.equal((await get('/api/v1/regions/99999/children')).statusCode, 400);
      assert.equal((await get('/api/v1/regions/16099/children')).statusCode, 404);
    });

    test('pages: home, search with filters and errors, profile, sources', async () => {
      const html = { accept: 'text/html' };
      const home = await get('/', html);
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /<form[^>]*action="\/kommunen"/);
      const search = await get('/kommunen?q=Tiefenbach', html);
      assert.match(search.body, /href="\/kommunen\/16063022"/);
      assert.match(search.body, /Wartburgland/, 'results show the Kreis');
      const bad = await get('/kommunen?q=Tiefenbach&minPopulation=viele', html);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#minPopulation"/);
      assert.match(bad.body, /value="viele"/, 'the form keeps what was typed');
      const profile = await get('/kommunen/16063022', html);
      assert.equal(profile.statusCode, 200);
      assert.equal(profile.body.match(/<h1/g)?.length, 1);
      assert.match(profile.body, /Gebietsstand 31\.12\.2024/);
      assert.equal((await get('/kommunen/160630220022', html)).statusCode, 301);
      assert.equal((await get('/kommunen/16063999', html)).statusCode, 404);
      const sources = await get('/datenquellen', html);
      assert.match(sources.body, /landkreise-deutschland/);
      assert.match(sources.body, /release-b\.txt/);
      // stored text is escaped on output
      assert.doesNotMatch(
        (await get(`/kommunen?q=${encodeURIComponent('<script>alert(1)</script>')}`, html)).body,
        /<script>alert/,
      );
    });

    test('boundaries: imported, simplified, unknown keys reported', async () => {
      const report = await importBoundaries(
        t.db,
        'kreise-small.geojson',
        read('geo/kreise-small.geojson').toString('utf8'),
      );
      assert.ok(report.unmatched.length > 0, 'the fixture holds Kreise the fixture register does not know');
      const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM region_boundaries');
      assert.equal(rows[0]!.n, report.imported);
      const before = await snapshotCounts(t);
      await assert.rejects(
        importBoundaries(t.db, 'broken.geojson', read('geo/broken.geojson').toString('utf8')),
        ImportError,
      );
      assert.deepEqual(await snapshotCounts(t), before);
    });

    test('health, readiness and security headers', async () => {
      const health = await get('/health');
      assert.equal(health.statusCode, 200);
      const res = await get('/', { accept: 'text/html' });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.headers['referrer-policy']);
      assert.ok(res.headers['x-request-id']);
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
      const starting = await buildTestApp(t.db, { ready: false });
      try {
        assert.equal((await starting.inject('/health')).statusCode, 503);
        assert.equal((await starting.inject('/api/v1/regions')).statusCode, 503);
      } finally {
        await starting.close();
      }
      // OpenAPI 3.1 document and readable docs
      const doc = (await get('/api/v1/openapi.json')).json();
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(doc.paths['/api/v1/regions']);
      assert.ok(doc.paths['/api/v1/regions/{key}']);
      assert.ok(doc.paths['/api/v1/regions/{key}/children']);
      const docs = await get('/api/docs', { accept: 'text/html' });
      assert.match(docs.body, /GET \/api\/v1\/regions/);
    });
  });
}
