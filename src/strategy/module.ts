import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ASSESSMENT_EVENTS } from '../assessment/index.js';
import { publish } from '../platform/events/events.js';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { STRATEGY_ACTIONS } from './actions.js';
import { STRATEGY_EVENTS } from './events.js';
import { strategyLagebildContribution } from './lagebild-view.js';
import { measuresPages } from './measures.pages.js';
import { messages } from './messages.js';
import { strategyProfileSection, strategyResultSection, strategyWorkspaceSection } from './sections.js';
import { strategyApi } from './strategy.api.js';
import { strategyPages } from './strategy.pages.js';
import * as service from './strategy.service.js';

/** A strategy in work: its workspace's members only; strangers are told it does not exist. */
const MEMBER = ROWS.custom('notFound', 'notFound', 'allow', 'allow', 'notFound', 'notFound');
/** The same for a form post (anonymous callers are sent to the login). */
const MEMBER_POST = ROWS.custom('login', 'notFound', 'allow', 'allow', 'notFound', 'notFound');
/** Submitting to the council, recording the adoption, publishing: the workspace's admins. */
const ADMIN_POST = ROWS.custom('login', 'notFound', 'deny', 'allow', 'notFound', 'notFound');
/** A page of a strategy in work that needs an account. */
const MEMBER_PAGE = ROWS.custom('login', 'notFound', 'allow', 'allow', 'notFound', 'notFound');
/** Routes that need an API token: called with a session only, everyone is asked for a token. */
const TOKEN = ROWS.custom('login', 'login', 'login', 'login', 'login', 'login');

const S = { id: '$strategy' };
const ITEM = { id: '$strategy', measure: '$planItem' };

/**
 * The Digitalstrategie (issue 9): the measures catalogue (content/measures/), the draft from a submitted check,
 * the team's edits with versions, roadmap and capacity, the council document (HTML, PDF, DOCX), adoption and
 * publication, implementation tracking, and the open-data and workspace API.
 */
export const strategy = defineModule({
  name: 'strategy',
  messages,
  migrations: path.join(ROOT, 'src/strategy/migrations'),
  tables: ['strategies', 'strategy_revisions', 'measure_links'],
  tokenScopes: { strategy: 'strategy.scope' },
  actions: STRATEGY_ACTIONS,
  access: {
    'GET /api/v1/measures': access(ROWS.public),
    'GET /strategie': access(ROWS.public),
    'GET /massnahmen': access(ROWS.public, { query: { sektor: 'bildung', groesse: '2000-5000' } }),
    'GET /massnahmen/:id': access(ROWS.public, { params: { id: 'digitalbeauftragte-benennen' } }),
    'POST /digitalcheck/:id/strategie': access(ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny'), {
      params: { id: '$submittedCheck' },
    }),
    'GET /strategie/:id': access(MEMBER, { params: S }),
    'POST /strategie/:id/ziele': access(MEMBER_POST, { params: S, form: { rev: '$strategyRev' } }),
    'POST /strategie/:id/reihenfolge': access(MEMBER_POST, {
      params: S,
      form: { rev: '$strategyRev', measure: '$planItem', direction: 'down' },
    }),
    'POST /strategie/:id/entfernen': access(MEMBER_POST, {
      params: S,
      form: { rev: '$strategyRev', measure: '$planItem' },
    }),
    'POST /strategie/:id/hinzufuegen': access(MEMBER_POST, {
      params: S,
      form: { rev: '$strategyRev', measure: '$addableMeasure' },
    }),
    'GET /strategie/:id/massnahmen/:measure': access(MEMBER, { params: ITEM }),
    'POST /strategie/:id/massnahmen/:measure': access(MEMBER_POST, {
      params: ITEM,
      form: {
        rev: '$strategyRev',
        owner: 'Hauptamt',
        start: '$strategyStart',
        durationMonths: '3',
        effortDays: '5',
        costOneOff: '1.000',
        costPerYear: '0',
      },
    }),
    'POST /strategie/:id/massnahmen/:measure/umsetzung': access(MEMBER_POST, {
      params: ITEM,
      form: { rev: '$strategyRev', status: 'in_progress', note: 'Angefangen', actualStart: '', actualEnd: '' },
    }),
    'GET /strategie/:id/einstellungen': access(MEMBER_PAGE, { params: S }),
    'POST /strategie/:id/einstellungen': access(MEMBER_POST, {
      params: S,
      form: {
        rev: '$strategyRev',
        title: '',
        vision: '',
        startMonth: '$strategyStart',
        staffDaysPerMonth: '4',
        budgetPerYear: '30.000',
        steering: '',
        reportingCycle: 'yearly',
      },
    }),
    'GET /strategie/:id/versionen': access(MEMBER_PAGE, { params: S }),
    'GET /strategie/:id/vergleich': access(MEMBER_PAGE, { params: S, query: { a: '1', b: '1' } }),
    'GET /strategie/:id/dokument': access(MEMBER, { params: S }),
    'GET /strategie/:id/dokument.pdf': access(MEMBER, { params: S }),
    'GET /strategie/:id/dokument.docx': access(MEMBER, { params: S }),
    'POST /strategie/:id/vorlegen': access(ADMIN_POST, { params: S }),
    'POST /strategie/:id/entwurf': access(ADMIN_POST, { params: { id: '$submittedStrategy' } }),
    'POST /strategie/:id/beschliessen': access(ADMIN_POST, {
      params: S,
      form: { adoptedOn: '$today', decisionNumber: 'GR 12/2026', councilUrl: '' },
    }),
    'POST /strategie/:id/veroeffentlichen': access(ADMIN_POST, {
      params: { id: '$adoptedStrategy' },
      form: { published: 'true' },
    }),
    'POST /strategie/:id/neue-fassung': access(
      ROWS.custom('login', 'notFound', 'allow', 'allow', 'notFound', 'notFound'),
      {
        params: { id: '$adoptedStrategy' },
      },
    ),
    'GET /kommunen/:key/strategie': access(ROWS.public, { params: { key: '$publishedStrategyRegion' } }),
    'GET /api/v1/strategies': access(TOKEN),
    'GET /api/v1/strategies/:id': access(ROWS.public, { params: { id: '$publishedStrategy' } }),
    'GET /api/v1/published-strategies/:key': access(ROWS.public, { params: { key: '$publishedStrategyRegion' } }),
    'POST /api/v1/strategies': access(TOKEN),
    'POST /api/v1/strategies/:id/items': access(TOKEN, { params: S }),
    'POST /api/v1/strategies/:id/items/:measureId': access(TOKEN, {
      params: { id: '$strategy', measureId: '$planItem' },
    }),
    'POST /api/v1/strategies/:id/items/:measureId/progress': access(TOKEN, {
      params: { id: '$strategy', measureId: '$planItem' },
    }),
  },
  apiExamples: { getMeasures: '/api/v1/measures' },
  apiTags: [{ name: 'strategy', description: 'Measures catalogue and digital strategies' }],
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(measuresPages(d));
    await app.register(strategyPages(d));
  },
  resultSections: (d) => [strategyResultSection(d)],
  workspaceSections: (d) => [strategyWorkspaceSection(d)],
  profileSections: (d) => [strategyProfileSection(d)],
  api: (d) => strategyApi(d.db),
  personalData: {
    export: async (db, subject) => service.exportPersonalData(db, subject.userId),
    erase: async (tx, subject) => service.erasePersonalData(tx, subject.userId),
  },
  // The Lagebild's strategy figures, released with it after adoptions, measure progress and publications.
  lagebildFigures: () => [strategyLagebildContribution],
  subscriptions: (d) => [
    {
      // Demo strategies follow the demo checks: made after `lotse seed demo`, removed with `--remove`.
      name: 'strategy.demo-strategies',
      events: [ASSESSMENT_EVENTS.demoChanged],
      mode: 'once',
      handle: async (_events, tx) => {
        await service.syncDemoStrategies(tx, d.clock());
        await publish(tx, STRATEGY_EVENTS.adopted, { demo: true });
      },
    },
  ],
});
