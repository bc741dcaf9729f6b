import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defineModule } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { messages } from './messages.js';
import { solutionsAccess } from './solutions/access.js';
import { SOLUTION_ACTIONS } from './solutions/actions.js';
import { solutionsApi } from './solutions/api.js';
import { solutionsPages } from './solutions/pages.js';
import { solutionsWorkspaceSection } from './solutions/sections.js';
import * as solutions from './solutions/solutions.service.js';

/**
 * The seam of checked conformance for the solution market: nothing is checked until the conformance part of issue 11
 * is merged; then its source goes here (one place for pages and API).
 */
const solutionsConformance: solutions.ConformanceSource = solutions.NO_CONFORMANCE;

export const solutionsTables = ['solutions', 'solution_versions', 'solution_references', 'solution_reviews'] as const;

/**
 * The market (issue 11): the solution market — solutions of provider workspaces with review by the centre's advisors
 * and versions, references confirmed by the using municipality, reviews by verified municipal workspaces, the
 * comparison of up to four solutions (page, CSV, PDF) and the open API.
 */
export const market = defineModule({
  name: 'market',
  messages,
  migrations: path.join(ROOT, 'src/market/migrations'),
  tables: [...solutionsTables],
  actions: SOLUTION_ACTIONS,
  nav: [{ href: solutions.SOLUTIONS_PATH, label: 'market.solutions.nav', order: 47, audience: 'everyone' }],
  access: { ...solutionsAccess },
  apiExamples: { getSolutions: '/api/v1/solutions?limit=3' },
  apiTags: [{ name: 'market', description: 'Solution market: solutions, confirmed references, reviews, comparison' }],
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(solutionsPages(d, solutionsConformance));
  },
  api: (d) => solutionsApi(d.db, d.config.publicUrl, solutionsConformance),
  workspaceSections: (d) => [solutionsWorkspaceSection(d.db)],
  personalData: {
    export: async (db, subject) => solutions.exportPersonalData(db, subject.userId, subject.addresses),
    erase: async (tx, subject) => ({
      ...(await solutions.erasePersonalData(tx, subject.userId)),
      solutionContacts: await solutions.eraseContacts(tx, subject.addresses),
    }),
  },
});
