/** What the inquiries declare to the desk module (listed in src/desk/module.ts). */
import { type AccessRow, access, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import type { DeskPart } from '../contract.js';
import { inquiriesApi } from './inquiries.api.js';
import { inquiryPages } from './inquiries.pages.js';
import * as repo from './inquiries.repository.js';
import { escalateOverdue, INQUIRY_ACTIONS } from './inquiries.service.js';

/** Asking: members of municipal workspaces; everyone else is refused. */
const MUNICIPAL = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/** An inquiry of the sample workspace: its members and the advisor of its Land; strangers are told it does not exist. */
const READ = ROWS.custom('login', 'notFound', 'allow', 'allow', 'allow', 'notFound');
/** Advisors' work on it: the workspace's members may read it but not do this. */
const ADVISE = ROWS.custom('login', 'notFound', 'deny', 'deny', 'allow', 'notFound');
/** The municipality's side only (marking done). */
const MUNICIPALITY = ROWS.custom('login', 'notFound', 'allow', 'allow', 'notFound', 'notFound');
/** Rating after closing: members; the advisor reads it but may not rate. */
const RATE = ROWS.custom('login', 'notFound', 'allow', 'allow', 'deny', 'notFound');
/** The queue and canned answers: advisors of the centre. */
const ADVISORS = ROWS.custom('login', 'deny', 'deny', 'deny', 'allow', 'deny');
/** API routes that need a token: called with a session only, everyone is asked for a token. */
const TOKEN = ROWS.custom('login', 'login', 'login', 'login', 'login', 'login');

const INQ = { id: '$inquiry' };

export const inquiriesAccess: Record<string, AccessRow> = {
  'GET /beratung': access(ROWS.user),
  'GET /beratung/neu': access(MUNICIPAL, { query: { kontext: 'measure', ref: 'digitalbeauftragte-benennen' } }),
  'POST /beratung/neu': access(MUNICIPAL, {
    form: {
      org: '$org',
      subject: 'Wie schreiben wir ein Ratsinformationssystem aus?',
      body: 'Wir planen die Ausschreibung und suchen Vorlagen.',
      sector: 'verwaltung',
      urgency: 'normal',
    },
  }),
  'GET /beratung/anfragen/:id': access(READ, { params: INQ }),
  'POST /beratung/anfragen/:id/antworten': access(READ, {
    params: INQ,
    form: { version: '$inquiryVersion', body: 'Danke, eine Rückfrage dazu.' },
  }),
  'POST /beratung/anfragen/:id/notiz': access(ADVISE, { params: INQ, form: { noteBody: 'Rückruf vereinbart.' } }),
  'POST /beratung/anfragen/:id/status': access(ADVISE, {
    params: INQ,
    form: { version: '$inquiryVersion', status: 'in_progress' },
  }),
  'POST /beratung/anfragen/:id/erledigt': access(MUNICIPALITY, {
    params: { id: '$answeredInquiry' },
    form: { version: '$inquiryVersion' },
  }),
  'POST /beratung/anfragen/:id/uebernehmen': access(ADVISE, { params: INQ, form: { version: '$inquiryVersion' } }),
  'POST /beratung/anfragen/:id/uebergeben': access(ADVISE, {
    params: INQ,
    form: { version: '$inquiryVersion', to: '$otherAdvisor', note: 'Urlaub' },
  }),
  'POST /beratung/anfragen/:id/bewertung': access(RATE, {
    params: { id: '$closedInquiry' },
    form: { rating: '4', comment: 'Hat geholfen.' },
  }),
  'GET /beratung/anfragen/:id/anhaenge/:file': access(READ, { params: { id: '$inquiry', file: '$inquiryAttachment' } }),
  'GET /beratung/eingang': access(ADVISORS, { query: { status: 'open', mine: '' } }),
  'GET /beratung/textbausteine': access(ADVISORS),
  'POST /beratung/textbausteine': access(ADVISORS, {
    form: { title: 'Ausschreibung', sector: 'verwaltung', body: 'Nutzen Sie die EVB-IT-Vorlagen.' },
  }),
  'POST /beratung/textbausteine/:id/loeschen': access(ADVISORS, { params: { id: '$canned' } }),
  'GET /beratung/teams': access(ROWS.platformAdmin),
  'POST /beratung/teams': access(ROWS.platformAdmin, { form: { name: '$newTeamName' } }),
  'GET /beratung/teams/:id': access(ROWS.platformAdmin, { params: { id: '$deskTeam' } }),
  'POST /beratung/teams/:id': access(ROWS.platformAdmin, {
    params: { id: '$deskTeam' },
    form: { name: '$newTeamName', lead: '' },
  }),
  'POST /beratung/teams/:id/mitglieder': access(ROWS.platformAdmin, {
    params: { id: '$deskTeam' },
    form: { email: 'beratung@zentrum.example' },
  }),
  'POST /beratung/teams/:id/mitglieder/:user/entfernen': access(ROWS.platformAdmin, {
    params: { id: '$deskTeam', user: '$deskTeamAdvisor' },
  }),
  'POST /beratung/teams/:id/mitglieder/:user/verfuegbarkeit': access(ROWS.platformAdmin, {
    params: { id: '$deskTeam', user: '$deskTeamAdvisor' },
    form: { available: '0' },
  }),
  'GET /beratung/regeln': access(ROWS.platformAdmin),
  'POST /beratung/regeln': access(ROWS.platformAdmin, { form: { state: '16', sector: 'bildung', team: '$deskTeam' } }),
  'POST /beratung/regeln/:id/loeschen': access(ROWS.platformAdmin, { params: { id: '$deskRule' } }),
  'GET /api/v1/inquiries': access(TOKEN),
  'GET /api/v1/inquiries/:id': access(TOKEN, { params: INQ }),
  'POST /api/v1/inquiries': access(TOKEN),
  'POST /api/v1/inquiries/:id/messages': access(TOKEN, { params: INQ }),
};

export const inquiriesPersonalData: PersonalDataHooks = {
  export: (db, subject) => repo.personalData(db, subject.userId),
  erase: (tx, subject) => repo.forgetPerson(tx, subject.userId),
};

/** How often overdue inquiries are looked for (escalation to the team lead). */
export const ESCALATION_EVERY_MS = 5 * 60_000;

export const inquiries: DeskPart = {
  name: 'inquiries',
  tables: [
    'desk_teams',
    'desk_team_members',
    'desk_routing_rules',
    'desk_inquiries',
    'desk_queue_counts',
    'desk_inquiry_messages',
    'desk_inquiry_attachments',
    'desk_inquiry_history',
    'desk_canned_answers',
  ],
  actions: INQUIRY_ACTIONS,
  access: inquiriesAccess,
  tokenScopes: { desk: 'desk.inquiries.scope' },
  nav: [{ href: '/beratung', label: 'desk.nav', order: 60, audience: 'signed-in' }],
  apiTags: [{ name: 'desk', description: 'Inquiries to the competence centre' }],
  pages: (d, seams) => inquiryPages(d, seams),
  api: (d, seams) => inquiriesApi(d, seams),
  personalData: inquiriesPersonalData,
  start: (d, seams) => {
    let running: Promise<unknown> | null = null;
    const tick = () => {
      if (running) return;
      running = escalateOverdue({ db: d.db, now: d.clock, notifier: seams.notifier, t: d.i18n.translator('de') })
        .catch((err) => console.error('desk escalation', err))
        .finally(() => {
          running = null;
        });
    };
    const timer = setInterval(tick, ESCALATION_EVERY_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  },
};
