import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';

/**
 * Demand bundling through its pages on both databases: Eisenach declares a need, Erfurt sees it as matching and
 * joins (a group forms, Eisenach leads), Gotha joins too; the lead hands over the lead (a stale form is a 409);
 * the export for the joint call for tenders; providers and people without a municipal workspace see nothing.
 */
const noMail = { send: async () => ({ id: 0 }) };

for (const kind of databaseKinds()) {
  describe(`demand bundling on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const orgs: Record<string, number> = {};
    const deps = () => ({ db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T, now: () => new Date() });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const need = (c: Record<string, string> = {}) => ({
      org: String(orgs.eisenach),
      title: 'Ratsinformationssystem mit OParl-Schnittstelle',
      sector: 'verwaltung',
      standards: 'oparl, bitv-2-0',
      neededFrom: '2027-03',
      neededUntil: '2027-12',
      volumeEur: '12.000',
      volumeNote: '40 Ratsmitglieder',
      ...c,
    });
    let needId = 0;
    let groupId = 0;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      for (const name of ['anna', 'erik', 'gitta', 'paul', 'niemand']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      for (const [name, kindOf, region, user] of [
        ['eisenach', 'region', '16056', 'anna'],
        ['erfurt', 'region', '16051', 'erik'],
        ['gotha', 'region', '16067', 'gitta'],
        ['anbieter', 'provider', null, 'paul'],
      ] as const) {
        orgs[name] = (
          await t.db.query<{ id: number }>(
            'INSERT INTO organisations (kind, region_key, name) VALUES ($1, $2, $3) RETURNING id::int AS id',
            [kindOf, region, name],
          )
        )[0]!.id;
        await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
          orgs[name],
          ids[user],
        ]);
      }
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('a bad need is shown again with every error and what was typed', async () => {
      const anna = await as('anna');
      const res = await anna.post(
        '/beschaffung/neu',
        need({
          sector: 'raumfahrt',
          standards: 'oparl, xyz-9',
          neededFrom: '2027-13',
          neededUntil: '2026-01',
          volumeEur: 'viel',
        }),
        '/beschaffung/neu',
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Den Bereich „raumfahrt“ gibt es nicht/);
      assert.match(res.body, /nicht im Standardkatalog: xyz-9/);
      assert.match(res.body, /„2027-13“ ist kein Monat/);
      assert.match(res.body, /„viel“ ist kein Betrag/);
      assert.match(res.body, /value="Ratsinformationssystem mit OParl-Schnittstelle"/);
      assert.equal((await t.db.query('SELECT 1 FROM procurement_needs')).length, 0);
    });

    test('a municipality declares a need; another sees it as matching and joins: a group forms, led by the first', async () => {
      const anna = await as('anna');
      const res = await anna.post('/beschaffung/neu', need(), '/beschaffung/neu');
      assert.equal(res.statusCode, 303, res.body.slice(0, 400));
      needId = Number(/\/beschaffung\/(\d+)/.exec(String(res.headers.location))![1]);
      const stored = await t.db.query<{ volume_eur: number; standards: string[]; needed_from: string }>(
        "SELECT volume_eur, standards, to_char(needed_from, 'YYYY-MM-DD') AS needed_from FROM procurement_needs WHERE id = $1",
        [needId],
      );
      assert.deepEqual(stored[0], { volume_eur: 12000, standards: ['oparl', 'bitv-2-0'], needed_from: '2027-03-01' });

      const erik = await as('erik');
      // Erfurt's own open need in the same sector makes Eisenach's a match.
      assert.equal(
        (
          await erik.post(
            '/beschaffung/neu',
            need({ org: String(orgs.erfurt), title: 'Ratsinfo', standards: 'oparl' }),
            '/beschaffung/neu',
          )
        ).statusCode,
        303,
      );
      const overview = await erik.get('/beschaffung');
      assert.equal(overview.statusCode, 200);
      const matching = overview.body
        .split('Weitere offene Bedarfe')[0]!
        .split('Passende Bedarfe anderer Kommunen')
        .slice(1)
        .join('');
      assert.match(matching, /Ratsinformationssystem mit OParl-Schnittstelle/);

      const join = await erik.post(
        `/beschaffung/${needId}/beitreten`,
        { org: String(orgs.erfurt), volumeEur: '8000' },
        `/beschaffung/${needId}`,
      );
      assert.equal(join.statusCode, 303, join.body.slice(0, 400));
      groupId = Number(/gruppen\/(\d+)/.exec(String(join.headers.location))![1]);
      const page = await erik.get(`/beschaffung/gruppen/${groupId}`);
      assert.match(page.body, /Federführung: eisenach/);
      assert.match(page.body, /Mitglieder der Gruppe \(2\)/);
      assert.match(page.body, /20\.000 €/); // 12,000 + 8,000
      // Joining twice is refused with a message, not a second row.
      const again = await erik.post(
        `/beschaffung/${needId}/beitreten`,
        { org: String(orgs.erfurt) },
        `/beschaffung/${needId}`,
      );
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /schon in dieser Gruppe/);
    });

    test('providers and people without a municipal workspace see no needs and no groups', async () => {
      for (const name of ['paul', 'niemand']) {
        const a = await as(name);
        for (const url of [
          '/beschaffung',
          `/beschaffung/${needId}`,
          `/beschaffung/gruppen/${groupId}`,
          `/beschaffung/gruppen/${groupId}/export`,
        ]) {
          const res = await a.get(url);
          assert.equal(res.statusCode, 403, `${name} ${url}`);
          assert.ok(!res.body.includes('Ratsinformationssystem'), `${name} ${url} shows nothing of the need`);
        }
      }
      const anon = await new Agent(app).get(`/beschaffung/gruppen/${groupId}`);
      assert.equal(anon.statusCode, 303);
      assert.match(String(anon.headers.location), /anmelden/);
    });

    test('a third joins; only the lead hands over the lead, and a stale form is a conflict', async () => {
      const gitta = await as('gitta');
      assert.equal(
        (await gitta.post(`/beschaffung/${needId}/beitreten`, { org: String(orgs.gotha) }, `/beschaffung/${needId}`))
          .statusCode,
        303,
      );
      const rev = (
        await t.db.query<{ revision: number }>('SELECT revision FROM procurement_groups WHERE id = $1', [groupId])
      )[0]!.revision;
      const notLead = await gitta.post(
        `/beschaffung/gruppen/${groupId}/aendern`,
        { rev: String(rev), lead: String(orgs.gotha) },
        `/beschaffung/gruppen/${groupId}`,
      );
      assert.equal(notLead.statusCode, 403);
      const anna = await as('anna');
      // The lead cannot just leave a group of three.
      const leave = await anna.post(`/beschaffung/${needId}/zurueckziehen`, {}, `/beschaffung/${needId}`);
      assert.equal(leave.statusCode, 409);
      assert.match(leave.body, /übergibt die Federführung/);
      const handOver = await anna.post(
        `/beschaffung/gruppen/${groupId}/aendern`,
        { rev: String(rev), lead: String(orgs.erfurt), status: 'forming' },
        `/beschaffung/gruppen/${groupId}`,
      );
      assert.equal(handOver.statusCode, 303, handOver.body.slice(0, 400));
      const stale = await (await as('erik')).post(
        `/beschaffung/gruppen/${groupId}/aendern`,
        { rev: String(rev), status: 'tendering' },
        `/beschaffung/gruppen/${groupId}`,
      );
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /inzwischen geändert/);
      const g = await t.db.query<{ lead: number; status: string }>(
        'SELECT lead_org_id::int AS lead, status FROM procurement_groups WHERE id = $1',
        [groupId],
      );
      assert.deepEqual(g[0], { lead: orgs.erfurt, status: 'forming' });
    });

    test('the export for the joint call for tenders lists members, requirements and totals', async () => {
      const res = await (await as('gitta')).get(`/beschaffung/gruppen/${groupId}/export`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/csv/);
      const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
      assert.ok(
        lines.some(
          (l) => l.startsWith('Anforderungen (Standards);') && l.includes('(oparl)') && l.includes('(bitv-2-0)'),
        ),
      );
      const members = lines.filter((l) => /^160\d\d;/.test(l));
      assert.equal(members.length, 3);
      assert.ok(
        members.some((l) => l.startsWith('16051;') && l.endsWith(';ja')),
        'Erfurt leads now',
      );
      assert.ok(lines.some((l) => l.startsWith(';Summe;') && l.includes(';20000;')));
    });

    test('leaving a group of two dissolves it and opens both needs again', async () => {
      const gitta = await as('gitta');
      const own = (
        await t.db.query<{ id: number }>('SELECT id::int AS id FROM procurement_needs WHERE org_id = $1', [orgs.gotha])
      )[0]!.id;
      assert.equal((await gitta.post(`/beschaffung/${own}/zurueckziehen`, {}, `/beschaffung/${own}`)).statusCode, 303);
      const anna = await as('anna');
      assert.equal(
        (await anna.post(`/beschaffung/${needId}/zurueckziehen`, {}, `/beschaffung/${needId}`)).statusCode,
        303,
      );
      assert.equal((await t.db.query('SELECT 1 FROM procurement_groups WHERE id = $1', [groupId])).length, 0);
      const statuses = await t.db.query<{ status: string }>(
        "SELECT status FROM procurement_needs WHERE org_id IN ($1, $2) AND title LIKE 'Ratsinformationssystem%' ORDER BY id",
        [orgs.eisenach, orgs.erfurt],
      );
      assert.deepEqual(
        statuses.map((s) => s.status),
        ['open', 'open'],
      );
    });
  });
}
