import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, type TestDb } from '../../../test/helpers/db.js';

describe('GET /api/v1/measures', () => {
  let t: TestDb;
  let app: FastifyInstance;
  before(async () => {
    t = await createTestDb('pglite');
    app = await buildTestApp(t.db);
  });
  after(async () => {
    await app?.close();
    await t?.dispose();
  });

  test('returns the validated catalogue; an unknown edition is a 404 naming the editions there are', async () => {
    const res = await app.inject('/api/v1/measures');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.version, '1');
    assert.ok(body.measures.length >= 80 && body.measures.length <= 150);
    assert.ok(body.measures.every((m: { sources: unknown[] }) => m.sources.length > 0));
    const missing = await app.inject({ url: '/api/v1/measures?version=7', headers: { 'accept-language': 'de' } });
    assert.equal(missing.statusCode, 404);
    assert.match(String(missing.headers['content-type']), /application\/problem\+json/);
    assert.match(missing.json().detail ?? missing.json().title, /Vorhanden: 1/);
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    assert.ok(doc.paths['/api/v1/measures'].get);
  });
});
