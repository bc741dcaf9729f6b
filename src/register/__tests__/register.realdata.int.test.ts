import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import {
  DESTATIS_CHANGES_2024,
  DESTATIS_CHANGES_2025,
  GV100AD_2023,
  GV100AD_2025,
  KREISE_GEOJSON,
  LAENDER_GEOJSON,
  realDataAvailable,
} from '../../../test/helpers/shared-data.js';
import { ensureEmbeddedDefault, importBoundaries, importGv100ad } from '../register.service.js';

const available = realDataAvailable();

/** Counts by record type and the population sum, read straight from the file for comparison. */
function fileFacts(path: string) {
  const lines = fs.readFileSync(path, 'utf8').split(/\r?\n/).filter(Boolean);
  const byType: Record<string, number> = {};
  let population = 0;
  for (const l of lines) {
    const type = l.slice(0, 2);
    byType[type] = (byType[type] ?? 0) + 1;
    if (type === '60') population += Number(l.slice(139, 150));
  }
  return { byType, population };
}

for (const kind of databaseKinds()) {
  describe(`real GV100AD releases on ${kind}`, { skip: !available && 'shared data not present' }, () => {
    let t: TestDb;
    let app: FastifyInstance;
    before(async () => {
      t = await createTestDb(kind);
      app = await buildTestApp(t.db);
      await ensureEmbeddedDefault(t.db);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });
    const api = async (url: string) => (await app.inject(url)).json();

    test('2023-11: first import supersedes the embedded Kreise; counts and sums equal the file', async () => {
      const facts = fileFacts(GV100AD_2023);
      const report = await importGv100ad(t.db, {
        fileName: 'GV100AD_301123.txt',
        data: fs.readFileSync(GV100AD_2023),
      });
      assert.deepEqual(report.countsByType, facts.byType);
      assert.equal(facts.byType['60'], 10_981);
      const eisenach = report.ended.find((e) => e.key === '16056');
      assert.equal(eisenach?.successorKey, '16063', 'Eisenach (Kreis) merged into the Wartburgkreis');
      assert.equal(report.ended.length, 1, 'only Eisenach of the embedded 401 Kreise ended');
      const [sum] = await t.db.query<{ n: number; pop: number }>(
        "SELECT count(*)::int AS n, sum(population)::bigint AS pop FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL",
      );
      assert.equal(sum!.n, 10_981);
      assert.equal(sum!.pop, 84_358_845);
      assert.equal(sum!.pop, facts.population);
      const germany = await t.db.query<{ pop: number }>(
        "SELECT sum(population)::bigint AS pop FROM regions WHERE level = 'land' AND valid_to IS NULL",
      );
      assert.equal(germany[0]!.pop, facts.population, 'Länder carry the sums of their Gemeinden');
      const old = await api('/api/v1/regions/16056');
      assert.equal(old.successor.key, '16063');
      assert.ok(old.validity.to);
      // No official list for 2019–2023: the end lies between the built-in state and this release.
      assert.deepEqual(old.end, { kind: 'between', from: '2018-12-31', to: '2023-11-30' });
      assert.equal((await api('/api/v1/regions/09171111')).shortName, 'Altötting');
      assert.equal((await api('/api/v1/regions/09171111')).name, 'Altötting, St');
    });

    test('2025-11: the update reports the real changes, with the official lists', async () => {
      const facts = fileFacts(GV100AD_2025);
      const report = await importGv100ad(t.db, {
        fileName: 'GV100AD_30112025.txt',
        data: fs.readFileSync(GV100AD_2025),
        changeLists: [DESTATIS_CHANGES_2024, DESTATIS_CHANGES_2025].map((p) => ({
          fileName: p.split('/').pop()!,
          data: fs.readFileSync(p),
        })),
      });
      assert.deepEqual(report.countsByType, facts.byType);
      assert.equal(report.countsByType['10'], 16);
      assert.equal(report.countsByType['40'], 400);
      assert.equal(report.countsByType['60'], 10_953);
      const endedG = report.ended.filter((e) => e.level === 'gemeinde');
      const addedG = report.added.filter((e) => e.level === 'gemeinde');
      assert.equal(endedG.length, 32);
      assert.equal(addedG.length, 4);
      const ended = new Map(endedG.map((e) => [e.key, e]));
      assert.equal(ended.get('07232089')?.successorKey, '07232503');
      assert.equal(ended.get('07232096')?.successorKey, '07232503');
      assert.equal(ended.get('07232089')?.inferred, false, 'from the official list');
      assert.equal(ended.get('16076004')?.successorKey, '16076094');
      assert.equal(ended.get('16061097')?.successorKey, '16061119');
      assert.ok(addedG.some((a) => a.key === '07232503' && a.name === 'Obergeckler'));
      assert.ok(report.renamed.some((r) => r.key === '03403000' && r.to === 'Oldenburg (Oldb), Stadt'));
      // Every Gemeinde that ended between the releases has a successor from the official lists.
      assert.deepEqual(
        endedG.filter((e) => !e.successorKey).map((e) => e.key),
        [],
      );
      const [sum] = await t.db.query<{ pop: number }>(
        "SELECT sum(population)::bigint AS pop FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL",
      );
      assert.equal(sum!.pop, 83_577_140);
      assert.equal(sum!.pop, facts.population);
      // Old key: the API says it ended and points to the successor.
      const nieder = await api('/api/v1/regions/07232089');
      assert.equal(nieder.validity.to !== null, true);
      assert.equal(nieder.successor.key, '07232503');
      assert.equal(nieder.successor.name, 'Obergeckler');
      // Re-importing the same release changes nothing.
      const again = await importGv100ad(t.db, {
        fileName: 'GV100AD_30112025.txt',
        data: fs.readFileSync(GV100AD_2025),
      });
      assert.equal(again.status, 'unchanged');
    });

    test('BKG VG5000 boundaries: 401 Kreise (Eisenach as an ended key) and 16 merged Länder', async () => {
      const kreise = await importBoundaries(
        t.db,
        'VG5000_2021_Kreise.geojson',
        fs.readFileSync(KREISE_GEOJSON, 'utf8'),
      );
      assert.equal(kreise.imported, 401);
      assert.deepEqual(kreise.unmatched, []);
      assert.ok(kreise.storedVertices < kreise.sourceVertices, 'simplified');
      const laender = await importBoundaries(
        t.db,
        'VG5000_2021_Laender.geojson',
        fs.readFileSync(LAENDER_GEOJSON, 'utf8'),
      );
      assert.equal(laender.imported, 16);
      const [bw] = await t.db.query<{ type: string; parts: number }>(
        "SELECT geometry->>'type' AS type, jsonb_array_length(geometry->'coordinates') AS parts FROM region_boundaries WHERE key = '08'",
      );
      assert.equal(bw!.type, 'MultiPolygon');
      assert.ok(bw!.parts >= 2, 'Baden-Württemberg merged from its land and Bodensee features');
    });

    test('search on the full register: typo-tolerant, ranked, with Kreis and Land', async () => {
      for (const q of ['München', 'Munchen', 'Muenchen', 'Mnchen', 'münchen', 'Münch']) {
        const r = await api(`/api/v1/regions?q=${encodeURIComponent(q)}&level=gemeinde`);
        assert.equal(r.items[0]?.key, '09162000', `${q} → ${r.items[0]?.name}`);
      }
      const neustadt = await api('/api/v1/regions?q=Neustadt&level=gemeinde&limit=100');
      const starts = neustadt.items.map((i: { name: string }) => /^Neustadt\b/.test(i.name));
      const firstOther = starts.indexOf(false);
      assert.ok(firstOther >= 15, `${firstOther} Gemeinden named Neustadt … come first`);
      assert.ok(
        starts.slice(firstOther).every((s: boolean) => !s),
        'all Neustadt … before other matches',
      );
      const pops = neustadt.items.slice(0, firstOther).map((i: { population: number }) => i.population);
      assert.deepEqual(
        pops,
        [...pops].sort((a: number, b: number) => b - a),
        'larger places first',
      );
      for (const i of neustadt.items.slice(0, firstOther)) {
        assert.ok(i.kreis?.name, `${i.name} shows its Kreis`);
        assert.ok(i.state?.name, `${i.name} shows its Land`);
      }
      // Exact name before prefix matches; larger places first among equals.
      const berlin = await api('/api/v1/regions?q=Berlin');
      assert.equal(berlin.items[0].key, '11');
      assert.ok(
        berlin.items.slice(0, 4).some((i: { key: string }) => i.key === '11000000'),
        'the Land, Kreis, Verband and Gemeinde Berlin come first',
      );
      // key and postcode
      assert.equal((await api('/api/v1/regions?q=09162000')).items[0].key, '09162000');
      assert.equal((await api('/api/v1/regions?q=80313')).items[0].key, '09162000');
      // An end from the official lists has its effective date (not a release date).
      const [official] = await t.db.query<{ key: string; validTo: string }>(
        `SELECT key, to_char(valid_to, 'YYYY-MM-DD') AS "validTo" FROM regions
         WHERE valid_to IS NOT NULL AND valid_to NOT IN (SELECT release FROM register_releases) ORDER BY key LIMIT 1`,
      );
      assert.ok(official, 'some region ended on an official date');
      const ended = await api(`/api/v1/regions/${official.key}`);
      assert.deepEqual(ended.end, { kind: 'date', date: official.validTo });
      const kreis = await api('/api/v1/regions/09162000');
      assert.deepEqual(
        kreis.parents.map((p: { level: string }) => p.level),
        ['land', 'regierungsbezirk', 'kreis', 'gemeindeverband'],
      );
    });
  });
}
