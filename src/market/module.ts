import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defineModule } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { messages } from './messages.js';
import {
  STANDARDS_ACTIONS,
  STANDARDS_TABLES,
  standardsAccess,
  standardsApiExamples,
  standardsApiPlugin,
  standardsApiTags,
  standardsNav,
  standardsPagesPlugin,
  standardsPersonalData,
} from './standards/declarations.js';

/**
 * The market (issue 11): the standards catalogue with the competence centre's recommendations (standards/), the
 * solution market and the machine-checked conformance. Each part declares its routes, access rows, actions and
 * personal data in arrays of its own; this file only lists them.
 */
export const market = defineModule({
  name: 'market',
  messages,
  migrations: path.join(ROOT, 'src/market/migrations'),
  tables: [...STANDARDS_TABLES],
  actions: { ...STANDARDS_ACTIONS },
  nav: [...standardsNav],
  access: { ...standardsAccess },
  apiExamples: { ...standardsApiExamples },
  apiTags: [...standardsApiTags],
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(standardsPagesPlugin(d));
  },
  api: (d) => async (app: FastifyInstance) => {
    await app.register(standardsApiPlugin(d));
  },
  personalData: standardsPersonalData,
});
