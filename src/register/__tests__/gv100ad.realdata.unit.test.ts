/**
 * Checks the parser and the change detection against the real Destatis files in ../shared/data
 * (see shared/data/gemeindeverzeichnis/SOURCE.md). Skipped when the folder is absent, except on CI.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { setByte } from '../../../test/helpers/gv100ad-bytes.js';
import { realDataAvailable, SHARED_DATA } from '../../../test/helpers/shared-data.js';
import { diffRelease, inferSuccessors, type ReleaseDiff, type SuccessorLink } from '../changes.js';
import { decodeRelease, designationLabel, Gv100adError, type ParsedRelease, parseGv100ad } from '../gv100ad.js';
import type { RegionRecord } from '../region.js';

const DATA = new URL(`file://${SHARED_DATA}gemeindeverzeichnis/`);
// Absent data skips the suite, except under CI=true where realDataAvailable() throws.
const available = realDataAvailable();

const load = (name: string): ParsedRelease => parseGv100ad(decodeRelease(readFileSync(new URL(name, DATA))), name);
const gemeinden = (records: RegionRecord[]): RegionRecord[] => records.filter((r) => r.level === 'gemeinde');
const sumPopulation = (records: RegionRecord[]): number =>
  gemeinden(records).reduce((sum, r) => sum + (r.population ?? 0), 0);

describe('real GV100AD files', { skip: !available && 'shared/data/gemeindeverzeichnis not present' }, () => {
  // Loaded lazily inside the tests, so a skipped suite reads nothing.
  let cache: { r2023: ParsedRelease; r2025: ParsedRelease; diff: ReleaseDiff; links: SuccessorLink[] } | undefined;
  const data = () => {
    if (!cache) {
      const r2023 = load('GV100AD_301123.txt');
      const r2025 = load('GV100AD_30112025.txt');
      const diff = diffRelease(r2023.records, r2025.records);
      cache = { r2023, r2025, diff, links: inferSuccessors(diff, r2023.records, r2025.records) };
    }
    return cache;
  };

  test('Gebietsstand and counts by record type', () => {
    const { r2023, r2025 } = data();
    assert.equal(r2023.release, '2023-11-30');
    assert.equal(r2025.release, '2025-11-30');
    assert.deepEqual(r2025.countsByType, { '10': 16, '20': 29, '30': 12, '40': 400, '50': 4590, '60': 10953 });
    assert.deepEqual(r2023.countsByType, { '10': 16, '20': 29, '30': 12, '40': 400, '50': 4597, '60': 10981 });
  });

  test('population sums over the Gemeinden', () => {
    const { r2023, r2025 } = data();
    assert.equal(sumPopulation(r2023.records), 84_358_845);
    assert.equal(sumPopulation(r2025.records), 83_577_140);
    assert.equal(gemeinden(r2025.records).filter((g) => (g.population ?? 0) > 0).length, 10_753);
  });

  test('sample records', () => {
    const byKey = new Map(data().r2025.records.map((r) => [r.key, r]));
    assert.deepEqual(byKey.get('01001000'), {
      key: '01001000',
      level: 'gemeinde',
      ars: '010010000000',
      parentKey: '010010000',
      name: 'Flensburg, Stadt',
      designationCode: '61',
      seat: null,
      areaKm2: 56.73,
      population: 96_326,
      populationMale: 47_651,
      populationFemale: 48_675,
      postcode: '24937',
      multiplePostcodes: true,
      release: '2025-11-30',
    });
    assert.equal(byKey.get('12052000')?.name, 'Cottbus/Chóśebuz, Stadt');
    assert.equal(byKey.get('08111')?.parentKey, '0811'); // Stuttgart → Region Stuttgart
    assert.equal(byKey.get('09162')?.parentKey, '091'); // München → Oberbayern
    assert.equal(byKey.get('16063')?.parentKey, '16');
    // Land-level pseudo Kreise without a Kreis record
    assert.equal(byKey.get('130009999')?.parentKey, '13');
    assert.equal(byKey.get('07000999')?.parentKey, '070009999');
  });

  test('every Textkennzeichen in the files is known for its level', () => {
    for (const { records } of [data().r2023, data().r2025]) {
      const unknown = records.filter(
        (r) => r.designationCode !== null && designationLabel(r.level, r.designationCode) === null,
      );
      assert.deepEqual(unknown, []);
    }
  });

  test('diff 2023 → 2025 on Gemeinde level', () => {
    const { diff } = data();
    const ended = gemeinden(diff.ended).map((r) => r.key);
    const added = gemeinden(diff.added);
    assert.equal(ended.length, 32);
    assert.equal(added.length, 4);
    assert.ok(ended.includes('07232089'));
    assert.ok(ended.includes('07232096'));
    assert.deepEqual(added.map((r) => `${r.key} ${r.name}`).sort(), [
      '07232503 Obergeckler',
      '13000998 gemeindefreies Gebiet M-V',
      '16061119 Uder',
      '16076094 Berga-Wünschendorf, Stadt',
    ]);
    const renamed = diff.renamed.filter((c) => c.after.level === 'gemeinde');
    assert.equal(renamed.length, 16);
    const oldenburg = diff.renamed.find((c) => c.after.key === '03403000');
    assert.equal(oldenburg?.before.name, 'Oldenburg (Oldenburg), Stadt');
    assert.equal(oldenburg?.after.name, 'Oldenburg (Oldb), Stadt');
    assert.ok(diff.renamed.some((c) => c.after.key === '03403')); // the Kreis too
  });

  test('successors 2023 → 2025', () => {
    const { diff, links } = data();
    const byKey = new Map(links.map((l) => [l.key, l]));
    assert.deepEqual(byKey.get('07232096'), {
      key: '07232096',
      successorKey: '07232503',
      method: 'same-name',
      inferred: true,
    });
    assert.deepEqual(byKey.get('07232089'), {
      key: '07232089',
      successorKey: '07232503',
      method: 'area-sum',
      inferred: true,
    });
    assert.equal(byKey.get('16076004')?.successorKey, '16076094'); // Berga/Elster + Wünschendorf/Elster
    assert.equal(byKey.get('16076084')?.successorKey, '16076094');
    assert.equal(byKey.get('13071017')?.successorKey, '13071006'); // Breest → Bartow
    assert.equal(byKey.get('13071114')?.successorKey, '13071043'); // Penkow → Göhren-Lebbin

    // Measured: 25 of the 32 ended Gemeinden get a successor (2 same-name, 13 area-sum, 10 area-growth).
    // The 7 without one were split between several Gemeinden or moved to another Kreis.
    const gemeindeLinks = links.filter((l) => gemeinden(diff.ended).some((g) => g.key === l.key));
    assert.ok(gemeindeLinks.length >= 25, `only ${gemeindeLinks.length} successors`);
    // every successor is a key of the new release and of the same level
    const next = new Map(data().r2025.records.map((r) => [r.key, r]));
    const current = new Map(data().r2023.records.map((r) => [r.key, r]));
    for (const l of links) assert.equal(next.get(l.successorKey)?.level, current.get(l.key)?.level, l.key);
  });

  test('one invalid byte deep in the file is reported at its own line', () => {
    // line 5001 is the Gemeinde Urmersbach (ASCII up to there); its "m" (position 25) becomes the
    // ISO-8859-1 "ä" (E4), which is not valid UTF-8 — the file's thousands of other umlauts are.
    const name = 'GV100AD_30112025.txt';
    const damaged = setByte(readFileSync(new URL(name, DATA)), 5001, 25, 0xe4);
    assert.throws(
      () => parseGv100ad(decodeRelease(damaged), name),
      (err: unknown) => {
        assert.ok(err instanceof Gv100adError, String(err));
        assert.equal(err.line, 5001, err.message);
        assert.equal(err.field, 'Name');
        assert.match(
          err.message,
          /^GV100AD_30112025\.txt, Zeile 5001, Feld Name: ungültiges UTF-8-Byte 0xE4 an Stelle 25/,
        );
        return true;
      },
    );
  });
});
