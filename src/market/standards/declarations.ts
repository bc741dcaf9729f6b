/**
 * What the standards part declares of the market module (issue 11), in arrays of its own: module.ts lists them
 * beside the declarations of the solution market and the conformance checks.
 */
import type { FastifyPluginAsync } from 'fastify';
import { access, type ModuleDeps, type NavEntry, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import { STANDARDS_ACTIONS } from './actions.js';
import { standardsApi } from './standards.api.js';
import { standardsPages } from './standards.pages.js';
import { erasePersonalData, exportPersonalData } from './standards.service.js';

export const STANDARDS_TABLES = ['standard_recommendations'] as const;

export { STANDARDS_ACTIONS };

/** Publishing a recommendation: advisors of the centre only (the test advisor advises one Land: denied). */
const CENTRE_ADVISORS = ROWS.custom('login', 'deny', 'deny', 'deny', 'deny', 'deny');

/** The rows of the route × role table for the standards routes. */
export const standardsAccess = {
  'GET /standards': access(ROWS.public, { query: { sektor: 'mobilitaet', verbindlichkeit: 'pflicht' } }),
  'GET /standards/:id': access(ROWS.public, { params: { id: 'oparl' } }),
  'GET /standards/empfehlungen/neu': access(CENTRE_ADVISORS, { query: { sektor: 'verwaltung' } }),
  'POST /standards/empfehlungen/neu': access(CENTRE_ADVISORS, {
    form: { sector: 'verwaltung', standards: 'xrechnung', rationale: 'E-Rechnungen sind Pflicht.' },
  }),
  'GET /api/v1/standards': access(ROWS.public, { query: { sector: 'mobilitaet' } }),
  'GET /api/v1/standards/:id': access(ROWS.public, { params: { id: 'gtfs' } }),
};

export const standardsNav: NavEntry[] = [
  { href: '/standards', label: 'market.standards.nav', order: 50, audience: 'everyone' },
];

export const standardsApiExamples = { getStandards: '/api/v1/standards?sector=mobilitaet&obligation=mandatory' };

export const standardsApiTags = [
  { name: 'market', description: 'Standards catalogue and the competence centre’s recommendations' },
];

/** The advisor who published a recommendation: exported; on deletion the recommendation stays without author. */
export const standardsPersonalData: PersonalDataHooks = {
  export: (db, subject) => exportPersonalData(db, subject.userId),
  erase: async (tx, subject) => ({ standardRecommendations: await erasePersonalData(tx, subject.userId) }),
};

export const standardsPagesPlugin = (d: ModuleDeps): FastifyPluginAsync => standardsPages(d);
export const standardsApiPlugin = (d: ModuleDeps): FastifyPluginAsync => standardsApi(d.db, d.config.publicUrl);
