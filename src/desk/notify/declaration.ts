/** What notifications declare to the desk module (listed in src/desk/module.ts). */
import { type AccessRow, access, type PersonalDataHooks, ROWS } from '../../platform/module.js';
import type { DeskPart } from '../contract.js';
import { notifyApi } from './notify.api.js';
import { notifyPages } from './notify.pages.js';
import * as repo from './notify.repository.js';
import { NOTIFY_ACTIONS, sendDueDigests } from './notify.service.js';

/** The settings form as the access-table test sends it (every kind kept at "immediate"). */
const SETTINGS = { inquiry: 'immediate', events: 'immediate', groups: 'immediate', mentoring: 'immediate' };

export const notifyAccess: Record<string, AccessRow> = {
  'GET /beratung/benachrichtigungen': access(ROWS.user),
  'POST /beratung/benachrichtigungen': access(ROWS.user, { form: { ...SETTINGS, version: '$notifyVersion' } }),
  'POST /beratung/benachrichtigungen/links': access(ROWS.user),
  // The link of a mail works for whoever holds it, signed in or not (the token is the proof).
  'GET /abmelden/:token': access(ROWS.public, { params: { token: '$unsubscribeToken' } }),
  'POST /abmelden/:token': access(ROWS.public, { params: { token: '$unsubscribeToken' } }),
  'POST /api/v1/unsubscribe/:token': access(ROWS.public, { params: { token: '$unsubscribeToken' } }),
};

export const notifyPersonalData: PersonalDataHooks = {
  export: (db, subject) => repo.personalData(db, subject.userId),
  erase: (tx, subject) => repo.forgetPerson(tx, subject.userId),
};

/** How often due digests are looked for (the daily one goes from 07:00 Berlin time, the weekly one on Mondays). */
export const DIGEST_EVERY_MS = 5 * 60_000;

export const notify: DeskPart = {
  name: 'notify',
  tables: ['desk_notify_preferences', 'desk_notify_people', 'desk_notify_queue', 'desk_notify_secret'],
  actions: NOTIFY_ACTIONS,
  access: notifyAccess,
  pages: (d) => notifyPages(d),
  api: (d) => notifyApi(d),
  personalData: notifyPersonalData,
  start: (d) => {
    let running: Promise<unknown> | null = null;
    const tick = () => {
      if (running) return;
      running = sendDueDigests({
        db: d.db,
        mailer: d.mailer,
        publicUrl: d.config.publicUrl,
        now: d.clock,
        t: d.i18n.translator('de'),
        onError: (err) => console.error('desk digest', err),
      })
        .catch((err) => console.error('desk digests', err))
        .finally(() => {
          running = null;
        });
    };
    const timer = setInterval(tick, DIGEST_EVERY_MS);
    timer.unref();
    tick();
    return async () => {
      clearInterval(timer);
      await running;
    };
  },
};
