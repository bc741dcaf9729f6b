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
import { conformantSolutionIds, verdictsForSolutions } from './conformance/registry.service.js';
import type { CheckStandard } from './conformance/types.js';
import { DEMAND_TABLES, demandAccess, demandPersonalData } from './demand/declaration.js';
import { type DemandSeams, demandPages } from './demand/demand.pages.js';
import { DEMAND_ACTIONS } from './demand/demand.service.js';
import { messages } from './messages.js';
import { solutionsAccess } from './solutions/access.js';
import { SOLUTION_ACTIONS } from './solutions/actions.js';
import { solutionsApi } from './solutions/api.js';
import { solutionsPages } from './solutions/pages.js';
import { solutionsWorkspaceSection } from './solutions/sections.js';
import * as solutions from './solutions/solutions.service.js';
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

export const solutionsTables = ['solutions', 'solution_versions', 'solution_references', 'solution_reviews'] as const;

/**
 * Checked conformance for the solution market, from the registry's stored checks only (never from a claim). The
 * market speaks the catalogue's ids (`publiccode-yml`), the checks their standard (`publiccode`): the catalogue's
 * `check` field maps one to the other.
 */
function conformanceForSolutions(db: Parameters<typeof verdictsForSolutions>[0]): solutions.ConformanceSource {
  const byCheck = (check: string) => loadStandards().standards.find((s) => s.check === check)?.id ?? check;
  const checkOf = (id: string) => (loadStandards().standards.find((s) => s.id === id)?.check ?? id) as CheckStandard;
  return {
    verdicts: async (ids) => {
      const out: solutions.ConformanceVerdicts = new Map();
      for (const [solutionId, byStandard] of await verdictsForSolutions(db, ids)) {
        out.set(solutionId, new Map([...byStandard].map(([std, badge]) => [byCheck(std), badge.verdict])));
      }
      return out;
    },
    conformantIds: (standard) => conformantSolutionIds(db, standard === null ? null : checkOf(standard)),
  };
}

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
  tables: [...STANDARDS_TABLES, ...solutionsTables, ...conformanceTables, ...DEMAND_TABLES],
  actions: { ...STANDARDS_ACTIONS, ...SOLUTION_ACTIONS, ...conformanceActions, ...DEMAND_ACTIONS },
  nav: [
    ...standardsNav,
    ...conformanceNav,
    { href: '/beschaffung', label: 'market.nav.demand', order: 70, audience: 'signed-in' },
  ],
  access: { ...standardsAccess, ...solutionsAccess, ...conformanceAccess, ...demandAccess },
  apiExamples: { ...standardsApiExamples, getSolutions: '/api/v1/solutions?limit=3', ...conformanceApiExamples },
  apiTags: [...standardsApiTags],
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(standardsPagesPlugin(d));
    await app.register(solutionsPages(d, conformanceForSolutions(d.db)));
    await app.register(conformancePagesOf(d));
    const catalogue = () => loadStandards();
    const seams: DemandSeams = {
      knownStandard: (id) => catalogue().standards.some((s) => s.id === id),
      standardName: (id) => catalogue().standards.find((s) => s.id === id)?.name ?? id,
      recommendedStandards: async (sector) => {
        const rec = (await currentRecommendations(d.db)).find((r) => r.sector === sector);
        return (rec?.standardIds ?? []).map((id) => ({ id, name: seams.standardName(id) }));
      },
      matchingSolutions: async (sector, standards) => {
        const q = {
          sector,
          standard: null,
          operatingModel: null,
          openSource: null,
          conformant: null,
          limit: 100,
          offset: 0,
        };
        const { items } = await solutions.listSolutions(d.db, q);
        // Those claiming most of the required standards first.
        const claimed = (c: readonly string[]) => standards.filter((s) => c.includes(s)).length;
        return items
          .map((i) => ({ i, n: claimed(i.row.published?.standards ?? []) }))
          .sort((a, b) => b.n - a.n)
          .slice(0, 10)
          .map(({ i }) => ({
            id: i.row.id,
            name: i.row.published?.name ?? '',
            href: `${solutions.SOLUTIONS_PATH}/${i.row.id}`,
          }));
      },
      compareHref: (ids) => (ids.length >= 2 ? `${solutions.SOLUTIONS_PATH}/vergleich?ids=${ids.join(',')}` : null),
    };
    await app.register(demandPages(d, seams));
  },
  api: (d) => async (app: FastifyInstance) => {
    await app.register(standardsApiPlugin(d));
    await app.register(conformanceApiOf(d));
    await app.register(solutionsApi(d.db, d.config.publicUrl, conformanceForSolutions(d.db)));
  },
  workspaceSections: (d) => [solutionsWorkspaceSection(d.db)],
  profileSections: (d) => [...conformanceProfileSections(d)],
  lagebildFigures: () => [...conformanceLagebildFigures()],
  start: (d) => conformanceStart(d),
  cli: marketCommands,
  personalData: combinedPersonalData([
    standardsPersonalData,
    {
      export: async (db, subject) => solutions.exportPersonalData(db, subject.userId, subject.addresses),
      erase: async (tx, subject) => ({
        ...(await solutions.erasePersonalData(tx, subject.userId)),
        solutionContacts: await solutions.eraseContacts(tx, subject.addresses),
      }),
    },
    conformancePersonalData,
    demandPersonalData,
  ]),
});
