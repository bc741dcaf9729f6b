import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { ensureEmbeddedDefault, importBoundaries } from '../../../register/register.service.js';
import type { Notification } from '../../contract.js';
import * as svc from '../mentors.service.js';
import { mentorLagebildContribution } from '../sections.js';

/**
 * Peer mentors through their pages on both databases. Eisenach (kreisfreie Stadt, 20,000–100,000) plans measure M;
 * Weimar (same size class and type), Erfurt and Augsburg (same type, larger), and the Wartburgkreis (a Kreis) have
 * done it and offer mentoring. The order for Eisenach: Weimar; then Erfurt and Augsburg (by name without boundaries,
 * by distance with them); then the Wartburgkreis although it is the nearest. Offers only for what the workspace
 * did; requests, decisions and closing with their access rules; contacts after acceptance; the Lagebild count.
 */
const M = 'digitalbeauftragte-benennen';
const OTHER = 'ratsinformationssystem-oparl';
const SEATS: Record<string, [number, number]> = {
  '16056': [10.32, 50.98],
  '16051': [11.03, 50.98],
  '16055': [11.33, 50.98],
  '09761': [10.9, 48.37],
  '16063': [10.25, 50.9],
};

for (const kind of databaseKinds()) {
  describe(`peer mentors on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const orgs: Record<string, number> = {};
    const offers: Record<string, number> = {};
    const sent: Notification[] = [];
    const deps = () => ({
      db: t.db,
      mailer: { send: async () => ({ id: 0 }) },
      publicUrl: 'http://localhost',
      t: TEST_T,
    });
    const mdeps = (): svc.MentorDeps => ({
      db: t.db,
      now: () => new Date(),
      notifier: { notify: async (n) => void sent.push(n) },
      t: TEST_T,
    });
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    async function as(name: string) {
      const a = new Agent(app);
      a.cookies.set('kl_session', (await createSession(deps(), ids[name]!)).token);
      return a;
    }
    const mentoring = async (id: number) =>
      (
        await t.db.query<{ status: string; version: number }>(
          'SELECT status, version FROM desk_mentorings WHERE id = $1',
          [id],
        )
      )[0]!;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      for (const name of ['anna', 'bert', 'bea', 'carla', 'dora', 'kurt', 'niemand']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      for (const [name, region, users] of [
        ['eisenach', '16056', ['anna']],
        ['erfurt', '16051', ['bert', 'bea']],
        ['weimar', '16055', ['carla']],
        ['augsburg', '09761', ['dora']],
        ['wartburgkreis', '16063', ['kurt']],
      ] as const) {
        orgs[name] = (
          await t.db.query<{ id: number }>(
            "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, $2) RETURNING id::int AS id",
            [region, name],
          )
        )[0]!.id;
        for (const u of users)
          await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
            orgs[name],
            ids[u],
          ]);
        // Everyone but Eisenach has done M (a strategy item with status "done"); Eisenach plans it.
        await t.db.query(`INSERT INTO strategies (org_id, region_key, status, content) VALUES ($1, $2, 'draft', $3)`, [
          orgs[name],
          region,
          JSON.stringify({ items: [{ measureId: M, status: name === 'eisenach' ? 'planned' : 'done' }] }),
        ]);
      }
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('a workspace offers mentoring only for a measure it has done, with a contact of its own', async () => {
      const bert = await as('bert');
      const form = await bert.get('/beratung/mentoren/angebote/neu');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`value="measure:${M}"`));
      const base = {
        org: String(orgs.erfurt),
        contact: String(ids.bea),
        hours: '4',
        note: 'Per Video.',
        status: 'active',
      };
      const url = '/beratung/mentoren/angebote/neu';
      // Not done by Erfurt: refused, and what was typed is kept.
      const notDone = await bert.post(url, { ...base, subject: `measure:${OTHER}`, note: 'Mein Hinweis' }, url);
      assert.equal(notDone.statusCode, 400);
      assert.match(notDone.body, /Mein Hinweis/);
      // A contact who is not of the workspace.
      assert.equal(
        (await bert.post(url, { ...base, subject: `measure:${M}`, contact: String(ids.anna) }, url)).statusCode,
        400,
      );
      // Another workspace's offer: not for a member of Eisenach.
      const anna = await as('anna');
      assert.equal(
        (await anna.post(url, { ...base, subject: `measure:${M}`, contact: String(ids.anna) }, url)).statusCode,
        403,
      );
      // Eisenach has done nothing: nothing to offer.
      assert.match((await anna.get(url)).body, /noch keine Maßnahme als erledigt/);
      const ok = await bert.post(url, { ...base, subject: `measure:${M}` }, url);
      assert.equal(ok.statusCode, 303);
      offers.erfurt = Number(/angebote\/(\d+)/.exec(String(ok.headers.location))![1]);
      assert.equal((await bert.post(url, { ...base, subject: `measure:${M}` }, url)).statusCode, 409);
      for (const [org, who] of [
        ['weimar', 'carla'],
        ['augsburg', 'dora'],
        ['wartburgkreis', 'kurt'],
      ] as const) {
        offers[org] = await svc.createOffer(
          mdeps(),
          actor(who),
          orgs[org]!,
          { kind: 'measure', ref: M },
          {
            contactUserId: ids[who]!,
            hoursPerMonth: null,
            note: '',
            status: 'active',
          },
        );
      }
    });

    test('the matching order: same size class and type, then one of both, then the rest; by name without boundaries', async () => {
      const v = await svc.matchingMentors(t.db, actor('anna'), M, orgs.eisenach!, 'de');
      assert.equal(v.distances, false);
      assert.deepEqual(
        v.ranked.map((r) => [r.candidate.name, r.tier]),
        [
          ['Weimar', 0],
          ['Augsburg', 1],
          ['Erfurt', 1],
          ['Wartburgkreis', 2],
        ],
      );
      const page = await (await as('anna')).get(`/beratung/mentoren/suche?massnahme=${M}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /keine Gebietsgrenzen importiert/);
      // Unknown measures are a 404.
      assert.equal((await (await as('anna')).get('/beratung/mentoren/suche?massnahme=gibt-es-nicht')).statusCode, 404);
    });

    test('with imported boundaries: nearest first within a tier (centroids of the boundaries)', async () => {
      const d = 0.05;
      const features = Object.entries(SEATS).map(([key, [x, y]]) => ({
        type: 'Feature',
        properties: { AGS: key, GEN: key },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x - d, y - d],
              [x + d, y - d],
              [x + d, y + d],
              [x - d, y + d],
              [x - d, y - d],
            ],
          ],
        },
      }));
      await importBoundaries(t.db, 'test.geojson', JSON.stringify({ type: 'FeatureCollection', features }));
      const v = await svc.matchingMentors(t.db, actor('anna'), M, orgs.eisenach!, 'de');
      assert.equal(v.distances, true);
      assert.deepEqual(
        v.ranked.map((r) => r.candidate.name),
        ['Weimar', 'Erfurt', 'Augsburg', 'Wartburgkreis'],
      );
      const erfurt = v.ranked.find((r) => r.candidate.name === 'Erfurt')!;
      assert.ok(Math.abs(erfurt.distanceKm! - 49.7) < 1, String(erfurt.distanceKm));
      const page = await (await as('anna')).get(`/beratung/mentoren/suche?massnahme=${M}`);
      assert.doesNotMatch(page.body, /keine Gebietsgrenzen importiert/);
      assert.match(page.body, /50 km/);
    });

    let mid = 0;
    test('request, decide, close: only the mentor’s workspace decides; contacts after acceptance; stale is 409', async () => {
      const anna = await as('anna');
      const offerUrl = `/beratung/mentoren/angebote/${offers.erfurt}`;
      const page = await anna.get(offerUrl);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /bea@example\.org/);
      const empty = await anna.post(`${offerUrl}/anfragen`, { org: String(orgs.eisenach), message: ' ' }, offerUrl);
      assert.equal(empty.statusCode, 400);
      sent.length = 0;
      mid = await svc.requestMentoring(mdeps(), actor('anna'), offers.erfurt!, orgs.eisenach!, 'Wir planen das.');
      assert.deepEqual(
        sent.map((n) => [n.userId, n.kind, n.link]),
        [[ids.bea, 'mentoring', `/beratung/mentoren/anfragen/${mid}`]],
      );
      await assert.rejects(
        svc.requestMentoring(mdeps(), actor('anna'), offers.erfurt!, orgs.eisenach!, 'Noch einmal.'),
        (e: { status?: number }) => e.status === 409,
      );
      const url = `/beratung/mentoren/anfragen/${mid}`;
      // Before acceptance no contact details, for neither side.
      const bert = await as('bert');
      assert.doesNotMatch((await bert.get(url)).body, /anna@example\.org/);
      assert.doesNotMatch((await anna.get(url)).body, /bea@example\.org/);
      // Weimar's and a stranger's members: it does not exist for them.
      assert.equal((await (await as('carla')).get(url)).statusCode, 404);
      assert.equal((await (await as('niemand')).get(url)).statusCode, 404);
      const v0 = (await mentoring(mid)).version;
      assert.equal(
        (
          await (
            await as('carla')
          ).post(`${url}/entscheidung`, { version: String(v0), decision: 'accept' }, '/beratung/mentoren')
        ).statusCode,
        404,
      );
      // The requesting side may read but not accept.
      assert.equal(
        (await anna.post(`${url}/entscheidung`, { version: String(v0), decision: 'accept' }, url)).statusCode,
        403,
      );
      // A stale form.
      const stale = await bert.post(
        `${url}/entscheidung`,
        { version: String(v0 + 5), decision: 'accept', reply: 'Gern' },
        url,
      );
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Gern/);
      assert.equal(
        (await bert.post(`${url}/entscheidung`, { version: String(v0), decision: 'accept', reply: 'Gern!' }, url))
          .statusCode,
        303,
      );
      assert.equal((await mentoring(mid)).status, 'accepted');
      assert.match((await anna.get(url)).body, /bea@example\.org/);
      assert.match((await bert.get(url)).body, /anna@example\.org/);
      // Accepting again is not a possible step.
      const v1 = (await mentoring(mid)).version;
      assert.equal(
        (await bert.post(`${url}/entscheidung`, { version: String(v1), decision: 'decline' }, url)).statusCode,
        409,
      );
    });

    test('workspace A never sees B’s requests', async () => {
      const carla = await as('carla');
      const overview = await carla.get('/beratung/mentoren');
      assert.equal(overview.statusCode, 200);
      assert.doesNotMatch(overview.body, new RegExp(`/beratung/mentoren/anfragen/${mid}"`));
      const own = await (await as('anna')).get('/beratung/mentoren');
      assert.match(own.body, new RegExp(`/beratung/mentoren/anfragen/${mid}"`));
    });

    test('the Lagebild counts accepted mentorings per Land of the mentee, small numbers withheld', async () => {
      let l = await mentorLagebildContribution.compute(t.db);
      assert.equal(l.byState['16'], null);
      assert.equal(l.suppressed['16'], 'primary');
      assert.equal(l.total, null);
      // Four more accepted mentorings of Thüringen's municipalities (Weimar and the Wartburgkreis ask Erfurt, …).
      for (const [who, org, offer] of [
        ['carla', 'weimar', 'erfurt'],
        ['kurt', 'wartburgkreis', 'erfurt'],
        ['bert', 'erfurt', 'weimar'],
        ['anna', 'eisenach', 'weimar'],
      ] as const) {
        const id = await svc.requestMentoring(mdeps(), actor(who), offers[offer]!, orgs[org]!, 'Bitte.');
        const mentor = offer === 'erfurt' ? 'bert' : 'carla';
        sent.length = 0;
        await svc.decide(mdeps(), actor(mentor), id, (await mentoring(id)).version, true, '');
        // The requester is told (kind "mentoring", a local link).
        assert.deepEqual(
          sent.map((n) => [n.userId, n.kind, n.link]),
          [[ids[who], 'mentoring', `/beratung/mentoren/anfragen/${id}`]],
        );
      }
      l = await mentorLagebildContribution.compute(t.db);
      assert.equal(l.byState['16'], 5);
      assert.equal(l.byState['09'], 0);
      assert.equal(l.total, 5);
      // A declined one does not count.
      const declined = await svc.requestMentoring(mdeps(), actor('dora'), offers.erfurt!, orgs.augsburg!, 'Bitte.');
      await svc.decide(mdeps(), actor('bert'), declined, (await mentoring(declined)).version, false, 'Leider nicht.');
      assert.equal((await mentorLagebildContribution.compute(t.db)).byState['09'], 0);
    });

    test('closing: either side completes an accepted mentoring; the requester cancels an open one', async () => {
      const anna = await as('anna');
      const url = `/beratung/mentoren/anfragen/${mid}`;
      assert.equal(
        (await anna.post(`${url}/abschluss`, { version: String((await mentoring(mid)).version), to: 'completed' }, url))
          .statusCode,
        303,
      );
      assert.equal((await mentoring(mid)).status, 'completed');
      assert.equal(
        (await anna.post(`${url}/abschluss`, { version: String((await mentoring(mid)).version), to: 'cancelled' }, url))
          .statusCode,
        409,
      );
      const open = await svc.requestMentoring(mdeps(), actor('dora'), offers.weimar!, orgs.augsburg!, 'Bitte.');
      await assert.rejects(
        svc.closeMentoring(mdeps(), actor('carla'), open, (await mentoring(open)).version, 'cancelled'),
        (e: { status?: number }) => e.status === 403,
      );
      await svc.closeMentoring(mdeps(), actor('dora'), open, (await mentoring(open)).version, 'cancelled');
      assert.equal((await mentoring(open)).status, 'cancelled');
    });

    test('paused offers are hidden from others; withdrawing cancels open requests and keeps accepted ones', async () => {
      const bert = await as('bert');
      const offerUrl = `/beratung/mentoren/angebote/${offers.erfurt}`;
      const [o] = await t.db.query<{ version: number }>('SELECT version FROM desk_mentor_offers WHERE id = $1', [
        offers.erfurt,
      ]);
      const form = { contact: String(ids.bea), hours: '2', note: '', status: 'paused' };
      assert.equal((await bert.post(offerUrl, { ...form, version: String(o!.version + 3) }, offerUrl)).statusCode, 409);
      assert.equal(
        (await (await as('carla')).post(offerUrl, { ...form, version: String(o!.version) }, offerUrl)).statusCode,
        403,
      );
      assert.equal((await bert.post(offerUrl, { ...form, version: String(o!.version) }, offerUrl)).statusCode, 303);
      assert.equal((await (await as('anna')).get(offerUrl)).statusCode, 404);
      const v = await svc.matchingMentors(t.db, actor('anna'), M, orgs.eisenach!, 'de');
      assert.ok(!v.ranked.some((r) => r.candidate.name === 'Erfurt'));
      // Withdraw Weimar's offer: Augsburg's new request is cancelled, Eisenach's accepted one stays.
      const pending = await svc.requestMentoring(mdeps(), actor('dora'), offers.weimar!, orgs.augsburg!, 'Bitte.');
      const carla = await as('carla');
      const wUrl = `/beratung/mentoren/angebote/${offers.weimar}`;
      assert.equal((await (await as('anna')).post(`${wUrl}/zurueckziehen`, {}, wUrl)).statusCode, 403);
      assert.equal((await carla.post(`${wUrl}/zurueckziehen`, {}, wUrl)).statusCode, 303);
      assert.equal((await mentoring(pending)).status, 'cancelled');
      const [kept] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM desk_mentorings WHERE mentor_org_id = $1 AND status = 'accepted'",
        [orgs.weimar],
      );
      assert.equal(kept!.n, 2);
    });

    test('a strategy planning M shows its mentors; the workspace page shows offers and mentorings', async () => {
      const [s] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM strategies WHERE org_id = $1', [
        orgs.eisenach,
      ]);
      const counts = await svc.mentorCounts(t.db, orgs.eisenach!, [M, OTHER]);
      assert.deepEqual(counts, [{ measureId: M, mentors: 2 }]);
      // Erfurt has done M itself: no mentors shown for it.
      assert.deepEqual(await svc.mentorCounts(t.db, orgs.erfurt!, [M]), []);
      assert.ok(s);
      const ws = await (await as('bert')).get(`/organisationen/${orgs.erfurt}`);
      assert.equal(ws.statusCode, 200);
      assert.match(ws.body, /Kommune hilft Kommune/);
    });
  });
}
