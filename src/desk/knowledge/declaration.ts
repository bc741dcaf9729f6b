/** What the knowledge part declares to the desk module (listed in src/desk/module.ts). */
import { type AccessRow, access, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import type { DeskPart } from '../contract.js';
import { knowledgeApi } from './knowledge.api.js';
import { knowledgePages } from './knowledge.pages.js';
import * as repo from './knowledge.repository.js';
import { KNOWLEDGE_ACTIONS } from './knowledge.service.js';
import { faqStrategySection } from './sections.js';

/** An inquiry's FAQ page: its workspace's members and its advisor; strangers are told it does not exist. */
const READ = ROWS.custom('login', 'notFound', 'allow', 'allow', 'allow', 'notFound');
/** Drafting, editing, publishing: the inquiry's advisors; the workspace's members may look but not do this. */
const ADVISE = ROWS.custom('login', 'notFound', 'deny', 'deny', 'allow', 'notFound');
/** Consent: the workspace's members; the advisor sees the entry but may not consent for the municipality. */
const CONSENT = ROWS.custom('login', 'notFound', 'allow', 'allow', 'deny', 'notFound');
/** The centre's figures: advisors of the centre and platform admins. */
const FIGURES = ROWS.custom('login', 'deny', 'deny', 'deny', 'allow', 'allow');

const ENTRY = { version: '$faqVersion' };
const TEXT = {
  question: 'Wie schreiben wir ein Ratsinformationssystem aus?',
  answer: 'Nutzen Sie die EVB-IT-Vorlagen und fragen Sie Nachbarkommunen.',
  sector: 'verwaltung',
};

export const knowledgeAccess: Record<string, AccessRow> = {
  'GET /beratung/anfragen/:id/faq': access(READ, { params: { id: '$answeredInquiry' } }),
  'POST /beratung/anfragen/:id/faq': access(ADVISE, { params: { id: '$answeredInquiry' }, form: TEXT }),
  'GET /beratung/faq/:id/bearbeiten': access(ADVISE, { params: { id: '$faqEntry' } }),
  'POST /beratung/faq/:id/bearbeiten': access(ADVISE, { params: { id: '$faqEntry' }, form: { ...ENTRY, ...TEXT } }),
  'POST /beratung/faq/:id/zustimmung': access(CONSENT, {
    params: { id: '$faqEntry' },
    form: { ...ENTRY, decision: 'ja' },
  }),
  'POST /beratung/faq/:id/veroeffentlichen': access(ADVISE, { params: { id: '$consentedFaq' }, form: ENTRY }),
  'POST /beratung/faq/:id/zurueckziehen': access(ADVISE, { params: { id: '$publishedFaq' }, form: ENTRY }),
  'GET /beratung/faq': access(ROWS.public, { query: { q: 'Ratsinformationssystem', sektor: 'verwaltung' } }),
  'GET /beratung/faq/:id': access(ROWS.public, { params: { id: '$publishedFaq' } }),
  'GET /beratung/zahlen': access(FIGURES, { query: { land: '16', zeitraum: '12' } }),
  'GET /api/v1/faq': access(ROWS.public, { query: { q: 'Ratsinformationssystem' } }),
  'GET /api/v1/faq/:id': access(ROWS.public, { params: { id: '$publishedFaq' } }),
};

export const knowledgePersonalData: PersonalDataHooks = {
  export: (db, subject) => repo.personalData(db, subject.userId),
  erase: (tx, subject) => repo.forgetPerson(tx, subject.userId),
};

export const knowledge: DeskPart = {
  name: 'knowledge',
  tables: ['desk_faq_entries'],
  actions: KNOWLEDGE_ACTIONS,
  access: knowledgeAccess,
  nav: [{ href: '/beratung/faq', label: 'desk.knowledge.faqNav', order: 61, audience: 'everyone', place: 'footer' }],
  apiExamples: { getFaq: '/api/v1/faq?q=digitalisieren&limit=3' },
  apiTags: [{ name: 'faq', description: 'Published FAQ entries of the advisory desk' }],
  pages: (d, seams) => knowledgePages(d, seams),
  api: (d) => knowledgeApi(d),
  personalData: knowledgePersonalData,
  strategySections: (d) => [faqStrategySection(d.db)],
};
