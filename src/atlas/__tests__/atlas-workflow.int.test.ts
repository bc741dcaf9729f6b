import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { saveAnswer, startCheck, submitCheck } from '../../assessment/assessment.service.js';
import { applicableQuestions, loadModel } from '../../assessment/model.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { makeAdvisor } from '../../organisations/organisations.service.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import * as strategies from '../../strategy/strategy.service.js';
import * as atlas from '../atlas.service.js';
import { parsePracticesFile } from '../import.js';
import { importPractices } from '../import.service.js';
import { emptyPractice, type PracticeContent } from '../model.js';
import { practiceJson } from '../practice-json.js';
import { searchPractices } from '../search.service.js';

/**
 * The atlas end to end through its pages and services on both databases: a team writes and submits a project, the
 * Land's advisor asks for changes and publishes it (versions kept), the search finds it, another municipality asks
 * to reuse it, attests and the team confirms; conflicting edits, attachments by content type, the import's
 * all-or-nothing and idempotence, and the rights of everyone else.
 */
const noMail = { send: async () => ({ id: 0 }) };
const TEAM_REGION = '16056'; // Eisenach (embedded register, Thüringen)
const ADOPTER_REGION = '16051'; // Erfurt

for (const kind of databaseKinds()) {
  describe(`Praxisatlas workflow on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const orgs: Record<string, number> = {};
    let practiceId = 0;
    const deps = () => ({ db: t.db, mailer: noMail, publicUrl: 'http://localhost', t: TEST_T, now: () => new Date() });
    const actor = (name: string) => ({ id: ids[name]!, email: `${name}@example.org`, isPlatformAdmin: false });
    async function as(name: string) {
      const a = new Agent(app);
      const s = await createSession({ ...deps(), mailer: noMail }, ids[name]!);
      a.cookies.set('kl_session', s.token);
      return a;
    }
    const mails = async (to: string) =>
      t.db.query<{ subject: string; text: string }>(
        'SELECT subject, body_text AS text FROM mail_outbox WHERE to_address = $1 ORDER BY id',
        [to],
      );
    const form = (c: Partial<Record<string, string>>) => ({
      title: 'Digitaler Bauantrag für alle Ortsteile',
      summary: 'Bauanträge werden online eingereicht und digital geprüft.',
      description: 'Seit 2023 reichen Bauherren ihre **Bauanträge** online ein.\n\n<script>alert(1)</script>',
      status: 'operation',
      startYear: '2023',
      sectors: 'verwaltung',
      tags: 'Bauantrag, Baugenehmigung',
      contactName: 'Erika Muster',
      contactEmail: 'bauamt@eisenach.example',
      contactVisible: 'ja',
      ...c,
    });

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      for (const name of ['anna', 'bert', 'carla', 'dora', 'berater', 'bayern', 'fremd']) {
        ids[name] = (await createUserWithLoginLink({ ...deps(), mailer: noMail }, `${name}@example.org`, false)).userId;
      }
      await makeAdvisor(t.db, ids.berater!, '16');
      await makeAdvisor(t.db, ids.bayern!, '09');
      for (const [name, region, members] of [
        [
          'team',
          TEAM_REGION,
          [
            ['anna', 'admin'],
            ['bert', 'member'],
          ],
        ],
        [
          'adopter',
          ADOPTER_REGION,
          [
            ['carla', 'admin'],
            ['dora', 'member'],
          ],
        ],
      ] as const) {
        orgs[name] = (
          await t.db.query<{ id: number }>(
            "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, $2) RETURNING id::int AS id",
            [region, name],
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

    test('a member writes a draft; only the team and the Land’s advisors see it; HTML in Markdown is text', async () => {
      const bert = await as('bert');
      const res = await bert.post('/praxis/neu', form({}), '/praxis/neu');
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      practiceId = Number(/\/praxis\/(\d+)/.exec(String(res.headers.location))![1]);
      const page = await bert.get(`/praxis/${practiceId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Entwurf/);
      assert.match(page.body, /<strong>Bauanträge<\/strong>/);
      assert.ok(!page.body.includes('<script>alert(1)</script>'), 'raw HTML of the description is escaped');
      assert.equal((await new Agent(app).get(`/praxis/${practiceId}`)).statusCode, 404);
      assert.equal((await (await as('carla')).get(`/praxis/${practiceId}`)).statusCode, 404);
      assert.equal((await (await as('bayern')).get(`/praxis/${practiceId}`)).statusCode, 404);
      assert.equal((await (await as('berater')).get(`/praxis/${practiceId}`)).statusCode, 200);
      // The lead region is the workspace's own.
      const v = await atlas.practiceView(t.db, actor('bert'), practiceId);
      assert.deepEqual(v.row.content.regions, [TEAM_REGION]);
      assert.equal(v.row.review, 'draft');
    });

    test('bad input names the field and keeps what was typed; a colleague’s save in between is a conflict', async () => {
      const bert = await as('bert');
      const v = await atlas.practiceView(t.db, actor('bert'), practiceId);
      const bad = await bert.post(
        `/praxis/${practiceId}/bearbeiten`,
        form({ rev: String(v.row.revision), startYear: 'zwanzig', website: 'javascript:alert(1)', regions: '99999' }),
        `/praxis/${practiceId}/bearbeiten`,
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#startYear"/);
      assert.match(bad.body, /value="zwanzig"/);
      // A colleague saves first; the second save on the old revision is refused and shows both.
      const anna = await as('anna');
      const first = await anna.post(
        `/praxis/${practiceId}/bearbeiten`,
        form({ rev: String(v.row.revision), title: 'Bauantrag online (Annas Fassung)' }),
        `/praxis/${practiceId}/bearbeiten`,
      );
      assert.equal(first.statusCode, 303);
      const second = await bert.post(
        `/praxis/${practiceId}/bearbeiten`,
        form({ rev: String(v.row.revision), title: 'Berts Titel' }),
        `/praxis/${practiceId}/bearbeiten`,
      );
      assert.equal(second.statusCode, 409);
      assert.match(second.body, /Annas Fassung/);
      assert.match(second.body, /value="Berts Titel"/);
      assert.match(second.body, /Meine Änderung trotzdem speichern/);
      const rev = Number(/name="rev" value="(\d+)"/.exec(second.body)![1]);
      const retry = await bert.post(
        `/praxis/${practiceId}/bearbeiten`,
        form({ rev: String(rev), title: 'Digitaler Bauantrag' }),
        `/praxis/${practiceId}/bearbeiten`,
      );
      assert.equal(retry.statusCode, 303);
      assert.equal(
        (await atlas.practiceView(t.db, actor('bert'), practiceId)).row.content.title,
        'Digitaler Bauantrag',
      );
    });

    test('submit, changes requested with a comment, resubmit, publish: advisors of other Länder may not', async () => {
      const bert = await as('bert');
      const sub = await bert.post(`/praxis/${practiceId}/einreichen`, {}, `/praxis/${practiceId}`);
      assert.equal(sub.statusCode, 303);
      assert.ok((await mails('berater@example.org')).some((m) => m.subject.includes('Digitaler Bauantrag')));
      assert.equal((await mails('bayern@example.org')).length, 0);
      // While submitted the team cannot edit.
      assert.equal((await bert.get(`/praxis/${practiceId}/bearbeiten`)).statusCode, 403);
      await assert.rejects(
        atlas.reviewPractice(deps(), actor('bayern'), practiceId, { publish: true, note: '' }),
        (e: { status?: number }) => e.status === 404,
      );
      const berater = await as('berater');
      const noComment = await berater.post(
        `/praxis/${practiceId}/pruefung`,
        { decision: 'changes', comment: '' },
        `/praxis/${practiceId}`,
      );
      assert.equal(noComment.statusCode, 400);
      const back = await berater.post(
        `/praxis/${practiceId}/pruefung`,
        { decision: 'changes', comment: 'Bitte Kosten ergänzen.' },
        `/praxis/${practiceId}`,
      );
      assert.equal(back.statusCode, 303);
      assert.match((await bert.get(`/praxis/${practiceId}`)).body, /Bitte Kosten ergänzen\./);
      assert.ok((await mails('bert@example.org')).some((m) => m.subject.startsWith('Bitte um Änderungen')));
      await bert.post(`/praxis/${practiceId}/einreichen`, {}, `/praxis/${practiceId}`);
      const pub = await berater.post(
        `/praxis/${practiceId}/pruefung`,
        { decision: 'publish', comment: '' },
        `/praxis/${practiceId}`,
      );
      assert.equal(pub.statusCode, 303);
      await settle(app);
      const anon = await new Agent(app).get(`/praxis/${practiceId}`);
      assert.equal(anon.statusCode, 200);
      assert.match(anon.body, /application\/ld\+json/);
      // The contact person is only for signed-in members of municipal workspaces.
      assert.doesNotMatch(anon.body, /bauamt@eisenach\.example/);
      assert.match((await (await as('carla')).get(`/praxis/${practiceId}`)).body, /bauamt@eisenach\.example/);
      assert.doesNotMatch((await (await as('fremd')).get(`/praxis/${practiceId}`)).body, /bauamt@eisenach\.example/);
      const api = await app.inject({ url: `/api/v1/practices/${practiceId}` });
      assert.equal(api.statusCode, 200);
      assert.equal(api.json().content.contact, null);
    });

    test('the search finds it by an inflected and misspelt query; a new version keeps the published one public', async () => {
      const hits = await searchPractices(t.db, {
        q: 'Bauanträge digtal einreichen',
        filters: {},
        limit: 10,
        offset: 0,
      });
      assert.deepEqual(
        hits.hits.map((h) => h.row.id),
        [practiceId],
      );
      const bySector = await app.inject({ url: '/api/v1/practices?q=Bauantrag&sector=verwaltung&state=16' });
      assert.equal(bySector.json().total, 1);
      assert.ok(
        bySector.json().facets.state.some((f: { value: string; count: number }) => f.value === '16' && f.count === 1),
      );
      assert.equal((await app.inject({ url: '/api/v1/practices?q=Bauantrag&state=09' })).json().total, 0);
      assert.equal((await app.inject({ url: '/api/v1/practices?sector=gibtsnicht' })).statusCode, 400);
      const csv = await app.inject({ url: '/api/v1/practices?q=Bauantrag&format=csv' });
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(csv.body, /Digitaler Bauantrag/);
      // The team edits the published project: the working copy is a draft, the public still sees version 1.
      const anna = await as('anna');
      const rev = (await atlas.practiceView(t.db, actor('anna'), practiceId)).row.revision;
      await anna.post(
        `/praxis/${practiceId}/bearbeiten`,
        form({ rev: String(rev), title: 'Digitaler Bauantrag 2.0' }),
        `/praxis/${practiceId}/bearbeiten`,
      );
      assert.match(
        (await new Agent(app).get(`/praxis/${practiceId}`)).body,
        /<h1 class="kern-heading-large">Digitaler Bauantrag<\/h1>/,
      );
      await atlas.submitPractice(deps(), actor('anna'), practiceId);
      await atlas.reviewPractice(deps(), actor('berater'), practiceId, { publish: true, note: 'Titel aktualisiert' });
      await settle(app);
      const versions = await new Agent(app).get(`/praxis/${practiceId}/versionen`);
      assert.match(versions.body, /Fassung 2/);
      assert.match(versions.body, /Fassung 1/);
      assert.match((await new Agent(app).get(`/praxis/${practiceId}`)).body, /Digitaler Bauantrag 2\.0/);
    });

    test('reuse: asked, attested by the adopter’s admin (a claim), confirmed by the team (then it counts)', async () => {
      const dora = await as('dora');
      const req = await dora.post(
        `/praxis/${practiceId}/nachnutzen`,
        { message: 'Wie lief die Schulung?' },
        `/praxis/${practiceId}`,
      );
      assert.equal(req.statusCode, 303);
      const mail = await mails('bauamt@eisenach.example');
      assert.ok(mail.some((m) => m.text.includes('Wie lief die Schulung?') && m.text.includes('dora@example.org')));
      const [reuse] = await t.db.query<{ id: number }>(
        'SELECT id::int AS id FROM practice_reuses WHERE practice_id = $1',
        [practiceId],
      );
      // The team may not confirm before the adopter attested; a member of the adopter may not attest.
      await assert.rejects(
        atlas.decideReuse(deps(), actor('bert'), practiceId, reuse!.id, true),
        (e: { status?: number }) => e.status === 409,
      );
      assert.equal(
        (
          await dora.post(
            `/praxis/${practiceId}/nachnutzung/${reuse!.id}/bestaetigen`,
            { since: '2025-02-01' },
            `/praxis/${practiceId}`,
          )
        ).statusCode,
        403,
      );
      const carla = await as('carla');
      const future = await carla.post(
        `/praxis/${practiceId}/nachnutzung/${reuse!.id}/bestaetigen`,
        { since: '2999-01-01' },
        `/praxis/${practiceId}`,
      );
      assert.equal(future.statusCode, 400);
      const attest = await carla.post(
        `/praxis/${practiceId}/nachnutzung/${reuse!.id}/bestaetigen`,
        { since: '2025-02-01' },
        `/praxis/${practiceId}`,
      );
      assert.equal(attest.statusCode, 303);
      const claim = await new Agent(app).get(`/praxis/${practiceId}`);
      assert.match(claim.body, /noch nicht vom Projektteam bestätigt/);
      assert.equal((await app.inject({ url: `/api/v1/practices/${practiceId}` })).json().confirmedReuses, 0);
      // Someone else's workspace member cannot confirm.
      assert.equal(
        (
          await (
            await as('fremd')
          ).post(
            `/praxis/${practiceId}/nachnutzung/${reuse!.id}/entscheiden`,
            { decision: 'confirm' },
            `/praxis/${practiceId}`,
          )
        ).statusCode,
        403,
      );
      const ok = await (await as('bert')).post(
        `/praxis/${practiceId}/nachnutzung/${reuse!.id}/entscheiden`,
        { decision: 'confirm' },
        `/praxis/${practiceId}`,
      );
      assert.equal(ok.statusCode, 303);
      assert.equal((await app.inject({ url: `/api/v1/practices/${practiceId}` })).json().confirmedReuses, 1);
      // The Lagebild counts the project and, below k = 5 adopting municipalities, withholds the reuses.
      await settle(app);
      // The search's list is served from the index's pre-serialised items: the confirmed reuse reached it through
      // the event, and the body is byte for byte what serialising the rows gives.
      const listed = await app.inject({ url: '/api/v1/practices?q=Bauantrag&limit=5' });
      assert.equal(listed.json().items[0].confirmedReuses, 1);
      const expected = await searchPractices(t.db, { q: 'Bauantrag', filters: {}, limit: 5, offset: 0 });
      assert.equal(
        listed.body,
        JSON.stringify({
          total: expected.total,
          items: expected.hits.map((h) =>
            practiceJson(h.row, 'http://localhost:3000', h.confirmedReuses, { score: h.score, matched: h.matched }),
          ),
          facets: expected.facets,
          corrected: expected.corrected,
          nextCursor: expected.nextCursor,
        }),
      );
      const lagebild = (await app.inject({ url: '/api/v1/lagebild' })).json();
      const transfer = lagebild.contributions.atlas;
      assert.equal(transfer.byState['16'].projects, 1);
      assert.equal(transfer.byState['16'].adopters, null);
      assert.equal(transfer.suppressed['16'], 'primary');
      assert.match((await new Agent(app).get('/lagebild')).body, /Wissenstransfer/);
      // The graph on both profiles.
      assert.match((await new Agent(app).get(`/kommunen/${ADOPTER_REGION}`)).body, /Nutzt von Eisenach nach:/);
      assert.match((await new Agent(app).get(`/kommunen/${TEAM_REGION}`)).body, /Erfurt nutzt nach:/);
    });

    test('attachments: a PDF is kept and served as a download; a file that only claims to be one is refused', async () => {
      const anna = await as('anna');
      const page = await anna.get(`/praxis/${practiceId}`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const upload = (name: string, bytes: Buffer, type: string) => {
        const boundary = '----kommunallotse';
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
          ),
          bytes,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        return app.inject({
          method: 'POST',
          url: `/praxis/${practiceId}/anhaenge`,
          headers: {
            cookie: anna.cookieHeader(),
            'content-type': `multipart/form-data; boundary=${boundary}`,
            accept: 'text/html',
          },
          payload: body,
        });
      };
      const exe = await upload('plan.pdf', Buffer.from('MZ\x90\x00 not a pdf'), 'application/pdf');
      assert.equal(exe.statusCode, 400);
      assert.match(exe.body, /Nur PDF, PNG oder JPEG/);
      const ok = await upload('Bauplan Übersicht.pdf', Buffer.from('%PDF-1.7\n%äöü\n'), 'application/pdf');
      assert.equal(ok.statusCode, 303);
      const [file] = await atlas.practiceView(t.db, null, practiceId).then((v) => v.attachments);
      const dl = await app.inject({ url: `/praxis/${practiceId}/anhaenge/${file!.id}` });
      assert.equal(dl.statusCode, 200);
      assert.equal(dl.headers['content-type'], 'application/pdf');
      assert.match(String(dl.headers['content-disposition']), /^attachment; filename="Bauplan-Ubersicht\.pdf"$/);
      assert.equal(dl.headers['x-content-type-options'], 'nosniff');
      // Without the CSRF token nothing is stored.
      const forged = await app.inject({
        method: 'POST',
        url: `/praxis/${practiceId}/anhaenge`,
        headers: { cookie: anna.cookieHeader(), 'content-type': 'multipart/form-data; boundary=x' },
        payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n--x--\r\n',
      });
      assert.equal(forged.statusCode, 403);
    });

    test('"Kommunen wie Ihre" on a check result: projects on the largest gaps, with the reason', async () => {
      const model = loadModel();
      const content: PracticeContent = {
        ...emptyPractice(),
        title: 'Digitalstrategie mit Bürgerbeteiligung',
        summary: 'Eine Strategie für alle Bereiche.',
        sectors: ['verwaltung'],
        dimensions: model.dimensions.map((d) => d.id),
      };
      const id = await atlas.createPractice(deps(), actor('anna'), orgs.team!, content);
      await atlas.submitPractice(deps(), actor('anna'), id);
      await atlas.reviewPractice(deps(), actor('berater'), id, { publish: true, note: '' });
      await settle(app);
      const check = await startCheck(t.db, actor('carla'), orgs.adopter!);
      for (const q of applicableQuestions(model, { population: 213_981, kind: 'kreisfreie-stadt' })) {
        await saveAnswer(t.db, actor('carla'), check, q.id, {
          value: '1',
          comment: '',
          evidenceUrl: '',
          expectedVersion: 0,
        });
      }
      await submitCheck(t.db, actor('carla'), check);
      const page = await (await as('carla')).get(`/digitalcheck/${check}/ergebnis`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Kommunen wie Ihre/);
      assert.match(page.body, /Digitalstrategie mit Bürgerbeteiligung/);
      assert.match(page.body, /Ihre größte Lücke liegt bei „[^“]+“; Eisenach/);
      // The same on the strategy drafted from that check.
      const strategyId = (await strategies.createDraft(t.db, actor('carla'), check, new Date())).id;
      const strategyPage = await (await as('carla')).get(`/strategie/${strategyId}`);
      assert.equal(strategyPage.statusCode, 200);
      assert.match(strategyPage.body, /Kommunen wie Ihre[\s\S]*Digitalstrategie mit Bürgerbeteiligung/);
    });

    test('a contact person’s address is erased with the person, in every version', async () => {
      assert.ok((await atlas.eraseContacts(t.db, ['bauamt@eisenach.example'])) >= 1);
      const rows = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM practice_versions WHERE content->'contact'->>'email' = 'bauamt@eisenach.example'`,
      );
      assert.equal(rows[0]!.n, 0);
    });

    test('withdrawal takes it off the search and the public page; the Lagebild counts confirmed reuses with k ≥ 5', async () => {
      await atlas.withdrawPractice(deps(), actor('berater'), practiceId);
      await settle(app);
      assert.equal((await new Agent(app).get(`/praxis/${practiceId}`)).statusCode, 404);
      assert.equal((await searchPractices(t.db, { q: 'Bauantrag', filters: {}, limit: 10, offset: 0 })).total, 0);
    });

    test('import: the first bad record stops everything; the same externalId updates; --publish publishes', async () => {
      const rec = (id: string, extra: Partial<Record<string, unknown>> = {}) => ({
        externalId: id,
        title: `Rufbus ${id}`,
        summary: 'Ein Rufbus fährt auf Bestellung.',
        regions: ['16051'],
        sectors: ['mobilitaet'],
        status: 'operation',
        ...extra,
      });
      const file = (records: unknown[]) => Buffer.from(JSON.stringify({ practices: records }));
      const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM practices'))[0]!.n;
      const bad = parsePracticesFile('p.json', file([rec('a'), rec('b'), rec('c', { regions: ['16999'] })]));
      await assert.rejects(
        importPractices(t.db, 'p.json', bad, { publish: true, now: new Date(), actorUserId: null }),
        (e: Error) => /p\.json.*Feld regions\[0\]/.test(e.message) || /16999/.test(e.message),
      );
      assert.equal((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM practices'))[0]!.n, before);
      const good = parsePracticesFile('p.json', file([rec('a'), rec('b')]));
      const first = await importPractices(t.db, 'p.json', good, { publish: false, now: new Date(), actorUserId: null });
      assert.deepEqual([first.inserted, first.updated, first.published], [2, 0, 0]);
      const again = parsePracticesFile('p.json', file([rec('a', { title: 'Rufbus neu' }), rec('b')]));
      const second = await importPractices(t.db, 'p.json', again, {
        publish: true,
        now: new Date(),
        actorUserId: null,
      });
      assert.deepEqual([second.inserted, second.updated, second.published], [0, 2, 2]);
      await settle(app);
      const found = await searchPractices(t.db, { q: 'Rufbus', filters: {}, limit: 10, offset: 0 });
      assert.equal(found.total, 2);
      assert.ok(found.hits.some((h) => h.row.published?.title === 'Rufbus neu'));
      // Unchanged re-import: no new version.
      const third = await importPractices(t.db, 'p.json', again, { publish: true, now: new Date(), actorUserId: null });
      assert.equal(third.published, 0);
    });

    test('a user without a municipal workspace may not create; nobody may edit a project of another team', async () => {
      assert.equal((await (await as('fremd')).get('/praxis/neu')).statusCode, 403);
      const content: PracticeContent = { ...emptyPractice(), title: 'x', summary: 'y', sectors: ['verwaltung'] };
      const id = await atlas.createPractice(deps(), actor('carla'), orgs.adopter!, content);
      await assert.rejects(
        atlas.savePractice(deps(), actor('anna'), id, content, 1),
        (e: { status?: number }) => e.status === 404,
      );
      await assert.rejects(
        atlas.createPractice(deps(), actor('anna'), orgs.adopter!, content),
        (e: { status?: number }) => e.status === 403 || e.status === 404,
      );
    });
  });
}
