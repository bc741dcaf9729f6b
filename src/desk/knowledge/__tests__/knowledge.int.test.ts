import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Fragment, h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Agent } from '../../../../test/helpers/agent.js';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createSession, createUserWithLoginLink } from '../../../identity/identity.service.js';
import { makeAdvisor } from '../../../organisations/index.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import type { Notification } from '../../contract.js';
import * as inquiries from '../../inquiries/inquiries.service.js';
import * as svc from '../knowledge.service.js';
import { faqStrategySection } from '../sections.js';

/**
 * Knowledge from answers on both databases: Eisenach (Thüringen) asks, Thüringen's advisor answers and drafts an FAQ
 * entry (prefilled anonymised); strangers and Bayern's advisor get 404, members 403 for drafting and publishing;
 * publishing needs the municipality's consent; the public FAQ shows neither the municipality nor people and is
 * found by the German search (inflection, compound parts); a changed text asks for consent again; stale forms 409.
 * The dashboard's figures on a hand-checked set of inquiries in Niedersachsen.
 */
for (const kind of databaseKinds()) {
  describe(`desk knowledge on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Record<string, number> = {};
    const orgs: Record<string, number> = {};
    const sent: Notification[] = [];
    const now = new Date('2026-06-15T10:00:00Z');
    const deps = () => ({
      db: t.db,
      mailer: { send: async () => ({ id: 0 }) },
      publicUrl: 'http://localhost',
      t: TEST_T,
    });
    const sdeps = () => ({
      db: t.db,
      now: () => now,
      notifier: { notify: async (n: Notification) => void sent.push(n) },
      t: TEST_T,
    });
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
    const entry = async (id: number) =>
      (
        await t.db.query<{ status: string; consent: string; version: number }>(
          'SELECT status, consent, version FROM desk_faq_entries WHERE id = $1',
          [id],
        )
      )[0]!;
    let inquiryId = 0;
    let faqId = 0;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db, undefined, {}, () => now);
      for (const name of ['anna', 'bert', 'thea', 'bayer', 'admin', 'niemand']) {
        ids[name] = (await createUserWithLoginLink(deps(), `${name}@example.org`, name === 'admin')).userId;
      }
      await t.db.query("UPDATE users SET display_name = 'Anna Krause' WHERE id = $1", [ids.anna]);
      for (const [name, region, user] of [
        ['eisenach', '16056', 'anna'],
        ['erfurt', '16051', 'bert'],
      ] as const) {
        orgs[name] = (
          await t.db.query<{ id: number }>(
            "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, $2) RETURNING id::int AS id",
            [region, name],
          )
        )[0]!.id;
        await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
          orgs[name],
          ids[user],
        ]);
      }
      await makeAdvisor(t.db, ids.thea!, '16');
      await makeAdvisor(t.db, ids.bayer!, '09');
      inquiryId = await inquiries.ask(sdeps(), actor('anna'), orgs.eisenach!, {
        subject: 'Bürgerportal für Eisenach',
        body: 'Wir in Eisenach wollen digitalisieren. Rückfragen an Anna Krause, Tel. 03691 670123, anna@example.org.',
        sector: 'verwaltung',
        urgency: 'normal',
        context: { kind: 'measure', ref: 'digitalbeauftragte-benennen' },
      });
      await inquiries.reply(
        sdeps(),
        actor('thea'),
        inquiryId,
        'Für die Digitalisierung der Anträge empfehlen wir ein Bürgerportal nach OZG. Frau Krause, melden Sie sich gern.',
        null,
      );
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('strangers and an advisor of another Land get 404; the advisor of the Land gets an anonymised draft', async () => {
      const url = `/beratung/anfragen/${inquiryId}/faq`;
      for (const who of ['bert', 'bayer', 'niemand', 'admin'])
        assert.equal((await (await as(who)).get(url)).statusCode, 404, who);
      const bayer = await as('bayer');
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await bayer.get('/beratung')).body)![1]!;
      const drafted = await bayer.post(url, {
        _csrf: csrf,
        question: 'Eine Frage zum Portal?',
        answer: 'Eine Antwort dazu.',
        sector: 'verwaltung',
      });
      assert.equal(drafted.statusCode, 404);
      const page = await (await as('thea')).get(url);
      assert.equal(page.statusCode, 200);
      const form = page.body.slice(page.body.indexOf('id="draft"'));
      assert.match(form, /Wir in \[Kommune\] wollen digitalisieren/);
      assert.match(form, /Frau \[Name\], melden Sie sich gern/);
      for (const leak of ['Eisenach', 'Krause', '670123', 'anna@example.org']) assert.ok(!form.includes(leak), leak);
      // the inquiry page links here
      assert.match((await (await as('anna')).get(`/beratung/anfragen/${inquiryId}`)).body, /\/faq"/);
    });

    test('members may not draft (403); the advisor drafts, the author is asked; publishing needs consent', async () => {
      const url = `/beratung/anfragen/${inquiryId}/faq`;
      const form = {
        question: 'Wie digitalisieren wir Anträge?',
        answer: 'Für die Digitalisierung der Anträge empfehlen wir ein Bürgerportal nach OZG.',
        sector: 'verwaltung',
      };
      assert.equal((await (await as('anna')).post(url, form, url)).statusCode, 403);
      const thea = await as('thea');
      const bad = await thea.post(url, { ...form, question: 'kurz' }, url);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Für die Digitalisierung der Anträge empfehlen/, 'the typed text is kept');
      const ok = await thea.post(url, form, url);
      assert.equal(ok.statusCode, 303);
      faqId = (
        await t.db.query<{ id: number }>('SELECT id::int AS id FROM desk_faq_entries WHERE inquiry_id = $1', [
          inquiryId,
        ])
      )[0]!.id;
      const mails = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE to_address = 'anna@example.org' AND subject LIKE '%FAQ%'",
      );
      assert.equal(mails.length, 1, 'the author is asked for consent');
      assert.match(mails[0]!.body, new RegExp(`/beratung/anfragen/${inquiryId}/faq`));
      assert.ok(!mails[0]!.body.includes('Bürgerportal'), 'no content in the mail');
      // without consent: 409, still a draft
      const early = await thea.post(
        `/beratung/faq/${faqId}/veroeffentlichen`,
        { version: String((await entry(faqId)).version) },
        url,
      );
      assert.equal(early.statusCode, 409);
      assert.equal((await entry(faqId)).status, 'draft');
      assert.equal((await app.inject({ method: 'GET', url: `/beratung/faq/${faqId}` })).statusCode, 404);
      // the advisor cannot consent for the municipality; bert (another workspace) does not see it
      const v = String((await entry(faqId)).version);
      assert.equal(
        (await thea.post(`/beratung/faq/${faqId}/zustimmung`, { version: v, decision: 'ja' }, url)).statusCode,
        403,
      );
      const bert = await as('bert');
      const bcsrf = /name="_csrf" value="([^"]+)"/.exec((await bert.get('/beratung')).body)![1]!;
      assert.equal(
        (await bert.post(`/beratung/faq/${faqId}/zustimmung`, { _csrf: bcsrf, version: v, decision: 'ja' })).statusCode,
        404,
      );
      // the member sees the text and consents
      const anna = await as('anna');
      const seen = await anna.get(url);
      assert.match(seen.body, /Veröffentlichung zustimmen/);
      assert.equal(
        (await anna.post(`/beratung/faq/${faqId}/zustimmung`, { version: v, decision: 'ja' }, url)).statusCode,
        303,
      );
      assert.equal((await entry(faqId)).consent, 'given');
      // members may not publish; the advisor may
      const v2 = String((await entry(faqId)).version);
      assert.equal((await anna.post(`/beratung/faq/${faqId}/veroeffentlichen`, { version: v2 }, url)).statusCode, 403);
      assert.equal((await thea.post(`/beratung/faq/${faqId}/veroeffentlichen`, { version: v2 }, url)).statusCode, 303);
      assert.equal((await entry(faqId)).status, 'published');
    });

    test('the public FAQ: no municipality, no people; German search finds inflections and compound parts', async () => {
      const page = await app.inject({ method: 'GET', url: `/beratung/faq/${faqId}` });
      assert.equal(page.statusCode, 200);
      for (const leak of ['Eisenach', 'Krause', 'anna@', 'thea@', 'Thüringen'])
        assert.ok(!page.body.includes(leak), leak);
      assert.match(page.body, /\/massnahmen\/digitalbeauftragte-benennen/, 'linked to the measure');
      const search = async (q: string, sector = '') =>
        (
          await app.inject({
            method: 'GET',
            url: `/api/v1/faq?${new URLSearchParams({ q, ...(sector ? { sector } : {}) })}`,
          })
        ).json() as {
          total: number;
          corrected: string | null;
          items: { id: number }[];
        };
      assert.deepEqual(
        (await search('digitalisieren')).items.map((i) => i.id),
        [faqId],
        'Digitalisierung for digitalisieren',
      );
      assert.equal((await search('Portal')).total, 1, 'a part of the compound Bürgerportal');
      assert.equal((await search('Antragsportal Bürger')).total, 1, 'a compound query: its parts');
      assert.equal((await search('Glasfaser')).total, 0);
      assert.equal((await search('Glasfaser')).corrected, null, 'nothing near enough to correct to');
      const typo = await search('Bürgerprotal digitalsieren');
      assert.deepEqual(
        typo.items.map((i) => i.id),
        [faqId],
        'typos corrected against the published terms',
      );
      assert.equal(typo.corrected, 'Bürgerportal digitalisieren');
      assert.equal((await search('digitalisieren')).corrected, null, 'found as typed: nothing corrected');
      const corrected = await app.inject({ method: 'GET', url: '/beratung/faq?q=B%C3%BCrgerprotal' });
      assert.match(corrected.body, /Zu „Bürgerprotal“ gibt es keinen Eintrag; gesucht wurde nach „Bürgerportal“/);
      assert.equal((await search('digitalisieren', 'bildung')).total, 0, 'sector filter');
      const html = await app.inject({ method: 'GET', url: '/beratung/faq?q=Digitalisierung&sektor=verwaltung' });
      assert.match(html.body, new RegExp(`href="/beratung/faq/${faqId}"`));
    });

    test('answers by where the question arose: the FAQ list and API by context, the strategy page by its measures', async () => {
      const measure = 'digitalbeauftragte-benennen';
      const list = await app.inject({ method: 'GET', url: `/beratung/faq?kontext=measure&ref=${measure}` });
      assert.equal(list.statusCode, 200);
      assert.match(list.body, new RegExp(`href="/beratung/faq/${faqId}"`));
      assert.match(list.body, new RegExp(`href="/massnahmen/${measure}"`), 'the context is named and linked');
      assert.match(list.body, new RegExp(`href="/beratung/neu\\?kontext=measure&amp;ref=${measure}"`), 'ask about it');
      assert.match(list.body, /name="kontext" value="measure"/, 'a search stays within the context');
      const other = await app.inject({ method: 'GET', url: '/beratung/faq?kontext=measure&ref=open-data-portal' });
      assert.doesNotMatch(other.body, new RegExp(`href="/beratung/faq/${faqId}"`));
      const ignored = await app.inject({ method: 'GET', url: '/beratung/faq?kontext=unbekannt&ref=x' });
      assert.match(ignored.body, new RegExp(`href="/beratung/faq/${faqId}"`), 'an unknown context is no filter');
      const api = async (qs: string) => app.inject({ method: 'GET', url: `/api/v1/faq?${qs}` });
      assert.deepEqual(
        ((await api(`context=measure&ref=${measure}`)).json() as { items: { id: number }[] }).items.map((i) => i.id),
        [faqId],
      );
      assert.equal(((await api('context=standard&ref=xoev')).json() as { total: number }).total, 0);
      const half = await api('context=measure');
      assert.equal(half.statusCode, 400);
      assert.match(half.body, /"ref"/, 'names the missing field');
      assert.equal((await api('context=nonsense&ref=x')).statusCode, 400, 'an unknown context in the API');

      const section = faqStrategySection(t.db);
      const strategy = { id: 1, orgId: null, regionKey: '16056', checkId: null };
      const ctx = { lang: 'de', t: TEST_T, url: '/', requestId: 'test', user: null, csrfToken: '', nav: [] } as const;
      const shown = await section.render({ strategy: { ...strategy, measureIds: ['x', measure] }, ctx, user: null });
      const html = renderToString(h(Fragment, null, shown));
      assert.match(html, new RegExp(`href="/beratung/faq/${faqId}"`));
      assert.match(html, new RegExp(`href="/beratung/faq\\?kontext=measure&amp;ref=${measure}"`));
      assert.equal(await section.render({ strategy: { ...strategy, measureIds: ['x'] }, ctx, user: null }), null);
      assert.equal(await section.render({ strategy: { ...strategy, measureIds: [] }, ctx, user: null }), null);
    });

    test('editing: stale forms 409 with the typed text; a changed text asks again and takes the entry back', async () => {
      const thea = await as('thea');
      const editUrl = `/beratung/faq/${faqId}/bearbeiten`;
      const v = (await entry(faqId)).version;
      const form = {
        question: 'Wie digitalisieren wir Bauanträge?',
        answer: 'Mit einem Bürgerportal nach OZG und der BayernID.',
        sector: 'verwaltung',
      };
      const stale = await thea.post(editUrl, { ...form, version: String(v - 1) }, editUrl);
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Wie digitalisieren wir Bauanträge\?/);
      assert.equal((await (await as('anna')).get(editUrl)).statusCode, 403);
      assert.equal((await thea.post(editUrl, { ...form, version: String(v) }, editUrl)).statusCode, 303);
      const e = await entry(faqId);
      assert.deepEqual([e.status, e.consent], ['draft', 'pending']);
      assert.equal((await app.inject({ method: 'GET', url: `/beratung/faq/${faqId}` })).statusCode, 404);
      // withdraw needs a published entry
      await svc.decideConsent(sdeps(), actor('anna'), faqId, e.version, true);
      await svc.setPublished(sdeps(), actor('thea'), faqId, e.version + 1, true);
      assert.equal(
        (await thea.post(`/beratung/faq/${faqId}/zurueckziehen`, { version: String(e.version + 2) }, editUrl))
          .statusCode,
        303,
      );
      assert.equal((await entry(faqId)).status, 'withdrawn');
    });

    test('the dashboard on a hand-checked set (Niedersachsen): open, median and p90 in hours, topics, ratings', async () => {
      const [region] = await t.db.query<{ key: string }>(
        "SELECT key FROM regions WHERE state_key = '03' AND level = 'kreis' ORDER BY key LIMIT 1",
      );
      const [org] = await t.db.query<{ id: number }>(
        "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, 'Testort') RETURNING id::int AS id",
        [region!.key],
      );
      const [team] = await t.db.query<{ id: number }>(
        "INSERT INTO desk_teams (name) VALUES ('Nord') RETURNING id::int AS id",
      );
      const base = Date.parse('2026-05-04T08:00:00Z');
      const h = (n: number) => new Date(base + n * 3600_000);
      const rows: [string, string, number | null, number | null, number | null, string | null, boolean][] = [
        // status, sector, first answer after h, closed after h, rating, comment, in team Nord
        ['closed', 'verwaltung', 2, 10, 5, 'Sehr hilfreich, danke an Frau Schmidt aus Testort.', true],
        ['closed', 'verwaltung', 4, 20, 3, null, true],
        ['in_progress', 'verwaltung', 6, null, null, null, true],
        ['closed', 'bildung', 8, 40, 4, null, false],
        ['new', 'bildung', null, null, null, null, false],
      ];
      for (const [status, sector, first, closed, rating, comment, inTeam] of rows) {
        await t.db.query(
          `INSERT INTO desk_inquiries (org_id, region_key, state_key, subject, body, sector, urgency, status, team_id,
             received_at, first_answer_due_at, first_answered_at, closed_at, rating, rating_comment, rated_at)
           VALUES ($1, $2, '03', 'Frage', 'Text', $3, 'normal', $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            org!.id,
            region!.key,
            sector,
            status,
            inTeam ? team!.id : null,
            h(0),
            h(5),
            first === null ? null : h(first),
            closed === null ? null : h(closed),
            rating,
            comment,
            rating === null ? null : h(48),
          ],
        );
      }
      const f = await svc.computeFigures(t.db, now, { stateKey: '03', months: 3 });
      assert.deepEqual(f.open.map((o) => `${o.stateKey}:${o.sector}:${o.n}`).sort(), [
        '03:bildung:1',
        '03:verwaltung:1',
      ]);
      const d = f.durations;
      assert.deepEqual([d.received, d.answered, d.closed, d.onTime], [5, 4, 3, 2]);
      assert.equal(d.firstMedian, 5);
      assert.ok(Math.abs(d.firstP90! - 7.4) < 1e-9, String(d.firstP90));
      assert.equal(d.closeMedian, 20);
      assert.ok(Math.abs(d.closeP90! - 36) < 1e-9, String(d.closeP90));
      assert.deepEqual(f.months, ['2026-04', '2026-05', '2026-06']);
      assert.deepEqual(f.topics.map((x) => `${x.month}:${x.sector}:${x.n}`).sort(), [
        '2026-05:bildung:2',
        '2026-05:verwaltung:3',
      ]);
      const nord = f.ratings.find((r) => r.teamId === team!.id)!;
      assert.deepEqual([nord.n, nord.average, nord.d3, nord.d5], [2, 4, 1, 1]);
      const none = f.ratings.find((r) => r.teamId === null)!;
      assert.deepEqual([none.n, none.average, none.d4], [1, 4, 1]);
      assert.deepEqual(
        f.comments.map((c) => c.comment),
        ['Sehr hilfreich, danke an Frau [Name] aus [Kommune].'],
      );
      // the page: advisors and platform admins; members are refused
      const page = await (await as('thea')).get('/beratung/zahlen?land=03&zeitraum=3');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<caption class="kern-table__caption">Offene Anfragen je Land/);
      assert.match(page.body, /7,4/);
      assert.ok(!page.body.includes('Testort'), 'no municipality names');
      assert.equal((await (await as('admin')).get('/beratung/zahlen')).statusCode, 200);
      assert.equal((await (await as('anna')).get('/beratung/zahlen')).statusCode, 403);
    });

    test('the dashboard keeps figures 60 s, then answers the last ones while computing fresh ones; never older than 10 min', async () => {
      const filter = { stateKey: '03', months: 24 } as const;
      const t0 = new Date('2026-06-10T10:00:00Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);
      const openNew = async () =>
        (await svc.cachedFigures(t.db, t0, filter)).open.find((o) => o.sector === 'bildung')?.n ?? 0;
      const bildung = (f: svc.Figures) => f.open.find((o) => o.sector === 'bildung')?.n ?? 0;
      const n0 = await openNew();
      const addOpen = () =>
        t.db.query(
          `INSERT INTO desk_inquiries (org_id, region_key, state_key, subject, body, sector, urgency, status,
             received_at, first_answer_due_at)
           SELECT org_id, region_key, state_key, 'Noch eine', 'Text', 'bildung', 'normal', 'new', $1, $1
             FROM desk_inquiries WHERE state_key = '03' LIMIT 1`,
          [t0],
        );
      await addOpen();
      assert.equal(bildung(await svc.cachedFigures(t.db, at(30_000), filter)), n0, 'within the TTL: the same figures');
      const stale = await svc.cachedFigures(t.db, at(svc.FIGURES_TTL_MS + 1), filter);
      assert.equal(bildung(stale), n0, 'after the TTL the last figures are answered at once …');
      await svc.figuresSettled(t.db);
      const fresh = await svc.cachedFigures(t.db, at(svc.FIGURES_TTL_MS + 2), filter);
      assert.equal(bildung(fresh), n0 + 1, '… and the fresh ones are there for the next request');
      await addOpen();
      const late = at(svc.FIGURES_TTL_MS + 1 + svc.FIGURES_STALE_MS);
      assert.equal(bildung(await svc.cachedFigures(t.db, late, filter)), n0 + 2, 'too old: computed before answering');
    });
  });
}
