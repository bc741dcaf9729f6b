import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { makeAdvisor } from '../../../organisations/organisations.service.js';
import { ForbiddenError } from '../../../platform/errors.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import * as service from '../standards.service.js';

/**
 * The centre's recommendations end to end on both databases: an advisor of the centre publishes one for a sector
 * through the form, a second supersedes it (history kept and shown); Land advisors, municipalities, providers,
 * platform admins and anonymous callers may not; errors keep what was typed; the pages and the API show it all.
 */
const noMail = { send: async () => ({ id: 0 }) };

for (const kind of databaseKinds()) {
  describe(`standards and recommendations on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const deps = () => ({ db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T });
    const actor = (name: string) => ({
      id: ids[name]!,
      email: `${name}@example.org`,
      isPlatformAdmin: name === 'admin',
    });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    /** A form post with repeated fields (several standards), CSRF token from the form page. */
    async function post(agent: Agent, fields: [string, string][]) {
      const page = await agent.get('/standards/empfehlungen/neu');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? 'none';
      return app.inject({
        method: 'POST',
        url: '/standards/empfehlungen/neu',
        headers: {
          accept: 'text/html',
          cookie: agent.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams([['_csrf', csrf], ...fields]).toString(),
      });
    }
    const current = async () =>
      t.db.query<{ sector: string; n: number }>(
        'SELECT sector, count(*)::int AS n FROM standard_recommendations WHERE superseded_at IS NULL GROUP BY sector',
      );

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      for (const name of ['zentrum', 'mobil', 'land', 'kommune', 'anbieter', 'admin', 'neu']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, name === 'admin')).userId;
      }
      await makeAdvisor(t.db, ids.zentrum!, null);
      await makeAdvisor(t.db, ids.land!, '16');
      // An advisor of the centre for one topic (sector) only.
      await makeAdvisor(t.db, ids.mobil!, null);
      await t.db.query("UPDATE advisor_scopes SET topic = 'mobilitaet' WHERE user_id = $1", [ids.mobil]);
      for (const [name, org] of [
        [
          'kommune',
          "INSERT INTO organisations (kind, region_key, name) VALUES ('region', '16056', 'Eisenach') RETURNING id::int AS id",
        ],
        [
          'anbieter',
          "INSERT INTO organisations (kind, region_key, name) VALUES ('provider', NULL, 'Anbieter GmbH') RETURNING id::int AS id",
        ],
      ] as const) {
        const [o] = await t.db.query<{ id: number }>(org);
        await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
          o!.id,
          ids[name],
        ]);
      }
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('the list and a standard render without any recommendation', async () => {
      const list = await new Agent(app).get('/standards');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Standards für Kommunen/);
      assert.match(list.body, /noch keine Empfehlung veröffentlicht/);
      assert.match(list.body, /href="\/standards\/xrechnung"/);
      assert.doesNotMatch(list.body, /Empfehlung veröffentlichen/, 'no publish link for the public');
      const filtered = await new Agent(app).get('/standards?sektor=mobilitaet&verbindlichkeit=pflicht');
      assert.equal(filtered.statusCode, 200);
      assert.match(filtered.body, /href="\/standards\/netex"/);
      assert.doesNotMatch(filtered.body, /href="\/standards\/gtfs"/);
      assert.doesNotMatch(filtered.body, /href="\/standards\/xrechnung"/);
      const bad = await new Agent(app).get('/standards?sektor=mond');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#sektor"/);
      const detail = await new Agent(app).get('/standards/oparl');
      assert.equal(detail.statusCode, 200);
      assert.match(detail.body, /OParl-Initiative/);
      assert.match(detail.body, /href="\/massnahmen\/[a-z0-9-]+"/, 'the measures that use it');
      assert.match(detail.body, /Maschinell prüfbar/);
      assert.equal((await new Agent(app).get('/standards/gibt-es-nicht')).statusCode, 404);
      const en = await app.inject({
        url: '/standards/oparl',
        headers: { accept: 'text/html', 'accept-language': 'en' },
      });
      assert.match(en.body, /Key facts/);
    });

    test('an advisor of the centre publishes a recommendation through the form (audited)', async () => {
      const zentrum = await as('zentrum');
      const list = await zentrum.get('/standards');
      assert.match(list.body, /href="\/standards\/empfehlungen\/neu"/, 'the publish link for the centre');
      const form = await zentrum.get('/standards/empfehlungen/neu?sektor=verwaltung');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="_csrf"/);
      const res = await post(zentrum, [
        ['sector', 'verwaltung'],
        ['standards', 'xrechnung'],
        ['standards', 'bitv-2-0'],
        ['rationale', 'E-Rechnungen sind Pflicht.\n\nBarrierefreiheit ebenso.'],
      ]);
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      assert.match(
        String(res.headers.location),
        /^\/standards\?sektor=verwaltung&hinweis=veroeffentlicht#empfehlung-\d+$/,
      );
      const shown = await new Agent(app).get('/standards');
      assert.match(shown.body, /Empfehlung für Verwaltung vom/);
      assert.match(shown.body, /<p>E-Rechnungen sind Pflicht\.<\/p><p>Barrierefreiheit ebenso\.<\/p>/);
      const detail = await new Agent(app).get('/standards/xrechnung');
      assert.match(detail.body, /Empfehlung für Verwaltung vom/);
      assert.deepEqual(await current(), [{ sector: 'verwaltung', n: 1 }]);
      const [audit] = await t.db.query<{ actor: number; after: { sector: string; standards: string[] } }>(
        `SELECT actor_user_id::int AS actor, after FROM audit_log WHERE action = 'standard-recommendation.publish'`,
      );
      assert.equal(audit?.actor, ids.zentrum);
      assert.deepEqual(audit?.after.standards, ['xrechnung', 'bitv-2-0']);
    });

    test('Land advisors, municipalities, providers, platform admins and anonymous callers may not publish', async () => {
      for (const name of ['land', 'kommune', 'anbieter', 'admin', 'neu']) {
        const a = await as(name);
        assert.equal((await a.get('/standards/empfehlungen/neu')).statusCode, 403, `${name}: form`);
        const res = await post(a, [
          ['sector', 'verwaltung'],
          ['standards', 'ozg'],
          ['rationale', 'Nicht erlaubt'],
        ]);
        assert.equal(res.statusCode, 403, `${name}: post`);
        await assert.rejects(
          service.publishRecommendation(t.db, actor(name), {
            sector: 'verwaltung',
            standards: ['ozg'],
            rationale: 'x',
          }),
          ForbiddenError,
        );
      }
      const anonymous = await new Agent(app).get('/standards/empfehlungen/neu');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/anmelden\?weiter=/);
      // A post without a session and CSRF token is refused before anything happens.
      const blind = await app.inject({
        method: 'POST',
        url: '/standards/empfehlungen/neu',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: 'sector=verwaltung&standards=ozg&rationale=x',
      });
      assert.ok([303, 403].includes(blind.statusCode), String(blind.statusCode));
      assert.deepEqual(await current(), [{ sector: 'verwaltung', n: 1 }]);
    });

    test('an advisor of the centre for one topic publishes for that sector only', async () => {
      const mobil = await as('mobil');
      const form = await mobil.get('/standards/empfehlungen/neu');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<option value="mobilitaet"/);
      assert.doesNotMatch(form.body, /<option value="verwaltung"/);
      const denied = await post(mobil, [
        ['sector', 'verwaltung'],
        ['standards', 'ozg'],
        ['rationale', 'Nicht mein Thema'],
      ]);
      assert.equal(denied.statusCode, 403);
      const ok = await post(mobil, [
        ['sector', 'mobilitaet'],
        ['standards', 'gtfs'],
        ['standards', 'netex'],
        ['rationale', 'Fahrpläne offen und in der vorgeschriebenen Form.'],
      ]);
      assert.equal(ok.statusCode, 303);
    });

    test('errors name the field and keep what was typed', async () => {
      const zentrum = await as('zentrum');
      const res = await post(zentrum, [
        ['sector', 'verwaltung'],
        ['standards', 'ozg'],
        ['standards', 'fim'],
        ['rationale', ''],
      ]);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /href="#rationale"/);
      assert.match(res.body, /value="ozg" checked=""|value="ozg" checked/);
      assert.match(res.body, /value="fim" checked/);
      assert.match(res.body, /<option value="verwaltung" selected/);
      const none = await post(zentrum, [
        ['sector', 'verwaltung'],
        ['rationale', 'Meine lange Begründung <b>fett</b>'],
      ]);
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /href="#standards"/);
      assert.match(none.body, /id="standards"/, 'the error link has a target');
      assert.match(none.body, /Meine lange Begründung &lt;b(&gt;|>)fett&lt;\/b/);
      assert.doesNotMatch(none.body, /<b>fett/);
      const unknown = await post(zentrum, [
        ['sector', 'mond'],
        ['standards', 'xyz'],
        ['rationale', 'x'],
      ]);
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /href="#sector"/);
      assert.deepEqual(
        (await current()).sort((a, b) => a.sector.localeCompare(b.sector)),
        [
          { sector: 'mobilitaet', n: 1 },
          { sector: 'verwaltung', n: 1 },
        ],
      );
    });

    test('a new recommendation supersedes the current one; the old one stays as history on pages and in the API', async () => {
      const before = (await service.currentRecommendations(t.db)).find((r) => r.sector === 'verwaltung')!;
      const zentrum = await as('zentrum');
      // The form starts from the current recommendation.
      const form = await zentrum.get('/standards/empfehlungen/neu?sektor=verwaltung');
      assert.match(form.body, /value="xrechnung" checked/);
      assert.match(form.body, /gilt die Empfehlung vom/);
      const res = await post(zentrum, [
        ['sector', 'verwaltung'],
        ['standards', 'xrechnung'],
        ['standards', 'peppol'],
        ['rationale', 'Neu: auch Peppol als Übermittlungsweg.'],
      ]);
      assert.equal(res.statusCode, 303);
      const rows = await service.recommendationHistory(t.db, 'verwaltung');
      assert.equal(rows.length, 2);
      assert.equal(rows[0]!.supersededAt, null);
      assert.equal(rows[0]!.supersedes, before.id);
      assert.equal(rows[1]!.id, before.id);
      assert.ok(rows[1]!.supersededAt instanceof Date);
      assert.deepEqual(
        (await current()).sort((a, b) => a.sector.localeCompare(b.sector)),
        [
          { sector: 'mobilitaet', n: 1 },
          { sector: 'verwaltung', n: 1 },
        ],
      );

      const sector = await new Agent(app).get('/standards?sektor=verwaltung');
      assert.match(sector.body, /Neu: auch Peppol/);
      assert.match(sector.body, /Frühere Empfehlungen/);
      assert.match(sector.body, /E-Rechnungen sind Pflicht/);
      assert.match(sector.body, /Ersetzt am/);
      // BITV was named only by the old recommendation: history, no current one.
      const bitv = await new Agent(app).get('/standards/bitv-2-0');
      assert.match(bitv.body, /Keine aktuelle Empfehlung/);
      assert.match(bitv.body, /Frühere Empfehlungen/);

      const api = (await app.inject('/api/v1/standards')).json();
      assert.equal(api.total, api.items.length);
      assert.deepEqual(
        api.recommendations.map((r: { sector: string; standards: string[] }) => [r.sector, r.standards]),
        [
          ['mobilitaet', ['gtfs', 'netex']],
          ['verwaltung', ['xrechnung', 'peppol']],
        ],
      );
      assert.ok(!JSON.stringify(api).includes('publishedBy'), 'no account in the open data');
      const peppol = api.items.find((s: { id: string }) => s.id === 'peppol');
      assert.deepEqual(peppol.recommendedIn, ['verwaltung']);
      const x = (await app.inject('/api/v1/standards/xrechnung')).json();
      assert.equal(x.recommendations.current.length, 1);
      assert.equal(x.recommendations.history.length, 1);
      assert.equal(x.recommendations.history[0].id, before.id);
      assert.ok(x.measures.length > 0);
      const mobility = (await app.inject('/api/v1/standards?sector=mobilitaet&obligation=mandatory')).json();
      assert.ok(
        mobility.items.every(
          (s: { sectors: string[]; obligation: { status: string } }) =>
            s.sectors.includes('mobilitaet') && s.obligation.status === 'mandatory',
        ),
      );
      assert.equal((await app.inject('/api/v1/standards?sector=mond')).statusCode, 400);
      assert.equal((await app.inject('/api/v1/standards/nichts')).statusCode, 404);
    });

    test('personal data: the author’s recommendations are exported; on deletion they stay without author', async () => {
      const data = await service.exportPersonalData(t.db, ids.zentrum!);
      assert.equal((data.standard_recommendations as unknown[]).length, 2);
      await t.db.transaction(async (tx) => {
        assert.equal(await service.erasePersonalData(tx, ids.zentrum!), 2);
      });
      const left = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM standard_recommendations WHERE published_by IS NULL',
      );
      assert.equal(left[0]!.n, 2);
    });
  });
}
