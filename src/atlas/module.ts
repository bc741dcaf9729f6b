import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { ATLAS_ACTIONS } from './actions.js';
import { atlasApi } from './api.js';
import { atlasPages } from './atlas.pages.js';
import * as service from './atlas.service.js';
import { atlasCommands } from './cli.js';
import { ATLAS_EVENTS } from './events.js';
import { atlasLagebildContribution } from './lagebild-view.js';
import { messages } from './messages.js';
import { applyIndexEvents, warmPracticeIndex } from './search.service.js';
import { atlasProfileSection, atlasResultSection, atlasStrategySection, atlasWorkspaceSection } from './sections.js';

/** A draft: its team and the reviewers of its Land see it; others are told it does not exist. */
const DRAFT = ROWS.custom('notFound', 'notFound', 'allow', 'allow', 'allow', 'allow');
/** The team's changes to a draft (reviewers may read, not edit). */
const TEAM_POST = ROWS.custom('login', 'notFound', 'allow', 'allow', 'deny', 'deny');
/** A new project: members of a municipal workspace. */
const MUNICIPAL = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');

const P = { id: '$practice' };

/**
 * The Praxisatlas (issue 10): practice projects of municipalities with review by the Land's advisors and versions,
 * a German search (ADR 0016) with facets and suggestions, recommendations ("Kommunen wie Ihre"), attested reuse with
 * its graph, the bulk import and the open data (JSON, CSV, JSON-LD).
 */
export const atlas = defineModule({
  name: 'atlas',
  messages,
  migrations: path.join(ROOT, 'src/atlas/migrations'),
  tables: ['practices', 'practice_versions', 'practice_regions', 'practice_attachments', 'practice_reuses'],
  actions: ATLAS_ACTIONS,
  nav: [{ href: '/praxis', label: 'atlas.nav', order: 45, audience: 'everyone' }],
  access: {
    'GET /praxis': access(ROWS.public, { query: { q: 'Bauanträge digital', sector: 'verwaltung' } }),
    'GET /praxis/neu': access(MUNICIPAL),
    'POST /praxis/neu': access(MUNICIPAL, {
      form: { title: 'Digitaler Bauantrag', summary: 'Bauanträge online', sectors: 'verwaltung', status: 'operation' },
    }),
    'GET /praxis/pruefung': access(ROWS.user),
    'GET /praxis/:id': access(DRAFT, { params: P }),
    'GET /praxis/:id/bearbeiten': access(TEAM_POST, { params: P }),
    'POST /praxis/:id/bearbeiten': access(TEAM_POST, {
      params: P,
      form: { rev: '$practiceRev', title: 'Digitaler Bauantrag', summary: 'Bauanträge online', sectors: 'verwaltung' },
    }),
    'POST /praxis/:id/einreichen': access(TEAM_POST, { params: P }),
    'POST /praxis/:id/pruefung': access(ROWS.custom('login', 'notFound', 'deny', 'deny', 'allow', 'allow'), {
      params: { id: '$submittedPractice' },
      form: { decision: 'publish', comment: '' },
    }),
    'POST /praxis/:id/zurueckziehen': access(ROWS.custom('login', 'deny', 'deny', 'allow', 'allow', 'allow'), {
      params: { id: '$publishedPractice' },
    }),
    'GET /praxis/:id/versionen': access(ROWS.public, { params: { id: '$publishedPractice' } }),
    // A form post without a file answers 400 "Bitte wählen Sie eine Datei" for those who may upload; the upload itself
    // is tested in atlas-workflow.int.test.ts.
    'POST /praxis/:id/anhaenge': access(TEAM_POST, { params: P, allowStatus: 400 }),
    'GET /praxis/:id/anhaenge/:file': access(ROWS.public, {
      params: { id: '$publishedPractice', file: '$publishedAttachment' },
    }),
    'POST /praxis/:id/anhaenge/:file/loeschen': access(TEAM_POST, { params: { id: '$practice', file: '$attachment' } }),
    'POST /praxis/:id/nachnutzen': access(MUNICIPAL, {
      params: { id: '$foreignPractice' },
      form: { message: 'Wir möchten das auch einführen.' },
    }),
    'POST /praxis/:id/nachnutzung/:reuse/bestaetigen': access(
      ROWS.custom('login', 'deny', 'deny', 'allow', 'deny', 'deny'),
      { params: { id: '$foreignPractice', reuse: '$ownReuse' }, form: { since: '$today' } },
    ),
    'POST /praxis/:id/nachnutzung/:reuse/entscheiden': access(
      ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny'),
      { params: { id: '$publishedPractice', reuse: '$incomingReuse' }, form: { decision: 'confirm' } },
    ),
    'GET /api/v1/practices': access(ROWS.public, { query: { q: 'Bürgerbüro', state: '16' } }),
    'GET /api/v1/practices/suggestions': access(ROWS.public, { query: { q: 'Bau' } }),
    'GET /api/v1/practices/:id': access(ROWS.public, { params: { id: '$publishedPractice' } }),
    'GET /api/v1/practices/:id/jsonld': access(ROWS.public, { params: { id: '$publishedPractice' } }),
  },
  apiExamples: {
    getPractices: '/api/v1/practices?q=B%C3%BCrgerb%C3%BCro&limit=3',
    getPracticeSuggestions: '/api/v1/practices/suggestions?q=Glas',
  },
  apiTags: [{ name: 'atlas', description: 'Practice projects of municipalities, German search, reuse' }],
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(atlasPages(d));
  },
  api: (d) => atlasApi(d.db, d.config.publicUrl),
  resultSections: (d) => [atlasResultSection(d.db)],
  strategySections: (d) => [atlasStrategySection(d.db)],
  profileSections: (d) => [atlasProfileSection(d.db)],
  workspaceSections: (d) => [atlasWorkspaceSection(d.db)],
  lagebildFigures: () => [atlasLagebildContribution],
  personalData: {
    export: async (db, subject) => service.exportPersonalData(db, subject.userId),
    erase: async (tx, subject) => ({
      ...(await service.erasePersonalData(tx, subject.userId)),
      practiceContacts: await service.eraseContacts(tx, subject.addresses),
    }),
  },
  subscriptions: (d) => [
    {
      // Every instance keeps the search index in memory; publications anywhere reach it through the outbox.
      name: 'atlas.search-index',
      events: [ATLAS_EVENTS.practicesChanged, ATLAS_EVENTS.reuseChanged],
      mode: 'each-instance',
      handle: async (events) => applyIndexEvents(d.db, events),
    },
  ],
  cli: atlasCommands,
  // The index is built before /health reports ready, so that the first search after a restart is fast.
  warm: (d) => warmPracticeIndex(d.db, { cacheEntries: d.config.searchCacheEntries }),
});
