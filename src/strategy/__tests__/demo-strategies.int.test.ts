import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { removeDemo, seedDemo } from '../../assessment/demo.js';
import { importGv100ad } from '../../register/register.service.js';

const fixture = (name: string) => fs.readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));

/** Demo strategies follow the demo checks: made after `lotse seed demo`, gone after `--remove`; always marked. */
for (const kind of databaseKinds()) {
  describe(`demo strategies on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    before(async () => {
      t = await createTestDb(kind);
      await importGv100ad(t.db, { fileName: 'release-a.txt', data: fixture('gv100ad/release-a.txt') });
      app = await buildTestApp(t.db);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('one marked strategy per demo check, some adopted with measures done; removed with the demo checks', async () => {
      const { checks } = await seedDemo(t.db, { share: 1 });
      await settle(app);
      const rows = await t.db.query<{
        isDemo: boolean;
        orgId: number | null;
        status: string;
        published: boolean;
        done: number;
      }>(
        `SELECT is_demo AS "isDemo", org_id AS "orgId", status, published,
           (SELECT count(*)::int FROM jsonb_array_elements(content->'items') i WHERE i->>'status' = 'done') AS done
         FROM strategies`,
      );
      assert.equal(rows.length, checks);
      assert.ok(rows.every((r) => r.isDemo && r.orgId === null && !r.published));
      assert.ok(rows.some((r) => r.status === 'adopted') && rows.some((r) => r.status === 'draft'));
      assert.ok(rows.filter((r) => r.status === 'draft').every((r) => r.done === 0));
      // Seeding again replaces them (no duplicates).
      await seedDemo(t.db, { share: 1 });
      await settle(app);
      const [{ n } = { n: -1 }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM strategies');
      const [{ c } = { c: -2 }] = await t.db.query<{ c: number }>(
        'SELECT count(*)::int AS c FROM checks WHERE is_demo AND is_latest',
      );
      assert.equal(n, c);
      await removeDemo(t.db);
      await settle(app);
      assert.deepEqual(await t.db.query('SELECT id FROM strategies'), []);
    });
  });
}
