import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, type TestDb } from '../../../test/helpers/db.js';
import { MODULES } from '../../modules.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import { exampleBody } from '../http/api-docs.js';

describe('API documentation (/api/docs)', () => {
  let t: TestDb;
  let app: FastifyInstance;
  before(async () => {
    t = await createTestDb('pglite');
    await ensureEmbeddedDefault(t.db);
    app = await buildTestApp(t.db, undefined, { BASE_URL: 'https://lotse.example' });
  });
  after(async () => {
    await app?.close();
    await t?.dispose();
  });

  test('every API operation has an id and German and English texts; public lists have a live example answering 200', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    const examples = Object.assign({}, ...MODULES.map((m) => m.apiExamples ?? {})) as Record<string, string>;
    const i18n = app.i18n;
    type Op = { operationId?: string; security?: Record<string, string[]>[] };
    const ops = Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(([path, p]) =>
      Object.entries(p).map(([method, op]) => ({ path, method, op })),
    );
    assert.ok(ops.length >= 5);
    for (const { path, method, op } of ops) {
      assert.ok(op.operationId, 'operationId');
      for (const field of ['summary', 'description']) {
        assert.ok(i18n.has(`apidoc.${op.operationId}.${field}`), `apidoc.${op.operationId}.${field}`);
      }
      // A public GET without path parameters answers on every instance: it must show a live example.
      const isPublic = !op.security || op.security.some((s) => Object.keys(s).length === 0);
      if (method === 'get' && isPublic && !path.includes('{'))
        assert.ok(examples[op.operationId], `example for ${op.operationId}`);
    }
    for (const [id, url] of Object.entries(examples)) {
      assert.ok(
        ops.some((o) => o.op.operationId === id),
        `example of an unknown operation ${id}`,
      );
      assert.equal((await app.inject(url)).statusCode, 200, url);
    }
  });

  test('German by default, English on request; real example answers; the token how-to; no Markdown', async () => {
    const de = await app.inject({ url: '/api/docs', headers: { accept: 'text/html' } });
    assert.equal(de.statusCode, 200);
    assert.match(de.body, /Regionen finden/);
    assert.match(de.body, /Authorization: Bearer klt_…/);
    assert.match(de.body, /curl https:\/\/lotse\.example\/api\/v1\/regions\/09184/);
    // The live answer: the Landkreis München's record from this instance's register.
    assert.match(de.body, /&quot;name&quot;: &quot;München&quot;|"name": "München"/);
    assert.doesNotMatch(de.body, /`/, 'no literal Markdown');
    const en = await app.inject({ url: '/api/docs', headers: { accept: 'text/html', 'accept-language': 'en' } });
    assert.match(en.body, /Find regions/);
    assert.doesNotMatch(en.body, /Regionen finden/);
  });

  test('long example answers are cut with a note, short ones shown whole', () => {
    const long = JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => i) });
    const cut = exampleBody(long, 10);
    assert.equal(cut.cut, true);
    assert.equal(cut.body.split('\n').length, 10);
    assert.deepEqual(exampleBody('{"a":1}'), { body: '{\n  "a": 1\n}', cut: false });
  });
});
