import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { ROOT } from '../../../platform/paths.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import { emptySolution } from '../model.js';
import * as solutions from '../solutions.service.js';

/**
 * "Angaben aus publiccode.yml übernehmen" on a solution's page: the stored publiccode.yml URL is fetched through the
 * safe fetcher (a local server on 127.0.0.1, so the app allows private addresses), mapped and laid over the working
 * copy; a refused fetch or a file that is not publiccode.yml shows the page again (400) and changes nothing.
 */
const noMail = { send: async () => ({ id: 0 }) };
const FIXTURE = fs.readFileSync(path.join(ROOT, 'test/fixtures/market/publiccode/solution-de-en.yml'), 'utf8');

for (const kind of databaseKinds()) {
  describe(`publiccode.yml prefill on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let server: http.Server;
    let base = '';
    const ids: Record<string, number> = {};
    let orgId = 0;
    const deps = () => ({ db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T, now: () => new Date() });
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    async function as(name: string) {
      const a = new Agent(app);
      a.cookies.set('kl_session', (await createSession(deps(), ids[name]!)).token);
      return a;
    }

    before(async () => {
      server = http.createServer((req, res) => {
        if (req.url === '/publiccode.yml') {
          res.writeHead(200, { 'content-type': 'application/yaml' });
          res.end(FIXTURE);
        } else if (req.url === '/readme.txt') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('Dies ist keine publiccode.yml, nur Text.');
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db, undefined, { CHECK_ALLOW_PRIVATE: 'true' });
      for (const name of ['pia', 'fremd']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      orgId = (
        await t.db.query<{ id: number }>(
          "INSERT INTO organisations (kind, name) VALUES ('provider', 'Anbieter P') RETURNING id::int AS id",
        )
      )[0]!.id;
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [orgId, ids.pia]);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
      await new Promise<void>((r) => server.close(() => r()));
    });

    const draft = (publiccodeUrl: string) =>
      solutions.createSolution(deps(), actor('pia'), orgId, {
        ...emptySolution(),
        name: 'Getippter Name',
        summary: '',
        licence: 'proprietär',
        publiccodeUrl,
      });

    test('the team takes over the mapped fields; the button is on the page', async () => {
      const id = await draft(`${base}/publiccode.yml`);
      const pia = await as('pia');
      const page = await pia.get(`/loesungen/${id}`);
      assert.match(page.body, /Angaben aus publiccode\.yml übernehmen/);
      const res = await pia.post(`/loesungen/${id}/publiccode`, {}, `/loesungen/${id}`);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/loesungen/${id}?hinweis=uebernommen`);
      const c = (await solutions.solutionView(t.db, actor('pia'), id)).row.content;
      assert.equal(c.name, 'Mobilitätsdaten-Plattform');
      assert.equal(c.summary, 'Offene Mobilitätsdaten der Stadt.');
      assert.match(c.problem, /veröffentlicht Fahrpläne/);
      assert.equal(c.licence, 'Apache-2.0');
      assert.equal(c.openSource, true);
      assert.equal(c.website, 'https://mobilitaet.stadt-beispiel.de');
      assert.match(c.maintenance, /Vertrag.*Beispiel Software GmbH/);
      assert.ok(c.dependencies.length > 0);
      assert.match((await pia.get(String(res.headers.location))).body, /in den Entwurf übernommen/);
      // Someone outside the team cannot.
      const fremd = await (await as('fremd')).post(`/loesungen/${id}/publiccode`, {}, '/loesungen');
      assert.notEqual(fremd.statusCode, 303);
    });

    test('a refused fetch or a file that is not publiccode.yml: the page again (400), nothing changed', async () => {
      const pia = await as('pia');
      for (const [file, message] of [
        ['/fehlt.yml', /konnte nicht abgerufen werden/],
        ['/readme.txt', /keine publiccode\.yml/],
      ] as const) {
        const id = await draft(`${base}${file}`);
        const before = (await solutions.solutionView(t.db, actor('pia'), id)).row;
        const res = await pia.post(`/loesungen/${id}/publiccode`, {}, `/loesungen/${id}`);
        assert.equal(res.statusCode, 400, file);
        assert.match(res.body, message);
        const after = (await solutions.solutionView(t.db, actor('pia'), id)).row;
        assert.equal(after.revision, before.revision);
        assert.equal(after.content.name, 'Getippter Name');
      }
    });
  });
}
