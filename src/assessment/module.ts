import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { REGISTER_EVENTS } from '../register/index.js';
import { CHECK_ACTIONS } from './actions.js';
import { assessmentApi } from './assessment.api.js';
import { assessmentPages, LagebildPageCache } from './assessment.pages.js';
import { ASSESSMENT_EVENTS, erasePersonalData, exportPersonalData } from './assessment.service.js';
import { checkPages } from './check.pages.js';
import { demoCommands } from './cli.js';
import { lagebildContributions, releaseLagebild, releaseLagebildIfFree } from './lagebild.service.js';
import { messages } from './messages.js';
import { resultPages, resultProfileSection } from './result.pages.js';
import { checkWorkspaceSection, workspaceHomePages } from './workspace-home.js';

/** A workspace's Digitalcheck: its members only (results are private until published). */
const CHECK_MEMBER = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/** Publishing a result: the workspace's admins. */
const CHECK_ADMIN = ROWS.custom('login', 'deny', 'deny', 'allow', 'deny', 'deny');

/** One cache of the rendered Lagebild per app (the page and the release subscription share it). */
const caches = new WeakMap<object, LagebildPageCache>();
const cacheOf = (d: object) => {
  let c = caches.get(d);
  if (!c) {
    c = new LagebildPageCache();
    caches.set(d, c);
  }
  return c;
};

/** The Digitalcheck (maturity model, taking the check, results, peers) and the public Lagebild. */
export const assessment = defineModule({
  name: 'assessment',
  messages,
  migrations: path.join(ROOT, 'src/assessment/migrations'),
  tables: ['checks', 'check_answers', 'check_question_states', 'lagebild_snapshots'],
  actions: CHECK_ACTIONS,
  nav: [
    { href: '/digitalcheck', label: 'nav.digitalcheck', order: 20, audience: 'everyone' },
    { href: '/lagebild', label: 'nav.lagebild', order: 30, audience: 'everyone' },
  ],
  apiExamples: {
    getMaturityModel: '/api/v1/maturity-model',
    getLagebild: '/api/v1/lagebild',
    getPublishedResult: '/api/v1/published-results/09184',
  },
  apiTags: [{ name: 'assessment', description: 'Digitalcheck maturity model and the national picture (Lagebild)' }],
  access: {
    'GET /digitalcheck': access(ROWS.public),
    'POST /digitalcheck/start': access(CHECK_MEMBER, { form: { org: '$org' } }),
    'GET /digitalcheck/:id': access(CHECK_MEMBER, { params: { id: '$check' } }),
    'GET /digitalcheck/:id/frage/:qid': access(CHECK_MEMBER, { params: { id: '$check', qid: '$question' } }),
    'POST /digitalcheck/:id/frage/:qid': access(CHECK_MEMBER, {
      params: { id: '$check', qid: '$question' },
      form: { value: '2', comment: '', evidenceUrl: '', version: '$answerVersion' },
    }),
    'POST /digitalcheck/:id/frage/:qid/spaeter': access(CHECK_MEMBER, { params: { id: '$check', qid: '$question' } }),
    'GET /digitalcheck/:id/zuweisen': access(CHECK_MEMBER, {
      params: { id: '$check' },
      query: { frage: '$question' },
    }),
    'POST /digitalcheck/:id/zuweisen': access(CHECK_MEMBER, {
      params: { id: '$check' },
      form: { frage: '$question', dimension: '', member: '$member', email: '' },
    }),
    'GET /digitalcheck/:id/abschliessen': access(CHECK_MEMBER, { params: { id: '$check' } }),
    'POST /digitalcheck/:id/absenden': access(CHECK_MEMBER, { params: { id: '$completeCheck' } }),
    'GET /digitalcheck/:id/ergebnis': access(CHECK_MEMBER, { params: { id: '$submittedCheck' } }),
    // A new draft from the answers of a submitted check (or the open draft): the workspace's members.
    'POST /digitalcheck/:id/neu-aus-letztem': access(CHECK_MEMBER, { params: { id: '$submittedCheck' } }),
    'GET /digitalcheck/:id/ergebnis.csv': access(CHECK_MEMBER, { params: { id: '$submittedCheck' } }),
    'GET /digitalcheck/:id/ergebnis.pdf': access(CHECK_MEMBER, { params: { id: '$submittedCheck' } }),
    'POST /digitalcheck/:id/veroeffentlichen': access(CHECK_ADMIN, {
      params: { id: '$submittedCheck' },
      form: { published: 'true' },
    }),
    'GET /digitalcheck/:id/zurueckziehen': access(CHECK_ADMIN, { params: { id: '$submittedCheck' } }),
    'POST /digitalcheck/:id/zurueckziehen': access(CHECK_ADMIN, {
      params: { id: '$submittedCheck' },
      form: { confirm: 'ja' },
    }),
    'GET /api/v1/published-results/:key': access(ROWS.public, { params: { key: '$region' } }),
    'GET /lagebild': access(ROWS.public),
    'GET /api/v1/lagebild': access(ROWS.public),
    'GET /api/v1/maturity-model': access(ROWS.public),
  },
  // Taking the check (check.pages.tsx), results (result.pages.tsx), the workspace home's part
  // (workspace-home.tsx), the Lagebild (assessment.pages.tsx).
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(checkPages(d));
    await app.register(assessmentPages(d, cacheOf(d)));
    await app.register(resultPages(d));
    await app.register(workspaceHomePages(d));
  },
  profileSections: (d) => [resultProfileSection(d)],
  workspaceSections: (d) => [checkWorkspaceSection(d)],
  api: (d) => assessmentApi(d.db, lagebildContributions(d)),
  subscriptions: (d) => [
    {
      // One instance recomputes and releases the Lagebild after submissions, demo changes, imports and the
      // events after which other modules' Lagebild figures may have changed (`Module.lagebildFigures`).
      name: 'assessment.release-lagebild',
      events: [
        ...new Set([
          ASSESSMENT_EVENTS.checkSubmitted,
          ASSESSMENT_EVENTS.demoChanged,
          REGISTER_EVENTS.releaseImported,
          ...lagebildContributions(d).flatMap((c) => c.events),
        ]),
      ],
      mode: 'once',
      handle: async (_events, tx) => {
        await releaseLagebild(tx, {
          now: d.clock(),
          minIntervalMs: d.config.lagebildReleaseMinutes * 60_000,
          contributions: lagebildContributions(d),
        });
      },
    },
    {
      // Every instance drops its rendered Lagebild page when a new one is released, boundaries change or a
      // result is published or withdrawn (the page shows the city states' own published results).
      name: 'assessment.lagebild-page',
      events: [
        ASSESSMENT_EVENTS.lagebildReleased,
        REGISTER_EVENTS.boundariesImported,
        ASSESSMENT_EVENTS.checkPublished,
      ],
      mode: 'each-instance',
      handle: async () => cacheOf(d).clear(),
    },
  ],
  personalData: {
    export: (db, s) => exportPersonalData(db, s.userId),
    erase: (tx, s) => erasePersonalData(tx, s.userId),
  },
  cli: demoCommands,
  start: (d) => {
    // The schedule: changes held back by the interval (or waiting for their batch) go out at the next slot.
    const minutes = d.config.lagebildReleaseMinutes;
    if (minutes === 0) return undefined;
    const run = () =>
      releaseLagebildIfFree(d.db, {
        now: d.clock(),
        minIntervalMs: minutes * 60_000,
        contributions: lagebildContributions(d),
      }).catch(() => {
        /* retried at the next slot */
      });
    const timer = setInterval(run, Math.max(60_000, (minutes * 60_000) / 6));
    timer.unref();
    return async () => clearInterval(timer);
  },
});
