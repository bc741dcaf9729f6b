/** What the peer mentors declare to the desk module (listed in src/desk/module.ts). */
import { type AccessRow, access, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import type { DeskPart } from '../contract.js';
import { mentorPages } from './mentors.pages.js';
import * as repo from './mentors.repository.js';
import { MENTOR_ACTIONS } from './mentors.service.js';
import { mentorLagebildContribution, mentorStrategySection, mentorWorkspaceSection } from './sections.js';

/** Offering: members of municipal workspaces; everyone else is refused. */
const MUNICIPAL = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/** Another workspace's active offer: every signed-in person sees it; only members of a municipal workspace request. */
const REQUEST = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/** The sample workspace's own offer: its members change it; others may see it but not change it. */
const OWN_OFFER = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/** A mentoring of the sample workspace: its members; strangers are told it does not exist. */
const MENTORING = ROWS.custom('login', 'notFound', 'allow', 'allow', 'notFound', 'notFound');

const OFFER_FORM = { hours: '4', note: 'Gern per Videokonferenz.', status: 'active' };

export const mentorsAccess: Record<string, AccessRow> = {
  'GET /beratung/mentoren': access(ROWS.user),
  'GET /beratung/mentoren/suche': access(ROWS.user, { query: { massnahme: 'digitalbeauftragte-benennen' } }),
  'GET /beratung/mentoren/angebote/neu': access(MUNICIPAL),
  'POST /beratung/mentoren/angebote/neu': access(MUNICIPAL, {
    form: { org: '$org', subject: '$mentorSubject', contact: '$member', ...OFFER_FORM },
  }),
  'GET /beratung/mentoren/angebote/:id': access(ROWS.user, { params: { id: '$foreignMentorOffer' } }),
  'POST /beratung/mentoren/angebote/:id': access(OWN_OFFER, {
    params: { id: '$mentorOffer' },
    form: { version: '$mentorOfferVersion', contact: '$member', ...OFFER_FORM },
  }),
  'POST /beratung/mentoren/angebote/:id/zurueckziehen': access(OWN_OFFER, { params: { id: '$mentorOffer' } }),
  'POST /beratung/mentoren/angebote/:id/anfragen': access(REQUEST, {
    params: { id: '$foreignMentorOffer' },
    form: { org: '$org', message: 'Wir planen das auch und hätten Fragen.' },
  }),
  'GET /beratung/mentoren/anfragen/:id': access(MENTORING, { params: { id: '$mentoring' } }),
  'POST /beratung/mentoren/anfragen/:id/entscheidung': access(MENTORING, {
    params: { id: '$mentoring' },
    form: { version: '$mentoringVersion', decision: 'accept', reply: 'Gern, melden Sie sich.' },
  }),
  'POST /beratung/mentoren/anfragen/:id/abschluss': access(MENTORING, {
    params: { id: '$acceptedMentoring' },
    form: { version: '$mentoringVersion', to: 'completed' },
  }),
};

export const mentorsPersonalData: PersonalDataHooks = {
  export: (db, subject) => repo.personalData(db, subject.userId),
  erase: (tx, subject) => repo.forgetPerson(tx, subject.userId),
};

export const mentors: DeskPart = {
  name: 'mentors',
  tables: ['desk_mentor_offers', 'desk_mentorings'],
  actions: MENTOR_ACTIONS,
  access: mentorsAccess,
  pages: (d, seams) => mentorPages(d, seams),
  strategySections: (d) => [mentorStrategySection(d.db)],
  workspaceSections: (d) => [mentorWorkspaceSection(d.db)],
  lagebildFigures: () => [mentorLagebildContribution],
  personalData: mentorsPersonalData,
};
