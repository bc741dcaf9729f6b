import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { GV100AD_2025, realDataAvailable } from '../../../test/helpers/shared-data.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { ensureEmbeddedDefault, importGv100ad, municipalityKey, searchRegions } from '../register.service.js';

const available = realDataAvailable();
const noMail = { send: async () => ({}) };

/**
 * A kreisfreie Stadt is one municipality (issue 8): on the real GV100AD, the Kreis record (09162 München) and the
 * Gemeinde record (09162000) lead to one profile and one workspace, and the town shows once in search. The same
 * for a Stadtkreis (08111 Stuttgart) and a city-state (11000 Berlin, 02000 Hamburg as Kreis and Gemeinde).
 */
for (const kind of databaseKinds()) {
  describe(`a kreisfreie Stadt is one municipality on ${kind}`, {
    skip: !available && 'shared data not present',
  }, () => {
    let t: TestDb;
    let app: FastifyInstance;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      await importGv100ad(t.db, { fileName: 'GV100AD_30112025.txt', data: fs.readFileSync(GV100AD_2025) });
      app = await buildTestApp(t.db);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('the Kreis key stands for its only Gemeinde; a Landkreis and its Gemeinden stay themselves', async () => {
      assert.equal(await municipalityKey(t.db, '09162'), '09162000'); // München, kreisfreie Stadt
      assert.equal(await municipalityKey(t.db, '08111'), '08111000'); // Stuttgart, Stadtkreis
      assert.equal(await municipalityKey(t.db, '11000'), '11000000'); // Berlin
      assert.equal(await municipalityKey(t.db, '02000'), '02000000'); // Hamburg
      assert.equal(await municipalityKey(t.db, '09162000'), '09162000');
      assert.equal(await municipalityKey(t.db, '09184'), '09184', 'Landkreis München stays a Kreis');
      assert.equal(await municipalityKey(t.db, '11'), '11', 'the Land Berlin stays the Land');
    });

    test('the Kreis profile redirects permanently to the Gemeinde profile', async () => {
      const res = await app.inject({ url: '/kommunen/09162', headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 301);
      assert.equal(res.headers.location, '/kommunen/09162000');
      const berlin = await app.inject({ url: '/kommunen/11000', headers: { accept: 'text/html' } });
      assert.equal(berlin.headers.location, '/kommunen/11000000');
      const landkreis = await app.inject({ url: '/kommunen/09184', headers: { accept: 'text/html' } });
      assert.equal(landkreis.statusCode, 200);
    });

    test('search shows the town once (as Kreis only when asked for Kreise)', async () => {
      const keys = async (q: string, level?: string) =>
        (await searchRegions(t.db, { q, limit: 50, ...(level ? { level } : {}) })).items.map((h) => h.key);
      const munich = await keys('München');
      assert.ok(munich.includes('09162000'));
      assert.ok(!munich.includes('09162'), 'not a second time as Kreis');
      assert.ok(munich.includes('09184'), 'the Landkreis München is another region');
      assert.ok(!(await keys('09162')).includes('09162'));
      assert.ok((await keys('09162')).includes('09162000'));
      assert.ok(!(await keys('Berlin', 'gemeinde,kreis')).includes('11000'));
      assert.ok((await keys('München', 'kreis')).includes('09162'), 'a list of Kreise keeps it');
    });

    test('requests for either key end in one workspace, keyed by the Gemeinde', async () => {
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      const orgIds: number[] = [];
      for (const [email, key] of [
        ['a@muenchen.example', '09162'],
        ['b@muenchen.example', '09162000'],
      ] as const) {
        const { userId } = await createUserWithLoginLink(deps, email, false);
        const agent = new Agent(app);
        agent.cookies.set('kl_session', (await createSession(deps, userId)).token);
        const form = await agent.get(`/organisationen/beitreten?region=${key}`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /action="\/organisationen\/beitreten\?region=09162000"/);
        const sent = await agent.post(
          `/organisationen/beitreten?region=${key}`,
          { note: '' },
          `/organisationen/beitreten?region=${key}`,
        );
        assert.equal(sent.statusCode, 303);
        orgIds.push(Number(String(sent.headers.location).match(/\/organisationen\/(\d+)/)![1]));
      }
      assert.equal(orgIds[0], orgIds[1], 'one workspace');
      const rows = await t.db.query<{ key: string }>(
        "SELECT region_key AS key FROM organisations WHERE region_key IN ('09162', '09162000')",
      );
      assert.deepEqual(rows, [{ key: '09162000' }]);
    });
  });
}
