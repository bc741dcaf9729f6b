import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { GV100AD_2025, KREISE_GEOJSON, realDataAvailable } from '../../../test/helpers/shared-data.js';
import {
  ensureEmbeddedDefault,
  getRegion,
  importBoundaries,
  importGv100ad,
  mapRegions,
  registerStatus,
} from '../register.service.js';

const available = realDataAvailable();

for (const kind of databaseKinds()) {
  describe(`maps and ended regions on ${kind}`, { skip: !available && 'shared data not present' }, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(kind);
      // The embedded Kreise (31.12.2018), then the register of 30.11.2025, then the boundaries of 2021.
      await ensureEmbeddedDefault(t.db);
      await importGv100ad(t.db, { fileName: 'GV100AD_30112025.txt', data: fs.readFileSync(GV100AD_2025) });
      await importBoundaries(t.db, 'VG5000_2021_Kreise.geojson', fs.readFileSync(KREISE_GEOJSON, 'utf8'));
    });
    after(async () => {
      await t?.dispose();
    });

    test('a Kreis that merged since the boundaries is drawn under its successor; the year is named', async () => {
      const m = await mapRegions(t.db, ['kreis']);
      const keys = m.features.map((f) => f.key);
      assert.ok(!keys.includes('16056'), 'Eisenach (Kreis, ended 2021) is not drawn on its own');
      const wartburg = m.features.find((f) => f.key === '16063');
      assert.ok(wartburg, 'the Wartburgkreis is drawn');
      const geojson = JSON.parse(fs.readFileSync(KREISE_GEOJSON, 'utf8')) as {
        features: { properties: Record<string, string>; geometry: { type: string; coordinates: unknown[] } }[];
      };
      const parts = (ags: string) => {
        const f = geojson.features.find((x) => Object.values(x.properties).includes(ags));
        assert.ok(f, `${ags} in the boundary file`);
        return f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates.length : 1;
      };
      assert.equal(
        wartburg.geometry.coordinates.length,
        parts('16063') + parts('16056'),
        'its own polygons and Eisenach’s',
      );
      assert.equal(m.merged, 1);
      assert.deepEqual(m.boundaryYears, ['2021']);
      assert.equal(new Set(keys).size, keys.length, 'one feature per region');
      const status = await registerStatus(t.db);
      assert.equal(m.features.length + m.unmapped.length, status.counts.kreis, 'every current Kreis, drawn or listed');
      assert.deepEqual(m.unmapped, [], 'every Kreis of 2025 has a boundary (own or its predecessors’)');
    });

    test('an end inferred between two releases is shown as that interval, not as the newer date', async () => {
      const d = await getRegion(t.db, '16056');
      assert.equal(d.region.validTo, '2025-11-30');
      assert.deepEqual(d.end, { kind: 'between', from: '2018-12-31', to: '2025-11-30' });
      const current = await getRegion(t.db, '16063');
      assert.equal(current.end, null);
    });
  });
}
