/** What the events and trainings declare to the desk module (listed in src/desk/module.ts). */
import { type AccessRow, access, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import type { DeskPart } from '../contract.js';
import { eventsApi, eventsApiExamples } from './events.api.js';
import { eventPages } from './events.pages.js';
import * as repo from './events.repository.js';
import { EVENT_ACTIONS, forgetPerson, sendReminders } from './events.service.js';

/** Creating, editing, attendance, materials: advisors of the centre (as the inquiries' queue). */
const ADVISORS = ROWS.custom('login', 'deny', 'deny', 'deny', 'allow', 'deny');
/** The certificate: whoever attended (the sample member); everyone else signed in is refused. */
const ATTENDEE = ROWS.custom('login', 'deny', 'allow', 'deny', 'deny', 'deny');
/** Cancelling one's registration: whoever is registered (the sample member); others have nothing to cancel. */
const REGISTERED = ROWS.custom('login', 'conflict', 'allow', 'conflict', 'conflict', 'conflict');

const EV = { id: '$event' };

export const eventsAccess: Record<string, AccessRow> = {
  'GET /veranstaltungen': access(ROWS.public, { query: { zeit: 'kommend', format: 'online', land: '16' } }),
  'GET /veranstaltungen/neu': access(ADVISORS),
  'POST /veranstaltungen/neu': access(ADVISORS, {
    form: {
      title: 'Digitalisierung im Rathaus',
      description: 'Einführung',
      format: 'online',
      joinUrl: 'https://meet.example/raum',
      startsAt: '2031-06-03T10:00',
      endsAt: '2031-06-03T12:00',
      registrationDeadline: '2031-06-01T18:00',
      capacity: '20',
    },
  }),
  'GET /veranstaltungen/meine': access(ROWS.user),
  'POST /veranstaltungen/feed': access(ROWS.user),
  'POST /veranstaltungen/feed/widerrufen': access(ROWS.user),
  'GET /veranstaltungen/feed/:token.ics': access(ROWS.public, { params: { token: '$eventFeedToken' } }),
  'GET /veranstaltungen/:id': access(ROWS.public, { params: EV }),
  'GET /veranstaltungen/:id.ics': access(ROWS.public, { params: EV }),
  'GET /veranstaltungen/:id/anmelden': access(ROWS.user, { params: EV }),
  'POST /veranstaltungen/:id/anmelden': access(ROWS.user, { params: EV }),
  'POST /veranstaltungen/:id/abmelden': access(REGISTERED, { params: { id: '$eventWithMember' } }),
  'GET /veranstaltungen/:id/bearbeiten': access(ADVISORS, { params: EV }),
  'POST /veranstaltungen/:id/bearbeiten': access(ADVISORS, {
    params: EV,
    form: {
      version: '1',
      title: 'Digitalisierung im Rathaus (neu)',
      format: 'onsite',
      address: 'Rathaus Erfurt, Saal 2',
      startsAt: '2031-06-03T10:00',
      endsAt: '2031-06-03T12:00',
      registrationDeadline: '2031-06-01T18:00',
      capacity: '25',
    },
  }),
  'POST /veranstaltungen/:id/absagen': access(ADVISORS, { params: EV, form: { version: '1' } }),
  'POST /veranstaltungen/:id/teilnahme': access(ADVISORS, {
    params: { id: '$pastEventWithMember' },
    form: { attended: '$member' },
  }),
  'POST /veranstaltungen/:id/materialien': access(ADVISORS, {
    params: EV,
    form: { kind: 'recording', materialTitle: 'Aufzeichnung', url: 'https://video.example/1' },
  }),
  'POST /veranstaltungen/:id/materialien/:material/loeschen': access(ADVISORS, {
    params: { id: '$event', material: '$eventMaterial' },
  }),
  'GET /veranstaltungen/:id/bescheinigung': access(ATTENDEE, { params: { id: '$attendedEvent' } }),
  'GET /api/v1/events': access(ROWS.public, { query: { when: 'upcoming' } }),
  'GET /api/v1/events/:id': access(ROWS.public, { params: EV }),
};

export const eventsPersonalData: PersonalDataHooks = {
  export: (db, subject) => repo.personalData(db, subject.userId),
  erase: (tx, subject) => forgetPerson(tx, subject.userId, new Date()),
};

/** How often due reminders are looked for. */
export const REMINDERS_EVERY_MS = 10 * 60_000;

export const events: DeskPart = {
  name: 'events',
  tables: ['desk_events', 'desk_event_materials', 'desk_event_registrations', 'desk_event_feed_tokens'],
  actions: EVENT_ACTIONS,
  access: eventsAccess,
  nav: [{ href: '/veranstaltungen', label: 'desk.events.nav', order: 62, audience: 'everyone' }],
  apiExamples: eventsApiExamples,
  apiTags: [{ name: 'events', description: 'Events and trainings of the competence centre' }],
  pages: (d, seams) => eventPages(d, seams),
  api: (d, seams) => eventsApi(d, seams),
  personalData: eventsPersonalData,
  start: (d, seams) => {
    let running: Promise<unknown> | null = null;
    const tick = () => {
      if (running) return;
      running = sendReminders({
        db: d.db,
        now: d.clock,
        notifier: seams.notifier,
        t: d.i18n.translator('de'),
        publicUrl: d.config.publicUrl,
      })
        .catch((err) => console.error('desk event reminders', err))
        .finally(() => {
          running = null;
        });
    };
    const timer = setInterval(tick, REMINDERS_EVERY_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  },
};
