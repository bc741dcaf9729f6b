import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { comparableBaseName, diffRelease, inferSuccessors, type SuccessorLink } from '../changes.js';
import { decodeRelease, parseGv100ad } from '../gv100ad.js';
import type { RegionRecord } from '../region.js';

const FIXTURES = new URL('../../../test/fixtures/gv100ad/', import.meta.url);
const parseFixture = (name: string): RegionRecord[] =>
  parseGv100ad(decodeRelease(readFileSync(new URL(name, FIXTURES))), name).records;

const a = parseFixture('release-a.txt');
const b = parseFixture('release-b.txt');

const keys = (records: { key: string }[]): string[] => records.map((r) => r.key).sort();
const sortLinks = (links: SuccessorLink[]): SuccessorLink[] => [...links].sort((x, y) => x.key.localeCompare(y.key));
const inferred = (key: string, successorKey: string, method: SuccessorLink['method']): SuccessorLink => ({
  key,
  successorKey,
  method,
  inferred: method !== 'official',
});

/** A synthetic Gemeinde record (Kreis 09999, Verband 099995001) for the area rules. */
function gemeinde(key: string, name: string, areaKm2: number | null, extra: Partial<RegionRecord> = {}): RegionRecord {
  return {
    key,
    level: 'gemeinde',
    ars: `${key.slice(0, 5)}5001${key.slice(5)}`,
    parentKey: `${key.slice(0, 5)}5001`,
    name,
    designationCode: '64',
    seat: null,
    areaKm2,
    population: 1000,
    populationMale: 500,
    populationFemale: 500,
    postcode: null,
    multiplePostcodes: false,
    release: '2024-12-31',
    ...extra,
  };
}

describe('diffRelease', () => {
  const diff = diffRelease(a, b);

  test('added and ended', () => {
    assert.deepEqual(keys(diff.added), ['16063010', '160630105', '16063105', '16076051', '16076052', '160765051']);
    assert.deepEqual(keys(diff.ended), [
      '16056',
      '16056000',
      '160560000',
      '16063001',
      '16063002',
      '16063040',
      '160639040',
      '16077',
      '16077001',
      '16077002',
      '160775001',
    ]);
  });

  test('renamed: Gemeinde and its Verband', () => {
    assert.deepEqual(
      diff.renamed.map((c) => [c.before.key, c.before.name, c.after.name]),
      [
        ['160630030', 'Bergstadt, Stadt', 'Bad Bergstadt, Stadt'],
        ['16063030', 'Bergstadt, Stadt', 'Bad Bergstadt, Stadt'],
      ],
    );
  });

  test('reparented: Gemeinde moved to another Verband', () => {
    assert.deepEqual(
      diff.reparented.map((c) => [c.after.key, c.before.parentKey, c.after.parentKey, c.before.ars, c.after.ars]),
      [['16063022', '160635002', '160635001', '160635002022', '160635001022']],
    );
  });

  test('updated: figures, with the changed fields', () => {
    assert.deepEqual(
      diff.updated.map((c) => [c.after.key, c.fields]),
      [
        ['16063030', ['areaKm2']],
        ['16063022', ['areaKm2']],
        ['16063021', ['population', 'populationMale', 'populationFemale']],
      ],
    );
    const langenberg = diff.updated.find((c) => c.after.key === '16063021');
    assert.equal(langenberg?.before.population, 1873);
    assert.equal(langenberg?.after.population, 1901);
  });

  test('unchanged count', () => {
    // 29 records in B, 6 added, 4 changed (Bergstadt + Verband, Tiefenbach, Langenberg)
    assert.equal(diff.unchanged, 19);
  });

  test('a release compared with itself has no changes', () => {
    const same = diffRelease(a, a);
    assert.deepEqual(same, { added: [], ended: [], renamed: [], reparented: [], updated: [], unchanged: a.length });
  });

  test('figures missing in the release (upper levels) are not reported as changes', () => {
    const current = a.map((r) => (r.key === '16063' ? { ...r, population: 63_000, areaKm2: 812.5 } : r));
    const d = diffRelease(current, a);
    assert.deepEqual(d.updated, []);
    // but a changed seat or Textkennzeichen is
    const changed = a.map((r) => (r.key === '16063' ? { ...r, seat: 'Altstadt', designationCode: '43' } : r));
    assert.deepEqual(
      diffRelease(changed, a).updated.map((c) => [c.after.key, c.fields]),
      [['16063', ['designationCode', 'seat']]],
    );
  });

  test('duplicate keys in the input are rejected', () => {
    assert.throws(() => diffRelease([...a, a[0]!], b), /occurs twice/);
  });
});

describe('inferSuccessors', () => {
  const diff = diffRelease(a, b);

  test('fixture releases A → B', () => {
    assert.deepEqual(sortLinks(inferSuccessors(diff, a, b)), [
      // kreisfreie Stadt Eisenbach joins Kreis 16063: same name in the same Land, its Verband and Kreis follow
      inferred('16056', '16063', 'kreis-members'),
      inferred('16056000', '16063105', 'same-name'),
      inferred('160560000', '160630105', 'members'),
      // merger Niederau + Oberau → Oberau (4.00 + 7.50 ≈ 11.49 km²)
      inferred('16063001', '16063010', 'area-sum'),
      inferred('16063002', '16063010', 'same-name'),
      // 16063040 Forst Hainich and its Verband 160639040 were split: no link
      // Landkreis Saaleland dissolved into Kreis 16076
      inferred('16077', '16076', 'kreis-members'),
      inferred('16077001', '16076051', 'same-name'),
      inferred('16077002', '16076052', 'same-name'),
      inferred('160775001', '160765051', 'members'),
    ]);
  });

  test('Kreis-only register: a kreisfreie Stadt is followed by name, a Landkreis is not', () => {
    const kreisOnly = a.filter((r) => r.level === 'land' || r.level === 'regierungsbezirk' || r.level === 'kreis');
    const d = diffRelease(kreisOnly, b);
    assert.deepEqual(keys(d.ended), ['16056', '16077']);
    // 16077 "Saaleland" (Landkreis, no Gemeinde of that name): no link rather than a guess
    assert.deepEqual(inferSuccessors(d, kreisOnly, b), [inferred('16056', '16063', 'kreis-members')]);
  });

  test('official links win, the one with the largest share, and are not inferred', () => {
    const links = inferSuccessors(diff, a, b, [
      { oldKey: '16063040', newKey: '16063030', share: 0.4 },
      { oldKey: '16063040', newKey: '16063022', share: 0.6, changeType: '1' },
      { oldKey: '16063002', newKey: '16063021', share: 1 }, // overrides the same-name inference
    ]);
    const byKey = new Map(links.map((l) => [l.key, l]));
    assert.deepEqual(byKey.get('16063040'), {
      key: '16063040',
      successorKey: '16063022',
      method: 'official',
      inferred: false,
    });
    assert.equal(byKey.get('16063002')?.successorKey, '16063021');
    assert.equal(byKey.get('16063002')?.method, 'official');
  });

  test('official chains are followed to a key of the new release; dead ends fall back to inference', () => {
    const links = inferSuccessors(diff, a, b, [
      { oldKey: '16063001', newKey: '16063099', date: '2024-01-01' },
      { oldKey: '16063099', newKey: '16063098', date: '2024-06-01' },
      { oldKey: '16063098', newKey: '16063010', date: '2024-07-01' },
      { oldKey: '16077001', newKey: '16077999' }, // not in B, no further link
      { oldKey: '16063040', newKey: '16063097' }, // cycle without a key of B
      { oldKey: '16063097', newKey: '16063040' },
    ]);
    const byKey = new Map(links.map((l) => [l.key, l]));
    assert.deepEqual(byKey.get('16063001'), inferred('16063001', '16063010', 'official'));
    assert.deepEqual(byKey.get('16077001'), inferred('16077001', '16076051', 'same-name'));
    assert.equal(byKey.get('16063040'), undefined);
  });

  test('conservative: two added Gemeinden with the same name and area → no link for the merger', () => {
    const twin = { ...b.find((r) => r.key === '16063010')!, key: '16063011', ars: '160635001011' };
    const next = [...b, twin];
    const d = diffRelease(a, next);
    const links = inferSuccessors(d, a, next);
    const byKey = new Map(links.map((l) => [l.key, l]));
    assert.equal(byKey.get('16063001'), undefined);
    assert.equal(byKey.get('16063002'), undefined);
    assert.equal(byKey.get('16063040'), undefined);
    // the unrelated changes are still found
    assert.equal(byKey.get('16077001')?.successorKey, '16076051');
  });

  test('area-growth: an existing Gemeinde grew by the area of the ended one', () => {
    const current = [gemeinde('09999001', 'Großdorf', 30), gemeinde('09999002', 'Kleindorf', 2.5)];
    const next = [gemeinde('09999001', 'Großdorf', 32.49)];
    const d = diffRelease(current, next);
    assert.deepEqual(inferSuccessors(d, current, next), [inferred('09999002', '09999001', 'area-growth')]);
  });

  test('area-growth: exact fits first, so two similar mergers are told apart', () => {
    // with the 0.5 % tolerance both ended Gemeinden would fit both grown ones
    const current = [
      gemeinde('09999001', 'Adorf', 25.13),
      gemeinde('09999002', 'Bdorf', 32.24),
      gemeinde('09999003', 'Cdorf', 9.48),
      gemeinde('09999004', 'Ddorf', 9.35),
    ];
    const next = [gemeinde('09999001', 'Adorf', 34.61), gemeinde('09999002', 'Bdorf', 41.59)];
    const d = diffRelease(current, next);
    assert.deepEqual(sortLinks(inferSuccessors(d, current, next)), [
      inferred('09999003', '09999001', 'area-growth'),
      inferred('09999004', '09999002', 'area-growth'),
    ]);
  });

  test('conservative: two Gemeinden grew by the same area → no link', () => {
    const current = [
      gemeinde('09999001', 'Adorf', 20),
      gemeinde('09999002', 'Bdorf', 20),
      gemeinde('09999003', 'Cdorf', 3),
    ];
    const next = [gemeinde('09999001', 'Adorf', 23), gemeinde('09999002', 'Bdorf', 23)];
    const d = diffRelease(current, next);
    assert.deepEqual(inferSuccessors(d, current, next), []);
  });

  test('conservative: growth within the tolerance is not taken for an absorbed Gemeinde', () => {
    // a big Gemeinde re-surveyed (+0.4 km²) and a tiny gemeindefreies Gebiet of 0.4 km² that went elsewhere
    const current = [gemeinde('09999001', 'Großstadt', 200), gemeinde('09999002', 'Forst', 0.4)];
    const next = [gemeinde('09999001', 'Großstadt', 200.4)];
    const d = diffRelease(current, next);
    assert.deepEqual(inferSuccessors(d, current, next), []);
  });

  test('area-sum by former Verband: a Verwaltungsgemeinschaft merges, another Gemeinde goes elsewhere', () => {
    const vg = { parentKey: '099995002' };
    const current = [
      gemeinde('09999001', 'Adorf', 10),
      gemeinde('09999011', 'Mitte', 5, vg),
      gemeinde('09999012', 'Nord', 3, vg),
      gemeinde('09999013', 'Süd', 2, vg),
      gemeinde('09999020', 'Einzelhof', 4.44),
    ];
    const next = [gemeinde('09999001', 'Adorf', 10), gemeinde('09999030', 'Landgemeinde Dreiklang', 10)];
    const d = diffRelease(current, next);
    assert.deepEqual(sortLinks(inferSuccessors(d, current, next)), [
      inferred('09999011', '09999030', 'area-sum'),
      inferred('09999012', '09999030', 'area-sum'),
      inferred('09999013', '09999030', 'area-sum'),
    ]);
  });

  test('conservative: same name in another Kreis is not a successor while the Kreis goes on', () => {
    const current = [
      gemeinde('09999001', 'Adorf', 10),
      gemeinde('09998001', 'Bdorf', 10),
      gemeinde('09998002', 'Zdorf', 99),
    ];
    const next = [
      gemeinde('09999001', 'Adorf', 10),
      gemeinde('09998002', 'Zdorf', 99),
      gemeinde('09999005', 'Bdorf', 7),
    ];
    const d = diffRelease(current, next);
    assert.deepEqual(inferSuccessors(d, current, next), []);
  });

  test('Verband without members in the register: same name in the same Kreis', () => {
    const verband = (key: string, name: string): RegionRecord => ({
      ...gemeinde('09999001', name, null),
      key,
      ars: key,
      level: 'gemeindeverband',
      parentKey: key.slice(0, 5),
      designationCode: '54',
    });
    const current = [verband('099995001', 'VG Obertal')];
    const next = [verband('099995009', 'VG Obertal'), verband('099985001', 'VG Untertal')];
    const d = diffRelease(current, next);
    assert.deepEqual(inferSuccessors(d, current, next), [inferred('099995001', '099995009', 'same-name')]);
  });
});

test('comparableBaseName', () => {
  assert.equal(comparableBaseName('Eisenach, Stadt'), 'eisenach');
  assert.equal(comparableBaseName('  Bad  Bergstadt , Kurort'), 'bad bergstadt');
  assert.equal(comparableBaseName('Oberau'), 'oberau');
  assert.equal(comparableBaseName('ÜBERACH, Markt'), 'überach');
});
