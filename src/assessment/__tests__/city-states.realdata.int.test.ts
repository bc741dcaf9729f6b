import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { GV100AD_2025, realDataAvailable } from '../../../test/helpers/shared-data.js';
import { createUserWithLoginLink } from '../../identity/identity.service.js';
import { decideRequest, makeAdvisor, requestAccess } from '../../organisations/organisations.service.js';
import { ensureEmbeddedDefault, importGv100ad } from '../../register/register.service.js';
import { checkContext, saveAnswer, setPublished, startCheck, submitCheck } from '../assessment.service.js';

const available = realDataAvailable();
const noMail = { send: async () => ({}) };

/**
 * City states on the Lagebild (issue 8): Berlin's submitted result never shows while unpublished; once Berlin
 * publishes it, the Lagebild names it (as the profile does); withdrawn, it is gone again — also from the page
 * cache, which every (un)publishing clears.
 */
for (const kind of databaseKinds()) {
  describe(`city states on the Lagebild on ${kind}`, { skip: !available && 'shared data not present' }, () => {
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

    test('an unpublished result never shows; a published one does; a withdrawn one no longer', async () => {
      const deps = { db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T };
      const officer = await createUserWithLoginLink(deps, 'digital@berlin.example', false);
      const advisor = await createUserWithLoginLink(deps, 'beratung@zentrum.example', false);
      await makeAdvisor(t.db, advisor.userId, '11');
      const actor = { id: officer.userId, email: 'digital@berlin.example', isPlatformAdmin: false };
      const orgId = await requestAccess(deps, actor, '11000000', '');
      const [req] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE org_id = $1', [
        orgId,
      ]);
      const adv = { id: advisor.userId, email: 'beratung@zentrum.example', isPlatformAdmin: false };
      await decideRequest(deps, adv, orgId, req!.id, true, 'admin');
      const checkId = await startCheck(t.db, actor, orgId);
      const ctx = await checkContext(t.db, actor, checkId);
      for (const q of ctx.questions) {
        await saveAnswer(t.db, actor, checkId, q.id, { value: '3', comment: '', evidenceUrl: '', expectedVersion: 0 });
      }
      await submitCheck(t.db, actor, checkId);
      await app.platform.events.drain();

      const lagebild = async () => (await new Agent(app).get('/lagebild')).body;
      await lagebild(); // rendered and kept for anonymous visitors: (un)publishing must drop it
      let page = await lagebild();
      assert.match(page, /Berlin<\/a>: kein veröffentlichtes Ergebnis/);
      assert.doesNotMatch(page, /veröffentlicht: Stufe/, 'an unpublished result never shows');

      await setPublished(t.db, actor, checkId, true);
      await app.platform.events.drain();
      page = await lagebild();
      assert.match(page, /Berlin<\/a>: veröffentlicht: Stufe 3 „Etabliert“, 75 von 100 Punkten/);
      assert.match(page, /Hamburg<\/a>: kein veröffentlichtes Ergebnis/);

      await setPublished(t.db, actor, checkId, false);
      await app.platform.events.drain();
      page = await lagebild();
      assert.match(page, /Berlin<\/a>: kein veröffentlichtes Ergebnis/);
      assert.doesNotMatch(page, /veröffentlicht: Stufe/);
    });
  });
}
