/**
 * Checks against the real files in ../shared/data (next to the repository). Skipped when they are absent,
 * except on CI (CI=true), where a missing file fails the test.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BoundaryImport, parseBoundaries } from '../boundaries.js';
import { type OfficialLink, readOfficialChanges } from '../territorial-changes.js';

const DATA = new URL('../../../../shared/data/', import.meta.url);

/** The path of a real data file, or null after marking the test skipped (fails instead on CI). */
function dataFile(t: TestContext, relative: string): string | null {
  const path = fileURLToPath(new URL(relative, DATA));
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') assert.fail(`real data file missing on CI: ${path}`);
  t.skip(`real data not found: ${path}`);
  return null;
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

function assertRingsValid(result: BoundaryImport): void {
  for (const f of result.features) {
    assert.ok(f.geometry.coordinates.length > 0, `${f.key}: no polygon`);
    for (const polygon of f.geometry.coordinates) {
      for (const ring of polygon) {
        assert.ok(ring.length >= 4, `${f.key}: ring with ${ring.length} positions`);
        assert.deepEqual(ring[0], ring[ring.length - 1], `${f.key}: ring not closed`);
      }
    }
  }
}

const pairs = (links: OfficialLink[]): string[] => links.map((l) => `${l.oldKey}>${l.newKey}`);

describe('real data: BKG VG5000 2021 boundaries', () => {
  it('Kreise: 401 keys incl. 16056 Eisenach, fewer vertices, fast', (t) => {
    const path = dataFile(t, 'geo/bkg_vg5000_2021/VG5000_2021_Kreise.geojson');
    if (!path) return;
    const text = readFileSync(path, 'utf8');
    const [result, ms] = timed(() => parseBoundaries(text, 'VG5000_2021_Kreise.geojson'));
    t.diagnostic(
      `Kreise: ${result.features.length} keys, vertices ${result.sourceVertexCount} → ${result.vertexCount} ` +
        `(${((100 * result.vertexCount) / result.sourceVertexCount).toFixed(1)} %), ${ms.toFixed(0)} ms, ` +
        `${result.warnings.length} warnings`,
    );
    assert.equal(result.features.length, 401);
    const keys = new Set(result.features.map((f) => f.key));
    assert.equal(keys.size, 401);
    assert.ok(keys.has('16056'), 'Eisenach (kreisfrei until 2021) is in the 2021 layer');
    assert.ok(keys.has('16063'));
    assert.ok(result.features.every((f) => f.level === 'kreis' && /^\d{5}$/.test(f.key)));
    assert.equal(result.features.find((f) => f.key === '16056')?.name, 'Eisenach');
    assert.equal(result.sourceVertexCount, 40835);
    assert.ok(
      result.vertexCount < result.sourceVertexCount * 0.85,
      `only ${result.vertexCount} of ${result.sourceVertexCount}`,
    );
    assertRingsValid(result);
    // Germany's extent (SOURCE.md: 5.87,47.27 to 15.04,55.06)
    const minX = Math.min(...result.features.map((f) => f.bbox[0]));
    const maxY = Math.max(...result.features.map((f) => f.bbox[3]));
    assert.ok(Math.abs(minX - 5.87) < 0.01 && Math.abs(maxY - 55.06) < 0.01, `${minX} ${maxY}`);
    assert.ok(ms < 3000, `parse took ${ms} ms`);
  });

  it('Länder: 25 features merged into 16 keys', (t) => {
    const path = dataFile(t, 'geo/bkg_vg5000_2021/VG5000_2021_Laender.geojson');
    if (!path) return;
    const text = readFileSync(path, 'utf8');
    const raw = JSON.parse(text) as { features: unknown[] };
    assert.equal(raw.features.length, 25);
    const [result, ms] = timed(() => parseBoundaries(text, 'VG5000_2021_Laender.geojson'));
    t.diagnostic(
      `Länder: ${raw.features.length} features → ${result.features.length} keys, vertices ` +
        `${result.sourceVertexCount} → ${result.vertexCount}, ${ms.toFixed(0)} ms`,
    );
    assert.deepEqual(result.features.map((f) => f.key).sort(), [
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
    ]);
    assert.ok(result.features.every((f) => f.level === 'land'));
    assert.equal(result.features.find((f) => f.key === '08')?.name, 'Baden-Württemberg');
    assert.equal(result.features.find((f) => f.key === '09')?.name, 'Bayern');
    assert.equal(result.warnings.filter((w) => w.includes('zusammengeführt')).length, 7);
    assert.ok(result.vertexCount < result.sourceVertexCount);
    assertRingsValid(result);
    assert.ok(ms < 3000, `parse took ${ms} ms`);
  });
});

describe('real data: official lists of territorial changes', () => {
  it('Destatis 2025-02: Nieder- and Obergeckler → 07232503', async (t) => {
    const path = dataFile(t, 'gebietsaenderungen/destatis/2025-02.xlsx');
    if (!path) return;
    const [links, ms] = await timedAsync(() => readOfficialChanges(readFileSync(path), '2025-02.xlsx'));
    t.diagnostic(`2025-02.xlsx: ${links.length} links, ${ms.toFixed(0)} ms`);
    const geckler = links.filter((l) => l.newKey === '07232503');
    assert.deepEqual(pairs(geckler).sort(), ['07232089>07232503', '07232096>07232503']);
    assert.deepEqual(geckler.map((l) => [l.changeType, l.date, l.share]).sort(), [
      ['1', '2025-01-01', 1],
      ['3', '2025-01-01', 1],
    ]);
    // 7 Gemeinden dissolved (type 1) + Obergeckler (type 3): the 8 AGS that end in this list
    assert.equal(new Set(links.filter((l) => l.oldKey.length === 8).map((l) => l.oldKey)).size, 8);
    // no type 2 pieces (Grafschaft → Dernau etc.)
    assert.ok(!links.some((l) => l.oldKey === '07131090'));
  });

  it('Destatis 2024: the 11 Uder links and Berga-Wünschendorf', async (t) => {
    const path = dataFile(t, 'gebietsaenderungen/destatis/2024.xlsx');
    if (!path) return;
    const [links, ms] = await timedAsync(() => readOfficialChanges(readFileSync(path), '2024.xlsx'));
    t.diagnostic(`2024.xlsx: ${links.length} links, ${ms.toFixed(0)} ms`);
    const uder = links.filter((l) => l.newKey === '16061119');
    assert.deepEqual(
      uder.map((l) => l.oldKey).sort(),
      ['007', '028', '065', '067', '068', '077', '084', '091', '096', '097', '111'].map((g) => `16061${g}`),
    );
    assert.ok(uder.every((l) => l.date === '2024-01-01' && l.changeType === '1' && l.share === 1));
    assert.ok(uder.every((l) => l.kennziffer === '16/2024/0015-R'));
    assert.deepEqual(pairs(links.filter((l) => l.newKey === '16076094')).sort(), [
      '16076004>16076094',
      '16076084>16076094',
    ]);
    // Rodeberg splits by population share
    const rodeberg = links.filter((l) => l.oldKey === '16064055');
    assert.equal(rodeberg.length, 2);
    assert.ok(Math.abs(rodeberg.reduce((s, l) => s + (l.share ?? 0), 0) - 1) < 1e-9);
    // type 3 with unchanged AGS (Asbach-Sickenberg) is no link; 24 AGS dissolved (SOURCE.md)
    assert.ok(!links.some((l) => l.oldKey === '16061002'));
    assert.equal(new Set(links.filter((l) => l.oldKey.length === 8).map((l) => l.oldKey)).size, 24);
  });

  it('Destatis 2023: Anrode splits three ways, "3, 4" on Gemeindeverbände', async (t) => {
    const path = dataFile(t, 'gebietsaenderungen/destatis/2023.xlsx');
    if (!path) return;
    const [links, ms] = await timedAsync(() => readOfficialChanges(readFileSync(path), '2023.xlsx'));
    t.diagnostic(`2023.xlsx: ${links.length} links, ${ms.toFixed(0)} ms`);
    const anrode = links.filter((l) => l.oldKey === '16064073');
    assert.equal(anrode.length, 3);
    assert.ok(Math.abs(anrode.reduce((s, l) => s + (l.share ?? 0), 0) - 1) < 1e-9);
    assert.deepEqual(
      links.filter((l) => l.changeType === '3,4').map((l) => `${l.oldKey}>${l.newKey}`),
      ['010585830>010585896', '010585859>010585896'],
    );
    // Oberkrämer → Velten is a type 2 partial transfer
    assert.ok(!links.some((l) => l.oldKey === '12065251'));
    assert.equal(new Set(links.filter((l) => l.oldKey.length === 8).map((l) => l.oldKey)).size, 13);
  });

  it('BBSR Kreise: 16056 → 16063', async (t) => {
    const path = dataFile(t, 'gebietsaenderungen/bbsr/ref-kreise-umrech-2021-1990-2020.xlsx');
    if (!path) return;
    const [links, ms] = await timedAsync(() =>
      readOfficialChanges(readFileSync(path), 'ref-kreise-umrech-2021-1990-2020.xlsx'),
    );
    t.diagnostic(`ref-kreise: ${links.length} links, ${ms.toFixed(0)} ms`);
    const eisenach = links.filter((l) => l.oldKey === '16056');
    assert.deepEqual(
      eisenach.map((l) => [l.newKey, l.share, l.period]),
      [['16063', 1, { from: '2020-12-31', to: '2021-12-31' }]],
    );
    assert.ok(links.every((l) => /^\d{5}$/.test(l.oldKey) && /^\d{5}$/.test(l.newKey) && l.oldKey !== l.newKey));
    assert.equal(new Set(links.map((l) => `${l.oldKey}>${l.newKey}`)).size, links.length, 'no duplicates');
  });

  it('BBSR Gemeinden: 16056000 → 16063105, no partial transfers', async (t) => {
    const path = dataFile(t, 'gebietsaenderungen/bbsr/ref-gemeinden-ab-2020.xlsx');
    if (!path) return;
    const [links, ms] = await timedAsync(() => readOfficialChanges(readFileSync(path), 'ref-gemeinden-ab-2020.xlsx'));
    t.diagnostic(`ref-gemeinden: ${links.length} links, ${ms.toFixed(0)} ms`);
    assert.deepEqual(pairs(links.filter((l) => l.oldKey === '16056000')), ['16056000>16063105']);
    assert.ok(!links.some((l) => l.oldKey === '12065251'), 'Oberkrämer → Velten is a partial transfer');
    // sheet 2022 agrees with Destatis 2023: Tastrup/Maasbüll → Hürup, Ostrau/Zschaitz-Ottewig → Jahnatal
    for (const pair of ['01059101>01059126', '01059141>01059126', '14522450>14522275', '14522620>14522275']) {
      assert.ok(pairs(links).includes(pair), pair);
    }
    assert.ok(links.every((l) => /^\d{8}$/.test(l.oldKey) && /^\d{8}$/.test(l.newKey)));
  });
});
