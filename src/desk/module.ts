import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defineModule, type ModuleDeps, type PersonalDataHooks } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import type { DeskPart, DeskSeams } from './contract.js';
import { events } from './events/declaration.js';
import { groups } from './groups/declaration.js';
import { inquiries } from './inquiries/declaration.js';
import { knowledge } from './knowledge/declaration.js';
import { mentors } from './mentors/declaration.js';
import { messages } from './messages.js';
import { notify } from './notify/declaration.js';
import { createNotifier } from './notify/notify.service.js';

/** The parts of the desk; each declares itself in `<part>/declaration.ts`. */
const PARTS: readonly DeskPart[] = [inquiries, knowledge, mentors, groups, events, notify];

function seamsOf(d: ModuleDeps): DeskSeams {
  return {
    notifier: createNotifier({
      db: d.db,
      mailer: d.mailer,
      publicUrl: d.config.publicUrl,
      now: d.clock,
      t: d.i18n.translator('de'),
    }),
  };
}

const merged = <K extends keyof DeskPart>(key: K) => Object.assign({}, ...PARTS.map((p) => (p[key] ?? {}) as object));

function combinedPersonalData(parts: readonly PersonalDataHooks[]): PersonalDataHooks {
  return {
    export: async (db, subject) => Object.assign({}, ...(await Promise.all(parts.map((p) => p.export(db, subject))))),
    erase: async (tx, subject) => {
      const out: Record<string, number> = {};
      for (const p of parts) Object.assign(out, await p.erase(tx, subject));
      return out;
    },
  };
}

const each = <T>(d: ModuleDeps, f: (p: DeskPart, s: DeskSeams) => T[] | undefined): T[] => {
  const s = seamsOf(d);
  return PARTS.flatMap((p) => f(p, s) ?? []);
};

/**
 * The advisory desk and networking (issue 12): inquiries to the centre with routing and service levels, knowledge
 * from answers (FAQ), satisfaction and the centre's dashboards, peer mentors, events and trainings, cooperation
 * groups, and each person's notification choices. This file only lists the parts and wires the seams.
 */
export const desk = defineModule({
  name: 'desk',
  messages,
  migrations: path.join(ROOT, 'src/desk/migrations'),
  tables: PARTS.flatMap((p) => p.tables ?? []),
  actions: merged('actions'),
  tokenScopes: merged('tokenScopes'),
  nav: PARTS.flatMap((p) => p.nav ?? []),
  access: merged('access'),
  apiExamples: merged('apiExamples'),
  apiTags: PARTS.flatMap((p) => p.apiTags ?? []),
  pages: (d) => async (app: FastifyInstance) => {
    const s = seamsOf(d);
    for (const p of PARTS) if (p.pages) await app.register(p.pages(d, s));
  },
  api: (d) => async (app: FastifyInstance) => {
    const s = seamsOf(d);
    for (const p of PARTS) if (p.api) await app.register(p.api(d, s));
  },
  profileSections: (d) => each(d, (p, s) => p.profileSections?.(d, s)),
  workspaceSections: (d) => each(d, (p, s) => p.workspaceSections?.(d, s)),
  resultSections: (d) => each(d, (p, s) => p.resultSections?.(d, s)),
  strategySections: (d) => each(d, (p, s) => p.strategySections?.(d, s)),
  lagebildFigures: (d) => each(d, (p, s) => p.lagebildFigures?.(d, s)),
  subscriptions: (d) => each(d, (p, s) => p.subscriptions?.(d, s)),
  start: (d) => {
    const s = seamsOf(d);
    const stops = PARTS.flatMap((p) => {
      const stop = p.start?.(d, s);
      return stop ? [stop] : [];
    });
    return stops.length ? async () => void (await Promise.all(stops.map((f) => f()))) : undefined;
  },
  cli: PARTS.flatMap((p) => p.cli ?? []),
  personalData: combinedPersonalData(PARTS.flatMap((p) => (p.personalData ? [p.personalData] : []))),
});
