import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defineModule } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import {
  conformanceAccess,
  conformanceActions,
  conformanceApiExamples,
  conformanceApiOf,
  conformanceLagebildFigures,
  conformanceNav,
  conformancePagesOf,
  conformancePersonalData,
  conformanceProfileSections,
  conformanceStart,
  conformanceTables,
} from './conformance/conformance.module.js';
import { messages } from './messages.js';

/**
 * The market (issue 11): standards catalogue, solution market and machine-checked conformance. Each part keeps its
 * declarations in its own file; this list only names them.
 */
export const market = defineModule({
  name: 'market',
  messages,
  migrations: path.join(ROOT, 'src/market/migrations'),
  tables: [...conformanceTables],
  actions: { ...conformanceActions },
  nav: [...conformanceNav],
  access: { ...conformanceAccess },
  apiExamples: { ...conformanceApiExamples },
  apiTags: [{ name: 'market', description: 'Standards, solutions and their machine-checked conformance' }],
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(conformancePagesOf(d));
  },
  api: (d) => async (app: FastifyInstance) => {
    await app.register(conformanceApiOf(d));
  },
  profileSections: (d) => [...conformanceProfileSections(d)],
  lagebildFigures: () => [...conformanceLagebildFigures()],
  personalData: conformancePersonalData,
  start: (d) => {
    const stops = [conformanceStart(d)].filter((s): s is () => Promise<void> => s !== undefined);
    return stops.length ? async () => void (await Promise.all(stops.map((s) => s()))) : undefined;
  },
});
