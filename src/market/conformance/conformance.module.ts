/**
 * The conformance registry's declarations for the market module (src/market/module.ts lists them): routes, access
 * rows, actions, tables, API examples, profile section, Lagebild figure, personal data, events and the schedule.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  type AccessRow,
  access,
  type ModuleDeps,
  type NavEntry,
  type PersonalDataHooks,
  ROWS,
} from '../../platform/module.js';
import { CONFORMANCE_ACTIONS } from './actions.js';
import { conformanceApi } from './conformance.api.js';
import { conformancePages } from './conformance.pages.js';
import * as repo from './conformance.repository.js';
import { CONFORMANCE_EVENTS } from './events.js';
import { conformanceLagebildContribution } from './lagebild-view.js';
import { type ConformanceService, type ConformanceWiring, createConformanceService } from './registry.service.js';
import { startSchedule } from './schedule.js';
import { conformanceProfileSection } from './sections.js';
import { conformanceSettings } from './settings.js';
import { defaultConformanceWiring } from './wiring.js';

export { CONFORMANCE_EVENTS };
export const conformanceActions = CONFORMANCE_ACTIONS;
export const conformanceTables = ['conformance_artefacts', 'conformance_checks'] as const;

/** Registering: members of a municipal (or provider) workspace. */
const WORKSPACE = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
const A = { id: '$artefact' };

export const conformanceAccess: Record<string, AccessRow> = {
  'GET /konformitaet': access(ROWS.public, { query: { standard: 'oparl' } }),
  'GET /konformitaet/neu': access(WORKSPACE),
  // A URL form (the file upload is tested in conformance.int.test.ts); a fresh URL per call (one registration each).
  'POST /konformitaet/neu': access(WORKSPACE, {
    form: { subject: 'region', standard: 'oparl', url: '$newUrl' },
  }),
  'GET /konformitaet/:id': access(ROWS.public, { params: A }),
  // The Land's advisors and platform administrators may ask for a re-check too; each call gets a fresh artefact.
  'POST /konformitaet/:id/pruefen': access(ROWS.custom('login', 'deny', 'allow', 'allow', 'allow', 'allow'), {
    params: A,
  }),
  'POST /konformitaet/:id/entfernen': access(ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'allow'), {
    params: A,
  }),
  'GET /api/v1/conformance': access(ROWS.public, { query: { subject: 'region:16056', standard: 'oparl' } }),
  'GET /api/v1/conformance/:id': access(ROWS.public, { params: A }),
};

export const conformanceNav: NavEntry[] = [
  { href: '/konformitaet', label: 'market.conformance.nav', order: 48, audience: 'everyone' },
];

export const conformanceApiExamples = { getConformanceArtefacts: '/api/v1/conformance?standard=oparl&limit=5' };

const services = new WeakMap<ModuleDeps, ConformanceService>();
let wiringOverride: ConformanceWiring | null = null;

/**
 * The one service of a platform (pages, API, profile, schedule share it). `wiring` replaces the default wiring
 * (tests pass fake validators; the lead passes the real ones).
 */
export function conformanceServiceOf(d: ModuleDeps, wiring?: ConformanceWiring): ConformanceService {
  let s = services.get(d);
  if (!s) {
    s = createConformanceService({
      ...(wiring ?? wiringOverride ?? defaultConformanceWiring({ allowPrivate: d.config.check.allowPrivate })),
      db: d.db,
      tasks: d.tasks,
      clock: d.clock,
      settings: conformanceSettings(d.config.check),
    });
    services.set(d, s);
  }
  return s;
}

/** Tests: the wiring every platform built afterwards uses (null: the default again). */
export function setConformanceWiring(w: ConformanceWiring | null): void {
  wiringOverride = w;
}

export const conformancePagesOf = (d: ModuleDeps): FastifyPluginAsync => conformancePages(conformanceServiceOf(d));
export const conformanceApiOf = (d: ModuleDeps): FastifyPluginAsync =>
  conformanceApi(conformanceServiceOf(d), d.config.publicUrl);
export const conformanceProfileSections = (d: ModuleDeps) => [conformanceProfileSection(conformanceServiceOf(d))];
export const conformanceLagebildFigures = () => [conformanceLagebildContribution];

/** Who registered an artefact (the artefact stays with its workspace when the person's account goes). */
export const conformancePersonalData: PersonalDataHooks = {
  export: async (db, subject) => ({ conformance_artefacts: await repo.artefactsRegisteredBy(db, subject.userId) }),
  erase: async (tx, subject) => ({ conformanceRegistrations: await repo.forgetRegistrant(tx, subject.userId) }),
};

/** The scheduled re-check (CONFORMANCE_SCHEDULE_MINUTES; 0 = off). */
export function conformanceStart(d: ModuleDeps): (() => Promise<void>) | undefined {
  const service = conformanceServiceOf(d);
  return startSchedule(service, service.deps.settings.scheduleEveryMs, () => {
    /* retried at the next run */
  });
}
