import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { evaluateRelevance, formatRelevance, importCorpus } from '../../../test/helpers/atlas-relevance.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { GV100AD_2025, realDataAvailable } from '../../../test/helpers/shared-data.js';
import { importGv100ad } from '../../register/register.service.js';

/**
 * The German relevance set (test/fixtures/atlas: 221 hand-written projects, 78 hand-judged queries) through the
 * whole pipeline on both databases: imported with real register keys, published, indexed, searched. The same
 * suite must pass on the embedded default and on PostgreSQL (ADR 0016): recall@10 ≥ 0.9 and nDCG@10 ≥ 0.8, and
 * PostgreSQL's own `german` full-text search on the same data is reported beside it (and must stay below, or the
 * analysis chain would not be worth its code).
 */
for (const kind of databaseKinds()) {
  describe(`German practice search relevance on ${kind}`, { skip: !realDataAvailable() }, () => {
    let t: TestDb;
    let ids: Map<number, string>;
    before(async () => {
      t = await createTestDb(kind);
      await importGv100ad(t.db, { fileName: 'GV100AD_30112025.txt', data: fs.readFileSync(GV100AD_2025) });
      ids = await importCorpus(t.db);
    });
    after(async () => t?.dispose());

    test('recall@10 ≥ 0.9 and nDCG@10 ≥ 0.8 over 78 queries, above PostgreSQL german', async () => {
      const r = await evaluateRelevance(t.db, ids);
      process.stdout.write(`${formatRelevance(r, kind)}\n`);
      const misses = r.perQuery
        .filter((q) => q.ours < 1)
        .map((q) => `${q.id} ${q.kind} "${q.q}": ${q.ours.toFixed(2)}`);
      assert.ok(r.ours.overall.recall >= 0.9, `recall@10 ${r.ours.overall.recall}; misses:\n${misses.join('\n')}`);
      assert.ok(r.ours.overall.ndcg >= 0.8, `nDCG@10 ${r.ours.overall.ndcg}`);
      assert.ok(r.ours.overall.recall > r.baseline.overall.recall, 'the baseline is not beaten');
    });
  });
}
