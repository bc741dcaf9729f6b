import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../test/helpers/agent.js';
import { buildTestApp, settle } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { assignQuestions, saveAnswer, startCheck } from '../../assessment/assessment.service.js';
import { applicableQuestions, loadModel } from '../../assessment/model.js';
import { MODULES } from '../../modules.js';
import {
  acceptInvitation,
  decideRequest,
  invite,
  makeAdvisor,
  requestAccess,
} from '../../organisations/organisations.service.js';
import { hashToken } from '../../platform/crypto.js';
import { ValidationError } from '../../platform/errors.js';
import { createMailer } from '../../platform/mail/mailer.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import { createApiToken } from '../api-tokens.service.js';
import * as identityRepo from '../identity.repository.js';
import { createUserWithLoginLink, purgeUnverified, signUp } from '../identity.service.js';
import { deleteAccount, exportPersonalData } from '../privacy.service.js';

const PASSWORD = 'Lange Sätze sind gute Passwörter 7';
const NO_MAIL = { send: async () => ({}) };
const DAY = 24 * 3600_000;

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, out);
    }
  }
  return out;
}

for (const kind of databaseKinds()) {
  describe(`privacy (DSGVO) on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;

    /** Sign up through the pages, verify through the outbox and sign in; returns the agent and user id. */
    async function member(email: string) {
      const a = new Agent(app);
      assert.equal((await a.post('/registrieren', { email, password: PASSWORD }, '/registrieren')).statusCode, 303);
      await settle(app);
      const [mail] = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE to_address = $1 AND kind = 'verify-email'",
        [email],
      );
      assert.equal((await a.get(mail!.body.match(/\/konto\/bestaetigen\?token=[A-Za-z0-9_-]+/)![0])).statusCode, 200);
      assert.equal((await a.post('/anmelden', { email, password: PASSWORD }, '/anmelden')).statusCode, 303);
      // one more mail to the address (a reset request), so that several mails are to be erased
      await new Agent(app).post('/passwort-vergessen', { email }, '/passwort-vergessen');
      await settle(app);
      const [u] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM users WHERE email = $1', [email]);
      return { agent: a, id: u!.id };
    }

    async function counts(email: string, id: number) {
      const [r] = await t.db.query<{ users: number; sessions: number; tokens: number; mails: number; audit: number }>(
        `SELECT (SELECT count(*)::int FROM users WHERE id = $2) AS users,
           (SELECT count(*)::int FROM sessions WHERE user_id = $2) AS sessions,
           (SELECT count(*)::int FROM one_time_tokens WHERE user_id = $2) AS tokens,
           (SELECT count(*)::int FROM mail_outbox WHERE to_address = $1) AS mails,
           (SELECT count(*)::int FROM audit_log) AS audit`,
        [email, id],
      );
      return r!;
    }

    before(async () => {
      t = await createTestDb(kind);
      app = await buildTestApp(t.db);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    test('the privacy notice is public, in German and English, and linked from every page', async () => {
      const de = await new Agent(app).get('/datenschutz');
      assert.equal(de.statusCode, 200);
      assert.match(de.body, /<h1[^>]*>Datenschutzerklärung<\/h1>/);
      for (const text of [
        'Art. 6 Abs. 1 lit. b',
        'lit. c',
        '7 Tage',
        '12 Stunden',
        'Art. 77',
        '/konto/daten',
        '/konto/loeschen',
      ]) {
        assert.ok(de.body.includes(text), text);
      }
      const en = new Agent(app);
      en.cookies.set('lang', 'en');
      const enPage = await en.get('/datenschutz');
      assert.match(enPage.body, /<h1[^>]*>Privacy notice<\/h1>/);
      assert.match(enPage.body, /Art\. 6 \(1\) \(b\) GDPR/);
      assert.match((await new Agent(app).get('/')).body, /<a href="\/datenschutz">Datenschutz<\/a>/);
      assert.match(enPage.body, /<a href="\/datenschutz">Privacy<\/a>/);
    });

    test('data export: all of the person’s data, nothing of anyone else, no hashes', async () => {
      const anna = await member('anna@beispiel-gemeinde.de');
      const bernd = await member('bernd@beispiel-gemeinde.de');
      const res = await anna.agent.get('/konto/daten');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="kommunallotse-daten-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      const data = JSON.parse(res.body);
      assert.equal(data.account.id, anna.id);
      assert.equal(data.account.email, 'anna@beispiel-gemeinde.de');
      assert.equal(data.account.passwordSet, true);
      assert.ok(data.account.emailVerifiedAt);
      assert.equal(data.sessions.length, 1);
      assert.deepEqual(Object.keys(data.sessions[0]).sort(), ['createdAt', 'expiresAt', 'lastSeenAt']);
      assert.deepEqual(data.one_time_tokens.map((l: { purpose: string }) => l.purpose).sort(), [
        'password-reset',
        'verify-email',
      ]);
      assert.ok(data.one_time_tokens.find((l: { purpose: string }) => l.purpose === 'verify-email').usedAt);
      assert.deepEqual(data.mail_outbox.map((m: { kind: string }) => m.kind).sort(), [
        'password-reset',
        'verify-email',
      ]);
      assert.ok(data.mail_outbox.every((m: { to: string }) => m.to === 'anna@beispiel-gemeinde.de'));
      const actions = data.audit_log.map((e: { action: string }) => e.action);
      assert.ok(actions.includes('user.signup') && actions.includes('user.verify'), actions.join());
      assert.equal(data.login_devices.length, 1, 'the browser she signed in with');

      // nothing of Bernd
      assert.doesNotMatch(res.body, /bernd/i);
      assert.ok(!data.audit_log.some((e: { entityId: string }) => e.entityId === String(bernd.id)));
      // no hashes, session ids or CSRF secrets
      assert.deepEqual(
        keysOf(data).filter((k) => /hash|secret|csrf/i.test(k)),
        [],
      );
      const secrets = await t.db.query<{ v: string }>(
        `SELECT password_hash AS v FROM users WHERE password_hash IS NOT NULL
         UNION ALL SELECT id_hash FROM sessions UNION ALL SELECT csrf_secret FROM sessions
         UNION ALL SELECT token_hash FROM one_time_tokens`,
      );
      assert.ok(secrets.length >= 6);
      for (const { v } of secrets) assert.ok(!res.body.includes(v), 'a hash or secret in the export');
      assert.equal((await new Agent(app).get('/konto/daten')).statusCode, 303, 'anonymous: to the login');
    });

    test('account deletion: a wrong confirmation changes nothing; the right one erases the person', async () => {
      const email = 'clara@beispiel-gemeinde.de';
      const clara = await member(email);
      const other = await member('dora@beispiel-gemeinde.de');
      const page = await clara.agent.get('/konto/loeschen');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /href="\/konto\/daten"/);
      const before = await counts(email, clara.id);
      assert.deepEqual([before.users, before.sessions, before.tokens, before.mails], [1, 1, 2, 2]);

      for (const confirm of ['dora@beispiel-gemeinde.de', '', 'clara']) {
        const wrong = await clara.agent.post('/konto/loeschen', { confirm }, '/konto/loeschen');
        assert.equal(wrong.statusCode, 400, confirm);
        assert.match(wrong.body, /href="#confirm"/);
        assert.match(wrong.body, /aria-invalid="true"/);
      }
      const forged = await clara.agent.post('/konto/loeschen', { confirm: email, _csrf: 'x'.repeat(43) });
      assert.equal(forged.statusCode, 403, 'CSRF enforced');
      assert.deepEqual(await counts(email, clara.id), before);
      assert.equal((await clara.agent.get('/konto')).statusCode, 200);

      const ok = await clara.agent.post(
        '/konto/loeschen',
        { confirm: ' Clara@Beispiel-Gemeinde.DE ' },
        '/konto/loeschen',
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/konto/geloescht');
      assert.match(String(ok.headers['set-cookie']), /kl_session=;/);
      assert.equal((await clara.agent.get('/konto/geloescht')).statusCode, 200);
      assert.equal((await clara.agent.get('/konto')).statusCode, 303);

      const after = await counts(email, clara.id);
      assert.deepEqual([after.users, after.sessions, after.tokens, after.mails], [0, 0, 0, 0]);
      const erased = await t.db.query<{ to: string; body: string; subject: string }>(
        `SELECT to_address AS "to", body_text AS body, subject FROM mail_outbox WHERE to_address = 'geloescht@invalid'`,
      );
      assert.equal(erased.length, 2);
      assert.ok(erased.every((m) => m.body === '[gelöscht]'));
      const others = await t.db.query<{ body: string }>(
        "SELECT body_text AS body FROM mail_outbox WHERE to_address = 'dora@beispiel-gemeinde.de'",
      );
      assert.equal(others.length, 2, 'other people’s mails stay');
      assert.ok(others.every((m) => m.body !== '[gelöscht]'));
      assert.equal((await counts('dora@beispiel-gemeinde.de', other.id)).users, 1);

      // the audit log keeps the history and records the deletion, without the address
      const [entry] = await t.db.query<{
        actor: number;
        before: Record<string, unknown>;
        after: Record<string, unknown>;
        requestId: string;
      }>(
        `SELECT actor_user_id AS actor, before, after, request_id AS "requestId" FROM audit_log
         WHERE action = 'user.delete' AND entity_id = $1`,
        [String(clara.id)],
      );
      assert.equal(entry?.actor, clara.id);
      assert.equal(entry?.requestId, ok.headers['x-request-id']);
      assert.equal(entry?.before.platformAdmin, false);
      assert.deepEqual(entry?.after, {
        deleted: true,
        'identity.mailsErased': 2,
        'organisations.invitationsErased': 0,
        'strategy.strategies': 0,
        'strategy.strategyRevisions': 0,
        'assessment.answersAnonymised': 0,
        'assessment.checksAnonymised': 0,
        'atlas.practices': 0,
        'atlas.practiceReuses': 0,
        'atlas.practiceContacts': 0,
        'market.standardRecommendations': 0,
        'market.conformanceRegistrations': 0,
        'market.procurementGroups': 0,
        'market.procurementNeeds': 0,
        'market.solutionContacts': 0,
        'market.solutionReferences': 0,
        'market.solutionReviews': 0,
        'market.solutions': 0,
        'desk.inquiries': 0,
        'desk.inquiriesAssigned': 0,
        'desk.inquiryMessages': 0,
        'desk.teamMemberships': 0,
        'desk.notifyPreferences': 0,
        'desk.notifyQueued': 0,
        'desk.groupPosts': 0,
        'desk.groupDocuments': 0,
        'desk.eventRegistrations': 0,
        'desk.eventFeeds': 0,
        'desk.eventPromotions': 0,
        'desk.faqAuthor': 0,
        'desk.faqConsent': 0,
        'desk.faqPublisher': 0,
        'desk.mentorOfferContacts': 0,
        'desk.mentoringRequests': 0,
      });
      const [{ n: kept } = { n: 0 }] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE entity = 'user' AND entity_id = $1",
        [String(clara.id)],
      );
      assert.ok(kept >= 3, 'sign-up, verification and deletion remain');
      const [{ n: leaks } = { n: -1 }] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log
         WHERE lower(concat(action, entity, entity_id, before::text, after::text, request_id)) LIKE '%clara%'`,
      );
      assert.equal(leaks, 0);

      // the admin view names the deleted account by number
      const { link } = await createUserWithLoginLink(
        { db: t.db, mailer: NO_MAIL, publicUrl: 'http://localhost', t: TEST_T },
        'admin@kompetenzzentrum.example',
        true,
      );
      const admin = new Agent(app);
      const linkPath = link.replace('http://localhost', '');
      await admin.post('/anmelden/link', { token: linkPath.split('token=')[1]! }, linkPath);
      const view = await admin.get(`/admin/audit?akteur=${clara.id}`);
      assert.equal(view.statusCode, 200);
      assert.ok(view.body.includes(`gelöschtes Konto #${clara.id}`));
      assert.doesNotMatch(view.body, /clara@/);
    });

    test('deletion also removes the outbox files (.eml) of the erased mails', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-outbox-'));
      try {
        const mailer = createMailer({ db: t.db, smtpUrl: null, from: 'lotse@example.org', outboxDir: dir });
        const deps = { db: t.db, mailer, publicUrl: 'http://localhost', t: TEST_T };
        const { userId } = await createUserWithLoginLink(deps, 'emil@beispiel-gemeinde.de', false);
        await mailer.send({ to: 'emil@beispiel-gemeinde.de', subject: 'Hallo', text: 'Text', kind: 'login-link' });
        await mailer.send({ to: 'fritz@beispiel-gemeinde.de', subject: 'Hallo', text: 'Text', kind: 'login-link' });
        await mailer.deliverPending();
        assert.equal(fs.readdirSync(dir).length, 2);
        await assert.rejects(
          deleteAccount(deps, MODULES, userId, 'fritz@beispiel-gemeinde.de', { outboxDir: dir }),
          (err: unknown) => err instanceof ValidationError && err.fieldErrors[0]?.field === 'confirm',
        );
        assert.equal(fs.readdirSync(dir).length, 2);
        const result = await deleteAccount(deps, MODULES, userId, 'emil@beispiel-gemeinde.de', { outboxDir: dir });
        assert.equal(result.counts['identity.mailsErased'], 1);
        const left = fs.readdirSync(dir);
        assert.equal(left.length, 1);
        assert.match(fs.readFileSync(path.join(dir, left[0]!), 'utf8'), /fritz@/);
        await mailer.stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('every table that refers to an account is in the export, and after erasure none refers to it', async () => {
      await ensureEmbeddedDefault(t.db);
      const deps = { db: t.db, mailer: NO_MAIL, publicUrl: 'http://localhost', t: TEST_T };
      const mk = async (email: string) => (await createUserWithLoginLink(deps, email, false)).userId;
      const eva = await mk('eva@kreis-fixture.example');
      const lotte = await mk('lotte@kreis-fixture.example');
      const advisorId = await mk('beratung@zentrum-fixture.example');
      await makeAdvisor(t.db, advisorId, '16');
      const actor = (id: number, email: string) => ({ id, email, isPlatformAdmin: false });
      // Eva: first in a workspace (an advisor approves her), invites Lotte and decides Lotte's request,
      // accepts an invitation herself, starts a check and answers a question with a comment, has a token,
      // a linked SSO identity and a known device.
      const orgId = await requestAccess(deps, actor(eva, 'eva@kreis-fixture.example'), '16056', 'Hauptamt');
      const [req] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE user_id = $1', [
        eva,
      ]);
      await decideRequest(deps, actor(advisorId, 'beratung@zentrum-fixture.example'), orgId, req!.id, true, null);
      await requestAccess(deps, actor(lotte, 'lotte@kreis-fixture.example'), '16056', '');
      const [lreq] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM access_requests WHERE user_id = $1', [
        lotte,
      ]);
      await decideRequest(deps, actor(eva, 'eva@kreis-fixture.example'), orgId, lreq!.id, true, 'admin');
      await invite(deps, actor(eva, 'eva@kreis-fixture.example'), orgId, 'neu@kreis-fixture.example', 'member');
      const org2 = await requestAccess(deps, actor(lotte, 'lotte@kreis-fixture.example'), '16055', '');
      void org2;
      await t.db.query("DELETE FROM access_requests WHERE user_id = $1 AND status = 'open'", [lotte]);
      const token = 'invitation-token-fixture-aaaaaaaaaaaaaaaaaaaaaa';
      await t.db.query(
        `INSERT INTO invitations (org_id, email, role, token_hash, invited_by, expires_at)
         VALUES ($1, 'eva@kreis-fixture.example', 'member', $2, $3, now() + interval '1 day')`,
        [orgId, hashToken(token), lotte],
      );
      await acceptInvitation(deps, actor(eva, 'eva@kreis-fixture.example'), token);
      const checkId = await startCheck(t.db, actor(eva, 'eva@kreis-fixture.example'), orgId);
      const q = applicableQuestions(loadModel(), { population: 42_000, kind: 'kreisfreie-stadt' })[0]!;
      await saveAnswer(t.db, actor(eva, 'eva@kreis-fixture.example'), checkId, q.id, {
        value: '2',
        comment: 'Evas Notiz zur Frage',
        evidenceUrl: '',
        expectedVersion: 0,
      });
      // She hands a question to herself (assigned to and by her) and submitted a check (here: marked as such).
      await assignQuestions(deps, actor(eva, 'eva@kreis-fixture.example'), checkId, {
        question: q.id,
        dimension: '',
        member: String(eva),
        email: '',
      });
      await t.db.query('UPDATE checks SET submitted_by = $1 WHERE id = $2', [eva, checkId]);
      // She drafted a strategy and changed it (the workspace keeps it; her name goes).
      const [strat] = await t.db.query<{ id: number }>(
        `INSERT INTO strategies (org_id, region_key, content, created_by) VALUES ($1, '16056', '{"items": []}', $2)
         RETURNING id::int AS id`,
        [orgId, eva],
      );
      await t.db.query(
        `INSERT INTO strategy_revisions (strategy_id, revision, content, changed, summary, changed_by)
         VALUES ($1, 1, '{"items": []}', '{*}', '{"key": "strategy.change.drafted", "params": {}}', $2)`,
        [strat!.id, eva],
      );
      // She wrote, reviewed and published a practice project, attached a file, asked, attested and confirmed a reuse.
      const [practice] = await t.db.query<{ id: number }>(
        `INSERT INTO practices (org_id, region_key, state_key, content, created_by, reviewed_by)
         VALUES ($1, '16056', '16', '{"title": "Evas Projekt"}', $2, $2) RETURNING id::int AS id`,
        [orgId, eva],
      );
      await t.db.query(
        `INSERT INTO practice_versions (practice_id, version, content, published_by) VALUES ($1, 1, '{}', $2)`,
        [practice!.id, eva],
      );
      await t.db.query(
        `INSERT INTO practice_attachments (practice_id, filename, media_type, size, sha256, bytes, uploaded_by)
         VALUES ($1, 'a.pdf', 'application/pdf', 4, 'x', '\\x25504446', $2)`,
        [practice!.id, eva],
      );
      await t.db.query(
        `INSERT INTO practice_reuses (practice_id, adopter_org_id, adopter_region_key, status, message, requested_by,
           in_use_since, attested_by, attested_at, confirmed_by, confirmed_at)
         VALUES ($1, $2, '16056', 'confirmed', 'Evas Anfrage', $3, '2025-01-01', $3, now(), $3, now())`,
        [practice!.id, orgId, eva],
      );
      // She registered the council system's OParl endpoint for checking (the registration stays with the workspace).
      await t.db.query(
        `INSERT INTO conformance_artefacts (org_id, registered_by, subject_kind, region_key, standard, url)
         VALUES ($1, $2, 'region', '16056', 'oparl', 'https://rat.example/oparl')`,
        [orgId, eva],
      );
      // She also works for a provider: a solution she wrote and published (as a stand-in for the advisor), a reference
      // she asked for and decided, a review she wrote and answered.
      const [provider] = await t.db.query<{ id: number }>(
        "INSERT INTO organisations (kind, name) VALUES ('provider', 'Software GmbH') RETURNING id::int AS id",
      );
      const content = JSON.stringify({
        name: 'Ratsinfo',
        contact: { name: 'Eva', email: 'eva@kreis-fixture.example' },
      });
      const [solution] = await t.db.query<{ id: number }>(
        `INSERT INTO solutions (org_id, content, created_by, reviewed_by) VALUES ($1, $2::jsonb, $3, $3)
         RETURNING id::int AS id`,
        [provider!.id, content, eva],
      );
      await t.db.query(
        'INSERT INTO solution_versions (solution_id, version, content, published_by) VALUES ($1, 1, $2::jsonb, $3)',
        [solution!.id, content, eva],
      );
      await t.db.query(
        `INSERT INTO solution_references (solution_id, municipality_org_id, region_key, status, requested_by, decided_by,
           decided_at) VALUES ($1, $2, '16056', 'confirmed', $3, $3, now())`,
        [solution!.id, orgId, eva],
      );
      await t.db.query(
        `INSERT INTO solution_reviews (solution_id, org_id, author_user_id, rating, body, answer, answered_by, answered_at)
         VALUES ($1, $2, $3, 4, 'Gut.', 'Danke.', $3, now())`,
        [solution!.id, orgId, eva],
      );
      // She declared a need for joint procurement, and a group formed around it.
      const [group] = await t.db.query<{ id: number }>(
        `INSERT INTO procurement_groups (title, sector, lead_org_id, created_by) VALUES ('Ratsinfo', 'verwaltung', $1, $2)
         RETURNING id::int AS id`,
        [orgId, eva],
      );
      await t.db.query(
        `INSERT INTO procurement_needs (org_id, region_key, title, sector, needed_from, needed_until, status, group_id,
           created_by) VALUES ($1, '16056', 'Ratsinfo', 'verwaltung', '2027-01-01', '2027-06-01', 'grouped', $2, $3)`,
        [orgId, group!.id, eva],
      );
      // She leads a desk team (and got its last inquiry), set a routing rule, asked an inquiry that she was also
      // assigned (as an advisor of Bayern), wrote in it, attached a file, changed its state and wrote a canned answer.
      const [team] = await t.db.query<{ id: number }>(
        `INSERT INTO desk_teams (name, lead_user_id, last_assigned_user_id) VALUES ('Team Eva', $1, $1)
         RETURNING id::int AS id`,
        [eva],
      );
      await t.db.query('INSERT INTO desk_team_members (team_id, user_id) VALUES ($1, $2)', [team!.id, eva]);
      await t.db.query("INSERT INTO desk_routing_rules (state_key, team_id, updated_by) VALUES ('16', $1, $2)", [
        team!.id,
        eva,
      ]);
      const [inquiry] = await t.db.query<{ id: number }>(
        `INSERT INTO desk_inquiries (org_id, region_key, state_key, author_user_id, subject, body, sector, urgency,
           status, team_id, assignee_user_id, received_at, first_answer_due_at)
         VALUES ($1, '16056', '16', $2, 'Evas Anfrage', 'Evas Frage an das Zentrum', 'verwaltung', 'normal', 'assigned',
           $3, $2, now(), now() + interval '2 days') RETURNING id::int AS id`,
        [orgId, eva, team!.id],
      );
      await t.db.query(
        "INSERT INTO desk_inquiry_messages (inquiry_id, author_user_id, side, body) VALUES ($1, $2, 'municipality', 'Evas Nachtrag')",
        [inquiry!.id, eva],
      );
      await t.db.query(
        `INSERT INTO desk_inquiry_attachments (inquiry_id, filename, media_type, size, sha256, bytes, uploaded_by)
         VALUES ($1, 'a.pdf', 'application/pdf', 4, 'x', '\\x25504446', $2)`,
        [inquiry!.id, eva],
      );
      await t.db.query(
        "INSERT INTO desk_inquiry_history (inquiry_id, actor_user_id, from_status, to_status, assignee_user_id) VALUES ($1, $2, 'new', 'assigned', $2)",
        [inquiry!.id, eva],
      );
      await t.db.query("INSERT INTO desk_canned_answers (title, body, created_by) VALUES ('Gruß', 'Evas Gruß', $1)", [
        eva,
      ]);
      // She chose a daily digest for inquiries, one item waits for it, and she made her old unsubscribe links invalid.
      await t.db.query(
        "INSERT INTO desk_notify_preferences (user_id, kind, delivery, updated_at) VALUES ($1, 'inquiry', 'daily', now())",
        [eva],
      );
      await t.db.query('INSERT INTO desk_notify_people (user_id, version, link_generation) VALUES ($1, 1, 1)', [eva]);
      await t.db.query(
        `INSERT INTO desk_notify_queue (user_id, kind, delivery, subject, link, created_at)
         VALUES ($1, 'inquiry', 'daily', 'Neue Antwort', '/beratung/anfragen/1', now())`,
        [eva],
      );
      // She founded a cooperation group for her workspace, invited a workspace, started a thread and wrote in it,
      // uploaded a document and recorded and edited a decision (the group's work stays, without her, when she goes).
      const [coop] = await t.db.query<{ id: number }>(
        `INSERT INTO desk_groups (title, lead_org_id, created_by) VALUES ('Evas Kooperation', $1, $2)
         RETURNING id::int AS id`,
        [orgId, eva],
      );
      await t.db.query(
        "INSERT INTO desk_group_members (group_id, org_id, state, requested_by) VALUES ($1, $2, 'member', $3)",
        [coop!.id, orgId, eva],
      );
      const [coopThread] = await t.db.query<{ id: number }>(
        "INSERT INTO desk_group_threads (group_id, title, author_user_id) VALUES ($1, 'Evas Thema', $2) RETURNING id::int AS id",
        [coop!.id, eva],
      );
      await t.db.query(
        "INSERT INTO desk_group_posts (thread_id, author_user_id, org_id, body) VALUES ($1, $2, $3, 'Evas Beitrag')",
        [coopThread!.id, eva, orgId],
      );
      await t.db.query(
        `INSERT INTO desk_group_documents (group_id, filename, media_type, size, sha256, bytes, uploaded_by)
         VALUES ($1, 'evas.pdf', 'application/pdf', 4, 'x', '\\x25504446', $2)`,
        [coop!.id, eva],
      );
      await t.db.query(
        `INSERT INTO desk_group_decisions (group_id, title, decided_on, created_by, updated_by)
         VALUES ($1, 'Evas Beschluss', '2027-03-10', $2, $2)`,
        [coop!.id, eva],
      );
      // She created and edited an event, registered for another, marked attendance, added a recording and has a feed.
      const [ev] = await t.db.query<{ id: number }>(
        `INSERT INTO desk_events (title, format, address, starts_at, ends_at, capacity, registration_deadline, created_by,
           updated_by) VALUES ('Evas Schulung', 'onsite', 'Rathaus', now(), now() + interval '1 hour', 5, now(), $1, $1)
         RETURNING id::int AS id`,
        [eva],
      );
      await t.db.query(
        `INSERT INTO desk_event_registrations (event_id, user_id, status, queued_at, attended, attendance_marked_by)
         VALUES ($1, $2, 'registered', now(), true, $2)`,
        [ev!.id, eva],
      );
      await t.db.query(
        "INSERT INTO desk_event_materials (event_id, kind, title, url, added_by) VALUES ($1, 'recording', 'Video', 'https://v.example/1', $2)",
        [ev!.id, eva],
      );
      await t.db.query("INSERT INTO desk_event_feed_tokens (user_id, token_hash) VALUES ($1, 'evas-feed-hash')", [eva]);
      // She drafted an FAQ entry from the answer, consented to it for her workspace and published it.
      await t.db.query(
        `INSERT INTO desk_faq_entries (inquiry_id, question, answer, sector, status, consent, consent_user_id, consent_at,
           author_user_id, published_by, published_at)
         VALUES ($1, 'Evas FAQ-Frage', 'Evas FAQ-Antwort', 'verwaltung', 'published', 'given', $2, now(), $2, $2, now())`,
        [inquiry!.id, eva],
      );
      // She offered her workspace as peer mentor (and is its contact), and a mentoring with Weimar names her as the one
      // who requested it and as the one who decided it (both columns in one fixture row).
      await t.db.query(
        `INSERT INTO desk_mentor_offers (org_id, subject_kind, subject_ref, contact_user_id, created_by)
         VALUES ($1, 'measure', 'digitalbeauftragte-benennen', $2, $2)`,
        [orgId, eva],
      );
      await t.db.query(
        `INSERT INTO desk_mentorings (mentor_org_id, mentee_org_id, subject_kind, subject_ref, mentee_state_key,
           requested_by, message, status, decided_by, decided_at, accepted_at)
         VALUES ($1, $2, 'measure', 'digitalbeauftragte-benennen', '16', $3, 'Evas Bitte', 'accepted', $3, now(), now())`,
        [org2, orgId, eva],
      );
      await createApiToken({ db: t.db }, eva, { name: 'Abgleich', scopes: ['register:read'], expiryDays: 30 });
      await identityRepo.linkIdentity(t.db, eva, 'https://sso.example', 'eva-subject');
      await makeAdvisor(t.db, eva, '09'); // she also advises Bayern
      // She published a recommendation of the centre (it stays, without her, when she goes).
      await t.db.query(
        `INSERT INTO standard_recommendations (sector, standard_ids, rationale, catalogue_version, published_by)
         VALUES ('verwaltung', '{xrechnung}', 'Evas Begründung', '1', $1)`,
        [eva],
      );
      await identityRepo.insertLoginDevice(t.db, 'f'.repeat(64), eva, new Date(Date.now() + 86_400_000));
      await identityRepo.insertSession(t.db, {
        idHash: 'e'.repeat(64),
        userId: eva,
        csrfSecret: 'x',
        expiresAt: new Date(Date.now() + 3600_000),
      });

      // Every column that refers to an account: foreign keys to users, and columns named like one.
      const refs = await t.db.query<{ table: string; column: string; fk: boolean }>(
        `SELECT c.conrelid::regclass::text AS table, a.attname AS column, true AS fk
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
         WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass
         UNION
         SELECT col.table_name, col.column_name, false FROM information_schema.columns col
         WHERE col.table_schema = current_schema() AND col.table_name <> 'users'
           AND (col.column_name = 'user_id' OR col.column_name LIKE '%\\_by' OR col.column_name LIKE '%\\_user\\_id')`,
      );
      const columns = new Map<string, { table: string; column: string; fk: boolean }>();
      for (const r of refs) {
        const k = `${r.table}.${r.column}`;
        columns.set(k, { ...r, fk: r.fk || (columns.get(k)?.fk ?? false) });
      }
      // The audit log keeps who did what as a number (append-only proof, Art. 5 (2) DSGVO); no foreign key.
      const KEPT = new Set(['audit_log.actor_user_id']);
      const withoutFk = [...columns.values()].filter((c) => !c.fk && !KEPT.has(`${c.table}.${c.column}`));
      assert.deepEqual(withoutFk, [], 'every reference to an account is a foreign key');

      const data = await exportPersonalData({ db: t.db, mailer: NO_MAIL, publicUrl: '', t: TEST_T }, MODULES, eva);
      const missing: string[] = [];
      for (const { table, column } of columns.values()) {
        const [{ n } = { n: 0 }] = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`,
          [eva],
        );
        if (n === 0) missing.push(`fixture has no row in ${table}.${column}`);
        else if (!Array.isArray(data[table]) || (data[table] as unknown[]).length === 0) {
          missing.push(`${table} (${column}) is not in the export`);
        }
      }
      assert.deepEqual(missing, []);
      assert.ok(JSON.stringify(data).includes('Evas Notiz zur Frage'), 'answer comments are exported');
      assert.equal((data.desk_notify_preferences as unknown[]).length, 1, 'her notification choice is exported');
      assert.equal((data.desk_notify_queue as unknown[]).length, 1, 'her waiting digest item is exported');

      // Eva is the only admin? No: Lotte is an admin too, so Eva may go.
      await deleteAccount(
        { db: t.db, mailer: NO_MAIL, publicUrl: '', t: TEST_T },
        MODULES,
        eva,
        'eva@kreis-fixture.example',
      );
      const left: string[] = [];
      for (const { table, column } of columns.values()) {
        if (KEPT.has(`${table}.${column}`)) continue;
        const [{ n } = { n: 0 }] = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`,
          [eva],
        );
        if (n > 0) left.push(`${table}.${column}: ${n}`);
      }
      assert.deepEqual(left, []);
      const [evaGone] = await t.db.query<{ after: Record<string, unknown> }>(
        "SELECT after FROM audit_log WHERE action = 'user.delete' AND entity_id = $1",
        [String(eva)],
      );
      assert.equal(evaGone?.after['desk.notifyPreferences'], 1);
      assert.equal(evaGone?.after['desk.notifyQueued'], 1);
      const kept = await t.db.query<{ n: number }>(
        `SELECT (SELECT count(*)::int FROM desk_group_posts WHERE body = 'Evas Beitrag' AND author_user_id IS NULL)
           + (SELECT count(*)::int FROM desk_group_documents WHERE filename = 'evas.pdf' AND uploaded_by IS NULL) AS n`,
      );
      assert.equal(kept[0]!.n, 2, 'the group keeps her post and document without her');
      assert.ok(JSON.stringify(data).includes('Evas Beitrag'), 'group posts are exported');
      const comments = await t.db.query<{ comment: string; level: number }>(
        'SELECT comment, level FROM check_answers WHERE check_id = $1',
        [checkId],
      );
      assert.deepEqual(comments, [{ comment: '', level: 2 }], 'the workspace keeps the answer, not her comment');
    });

    test('the only admin of a workspace with other members cannot delete the account (nothing is deleted)', async () => {
      const deps = { db: t.db, mailer: NO_MAIL, publicUrl: 'http://localhost', t: TEST_T };
      await ensureEmbeddedDefault(t.db);
      const solo = (await createUserWithLoginLink(deps, 'solo@kreis-allein.example', false)).userId;
      const other = (await createUserWithLoginLink(deps, 'andere@kreis-allein.example', false)).userId;
      const orgId = await requestAccess(
        deps,
        { id: solo, email: 'solo@kreis-allein.example', isPlatformAdmin: false },
        '16061',
        '',
      );
      await t.db.query("UPDATE access_requests SET status = 'approved' WHERE org_id = $1", [orgId]);
      await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin'), ($1, $3, 'member')", [
        orgId,
        solo,
        other,
      ]);
      await assert.rejects(
        deleteAccount(deps, MODULES, solo, 'solo@kreis-allein.example'),
        (err: { status?: number }) => err.status === 409,
      );
      const [{ n } = { n: 0 }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE id = $1', [
        solo,
      ]);
      assert.equal(n, 1, 'the account is still there');
      // Once the role is handed over, the account can go.
      await t.db.query("UPDATE memberships SET role = 'admin' WHERE org_id = $1 AND user_id = $2", [orgId, other]);
      await deleteAccount(deps, MODULES, solo, 'solo@kreis-allein.example');
    });

    test('unverified accounts are removed after 7 days (injected clock), verified ones stay', async () => {
      const start = Date.now();
      const at = (days: number) => () => new Date(start + days * DAY);
      const deps = { db: t.db, mailer: NO_MAIL, publicUrl: 'http://localhost', t: TEST_T };
      await signUp(deps, { email: 'nie-bestaetigt@beispiel-gemeinde.de', password: PASSWORD });
      const [{ n: unverified } = { n: 0 }] = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE email_verified_at IS NULL',
      );
      assert.ok(unverified >= 1);
      const verifiedBefore = await t.db.query<{ id: number }>(
        'SELECT id FROM users WHERE email_verified_at IS NOT NULL ORDER BY id',
      );

      assert.equal(await purgeUnverified({ ...deps, now: at(6) }), 0, 'not yet after 6 days');
      assert.equal(await purgeUnverified({ ...deps, now: at(7 - 1 / 24) }), 0);
      assert.equal(await purgeUnverified({ ...deps, now: at(7 + 1 / 24) }), unverified, 'after 7 days');
      const left = await t.db.query<{ email: string }>('SELECT email FROM users WHERE email_verified_at IS NULL');
      assert.deepEqual(left, []);
      const verifiedAfter = await t.db.query<{ id: number }>(
        'SELECT id FROM users WHERE email_verified_at IS NOT NULL ORDER BY id',
      );
      assert.deepEqual(verifiedAfter, verifiedBefore);
      const [entry] = await t.db.query<{ actor: number | null; after: { removed: number } }>(
        "SELECT actor_user_id AS actor, after FROM audit_log WHERE action = 'user.purge-unverified'",
      );
      assert.equal(entry?.actor, null);
      assert.equal(entry?.after.removed, unverified);
      assert.equal(await purgeUnverified({ ...deps, now: at(30) }), 0);
    });
  });
}
