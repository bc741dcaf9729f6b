import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { makeAdvisor } from '../../../organisations/organisations.service.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import { emptySolution, type SolutionContent } from '../model.js';
import * as solutions from '../solutions.service.js';

/**
 * The solution market through its pages and services on both databases: a provider writes and submits a solution,
 * an advisor asks for changes and publishes it (versions kept, the public sees the published version while the
 * provider edits), references only count when the municipality's admin confirms, reviews only from verified
 * municipal workspaces (one per workspace, the provider answers once), the comparison as page, CSV and PDF,
 * conflicting edits, and the rights of everyone else.
 */
const noMail = { send: async () => ({ id: 0 }) };

for (const kind of databaseKinds()) {
  describe(`solution market on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const orgs: Record<string, number> = {};
    let solutionId = 0;
    let otherId = 0;
    const deps = () => ({ db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T, now: () => new Date() });
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession(deps(), ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const mails = async (to: string) =>
      t.db.query<{ subject: string; text: string }>(
        'SELECT subject, body_text AS text FROM mail_outbox WHERE to_address = $1 ORDER BY id',
        [to],
      );
    const form = (c: Record<string, string> = {}) => ({
      name: 'Ratsinfo Kommunal',
      summary: 'Sitzungen, Vorlagen und Beschlüsse online.',
      problem: 'Gremienarbeit ohne Papier.\n\n<script>alert(1)</script>',
      sectors: 'verwaltung',
      operatingModels: 'saas',
      priceModel: 'per-inhabitant',
      priceNote: '0,10 € je Einwohner und Jahr',
      standards: 'oparl',
      dataLocation: 'germany',
      licence: 'proprietär',
      contactName: 'Vera Vertrieb',
      contactEmail: 'vertrieb@anbieter.example',
      contactVisible: 'ja',
      ...c,
    });
    const content = (name: string): SolutionContent => ({
      ...emptySolution(),
      name,
      summary: `${name} kurz.`,
      problem: 'Ein Problem.',
      sectors: ['verwaltung'],
      operatingModels: ['on-premises', 'open-source'],
      openSource: true,
      licence: 'EUPL-1.2',
      priceModel: 'free',
    });

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      for (const name of ['pia', 'paul', 'olga', 'berater', 'anna', 'bert', 'carla', 'dora', 'emil', 'fremd']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, false)).userId;
      }
      await makeAdvisor(t.db, ids.berater!, '09');
      const workspaces: [string, 'provider' | 'region', string | null, [string, string][]][] = [
        [
          'provider',
          'provider',
          null,
          [
            ['pia', 'admin'],
            ['paul', 'member'],
          ],
        ],
        ['other', 'provider', null, [['olga', 'admin']]],
        // Eisenach: verified (it has an admin); Erfurt: a member only, no admin yet (not verified).
        [
          'eisenach',
          'region',
          '16056',
          [
            ['anna', 'admin'],
            ['bert', 'member'],
          ],
        ],
        ['erfurt', 'region', '16051', [['dora', 'member']]],
        [
          'weimar',
          'region',
          '16055',
          [
            ['emil', 'admin'],
            ['carla', 'member'],
          ],
        ],
      ];
      for (const [name, kind, region, members] of workspaces) {
        orgs[name] = (
          await t.db.query<{ id: number }>(
            'INSERT INTO organisations (kind, region_key, name) VALUES ($1, $2, $3) RETURNING id::int AS id',
            [kind, region, name === 'provider' ? 'Anbieter A GmbH' : name],
          )
        )[0]!.id;
        for (const [user, role] of members) {
          await t.db.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)', [
            orgs[name],
            ids[user],
            role,
          ]);
        }
      }
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('a provider writes and submits, an advisor sends back and publishes; versions kept; everything audited', async () => {
      const pia = await as('pia');
      // Only provider members may create.
      assert.equal((await (await as('anna')).get('/loesungen/neu')).statusCode, 403);
      const created = await pia.post('/loesungen/neu', form({ name: '' }), '/loesungen/neu');
      assert.equal(created.statusCode, 303, 'a draft may be incomplete');
      solutionId = Number(/\/loesungen\/(\d+)/.exec(String(created.headers.location))![1]);
      // Submitting an incomplete draft: the page again with the error.
      const incomplete = await pia.post(`/loesungen/${solutionId}/einreichen`, {}, `/loesungen/${solutionId}`);
      assert.equal(incomplete.statusCode, 400);
      assert.match(incomplete.body, /Bitte ausfüllen/);
      // The draft exists only for its team and the advisors.
      assert.equal((await new Agent(app).get(`/loesungen/${solutionId}`)).statusCode, 404);
      assert.equal((await (await as('anna')).get(`/loesungen/${solutionId}`)).statusCode, 404);
      assert.equal((await (await as('berater')).get(`/loesungen/${solutionId}`)).statusCode, 200);
      const rev = (await solutions.solutionView(t.db, actor('pia'), solutionId)).row.revision;
      const saved = await pia.post(
        `/loesungen/${solutionId}/bearbeiten`,
        { ...form(), rev: String(rev) },
        `/loesungen/${solutionId}/bearbeiten`,
      );
      assert.equal(saved.statusCode, 303);
      assert.equal(
        (await pia.post(`/loesungen/${solutionId}/einreichen`, {}, `/loesungen/${solutionId}`)).statusCode,
        303,
      );
      assert.equal((await mails('berater@example.org')).length, 1, 'the advisors are told');
      // While submitted, the team cannot edit.
      assert.equal((await pia.get(`/loesungen/${solutionId}/bearbeiten`)).statusCode, 403);
      const berater = await as('berater');
      // Sending back needs a comment.
      const noComment = await berater.post(
        `/loesungen/${solutionId}/pruefung`,
        { decision: 'changes', comment: '' },
        `/loesungen/${solutionId}`,
      );
      assert.equal(noComment.statusCode, 400);
      await berater.post(
        `/loesungen/${solutionId}/pruefung`,
        { decision: 'changes', comment: 'Bitte den Hosting-Ort nennen.' },
        `/loesungen/${solutionId}`,
      );
      const back = await mails('pia@example.org');
      assert.match(back.at(-1)!.text, /Hosting-Ort/);
      await solutions.saveSolution(
        deps(),
        actor('paul'),
        solutionId,
        { ...(await solutions.solutionView(t.db, actor('paul'), solutionId)).row.content, hostingNote: 'Frankfurt' },
        (await solutions.solutionView(t.db, actor('paul'), solutionId)).row.revision,
      );
      await solutions.submitSolution(deps(), actor('paul'), solutionId);
      // A provider member cannot review.
      await assert.rejects(
        solutions.reviewSolution(deps(), actor('pia'), solutionId, { publish: true, note: '' }),
        /forbidden/i,
      );
      assert.equal(
        (
          await berater.post(
            `/loesungen/${solutionId}/pruefung`,
            { decision: 'publish', comment: 'Geprüft.' },
            `/loesungen/${solutionId}`,
          )
        ).statusCode,
        303,
      );
      // A second decision on the same submission is a conflict.
      await assert.rejects(
        solutions.reviewSolution(deps(), actor('berater'), solutionId, { publish: true, note: '' }),
        (e: { status?: number }) => e.status === 403 || e.status === 409,
      );
      const page = await new Agent(app).get(`/loesungen/${solutionId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Ratsinfo Kommunal/);
      assert.ok(!page.body.includes('<script>alert(1)</script>'));
      assert.ok(!page.body.includes('vertrieb@anbieter.example'), 'the contact only for municipal members');
      assert.match((await (await as('bert')).get(`/loesungen/${solutionId}`)).body, /vertrieb@anbieter\.example/);

      // Editing the published solution makes a working copy; the public keeps the published version.
      const v = await solutions.solutionView(t.db, actor('pia'), solutionId);
      await solutions.saveSolution(
        deps(),
        actor('pia'),
        solutionId,
        { ...v.row.content, name: 'Ratsinfo 2' },
        v.row.revision,
      );
      assert.match((await new Agent(app).get(`/loesungen/${solutionId}`)).body, /Ratsinfo Kommunal/);
      assert.equal((await solutions.solutionView(t.db, actor('pia'), solutionId)).row.review, 'draft');
      await solutions.submitSolution(deps(), actor('pia'), solutionId);
      await solutions.reviewSolution(deps(), actor('berater'), solutionId, { publish: true, note: '' });
      const versions = await new Agent(app).get(`/loesungen/${solutionId}/versionen`);
      assert.match(versions.body, /Fassung 2/);
      assert.match(versions.body, /Fassung 1/);

      const audit = await t.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE entity = 'solution' AND entity_id = $1 ORDER BY id",
        [String(solutionId)],
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        [
          'solution.create',
          'solution.edit',
          'solution.submit',
          'solution.request-changes',
          'solution.edit',
          'solution.submit',
          'solution.publish',
          'solution.edit',
          'solution.submit',
          'solution.publish',
        ],
      );
    });

    test('conflicting edits: nothing overwritten, both versions shown (409)', async () => {
      const v = await solutions.solutionView(t.db, actor('pia'), solutionId);
      const stale = v.row.revision;
      await solutions.saveSolution(
        deps(),
        actor('paul'),
        solutionId,
        { ...v.row.content, summary: 'Von Paul.' },
        stale,
      );
      const pia = await as('pia');
      const res = await pia.post(
        `/loesungen/${solutionId}/bearbeiten`,
        { ...form({ summary: 'Von Pia.' }), rev: String(stale) },
        `/loesungen/${solutionId}/bearbeiten`,
      );
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /Von Paul\./);
      assert.match(res.body, /Von Pia\./);
      assert.equal((await solutions.solutionView(t.db, actor('pia'), solutionId)).row.content.summary, 'Von Paul.');
      // Publish Paul's working copy again, so the rest sees a published solution without a pending draft.
      await solutions.submitSolution(deps(), actor('pia'), solutionId);
      await solutions.reviewSolution(deps(), actor('berater'), solutionId, { publish: true, note: '' });
    });

    test('references count only when the municipality’s admin confirms; declined ones stay declined', async () => {
      const refCount = async () => (await solutions.publishedSolution(t.db, solutionId))!.references.length;
      // Only the provider's team asks.
      await assert.rejects(solutions.requestReference(deps(), actor('anna'), solutionId, '16056', ''), /forbidden/i);
      await assert.rejects(solutions.requestReference(deps(), actor('pia'), solutionId, '09162', ''), /validation/i);
      const pia = await as('pia');
      assert.equal(
        (
          await pia.post(
            `/loesungen/${solutionId}/referenzen`,
            { region: '16056', note: 'Seit 2024' },
            `/loesungen/${solutionId}`,
          )
        ).statusCode,
        303,
      );
      const ref = (await solutions.solutionView(t.db, actor('pia'), solutionId)).references[0]!;
      assert.equal(ref.status, 'requested');
      assert.match((await mails('anna@example.org')).at(-1)!.subject, /Referenzanfrage/);
      assert.equal(await refCount(), 0, 'a requested reference does not count');
      assert.ok(!(await new Agent(app).get(`/loesungen/${solutionId}`)).body.includes('(angefragt)'));
      // The workspace page of Eisenach offers the decision to its admin.
      const home = await (await as('anna')).get(`/organisationen/${orgs.eisenach}`);
      assert.match(home.body, /Referenzanfragen von Anbietern/);
      // A member (not admin), another municipality's admin, the provider and an advisor may not confirm.
      for (const who of ['bert', 'emil', 'pia', 'berater']) {
        await assert.rejects(
          solutions.decideReference(deps(), actor(who), solutionId, ref.id, true),
          /forbidden/i,
          who,
        );
      }
      const anna = await as('anna');
      assert.equal(
        (
          await anna.post(
            `/loesungen/${solutionId}/referenzen/${ref.id}/entscheiden`,
            { decision: 'confirm' },
            `/loesungen/${solutionId}`,
          )
        ).statusCode,
        303,
      );
      assert.equal(await refCount(), 1);
      assert.match((await new Agent(app).get(`/loesungen/${solutionId}`)).body, /eisenach/);
      // Confirming twice is a conflict; declining takes the confirmation back.
      await assert.rejects(solutions.decideReference(deps(), actor('anna'), solutionId, ref.id, true), /conflict/i);
      await solutions.decideReference(deps(), actor('anna'), solutionId, ref.id, false);
      assert.equal(await refCount(), 0);
      await assert.rejects(solutions.requestReference(deps(), actor('pia'), solutionId, '16056', ''), /conflict/i);
      // Weimar confirms its own.
      const weimarRef = await solutions.requestReference(deps(), actor('paul'), solutionId, '16055', '');
      await solutions.decideReference(deps(), actor('emil'), solutionId, weimarRef, true);
      assert.equal(await refCount(), 1);
    });

    test('reviews: verified municipal workspaces only, one per workspace, the provider answers once', async () => {
      const review = (who: string, org: number | null, rating = 4) =>
        solutions.writeReview(deps(), actor(who), solutionId, org, { rating, body: 'Läuft stabil.' });
      // Not verified (Erfurt has no admin), a provider, an advisor, nobody's workspace: refused.
      await assert.rejects(review('dora', orgs.erfurt!), /forbidden/i);
      await assert.rejects(review('olga', null), /forbidden/i);
      await assert.rejects(review('berater', null), /forbidden/i);
      await assert.rejects(review('fremd', null), /forbidden/i);
      await assert.rejects(review('bert', orgs.eisenach!, 6), /validation/i);
      const bert = await as('bert');
      const posted = await bert.post(
        `/loesungen/${solutionId}/bewertungen`,
        { org: String(orgs.eisenach), rating: '4', body: 'Läuft stabil, gute Schulung.' },
        `/loesungen/${solutionId}`,
      );
      assert.equal(posted.statusCode, 303);
      // One per workspace: Anna (same workspace) gets a 409 and the page says why.
      const again = await (await as('anna')).post(
        `/loesungen/${solutionId}/bewertungen`,
        { org: String(orgs.eisenach), rating: '1', body: 'Doch nicht.' },
        `/loesungen/${solutionId}`,
      );
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /schon bewertet/);
      await review('carla', orgs.weimar!, 2);
      const { reviews } = (await solutions.publishedSolution(t.db, solutionId))!;
      assert.deepEqual(reviews.map((r) => r.rating).sort(), [2, 4]);
      assert.match((await mails('pia@example.org')).at(-1)!.subject, /Neue Bewertung/);
      const first = reviews.find((r) => r.orgId === orgs.eisenach)!;
      // Only the provider answers, once.
      await assert.rejects(solutions.answerReview(deps(), actor('bert'), solutionId, first.id, 'Hm'), /forbidden/i);
      await assert.rejects(solutions.answerReview(deps(), actor('olga'), solutionId, first.id, 'Hm'), /forbidden/i);
      const paul = await as('paul');
      assert.equal(
        (
          await paul.post(
            `/loesungen/${solutionId}/bewertungen/${first.id}/antwort`,
            { answer: 'Danke!' },
            `/loesungen/${solutionId}`,
          )
        ).statusCode,
        303,
      );
      await assert.rejects(solutions.answerReview(deps(), actor('pia'), solutionId, first.id, 'Nochmal'), /conflict/i);
      const api = await app.inject({ method: 'GET', url: `/api/v1/solutions/${solutionId}` });
      const body = api.json() as {
        reviews: { answer: string | null; workspace: string }[];
        content: { contact: unknown };
      };
      assert.equal(body.content.contact, null, 'no contact in the open data');
      assert.equal(body.reviews.find((r) => r.workspace === 'eisenach')!.answer, 'Danke!');
      assert.ok(!api.body.includes('bert@example.org'), 'review authors are not named');
    });

    test('the list and the API filter by sector, standard, operating model and open source', async () => {
      otherId = await solutions.createSolution(deps(), actor('olga'), orgs.other!, content('Offene Beteiligung'));
      await solutions.submitSolution(deps(), actor('olga'), otherId);
      await solutions.reviewSolution(deps(), actor('berater'), otherId, { publish: true, note: '' });
      const names = async (q: string) =>
        (
          (await app.inject({ method: 'GET', url: `/api/v1/solutions?${q}` })).json() as {
            items: { content: { name: string } }[];
          }
        ).items
          .map((i) => i.content.name)
          .sort();
      assert.deepEqual(await names(''), ['Offene Beteiligung', 'Ratsinfo 2']);
      assert.deepEqual(await names('standard=oparl'), ['Ratsinfo 2']);
      assert.deepEqual(await names('openSource=true'), ['Offene Beteiligung']);
      assert.deepEqual(await names('operatingModel=saas'), ['Ratsinfo 2']);
      assert.deepEqual(await names('sector=mobilitaet'), []);
      // Checked conformance: nothing is checked yet (the seam answers nothing), so the filter finds nothing.
      assert.deepEqual(await names('conformant=any'), []);
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/v1/solutions?operatingModel=cloud' })).statusCode,
        400,
      );
      const list = await new Agent(app).get('/loesungen?openSource=true');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Offene Beteiligung/);
      assert.ok(!list.body.includes('Ratsinfo 2'));
      assert.equal((await new Agent(app).get('/loesungen?sector=raumfahrt')).statusCode, 400);
    });

    test('the publiccode.yml seam fills the working copy from mapped fields; the public version stays', async () => {
      const before = (await solutions.solutionView(t.db, actor('olga'), otherId)).row;
      const out = await solutions.prefillFromPubliccode(deps(), actor('olga'), otherId, {
        name: 'Offene Beteiligung (publiccode)',
        dependencies: ['PostgreSQL'],
        maintenance: '',
      });
      assert.deepEqual(out.filled, ['name', 'dependencies']);
      const after = (await solutions.solutionView(t.db, actor('olga'), otherId)).row;
      assert.equal(after.revision, before.revision + 1);
      assert.equal(after.content.name, 'Offene Beteiligung (publiccode)');
      assert.equal(after.content.licence, 'EUPL-1.2');
      assert.equal(after.published!.name, 'Offene Beteiligung');
      await assert.rejects(solutions.prefillFromPubliccode(deps(), actor('pia'), otherId, { name: 'x' }), /forbidden/i);
    });

    test('the comparison of up to four: page, CSV for Excel, tagged PDF; only published solutions', async () => {
      const url = `/loesungen/vergleich?ids=${solutionId},${otherId}`;
      const page = await new Agent(app).get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<th scope="row">Bestätigte Referenzen<\/th><td>1: weimar<\/td><td>0<\/td>/);
      // The list's checkboxes send ids=…&ids=…
      assert.equal((await new Agent(app).get(`/loesungen/vergleich?ids=${solutionId}&ids=${otherId}`)).statusCode, 200);
      assert.equal((await new Agent(app).get('/loesungen/vergleich?ids=1,2,3,4,5')).statusCode, 400);
      const draft = await solutions.createSolution(deps(), actor('olga'), orgs.other!, content('Geheim'));
      assert.equal((await new Agent(app).get(`/loesungen/vergleich?ids=${solutionId},${draft}`)).statusCode, 404);

      const csv = await app.inject({ method: 'GET', url: `${url}&format=csv` });
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.ok(csv.body.startsWith('\ufeffMerkmal;Ratsinfo 2;Offene Beteiligung\r\n'));
      assert.match(csv.body, /\r\nPreismodell;"Nach Einwohnerzahl \(0,10 € je Einwohner und Jahr\)";Kostenfrei\r\n/);
      assert.match(csv.body, /\r\nGeprüfte Konformität;Noch keine Prüfung durch die Plattform\.;Noch keine Prüfung/);

      const pdf = await app.inject({ method: 'GET', url: `${url}&format=pdf` });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-compare-'));
      const file = path.join(dir, 'vergleich.pdf');
      fs.writeFileSync(file, pdf.rawPayload);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      assert.match(info, /Tagged:\s+yes/);
      assert.match(info, /Title:\s+Lösungen vergleichen/);
      const textOut = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const s of ['Ratsinfo 2', 'Offene Beteiligung', 'Bestätigte Referenzen', 'Nach Einwohnerzahl', 'weimar']) {
        assert.ok(textOut.includes(s), `PDF text has ${s}`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('withdrawing: the provider admin or an advisor; the member may not; the solution leaves the market', async () => {
      await assert.rejects(solutions.withdrawSolution(deps(), actor('paul'), otherId), /forbidden/i);
      await assert.rejects(solutions.withdrawSolution(deps(), actor('olga'), solutionId), /forbidden/i);
      await solutions.withdrawSolution(deps(), actor('olga'), otherId);
      assert.equal((await app.inject({ method: 'GET', url: `/api/v1/solutions/${otherId}` })).statusCode, 404);
      await assert.rejects(solutions.withdrawSolution(deps(), actor('berater'), otherId), /conflict|forbidden/i);
    });

    test('personal data: the contact is erased, review authors lose the link to their review', async () => {
      const exported = await solutions.exportPersonalData(t.db, ids.bert!, ['bert@example.org']);
      assert.equal(exported.solution_reviews.length, 1);
      await t.db.transaction(async (tx) => {
        await solutions.erasePersonalData(tx, ids.bert!);
        assert.ok((await solutions.eraseContacts(tx, ['Vertrieb@Anbieter.example'])) >= 1);
      });
      const left = await solutions.exportPersonalData(t.db, ids.bert!, ['vertrieb@anbieter.example']);
      assert.equal(left.solution_reviews.length, 0);
      assert.equal(left.solution_contacts.length, 0);
      const versions = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM solution_versions WHERE content->'contact' <> 'null'::jsonb",
      );
      assert.equal(versions[0]!.n, 0);
    });
  });
}
