import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defineModule } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { marketCommands } from './cli.js';
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
import { DEMAND_TABLES, demandAccess, demandPersonalData } from './demand/declaration.js';
import { type DemandSeams, demandPages } from './demand/demand.pages.js';
import { DEMAND_ACTIONS } from './demand/demand.service.js';
import { messages } from './messages.js';
import { loadStandards } from './standards/catalogue.js';
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
import { currentRecommendations } from './standards/standards.service.js';

/** Several parts' personal data in one hook: each part's rows and counts side by side. */
function combinedPersonalData(parts: readonly NonNullable<Parameters<typeof defineModule>[0]['personalData']>[]) {
  return {
    export: async (
      db: Parameters<(typeof parts)[number]['export']>[0],
      subject: Parameters<(typeof parts)[number]['export']>[1],
    ) => Object.assign({}, ...(await Promise.all(parts.map((p) => p.export(db, subject))))),
    erase: async (
      tx: Parameters<(typeof parts)[number]['erase']>[0],
      subject: Parameters<(typeof parts)[number]['erase']>[1],
    ) => {
      const out: Record<string, number> = {};
      for (const p of parts) Object.assign(out, await p.erase(tx, subject));
      return out;
    },
  };
}

/**
 * The market (issue 11): the standards catalogue with the competence centre's recommendations (standards/), the
 * solution market, the machine-checked conformance and demand bundling (demand/). Each part declares its routes,
 * access rows, actions and personal data in arrays of its own; this file only lists them and wires the seams
 * between the parts.
 */
export const market = defineModule({
  name: 'market',
  messages,
  migrations: path.join(ROOT, 'src/market/migrations'),
  tables: [...STANDARDS_TABLES, ...conformanceTables, ...DEMAND_TABLES],
  actions: { ...STANDARDS_ACTIONS, ...conformanceActions, ...DEMAND_ACTIONS },
  nav: [
    ...standardsNav,
    ...conformanceNav,
    { href: '/beschaffung', label: 'market.nav.demand', order: 70, audience: 'signed-in' },
  ],
  access: { ...standardsAccess, ...conformanceAccess, ...demandAccess },
  apiExamples: { ...standardsApiExamples, ...conformanceApiExamples },
  apiTags: [...standardsApiTags],
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(standardsPagesPlugin(d));
    await app.register(conformancePagesOf(d));
    const catalogue = () => loadStandards();
    const seams: DemandSeams = {
      knownStandard: (id) => catalogue().standards.some((s) => s.id === id),
      standardName: (id) => catalogue().standards.find((s) => s.id === id)?.name ?? id,
      recommendedStandards: async (sector) => {
        const rec = (await currentRecommendations(d.db)).find((r) => r.sector === sector);
        return (rec?.standardIds ?? []).map((id) => ({ id, name: seams.standardName(id) }));
      },
      matchingSolutions: async () => [],
      compareHref: () => null,
    };
    await app.register(demandPages(d, seams));
  },
  api: (d) => async (app: FastifyInstance) => {
    await app.register(standardsApiPlugin(d));
    await app.register(conformanceApiOf(d));
  },
  profileSections: (d) => [...conformanceProfileSections(d)],
  lagebildFigures: () => [...conformanceLagebildFigures()],
  start: (d) => conformanceStart(d),
  cli: marketCommands,
  personalData: combinedPersonalData([standardsPersonalData, conformancePersonalData, demandPersonalData]),
});
