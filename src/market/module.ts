import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { practiceVocabulary } from '../atlas/model.js';
import { defineModule } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { DEMAND_TABLES, demandAccess, demandPersonalData } from './demand/declaration.js';
import { type DemandSeams, demandPages } from './demand/demand.pages.js';
import { DEMAND_ACTIONS } from './demand/demand.service.js';
import { messages } from './messages.js';

const demandSeams: DemandSeams = {
  knownStandard: (id) => practiceVocabulary().standards.has(id),
  standardName: (id) => id,
  recommendedStandards: async () => [],
  matchingSolutions: async () => [],
  compareHref: () => null,
};

/**
 * The market (issue 11): the standards catalogue with the centre's recommendations, the solution market, conformance
 * checked by machine, and demand bundling.
 */
export const market = defineModule({
  name: 'market',
  messages,
  migrations: path.join(ROOT, 'src/market/migrations'),
  tables: [...DEMAND_TABLES],
  actions: DEMAND_ACTIONS,
  nav: [{ href: '/beschaffung', label: 'market.nav.demand', order: 70, audience: 'signed-in' }],
  access: { ...demandAccess },
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(demandPages(d, demandSeams));
  },
  personalData: demandPersonalData,
});
