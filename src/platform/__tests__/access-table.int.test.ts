/**
 * Deny by default, checked: every module declares, for each of its routes and each test role, what must
 * happen (Module.access); this test calls every route of the running app as every role and compares, on
 * PGlite and PostgreSQL. A route without a row fails the test; so does a row whose route no longer exists.
 *
 * 'allow' means the handler did its work: 2xx or a redirect other than to the login (or the row's declared
 * `allowStatus`, e.g. 404 for single sign-on when it is not configured). Each row brings the sample input
 * its handler needs to succeed; `$…` values are fixtures resolved here before every call.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { TEST_T } from '../../../test/helpers/deps.js';
import { saveAnswer, startCheck, submitCheck } from '../../assessment/assessment.service.js';
import { applicableQuestions, loadModel } from '../../assessment/model.js';
import * as atlas from '../../atlas/atlas.service.js';
import { emptyPractice } from '../../atlas/model.js';
import { unsubscribeToken } from '../../desk/index.js';
import * as inquiries from '../../desk/inquiries/inquiries.service.js';
import * as knowledge from '../../desk/knowledge/knowledge.service.js';
import { createApiToken } from '../../identity/api-tokens.service.js';
import * as identityRepo from '../../identity/identity.repository.js';
import { createSession, createUserWithLoginLink } from '../../identity/identity.service.js';
import { hashPassword } from '../../identity/passwords.js';
import * as demand from '../../market/demand/demand.service.js';
import { emptySolution } from '../../market/solutions/model.js';
import * as solutions from '../../market/solutions/solutions.service.js';
import { MODULES } from '../../modules.js';
import { makeAdvisor, requestAccess } from '../../organisations/organisations.service.js';
import { ensureEmbeddedDefault } from '../../register/register.service.js';
import * as strategies from '../../strategy/strategy.service.js';
import { hashToken, newToken } from '../crypto.js';
import { type AccessRow, type Outcome, TEST_ROLES, type TestRole } from '../module.js';

const ROW_OF: Record<string, AccessRow> = Object.assign({}, ...MODULES.map((m) => m.access));
const LOGIN_PASSWORD = 'Ein langes Testkennwort 2026';

for (const kind of databaseKinds()) {
  describe(`route × role access table on ${kind}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const ids: Partial<Record<TestRole | 'requester' | 'login', number>> = {};
    let orgId = 0;
    let checkId = 0;
    let submittedId = 0;
    let questionId = '';
    let counter = 0;
    const deps = () => ({ db: t.db, mailer: { send: async () => ({}) }, publicUrl: 'http://localhost', t: TEST_T });
    const EMAIL: Record<TestRole, string> = {
      anonymous: '',
      user: 'mitglied@example.org',
      member: 'member@kreis.example',
      orgAdmin: 'orgadmin@kreis.example',
      advisor: 'beratung@zentrum.example',
      platformAdmin: 'admin@example.org',
    };
    const actor = (role: TestRole) => ({
      id: ids[role]!,
      email: EMAIL[role],
      isPlatformAdmin: role === 'platformAdmin',
    });

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      app = await buildTestApp(t.db);
      for (const role of TEST_ROLES) {
        if (role !== 'anonymous')
          ids[role] = (await createUserWithLoginLink(deps(), EMAIL[role], role === 'platformAdmin')).userId;
      }
      ids.requester = (await createUserWithLoginLink(deps(), 'antrag@kreis.example', false)).userId;
      ids.login = (await createUserWithLoginLink(deps(), 'login@example.org', false)).userId;
      await identityRepo.setPassword(t.db, ids.login, await hashPassword(LOGIN_PASSWORD));
      orgId = await requestAccess(deps(), actor('orgAdmin'), '16056', '');
      await makeAdvisor(t.db, ids.advisor!, '16');
      await resetWorkspace();
      const model = loadModel();
      const questions = applicableQuestions(model, { population: 42_370, kind: 'kreisfreie-stadt' });
      questionId = questions[0]!.id;
      // A submitted check (for the result routes) and a fresh draft (for the answer routes).
      submittedId = await completeDraft();
      await submitCheck(t.db, actor('member'), submittedId);
      checkId = await startCheck(t.db, actor('member'), orgId);
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    /** A draft of the sample workspace with every question answered (submitting it works once). */
    async function completeDraft(): Promise<number> {
      const id = await startCheck(t.db, actor('member'), orgId);
      const model = loadModel();
      for (const q of applicableQuestions(model, { population: 42_370, kind: 'kreisfreie-stadt' })) {
        const [row] = await t.db.query<{ version: number }>(
          'SELECT version FROM check_answers WHERE check_id = $1 AND question_id = $2',
          [id, q.id],
        );
        await saveAnswer(t.db, actor('member'), id, q.id, {
          value: '2',
          comment: '',
          evidenceUrl: '',
          expectedVersion: row?.version ?? 0,
        });
      }
      return id;
    }

    /** Restore the sample workspace before each call (some calls leave it, decide requests or change roles). */
    async function resetWorkspace() {
      await t.db.query('DELETE FROM memberships WHERE org_id = $1', [orgId]);
      await t.db.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3), ($1, $4, $5)', [
        orgId,
        ids.orgAdmin,
        'admin',
        ids.member,
        'member',
      ]);
      await t.db.query('DELETE FROM access_requests WHERE org_id = $1', [orgId]);
      await t.db.query('DELETE FROM rate_limit_windows');
    }

    const today = () => new Date().toISOString().slice(0, 10);
    let strategyId = 0;
    /** A new draft strategy of the sample workspace (made from its submitted check), replacing all others. */
    async function freshStrategy(): Promise<number> {
      await t.db.query('DELETE FROM strategies WHERE org_id = $1', [orgId]);
      strategyId = (await strategies.createDraft(t.db, actor('member'), submittedId, new Date())).id;
      return strategyId;
    }
    async function adoptedStrategy(published: boolean): Promise<number> {
      const id = await freshStrategy();
      await strategies.adopt(t.db, actor('orgAdmin'), id, { adoptedOn: today(), decisionNumber: '1', councilUrl: '' });
      if (published) await strategies.setPublished(t.db, actor('orgAdmin'), id, true);
      return id;
    }
    async function currentStrategy() {
      return (await strategies.strategyView(t.db, actor('member'), strategyId)).row;
    }

    // Practice projects of the atlas: the sample workspace's, and one of another municipality (Erfurt) with its team.
    const atlasDeps = () => ({ ...deps(), mailer: { send: async () => ({ id: 0 }) }, now: () => new Date() });
    let practiceId = 0;
    let publishedPracticeId = 0;
    let foreignOrgId = 0;
    let foreignUser = 0;
    const PDF = Buffer.from('%PDF-1.4\n%test\n');
    async function freshPractice(orgOf: 'own' | 'foreign' = 'own'): Promise<number> {
      const content = {
        ...emptyPractice(),
        title: 'Digitaler Bauantrag',
        summary: 'Bauanträge online einreichen.',
        sectors: ['verwaltung'],
      };
      if (orgOf === 'own') return atlas.createPractice(atlasDeps(), actor('member'), orgId, content);
      await ensureForeignOrg();
      return atlas.createPractice(
        atlasDeps(),
        { id: foreignUser, email: 'team@erfurt.example', isPlatformAdmin: false },
        foreignOrgId,
        content,
      );
    }
    /** A second municipal workspace (Erfurt) with its own admin. */
    async function ensureForeignOrg(): Promise<void> {
      if (!foreignOrgId) {
        foreignUser = (await createUserWithLoginLink(deps(), 'team@erfurt.example', false)).userId;
        foreignOrgId = (
          await t.db.query<{ id: number }>(
            "INSERT INTO organisations (kind, region_key, name) VALUES ('region', '16051', 'Erfurt') RETURNING id::int AS id",
          )
        )[0]!.id;
        await t.db.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')", [
          foreignOrgId,
          foreignUser,
        ]);
      }
    }
    const demandDeps = () => ({ db: t.db, now: () => new Date(), knownStandard: () => true });
    const NEED = {
      title: 'Ratsinformationssystem',
      sector: 'verwaltung',
      standards: ['oparl'],
      description: '',
      neededFrom: '2027-01-01',
      neededUntil: '2027-12-01',
      volumeEur: 10000,
      volumeNote: '',
    };
    let groupId = 0;
    async function foreignNeed(): Promise<number> {
      await ensureForeignOrg();
      const foreign = { id: foreignUser, email: 'team@erfurt.example', isPlatformAdmin: false };
      return demand.declareNeed(demandDeps(), foreign, foreignOrgId, NEED);
    }
    async function publishedPractice(orgOf: 'own' | 'foreign' = 'own'): Promise<number> {
      const id = await freshPractice(orgOf);
      const team =
        orgOf === 'own' ? actor('member') : { id: foreignUser, email: 'team@erfurt.example', isPlatformAdmin: false };
      await atlas.submitPractice(atlasDeps(), team, id);
      await atlas.reviewPractice(atlasDeps(), actor('advisor'), id, { publish: true, note: '' });
      return id;
    }

    // Solutions of the market: `member` and `orgAdmin` are also the team of a provider workspace; another provider
    // (its own team) asks the sample municipality for references; a verified municipal workspace (Weimar) reviews.
    let providerOrg = 0;
    let foreignProvider = { org: 0, user: 0 };
    let reviewer = { org: 0, user: 0 };
    let solutionId = 0;
    let foreignSolutionId = 0;
    const foreignTeam = () => ({ id: foreignProvider.user, email: 'team@anbieter-b.example', isPlatformAdmin: false });
    const weimar = () => ({ id: reviewer.user, email: 'rat@weimar.example', isPlatformAdmin: false });
    const solutionContent = () => ({
      ...emptySolution(),
      name: 'Ratsinformationssystem',
      summary: 'Sitzungen online.',
      problem: 'Gremienarbeit ohne Papier.',
      sectors: ['verwaltung'],
      operatingModels: ['saas' as const],
      priceModel: 'subscription' as const,
    });
    async function workspaceWith(
      kind: 'provider' | 'region',
      name: string,
      regionKey: string | null,
      users: [number, string][],
    ) {
      const [row] = await t.db.query<{ id: number }>(
        'INSERT INTO organisations (kind, region_key, name) VALUES ($1, $2, $3) RETURNING id::int AS id',
        [kind, regionKey, name],
      );
      for (const [user, role] of users) {
        await t.db.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)', [row!.id, user, role]);
      }
      return row!.id;
    }
    async function marketSetup() {
      if (providerOrg) return;
      providerOrg = await workspaceWith('provider', 'Anbieter A GmbH', null, [
        [ids.member!, 'member'],
        [ids.orgAdmin!, 'admin'],
      ]);
      const fu = (await createUserWithLoginLink(deps(), 'team@anbieter-b.example', false)).userId;
      foreignProvider = { org: await workspaceWith('provider', 'Anbieter B AG', null, [[fu, 'admin']]), user: fu };
      const wu = (await createUserWithLoginLink(deps(), 'rat@weimar.example', false)).userId;
      reviewer = { org: await workspaceWith('region', 'Weimar', '16055', [[wu, 'admin']]), user: wu };
    }
    async function freshSolution(of: 'own' | 'foreign' = 'own'): Promise<number> {
      await marketSetup();
      if (of === 'foreign')
        return solutions.createSolution(atlasDeps(), foreignTeam(), foreignProvider.org, solutionContent());
      return solutions.createSolution(atlasDeps(), actor('member'), providerOrg, solutionContent());
    }
    async function publishedSolution(of: 'own' | 'foreign' = 'own'): Promise<number> {
      const id = await freshSolution(of);
      await solutions.submitSolution(atlasDeps(), of === 'own' ? actor('member') : foreignTeam(), id);
      await solutions.reviewSolution(atlasDeps(), actor('advisor'), id, { publish: true, note: '' });
      return id;
    }

    // Inquiries of the advisory desk: the sample workspace asks; the advisor of its Land (16) answers and closes.
    const inquiryDeps = () => ({ db: t.db, now: () => new Date(), notifier: { notify: async () => {} }, t: TEST_T });
    let inquiryId = 0;
    let deskTeamId = 0;
    let otherAdvisor = 0;
    async function freshInquiry(state: 'new' | 'answered' | 'closed' = 'new'): Promise<number> {
      inquiryId = await inquiries.ask(inquiryDeps(), actor('member'), orgId, {
        subject: 'Ausschreibung Ratsinformationssystem',
        body: 'Wie gehen wir die Ausschreibung an?',
        sector: 'verwaltung',
        urgency: 'normal',
        context: null,
      });
      if (state !== 'new') await inquiries.reply(inquiryDeps(), actor('advisor'), inquiryId, 'So geht es.', null);
      if (state === 'closed') {
        const [row] = await t.db.query<{ version: number }>('SELECT version FROM desk_inquiries WHERE id = $1', [
          inquiryId,
        ]);
        await inquiries.setStatus(inquiryDeps(), actor('advisor'), inquiryId, row!.version, 'closed');
      }
      return inquiryId;
    }

    // Cooperation groups of the desk: the sample workspace leads a fresh unlisted group with a partner (Gotha);
    // the partner leads groups the sample workspace is a member of, is invited to, or may ask to join (listed).
    let deskGroupId = 0;
    let groupPartner = { org: 0, user: 0 };
    async function groupPartnerOrg() {
      if (!groupPartner.org) {
        const user = (await createUserWithLoginLink(deps(), 'team@gotha.example', false)).userId;
        groupPartner = { org: await workspaceWith('region', 'Gotha', '16067', [[user, 'admin']]), user };
      }
      return groupPartner;
    }
    async function freshGroup(lead: 'own' | 'partner', sample: 'member' | 'invited' | null, listed = false) {
      const partner = await groupPartnerOrg();
      const leadOrg = lead === 'own' ? orgId : partner.org;
      const [row] = await t.db.query<{ id: number }>(
        'INSERT INTO desk_groups (title, lead_org_id, listed, created_by) VALUES ($1, $2, $3, $4) RETURNING id::int AS id',
        ['Gemeinsames Bürgerportal', leadOrg, listed, ids.member],
      );
      deskGroupId = row!.id;
      const members: [number, string][] = [[leadOrg, 'member']];
      if (lead === 'own') members.push([partner.org, 'member']);
      else if (sample) members.push([orgId, sample]);
      for (const [org, state] of members)
        await t.db.query('INSERT INTO desk_group_members (group_id, org_id, state) VALUES ($1, $2, $3)', [
          deskGroupId,
          org,
          state,
        ]);
      return String(deskGroupId);
    }

    // FAQ entries of the desk: drafted by the advisor from the answer; consented by the member; published.
    let faqId = 0;
    async function freshFaq(state: 'draft' | 'consented' | 'published'): Promise<number> {
      const inquiry = await freshInquiry('answered');
      faqId = await knowledge.draftEntry(inquiryDeps(), actor('advisor'), inquiry, {
        question: 'Wie schreiben wir ein Ratsinformationssystem aus?',
        answer: 'Nutzen Sie die EVB-IT-Vorlagen.',
        sector: 'verwaltung',
      });
      const v = async () =>
        (await t.db.query<{ version: number }>('SELECT version FROM desk_faq_entries WHERE id = $1', [faqId]))[0]!
          .version;
      if (state !== 'draft') await knowledge.decideConsent(inquiryDeps(), actor('member'), faqId, await v(), true);
      if (state === 'published') await knowledge.setPublished(inquiryDeps(), actor('advisor'), faqId, await v(), true);
      return faqId;
    }

    // Events of the advisory desk: a fresh online event far in the future (or one that has begun), optionally with the
    // sample member registered (and marked as attended).
    async function freshEvent(opts: { past?: boolean; member?: 'registered' | 'attended' } = {}): Promise<number> {
      const [ev] = await t.db.query<{ id: number }>(
        `INSERT INTO desk_events (title, format, join_url, starts_at, ends_at, capacity, registration_deadline, created_by)
         VALUES ('Schulung', 'online', 'https://meet.example/x', now() + $1::interval, now() + $1::interval + interval '2 hours',
           20, now() + $1::interval - interval '1 day', $2) RETURNING id::int AS id`,
        [opts.past ? '-1 hour' : '30 days', ids.advisor],
      );
      if (opts.member) {
        await t.db.query(
          `INSERT INTO desk_event_registrations (event_id, user_id, status, queued_at, attended)
           VALUES ($1, $2, 'registered', now(), $3)`,
          [ev!.id, ids.member, opts.member === 'attended' ? true : null],
        );
      }
      return ev!.id;
    }
    let eventId = 0;
    let lastGroupThread = 0;
    // Peer mentors of the desk: the sample workspace offers mentoring for its published project; Erfurt offers its
    // own; mentorings in which the sample workspace is the mentor and Erfurt asked.
    let mentorPractice = { own: 0, foreign: 0 };
    let mentoringId = 0;
    async function mentorPractices() {
      if (!mentorPractice.own)
        mentorPractice = { own: await publishedPractice(), foreign: await publishedPractice('foreign') };
      return mentorPractice;
    }
    async function ownMentorOffer(): Promise<number> {
      const { own } = await mentorPractices();
      await t.db.query('DELETE FROM desk_mentor_offers WHERE org_id = $1', [orgId]);
      const [row] = await t.db.query<{ id: number }>(
        `INSERT INTO desk_mentor_offers (org_id, subject_kind, subject_ref, contact_user_id, hours_per_month)
         VALUES ($1, 'practice', $2, $3, 4) RETURNING id::int AS id`,
        [orgId, String(own), ids.member],
      );
      return row!.id;
    }
    async function sampleMentoring(status: 'requested' | 'accepted'): Promise<number> {
      const offer = await ownMentorOffer();
      await t.db.query('DELETE FROM desk_mentorings WHERE mentor_org_id = $1 OR mentee_org_id = $1', [orgId]);
      const [row] = await t.db.query<{ id: number }>(
        `INSERT INTO desk_mentorings (offer_id, mentor_org_id, mentee_org_id, subject_kind, subject_ref, mentee_state_key,
           requested_by, message, status, accepted_at)
         SELECT $1, $2, $3, subject_kind, subject_ref, '16', $4, 'Wir hätten Fragen.', $5,
           CASE WHEN $5 = 'accepted' THEN now() END FROM desk_mentor_offers WHERE id = $1 RETURNING id::int AS id`,
        [offer, orgId, foreignOrgId, foreignUser, status],
      );
      mentoringId = row!.id;
      return mentoringId;
    }

    /** The value of a `$fixture` placeholder for a call as `role`. */
    async function fixture(name: string, role: TestRole): Promise<string> {
      if (!name.startsWith('$')) return name;
      const [key, arg] = name.slice(1).split(':');
      switch (key) {
        case 'org':
          return String(orgId);
        case 'region':
          return '16056';
        case 'check':
          return String(checkId);
        case 'submittedCheck':
          return String(submittedId);
        case 'question':
          return questionId;
        case 'answerVersion': {
          const [row] = await t.db.query<{ version: number }>(
            'SELECT version FROM check_answers WHERE check_id = $1 AND question_id = $2',
            [checkId, questionId],
          );
          return String(row?.version ?? 0);
        }
        case 'completeCheck': {
          // The member role submits: a complete draft per call (the previous one may be submitted by now).
          const draft = await t.db.query<{ id: number }>(
            "SELECT id::int AS id FROM checks WHERE org_id = $1 AND status = 'draft'",
            [orgId],
          );
          if (draft[0]) {
            await t.db.query("DELETE FROM checks WHERE id = $1 AND status = 'draft'", [draft[0].id]);
          }
          const id = await completeDraft();
          checkId = id;
          return String(id);
        }
        case 'strategy':
          return String(await freshStrategy());
        case 'submittedStrategy': {
          const id = await freshStrategy();
          await strategies.submitToCouncil(t.db, actor('orgAdmin'), id, today());
          return String(id);
        }
        case 'adoptedStrategy':
          return String(await adoptedStrategy(false));
        case 'publishedStrategy':
          return String(await adoptedStrategy(true));
        case 'publishedStrategyRegion':
          await adoptedStrategy(true);
          return '16056';
        case 'planItem':
          return (await currentStrategy()).content.items[0]!.measureId;
        case 'strategyRev':
          return String((await currentStrategy()).revision);
        case 'strategyStart': {
          const m = (await currentStrategy()).content.startMonth;
          return `${m.slice(5)}/${m.slice(0, 4)}`;
        }
        case 'addableMeasure': {
          const v = await strategies.strategyView(t.db, actor('member'), strategyId);
          return v.addable[0]!.id;
        }
        case 'today':
          return today();
        case 'practice':
          practiceId = await freshPractice();
          return String(practiceId);
        case 'practiceRev':
          return String((await atlas.practiceView(t.db, actor('member'), practiceId)).row.revision);
        case 'submittedPractice': {
          const id = await freshPractice();
          await atlas.submitPractice(atlasDeps(), actor('member'), id);
          return String(id);
        }
        case 'publishedPractice':
          publishedPracticeId = await publishedPractice();
          return String(publishedPracticeId);
        case 'attachment':
          return String(
            await atlas.addAttachment(atlasDeps(), actor('member'), practiceId, { filename: 'plan.pdf', bytes: PDF }),
          );
        case 'publishedAttachment':
          return String(
            await atlas.addAttachment(atlasDeps(), actor('member'), publishedPracticeId, {
              filename: 'plan.pdf',
              bytes: PDF,
            }),
          );
        case 'foreignPractice':
          practiceId = await publishedPractice('foreign');
          return String(practiceId);
        case 'ownReuse':
          return String(await atlas.requestReuse(atlasDeps(), actor('member'), practiceId, orgId, 'Bitte'));
        case 'incomingReuse': {
          await freshPractice('foreign');
          const foreign = { id: foreignUser, email: 'team@erfurt.example', isPlatformAdmin: false };
          const reuse = await atlas.requestReuse(atlasDeps(), foreign, publishedPracticeId, foreignOrgId, '');
          await atlas.attestReuse(atlasDeps(), foreign, publishedPracticeId, reuse, today());
          return String(reuse);
        }
        case 'foreignNeed':
          return String(await foreignNeed());
        case 'ownNeed':
          return String(await demand.declareNeed(demandDeps(), actor('member'), orgId, NEED));
        case 'ownGroup': {
          // A group the sample workspace leads: its need, joined by Erfurt.
          const own = await demand.declareNeed(demandDeps(), actor('member'), orgId, NEED);
          await ensureForeignOrg();
          const foreign = { id: foreignUser, email: 'team@erfurt.example', isPlatformAdmin: false };
          groupId = await demand.joinNeed(demandDeps(), foreign, own, foreignOrgId, {
            volumeEur: 5000,
            volumeNote: '',
          });
          return String(groupId);
        }
        case 'ownGroupRev':
          return String((await demand.groupView(demandDeps(), actor('member'), groupId)).group.revision);
        case 'newUrl':
          return `https://ratsinfo.example/oparl/${++counter}`;
        case 'artefact': {
          // A registered OParl endpoint of the sample workspace, checked an hour ago (a re-check is allowed).
          const [a] = await t.db.query<{ id: number }>(
            `INSERT INTO conformance_artefacts (org_id, registered_by, subject_kind, region_key, standard, url,
               next_check_at, last_started_at, created_at)
             VALUES ($1, $2, 'region', '16056', 'oparl', $3, now() + interval '6 days', now() - interval '1 hour',
               now() - interval '1 hour')
             RETURNING id::int AS id`,
            [orgId, ids.member, `https://ratsinfo.example/system/${++counter}`],
          );
          await t.db.query(
            `INSERT INTO conformance_checks (artefact_id, checked_at, standard, validator_version, input, verdict,
               findings, findings_total, errors, trigger, duration_ms)
             VALUES ($1, now() - interval '1 hour', 'oparl', 'test/1', 'https://ratsinfo.example/', 'not conformant',
               '[{"rule":"oparl.type-url","severity":"error","location":"$","message":"Falsch."}]', 1, 1, 'registered', 5)`,
            [a!.id],
          );
          return String(a!.id);
        }
        case 'solution':
          solutionId = await freshSolution();
          return String(solutionId);
        case 'solutionRev':
          return String((await solutions.solutionView(t.db, actor('member'), solutionId)).row.revision);
        case 'submittedSolution': {
          const id = await freshSolution();
          await solutions.submitSolution(atlasDeps(), actor('member'), id);
          return String(id);
        }
        case 'publishedSolution':
          solutionId = await publishedSolution();
          return String(solutionId);
        case 'foreignSolution':
          foreignSolutionId = await publishedSolution('foreign');
          return String(foreignSolutionId);
        case 'compareIds':
          return `${await publishedSolution()},${await publishedSolution('foreign')}`;
        case 'incomingReference':
          return String(
            await solutions.requestReference(
              atlasDeps(),
              foreignTeam(),
              foreignSolutionId,
              '16056',
              'Bitte bestätigen',
            ),
          );
        case 'incomingReview':
          return String(
            await solutions.writeReview(atlasDeps(), weimar(), solutionId, reviewer.org, {
              rating: 3,
              body: 'Solide.',
            }),
          );
        case 'group':
          return freshGroup('own', null);
        case 'partnerGroup':
          return freshGroup('partner', 'member');
        case 'invitingGroup':
          return freshGroup('partner', 'invited');
        case 'listedGroup':
          return freshGroup('partner', null, true);
        case 'groupPartner':
          return String((await groupPartnerOrg()).org);
        case 'inviteeKey':
          await ensureForeignOrg();
          return '16051';
        case 'groupRequester':
          await ensureForeignOrg();
          await t.db.query("INSERT INTO desk_group_members (group_id, org_id, state) VALUES ($1, $2, 'requested')", [
            deskGroupId,
            foreignOrgId,
          ]);
          return String(foreignOrgId);
        case 'groupThread': {
          const [th] = await t.db.query<{ id: number }>(
            "INSERT INTO desk_group_threads (group_id, title, author_user_id) VALUES ($1, 'Anbieter', $2) RETURNING id::int AS id",
            [deskGroupId, ids.member],
          );
          await t.db.query(
            "INSERT INTO desk_group_posts (thread_id, author_user_id, org_id, body) VALUES ($1, $2, $3, 'Erster Beitrag')",
            [th!.id, ids.member, orgId],
          );
          lastGroupThread = th!.id;
          return String(th!.id);
        }
        case 'groupPost': {
          // the first post of the thread just made by $groupThread (params resolve in order)
          const [post] = await t.db.query<{ id: number }>(
            'SELECT min(id)::int AS id FROM desk_group_posts WHERE thread_id = $1',
            [lastGroupThread],
          );
          return String(post!.id);
        }
        case 'groupDocument': {
          const [doc] = await t.db.query<{ id: number }>(
            `INSERT INTO desk_group_documents (group_id, filename, media_type, size, sha256, bytes, uploaded_by)
             VALUES ($1, 'protokoll.pdf', 'application/pdf', $2, 'x', $3, $4) RETURNING id::int AS id`,
            [deskGroupId, PDF.length, PDF, ids.member],
          );
          return String(doc!.id);
        }
        case 'groupDecision': {
          const [dec] = await t.db.query<{ id: number }>(
            `INSERT INTO desk_group_decisions (group_id, title, decided_on, created_by)
             VALUES ($1, 'Gemeinsame Ausschreibung', '2027-03-10', $2) RETURNING id::int AS id`,
            [deskGroupId, ids.member],
          );
          return String(dec!.id);
        }
        case 'event':
          eventId = await freshEvent();
          return String(eventId);
        case 'eventWithMember':
          return String(await freshEvent({ member: 'registered' }));
        case 'pastEventWithMember':
          return String(await freshEvent({ past: true, member: 'registered' }));
        case 'attendedEvent':
          return String(await freshEvent({ past: true, member: 'attended' }));
        case 'eventMaterial': {
          const [m] = await t.db.query<{ id: number }>(
            "INSERT INTO desk_event_materials (event_id, kind, title, url) VALUES ($1, 'material', 'Folien', 'https://x.example/f.pdf') RETURNING id::int AS id",
            [eventId],
          );
          return String(m!.id);
        }
        case 'eventFeedToken': {
          const token = newToken();
          await t.db.query(
            `INSERT INTO desk_event_feed_tokens (user_id, token_hash) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash`,
            [ids.member, hashToken(token)],
          );
          return token;
        }
        case 'faqEntry':
          return String(await freshFaq('draft'));
        case 'consentedFaq':
          return String(await freshFaq('consented'));
        case 'publishedFaq':
          return String(await freshFaq('published'));
        case 'faqVersion': {
          const [row] = await t.db.query<{ version: number }>('SELECT version FROM desk_faq_entries WHERE id = $1', [
            faqId,
          ]);
          return String(row?.version ?? 0);
        }
        case 'inquiry':
          return String(await freshInquiry());
        case 'answeredInquiry':
          return String(await freshInquiry('answered'));
        case 'closedInquiry':
          return String(await freshInquiry('closed'));
        case 'inquiryVersion': {
          const [row] = await t.db.query<{ version: number }>('SELECT version FROM desk_inquiries WHERE id = $1', [
            inquiryId,
          ]);
          return String(row!.version);
        }
        case 'inquiryAttachment': {
          const [row] = await t.db.query<{ id: number }>(
            `INSERT INTO desk_inquiry_attachments (inquiry_id, filename, media_type, size, sha256, bytes, uploaded_by)
             VALUES ($1, 'plan.pdf', 'application/pdf', $2, 'x', $3, $4) RETURNING id::int AS id`,
            [inquiryId, PDF.length, PDF, ids.member],
          );
          return String(row!.id);
        }
        case 'otherAdvisor':
          if (!otherAdvisor) {
            otherAdvisor = (await createUserWithLoginLink(deps(), 'zweite@zentrum.example', false)).userId;
            await makeAdvisor(t.db, otherAdvisor, '16');
          }
          return String(otherAdvisor);
        case 'canned': {
          const [row] = await t.db.query<{ id: number }>(
            "INSERT INTO desk_canned_answers (title, body, created_by) VALUES ('Gruß', 'Viele Grüße', $1) RETURNING id::int AS id",
            [ids.advisor],
          );
          return String(row!.id);
        }
        case 'newTeamName':
          return `Team ${++counter}`;
        case 'deskTeam': {
          const [row] = await t.db.query<{ id: number }>(
            'INSERT INTO desk_teams (name) VALUES ($1) RETURNING id::int AS id',
            [`Beratung ${++counter}`],
          );
          deskTeamId = row!.id;
          return String(deskTeamId);
        }
        case 'deskTeamAdvisor':
          await t.db.query('INSERT INTO desk_team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
            deskTeamId,
            ids.advisor,
          ]);
          return String(ids.advisor);
        case 'deskRule': {
          await t.db.query("DELETE FROM desk_routing_rules WHERE state_key = '15' AND sector = 'bildung'");
          const team = await fixture('$deskTeam', role);
          const [row] = await t.db.query<{ id: number }>(
            "INSERT INTO desk_routing_rules (state_key, sector, team_id) VALUES ('15', 'bildung', $1) RETURNING id::int AS id",
            [Number(team)],
          );
          return String(row!.id);
        }
        case 'notifyVersion': {
          if (role === 'anonymous') return '0';
          const [row] = await t.db.query<{ version: number }>(
            'SELECT version FROM desk_notify_people WHERE user_id = $1',
            [ids[role]],
          );
          return String(row?.version ?? 0);
        }
        case 'unsubscribeToken':
          // A link of the sample member's mails: it works for whoever holds it.
          return unsubscribeToken(t.db, ids.member!, 'events');
        case 'request': {
          const rows = await t.db.query<{ id: number }>(
            "INSERT INTO access_requests (org_id, user_id, email_domain) VALUES ($1, $2, 'kreis.example') RETURNING id::int AS id",
            [orgId, ids.requester],
          );
          return String(rows[0]!.id);
        }
        case 'member':
          return String(ids.member);
        case 'loginEmail':
          return 'login@example.org';
        case 'loginPassword':
          return LOGIN_PASSWORD;
        case 'newEmail':
          return `neu-${++counter}@gemeinde.example`;
        case 'ownApiToken': {
          if (role === 'anonymous') return '1';
          const { row } = await createApiToken({ db: t.db }, ids[role]!, {
            name: 'x',
            scopes: ['register:read'],
            expiryDays: 1,
          });
          return String(row.id);
        }
        case 'invitation': {
          const token = newToken();
          await t.db.query(
            `INSERT INTO invitations (org_id, email, role, token_hash, invited_by, expires_at)
             VALUES ($1, $2, 'member', $3, $4, now() + interval '1 day')`,
            [orgId, EMAIL.user, hashToken(token), ids.orgAdmin],
          );
          return token;
        }
        case 'token': {
          const token = newToken();
          await identityRepo.insertOneTimeToken(t.db, {
            tokenHash: hashToken(token),
            purpose: arg as identityRepo.TokenPurpose,
            userId: ids.login!,
            expiresAt: new Date(Date.now() + 3600_000),
          });
          return token;
        }
        case 'mentorSubject': {
          const { own } = await mentorPractices();
          await t.db.query('DELETE FROM desk_mentor_offers WHERE org_id = $1', [orgId]);
          return `practice:${own}`;
        }
        case 'mentorOffer':
          return String(await ownMentorOffer());
        case 'mentorOfferVersion': {
          const [row] = await t.db.query<{ version: number }>(
            'SELECT version FROM desk_mentor_offers WHERE org_id = $1 ORDER BY id DESC LIMIT 1',
            [orgId],
          );
          return String(row?.version ?? 1);
        }
        case 'foreignMentorOffer': {
          const { foreign } = await mentorPractices();
          await t.db.query('DELETE FROM desk_mentorings WHERE mentee_org_id = $1', [orgId]);
          const [row] = await t.db.query<{ id: number }>(
            `INSERT INTO desk_mentor_offers (org_id, subject_kind, subject_ref, contact_user_id)
             VALUES ($1, 'practice', $2, $3)
             ON CONFLICT (org_id, subject_kind, subject_ref) DO UPDATE SET status = 'active', contact_user_id = $3
             RETURNING id::int AS id`,
            [foreignOrgId, String(foreign), foreignUser],
          );
          return String(row!.id);
        }
        case 'mentoring':
          return String(await sampleMentoring('requested'));
        case 'acceptedMentoring':
          return String(await sampleMentoring('accepted'));
        case 'mentoringVersion': {
          const [row] = await t.db.query<{ version: number }>('SELECT version FROM desk_mentorings WHERE id = $1', [
            mentoringId,
          ]);
          return String(row?.version ?? 1);
        }
        default:
          throw new Error(`unknown fixture ${name}`);
      }
    }

    async function resolve(values: Record<string, string> | undefined, role: TestRole) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(values ?? {})) out[k] = await fixture(v, role);
      return out;
    }

    test('every route has a row in its module, and every row is a route', () => {
      const routes = new Set(app.routeAccess.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
      const platform = new Set(['GET /health', 'GET /sprache', 'GET /api/docs', 'GET /api/v1/openapi.json']);
      const missing = [...routes].filter((r) => !(r in ROW_OF) && !platform.has(r));
      const stale = Object.keys(ROW_OF).filter((r) => !routes.has(r));
      assert.deepEqual(missing, [], 'routes missing from the access rows of their module');
      assert.deepEqual(stale, [], 'rows without a route');
    });

    test('every route answers every role as its row says, and the handler does its work', async () => {
      const failures: string[] = [];
      let calls = 0;
      for (const route of app.routeAccess) {
        if (route.method === 'HEAD') continue;
        const key = `${route.method} ${route.url}`;
        const row: AccessRow | undefined = ROW_OF[key] ?? (PLATFORM_ROWS[key] as AccessRow | undefined);
        if (!row) continue;
        for (const role of TEST_ROLES) {
          await resetWorkspace();
          const params = await resolve(row.params, role);
          const url =
            route.url.replace(/:([a-z]+)/g, (_m, p: string) => encodeURIComponent(params[p] ?? 'x')) +
            (row.query ? `?${new URLSearchParams(await resolve(row.query, role))}` : '');
          // A fresh session per call: some routes end the session they are called with.
          const headers: Record<string, string> = { accept: 'text/html' };
          let csrf = newToken();
          if (role !== 'anonymous') {
            const s = await createSession(deps(), ids[role]!);
            headers.cookie = `kl_session=${s.token}`;
            csrf = s.csrfSecret;
          } else {
            headers.cookie = `kl_csrf=${csrf}`;
          }
          const form = new URLSearchParams({ _csrf: csrf, ...(await resolve(row.form, role)) });
          const res = await app.inject({
            method: route.method as 'GET' | 'POST',
            url,
            headers:
              route.method === 'POST' ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
            ...(route.method === 'POST' ? { payload: form.toString() } : {}),
          });
          calls++;
          const location = String(res.headers.location ?? '');
          const s = res.statusCode;
          const outcome: Outcome =
            (url.startsWith('/api/') && s === 401) || (s === 303 && location.startsWith('/anmelden?weiter='))
              ? 'login'
              : s === 403
                ? 'deny'
                : s === 404 && row.allowStatus !== 404
                  ? 'notFound'
                  : s === 409
                    ? 'conflict'
                    : (s >= 200 && s < 400) || s === row.allowStatus
                      ? 'allow'
                      : ('other' as Outcome);
          if (outcome !== row.roles[role]) {
            failures.push(
              `${key} as ${role}: ${outcome} (${s}${location ? ` → ${location}` : ''}), expected ${row.roles[role]}`,
            );
          }
          if (s >= 500) failures.push(`${key} as ${role}: ${s}`);
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(calls >= Object.keys(ROW_OF).length * TEST_ROLES.length);
    });

    test('hostile input in every parameter of every route: no 5xx, nothing reflected raw, no table touched', async () => {
      const PAYLOADS = [
        "' OR '1'='1' --",
        '1; DROP TABLE users; --',
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        'nul\u0000byte',
        '/\\evil.example',
        'ünïcödé\r\nSet-Cookie: x=1',
      ];
      const tableCounts = async () =>
        t.db.query<{ relname: string; n: number }>(
          `SELECT 'users' AS relname, count(*)::int AS n FROM users UNION ALL SELECT 'regions', count(*)::int FROM regions
           UNION ALL SELECT 'memberships', count(*)::int FROM memberships`,
        );
      await resetWorkspace();
      const before = await tableCounts();
      const failures: string[] = [];
      for (const route of app.routeAccess) {
        if (route.method === 'HEAD') continue;
        for (const payload of PAYLOADS) {
          await t.db.query('DELETE FROM rate_limit_windows');
          const enc = encodeURIComponent(payload);
          const s = await createSession(deps(), ids.platformAdmin!);
          const url = `${route.url.replace(/:[a-z]+/g, enc)}?q=${enc}&region=${enc}&token=${enc}&weiter=${enc}&zurueck=${enc}&level=${enc}`;
          const form = [
            'email',
            'password',
            'note',
            'name',
            'action',
            'role',
            'decision',
            'org',
            'token',
            'current',
            'confirm',
          ]
            .map((f) => `${f}=${enc}`)
            .join('&');
          const res = await app.inject({
            method: route.method as 'GET' | 'POST',
            url,
            headers: {
              accept: 'text/html',
              cookie: `kl_session=${s.token}`,
              ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            },
            ...(route.method === 'POST' ? { payload: `_csrf=${s.csrfSecret}&${form}` } : {}),
          });
          if (res.statusCode >= 500)
            failures.push(`${route.method} ${route.url} with ${JSON.stringify(payload)}: ${res.statusCode}`);
          // JSON answers may quote input (served as JSON with nosniff); HTML must never carry it raw.
          const html = String(res.headers['content-type'] ?? '').startsWith('text/html');
          if (html && (res.body.includes('<script>alert(1)</script>') || res.body.includes('<img src=x onerror'))) {
            failures.push(`${route.method} ${route.url} reflects ${payload} unescaped`);
          }
          const location = String(res.headers.location ?? '');
          if (location && !location.startsWith('/'))
            failures.push(`${route.method} ${route.url} redirects off-site: ${location}`);
          if (/^\/[\\/]/.test(location) || /[\s\\]/.test(location)) {
            failures.push(`${route.method} ${route.url} redirects to ${JSON.stringify(location)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
      assert.deepEqual(await tableCounts(), before);
    });
  });
}

/** The platform's own routes (not of a module). */
const PLATFORM_ROWS: Record<string, Partial<AccessRow>> = {
  'GET /health': { roles: allRoles('allow') },
  'GET /sprache': { roles: allRoles('allow'), query: { lang: 'en', zurueck: '/kommunen' } },
  'GET /api/docs': { roles: allRoles('allow') },
  'GET /api/v1/openapi.json': { roles: allRoles('allow') },
};

function allRoles(o: Outcome): Record<TestRole, Outcome> {
  return Object.fromEntries(TEST_ROLES.map((r) => [r, o])) as Record<TestRole, Outcome>;
}
