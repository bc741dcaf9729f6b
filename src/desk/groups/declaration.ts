/** What the cooperation groups declare to the desk module (listed in src/desk/module.ts). */
import { type AccessRow, access, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import type { DeskPart } from '../contract.js';
import { groupPages } from './groups.pages.js';
import * as repo from './groups.repository.js';
import { GROUP_ACTIONS } from './groups.service.js';

/** Founding and asking to join: members of municipal workspaces (for their own workspace). */
const MUNICIPAL = ROWS.custom('login', 'deny', 'allow', 'allow', 'deny', 'deny');
/**
 * The sample group (`$group`) is led by the sample workspace and unlisted: its members may take part and act as
 * its lead; everyone else is told it does not exist (also the centre's advisors and platform admins).
 */
const MEMBERS = ROWS.custom('login', 'notFound', 'allow', 'allow', 'notFound', 'notFound');
/** The group's page is public by route (listed groups show their public part); the unlisted sample is not found. */
const PAGE = ROWS.custom('notFound', 'notFound', 'allow', 'allow', 'notFound', 'notFound');

const G = { id: '$group' };
/** Only the author edits a post (the sample's is the member's; the workspace's admin is another member: 403). */
const AUTHOR = ROWS.custom('login', 'notFound', 'allow', 'deny', 'notFound', 'notFound');
/** A thread of the sample group and its first post (written by the sample member). */
const POST = { id: '$group', thread: '$groupThread', post: '$groupPost' };

export const groupsAccess: Record<string, AccessRow> = {
  'GET /kooperation': access(ROWS.public),
  'GET /kooperation/neu': access(MUNICIPAL),
  'POST /kooperation/neu': access(MUNICIPAL, {
    form: {
      org: '$org',
      title: 'Gemeinsames Bürgerportal im Landkreis',
      description: 'Wir führen ein Portal gemeinsam ein.',
      region: '',
    },
  }),
  'GET /kooperation/:id': access(PAGE, { params: G }),
  'GET /kooperation/:id/einstellungen': access(MEMBERS, { params: G }),
  'POST /kooperation/:id/einstellungen': access(MEMBERS, {
    params: G,
    form: { version: '1', title: 'Bürgerportal Wartburgkreis', description: 'Gemeinsam.', region: '', listed: '1' },
  }),
  'POST /kooperation/:id/einladen': access(MEMBERS, { params: G, form: { invitee: '$inviteeKey' } }),
  /** An invitation of the sample workspace to another municipality's group. */
  'POST /kooperation/:id/einladung': access(MEMBERS, { params: { id: '$invitingGroup' }, form: { accept: '1' } }),
  /** A listed group of another municipality that the sample workspace asks to join. */
  'POST /kooperation/:id/beitreten': access(MUNICIPAL, { params: { id: '$listedGroup' }, form: { org: '$org' } }),
  'POST /kooperation/:id/antraege/:org': access(MEMBERS, {
    params: { id: '$group', org: '$groupRequester' },
    form: { accept: '1' },
  }),
  /** Leaving another municipality's group that the sample workspace is a member of (a lead cannot leave). */
  'POST /kooperation/:id/austreten': access(MEMBERS, { params: { id: '$partnerGroup' } }),
  'POST /kooperation/:id/mitglieder/:org/entfernen': access(MEMBERS, {
    params: { id: '$group', org: '$groupPartner' },
  }),
  'POST /kooperation/:id/leitung': access(MEMBERS, { params: G, form: { org: '$groupPartner' } }),
  'POST /kooperation/:id/themen': access(MEMBERS, {
    params: G,
    form: { threadTitle: 'Anbieterauswahl', threadBody: 'Welche Anbieter kennen Sie?' },
  }),
  'GET /kooperation/:id/themen/:thread': access(MEMBERS, { params: { id: '$group', thread: '$groupThread' } }),
  'POST /kooperation/:id/themen/:thread/beitraege': access(MEMBERS, {
    params: { id: '$group', thread: '$groupThread' },
    form: { body: 'Wir haben gute Erfahrungen mit zwei Anbietern.' },
  }),
  'GET /kooperation/:id/themen/:thread/beitraege/:post/bearbeiten': access(AUTHOR, { params: POST }),
  'POST /kooperation/:id/themen/:thread/beitraege/:post/bearbeiten': access(AUTHOR, {
    params: POST,
    form: { version: '1', body: 'Korrigiert: drei Anbieter.' },
  }),
  /** The table posts forms without a file: members get the form back with "choose a file" (400). */
  'POST /kooperation/:id/dokumente': access(MEMBERS, { params: G, allowStatus: 400 }),
  'GET /kooperation/:id/dokumente/:doc': access(MEMBERS, { params: { id: '$group', doc: '$groupDocument' } }),
  'POST /kooperation/:id/dokumente/:doc/loeschen': access(MEMBERS, { params: { id: '$group', doc: '$groupDocument' } }),
  'POST /kooperation/:id/beschluesse': access(MEMBERS, {
    params: G,
    form: { decisionTitle: 'Gemeinsame Ausschreibung', decidedOn: '2027-03-10', decisionBody: 'Einstimmig.' },
  }),
  'GET /kooperation/:id/beschluesse/:decision': access(MEMBERS, {
    params: { id: '$group', decision: '$groupDecision' },
  }),
  'POST /kooperation/:id/beschluesse/:decision': access(MEMBERS, {
    params: { id: '$group', decision: '$groupDecision' },
    form: { version: '1', decisionTitle: 'Gemeinsame Ausschreibung', decidedOn: '2027-03-11', decisionBody: '' },
  }),
  'GET /kooperation/:id/vorlagen/:kind': access(MEMBERS, { params: { id: '$group', kind: 'vereinbarung' } }),
};

export const groupsPersonalData: PersonalDataHooks = {
  export: (db, subject) => repo.personalData(db, subject.userId),
  erase: (tx, subject) => repo.forgetPerson(tx, subject.userId),
};

export const groups: DeskPart = {
  name: 'groups',
  tables: [
    'desk_groups',
    'desk_group_members',
    'desk_group_threads',
    'desk_group_posts',
    'desk_group_documents',
    'desk_group_decisions',
  ],
  actions: GROUP_ACTIONS,
  access: groupsAccess,
  nav: [{ href: '/kooperation', label: 'desk.groups.nav', order: 62, audience: 'everyone' }],
  pages: (d, seams) => groupPages(d, seams),
  personalData: groupsPersonalData,
};
