/** What demand bundling declares to the module contract (listed in src/market/module.ts). */
import { type AccessRow, access, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import * as repo from './demand.repository.js';

/** Members of municipal workspaces (the sample member and admin); everyone else is refused, never shown. */
const MUNICIPAL = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');

export const DEMAND_TABLES = ['procurement_needs', 'procurement_groups'];

export const demandAccess: Record<string, AccessRow> = {
  'GET /beschaffung': access(MUNICIPAL),
  'GET /beschaffung/neu': access(MUNICIPAL),
  'POST /beschaffung/neu': access(MUNICIPAL, {
    form: {
      org: '$org',
      title: 'Ratsinformationssystem mit OParl',
      sector: 'verwaltung',
      standards: 'oparl',
      neededFrom: '2027-01',
      neededUntil: '2027-12',
      volumeEur: '12000',
    },
  }),
  'GET /beschaffung/:id': access(MUNICIPAL, { params: { id: '$foreignNeed' } }),
  'POST /beschaffung/:id/beitreten': access(MUNICIPAL, {
    params: { id: '$foreignNeed' },
    form: { org: '$org', volumeEur: '8000', volumeNote: '20 Arbeitsplätze' },
  }),
  'POST /beschaffung/:id/zurueckziehen': access(MUNICIPAL, { params: { id: '$ownNeed' } }),
  'GET /beschaffung/gruppen/:id': access(MUNICIPAL, { params: { id: '$ownGroup' } }),
  'POST /beschaffung/gruppen/:id/aendern': access(MUNICIPAL, {
    params: { id: '$ownGroup' },
    form: { rev: '$ownGroupRev', status: 'tendering' },
  }),
  'GET /beschaffung/gruppen/:id/export': access(MUNICIPAL, { params: { id: '$ownGroup' } }),
};

export const demandPersonalData: PersonalDataHooks = {
  export: async (db, subject) => ({
    procurement_needs: await repo.needsCreatedBy(db, subject.userId),
    procurement_groups: await repo.groupsCreatedBy(db, subject.userId),
  }),
  erase: async (tx, subject) => {
    const n = await repo.forgetAuthor(tx, subject.userId);
    return { procurementNeeds: n.needs, procurementGroups: n.groups };
  },
};
