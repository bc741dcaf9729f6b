import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';

const PASSWORD = 'Lange Sätze sind gute Passwörter 7';
const PUBLIC = 'https://lotse.example';

/**
 * The return target survives sign-up (issue 8): "Registrieren" from the login page keeps `weiter`, the
 * verification link carries it, and the first sign-in leads there. Without a target, a person without a
 * workspace lands on "Ihre Kommune finden", not on /konto.
 */
for (const kind of databaseKinds()) {
  describe(`sign-up keeps the return target on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db, undefined, { BASE_URL: PUBLIC });
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    const verifyLink = async (to: string) => {
      const [m] = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE to_address = $1 AND kind = 'verify-email' ORDER BY id DESC",
        [to],
      );
      const link = m!.body.match(/https:\/\/lotse\.example(\/konto\/bestaetigen\?\S+)/);
      assert.ok(link, 'a verification link from BASE_URL');
      return link[1]!;
    };

    test('login → Registrieren → verification → login ends at the target', async () => {
      const a = new Agent(app);
      const target = '/organisationen/beitreten?region=16056';
      const login = await a.get(`/anmelden?weiter=${encodeURIComponent(target)}`);
      assert.match(login.body, /href="\/registrieren\?weiter=%2Forganisationen%2Fbeitreten%3Fregion%3D16056"/);
      const signup = await a.get(`/registrieren?weiter=${encodeURIComponent(target)}`);
      assert.match(signup.body, /name="weiter" value="\/organisationen\/beitreten\?region=16056"/);
      const sent = await a.post(
        '/registrieren',
        { email: 'ziel@gemeinde.example', password: PASSWORD, weiter: target },
        `/registrieren?weiter=${encodeURIComponent(target)}`,
      );
      assert.equal(sent.statusCode, 303);
      const link = await verifyLink('ziel@gemeinde.example');
      assert.match(link, /&weiter=%2Forganisationen%2Fbeitreten%3Fregion%3D16056$/);
      const verified = await a.get(link);
      assert.equal(verified.statusCode, 200);
      assert.match(verified.body, /href="\/anmelden\?weiter=%2Forganisationen%2Fbeitreten%3Fregion%3D16056"/);
      const page = await a.get(`/anmelden?weiter=${encodeURIComponent(target)}`);
      assert.match(page.body, /name="weiter" value="\/organisationen\/beitreten\?region=16056"/);
      const signedIn = await a.post(
        '/anmelden',
        { email: 'ziel@gemeinde.example', password: PASSWORD, weiter: target },
        `/anmelden?weiter=${encodeURIComponent(target)}`,
      );
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, target);
    });

    test('a foreign target is dropped on the way; without a target the first sign-in finds the municipality', async () => {
      const a = new Agent(app);
      await a.post(
        '/registrieren',
        { email: 'ohne@gemeinde.example', password: PASSWORD, weiter: '//evil.example/x' },
        '/registrieren?weiter=%2F%2Fevil.example',
      );
      const link = await verifyLink('ohne@gemeinde.example');
      assert.doesNotMatch(link, /weiter/);
      await a.get(link);
      const login = await a.get('/anmelden');
      assert.doesNotMatch(login.body, /name="weiter"/, 'no target: none is sent');
      const signedIn = await a.post('/anmelden', { email: 'ohne@gemeinde.example', password: PASSWORD }, '/anmelden');
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, '/kommune-finden');
      const find = await a.get('/kommune-finden');
      assert.equal(find.statusCode, 200);
      assert.match(find.body, /Ihre Kommune finden/);
      // An explicit target still wins.
      const b = new Agent(app);
      const again = await b.post(
        '/anmelden',
        { email: 'ohne@gemeinde.example', password: PASSWORD, weiter: '/konto' },
        '/anmelden',
      );
      assert.equal(again.headers.location, '/konto');
    });
  });
}
