import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { ORG_ACTIONS } from './actions.js';
import { organisationCommands } from './cli.js';
import { findPages, landing } from './find.pages.js';
import { messages } from './messages.js';
import { organisationPages } from './organisations.pages.js';
import { erasePersonalData, exportPersonalData, sendAccessReminders } from './organisations.service.js';
import { workspaceProfileSection } from './profile.js';

/** The workspace page: its members, the advisor of its Land and platform admins. */
const ORG_VIEW = ROWS.custom('login', 'deny', 'allow', 'allow', 'allow', 'allow');
/** Managing the workspace: its admins and platform admins (the advisor only while it has no admin). */
const ORG_MANAGE = ROWS.custom('login', 'deny', 'deny', 'allow', 'deny', 'allow');
/** Leaving: members; the only admin cannot leave while others remain; non-members find nothing to leave. */
const ORG_LEAVE = ROWS.custom('login', 'notFound', 'allow', 'conflict', 'notFound', 'notFound');
/** Accepting an invitation: only the invited address (the sample invitation is for the 'user' role). */
const INVITED = ROWS.custom('login', 'allow', 'deny', 'deny', 'deny', 'deny');

/** Workspaces of regions, providers and the centre; memberships, access requests, invitations, advisors. */
export const organisations = defineModule({
  name: 'organisations',
  messages,
  migrations: path.join(ROOT, 'src/organisations/migrations'),
  tables: ['organisations', 'memberships', 'advisor_scopes', 'access_requests', 'invitations'],
  actions: ORG_ACTIONS,
  nav: [{ href: '/organisationen', label: 'org.title', order: 85, audience: 'signed-in' }],
  profileSections: (d) => [workspaceProfileSection(d)],
  access: {
    'GET /organisationen': access(ROWS.user),
    'GET /kommune-finden': access(ROWS.user, { query: { q: 'Beispiel' } }),
    'POST /organisationen/handeln': access(ROWS.user, { form: { org: '' } }),
    'GET /organisationen/beitreten': access(ROWS.user, { query: { region: '$region' } }),
    'POST /organisationen/beitreten': access(ROWS.user, { query: { region: '$region' }, form: { note: 'Kämmerei' } }),
    'GET /organisationen/:id': access(ORG_VIEW, { params: { id: '$org' } }),
    'POST /organisationen/:id/antraege/:rid': access(ORG_MANAGE, {
      params: { id: '$org', rid: '$request' },
      form: { decision: 'reject', role: 'member' },
    }),
    'POST /organisationen/:id/einladungen': access(ORG_MANAGE, {
      params: { id: '$org' },
      form: { email: 'neu@kreis.example', role: 'member' },
    }),
    'POST /organisationen/:id/mitglieder/:uid': access(ORG_MANAGE, {
      params: { id: '$org', uid: '$member' },
      form: { action: 'member' },
    }),
    'POST /organisationen/:id/verlassen': access(ORG_LEAVE, { params: { id: '$org' } }),
    'GET /organisationen/:id/protokoll': access(ORG_MANAGE, { params: { id: '$org' } }),
    'GET /organisationen/:id/protokoll.csv': access(ORG_MANAGE, { params: { id: '$org' } }),
    'GET /einladung': access(ROWS.user, { query: { token: '$invitation' } }),
    'POST /einladung': access(INVITED, { form: { token: '$invitation' } }),
    'GET /admin/organisationen': access(ROWS.platformAdmin),
    'POST /admin/organisationen': access(ROWS.platformAdmin, {
      form: { name: 'Beispiel-Anbieter GmbH', adminEmail: '$loginEmail' },
    }),
  },
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(organisationPages(d));
    await app.register(findPages(d));
  },
  landing: (d, userId) => landing(d, userId),
  start: (d) => {
    // Deciders are reminded once of requests open for three working days (ACCESS_REMINDER_CHECK_MINUTES).
    const minutes = d.config.accessReminderCheckMinutes;
    if (minutes === 0) return undefined;
    const run = () =>
      sendAccessReminders({
        db: d.db,
        mailer: d.mailer,
        publicUrl: d.config.publicUrl,
        t: d.i18n.translator('de'),
        now: d.clock,
      })
        .then((n) => (n > 0 ? d.mailer.deliverPending() : undefined))
        .catch(() => {
          /* retried at the next run */
        });
    const timer = setInterval(run, minutes * 60_000);
    timer.unref();
    return async () => clearInterval(timer);
  },
  personalData: { export: exportPersonalData, erase: erasePersonalData },
  cli: organisationCommands,
});
