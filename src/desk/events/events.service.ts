/**
 * Events and trainings (issue 12): the centre's advisors create, edit and cancel events; people with an account
 * register, land on the waiting list when the event is full and move up automatically when someone cancels (in
 * one transaction with the event row locked); reminders a day before; iCalendar per event and a per-person feed;
 * attendance and the certificate of attendance; materials and recordings afterwards.
 */
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import { hashToken, newToken } from '../../platform/crypto.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, fieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { formatDateTime, type Lang, type Translate, text } from '../../platform/i18n/i18n.js';
import { authorize, can, defineActions, type Resource, type Rule } from '../../platform/policy.js';
import type { Notifier } from '../contract.js';
import * as repo from './events.repository.js';
import {
  type EventFilter,
  type EventForm,
  type IcsEvent,
  icsCalendar,
  isHttpUrl,
  LIMITS,
  parseEventForm,
  placeFor,
  promotions,
  type QueueEntry,
  waitingPosition,
} from './model.js';

export type { EventRow, MaterialRow, RegistrationRow } from './events.repository.js';

interface EventResource extends Resource {
  /** The principal is in some desk team (an advisor of the centre). */
  inSomeTeam?: boolean;
  /** The principal's attendance of the event, as an advisor marked it. */
  attended?: boolean;
}

const deskAdvisor: Rule = (p, r) => p.advisorScopes.length > 0 || (r as EventResource).inSomeTeam === true;
const attendee: Rule = (_p, r) => (r as EventResource).attended === true;

export const EVENT_ACTIONS = defineActions({
  /** Create, edit, cancel, mark attendance, add materials: advisors of the centre (as the inquiries' queue). */
  'event.manage': { rule: deskAdvisor, denied: text('desk.events.err.advisorsOnly') },
  /** The certificate of attendance: whoever attended. */
  'event.certificate': { rule: attendee, denied: text('desk.events.err.notAttended') },
});
const A = { manage: EVENT_ACTIONS['event.manage'], certificate: EVENT_ACTIONS['event.certificate'] };

export interface EventDeps {
  db: Db;
  now: () => Date;
  notifier: Notifier;
  /** German texts of the notifications. */
  t: Translate;
  /** The configured public URL (iCalendar URLs; never from a request). */
  publicUrl: string;
}

export const EVENTS_PATH = '/veranstaltungen';
export const eventPath = (id: number) => `${EVENTS_PATH}/${id}`;
/** How long before the start the reminder goes out. */
export const REMINDER_BEFORE_MS = 24 * 3600_000;

const notFound = () => new NotFoundError(text('desk.events.err.notFound'));

/** Whether the person is an advisor of the centre (may manage events). */
export async function isAdvisor(db: Db, actor: Actor | null): Promise<boolean> {
  if (!actor) return false;
  const [p, inSomeTeam] = await Promise.all([loadPrincipal(db, actor), repo.inDeskTeam(db, actor.id)]);
  return can(p, A.manage, { inSomeTeam } as EventResource);
}

/** 403 unless the person is an advisor of the centre. */
export async function requireAdvisor(db: Db, actor: Actor): Promise<void> {
  const [p, inSomeTeam] = await Promise.all([loadPrincipal(db, actor), repo.inDeskTeam(db, actor.id)]);
  authorize(p, A.manage, { inSomeTeam } as EventResource);
}

async function eventOr404(db: Db, id: number, forUpdate = false): Promise<repo.EventRow> {
  const row = Number.isSafeInteger(id) && id > 0 ? await repo.eventById(db, id, forUpdate) : null;
  if (!row) throw notFound();
  return row;
}

const versionConflict = () => new ConflictError(text('desk.events.err.stale'));

const notifyAll = async (
  d: EventDeps,
  userIds: readonly number[],
  n: (userId: number) => Parameters<Notifier['notify']>[0],
) => {
  for (const userId of userIds) await d.notifier.notify(n(userId));
};

/**
 * Move up from the waiting list as far as places are free (inside the caller's transaction, event row locked).
 * `noticeDue`: the people are told later by `sendReminders` (the caller has no notifier).
 */
async function fillPlaces(tx: Db, ev: repo.EventRow, now: Date, noticeDue = false): Promise<number[]> {
  const regs = await repo.registrationsOf(tx, ev.id);
  const ids = promotions(ev.capacity, regs as QueueEntry[], ev.status === 'cancelled');
  return repo.promote(tx, ids, now, noticeDue);
}

const promotedNote = (d: EventDeps, ev: repo.EventRow) => (userId: number) => ({
  userId,
  kind: 'events' as const,
  essential: true,
  subject: d.t('desk.events.mail.promotedSubject', { title: ev.title, at: formatDateTime('de', ev.startsAt) }),
  text: d.t('desk.events.mail.promotedText', { title: ev.title, at: formatDateTime('de', ev.startsAt) }),
  link: eventPath(ev.id),
});

// ---------------------------------------------------------------------------------------------
// Advisors: create, edit, cancel

export async function createEvent(d: EventDeps, actor: Actor, form: EventForm): Promise<number> {
  await requireAdvisor(d.db, actor);
  const { input, errors } = parseEventForm(form);
  if (!input) throw new ValidationError(errors);
  return d.db.transaction(async (tx) => {
    const id = await repo.insertEvent(tx, input, actor.id, d.now());
    await recordAudit(tx, {
      action: 'event.create',
      entity: 'desk_event',
      entityId: id,
      actorUserId: actor.id,
      after: { title: input.title, capacity: input.capacity, startsAt: input.startsAt.toISOString() },
    });
    return id;
  });
}

/** Edit with the version the form was shown with (409 when someone changed it since). More places move people up. */
export async function updateEvent(
  d: EventDeps,
  actor: Actor,
  id: number,
  version: number,
  form: EventForm,
): Promise<void> {
  await requireAdvisor(d.db, actor);
  const { input, errors } = parseEventForm(form);
  if (!input) throw new ValidationError(errors);
  const { ev, promoted } = await d.db.transaction(async (tx) => {
    const before = await eventOr404(tx, id, true);
    if (before.status === 'cancelled') throw new ConflictError(text('desk.events.err.cancelled'));
    if (!(await repo.updateEvent(tx, id, version, input, actor.id, d.now()))) throw versionConflict();
    const ev = await eventOr404(tx, id);
    const promoted = await fillPlaces(tx, ev, d.now());
    await recordAudit(tx, {
      action: 'event.update',
      entity: 'desk_event',
      entityId: id,
      actorUserId: actor.id,
      before: { capacity: before.capacity, startsAt: before.startsAt.toISOString() },
      after: { capacity: input.capacity, startsAt: input.startsAt.toISOString(), promoted: promoted.length },
    });
    return { ev, promoted };
  });
  await notifyAll(d, promoted, promotedNote(d, ev));
}

/** Cancel the event: everyone registered or waiting is told; the calendars show it as cancelled. */
export async function cancelEvent(d: EventDeps, actor: Actor, id: number, version: number): Promise<void> {
  await requireAdvisor(d.db, actor);
  const { ev, people } = await d.db.transaction(async (tx) => {
    const ev = await eventOr404(tx, id, true);
    if (ev.status === 'cancelled') throw new ConflictError(text('desk.events.err.cancelled'));
    if (!(await repo.cancelEvent(tx, id, version, actor.id, d.now()))) throw versionConflict();
    await recordAudit(tx, { action: 'event.cancel', entity: 'desk_event', entityId: id, actorUserId: actor.id });
    const regs = await repo.registrationsOf(tx, id);
    return { ev, people: regs.filter((r) => r.status !== 'cancelled').map((r) => r.userId) };
  });
  await notifyAll(d, people, (userId) => ({
    userId,
    kind: 'events',
    essential: true,
    subject: d.t('desk.events.mail.cancelledSubject', { title: ev.title, at: formatDateTime('de', ev.startsAt) }),
    text: d.t('desk.events.mail.cancelledText', { title: ev.title, at: formatDateTime('de', ev.startsAt) }),
    link: eventPath(id),
  }));
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ListView {
  rows: repo.EventRow[];
  filter: EventFilter;
  isAdvisor: boolean;
}

export async function listView(db: Db, actor: Actor | null, filter: EventFilter, now: Date): Promise<ListView> {
  const [rows, advisor] = await Promise.all([repo.listEvents(db, filter, now), isAdvisor(db, actor)]);
  return { rows, filter, isAdvisor: advisor };
}

export async function publicList(db: Db, filter: EventFilter, now: Date): Promise<repo.EventRow[]> {
  return repo.listEvents(db, filter, now);
}

export async function publicEvent(db: Db, id: number): Promise<repo.EventRow> {
  return eventOr404(db, id);
}

export interface EventView {
  ev: repo.EventRow;
  materials: repo.MaterialRow[];
  /** The person's registration (null: not signed in or never registered). */
  mine: repo.RegistrationRow | null;
  /** 1-based position on the waiting list. */
  position: number | null;
  /** Whether registering is open now (scheduled, before the deadline). */
  open: boolean;
  started: boolean;
  isAdvisor: boolean;
  /** For advisors: everyone who registered, waits or cancelled. */
  registrations: repo.RegistrationRow[];
}

export async function eventView(d: Pick<EventDeps, 'db' | 'now'>, actor: Actor | null, id: number): Promise<EventView> {
  const ev = await eventOr404(d.db, id);
  const [materials, advisor, regs] = await Promise.all([
    repo.materialsOf(d.db, id),
    isAdvisor(d.db, actor),
    repo.registrationsOf(d.db, id),
  ]);
  const mine = actor ? (regs.find((r) => r.userId === actor.id) ?? null) : null;
  const now = d.now();
  return {
    ev,
    materials,
    mine,
    position: mine ? waitingPosition(mine.id, regs) : null,
    open: ev.status === 'scheduled' && now <= ev.registrationDeadline,
    started: now >= ev.startsAt,
    isAdvisor: advisor,
    registrations: advisor ? regs : [],
  };
}

// ---------------------------------------------------------------------------------------------
// Registration and cancellation

/** Register: a place while one is free, else the waiting list. After the deadline or when cancelled: 409. */
export async function register(d: EventDeps, actor: Actor, id: number): Promise<'registered' | 'waiting'> {
  const { ev, status } = await d.db.transaction(async (tx) => {
    const ev = await eventOr404(tx, id, true);
    const now = d.now();
    if (ev.status === 'cancelled') throw new ConflictError(text('desk.events.err.cancelled'));
    if (now > ev.registrationDeadline) throw new ConflictError(text('desk.events.err.deadline'));
    const mine = await repo.registrationOf(tx, id, actor.id);
    if (mine && mine.status !== 'cancelled') throw new ConflictError(text('desk.events.err.already'));
    const status = placeFor(ev.capacity, ev.registered, ev.waiting);
    await repo.upsertRegistration(tx, id, actor.id, status, now);
    return { ev, status };
  });
  await d.notifier.notify({
    userId: actor.id,
    kind: 'events',
    essential: true,
    subject: d.t(status === 'registered' ? 'desk.events.mail.registeredSubject' : 'desk.events.mail.waitingSubject', {
      title: ev.title,
      at: formatDateTime('de', ev.startsAt),
    }),
    text: d.t(status === 'registered' ? 'desk.events.mail.registeredText' : 'desk.events.mail.waitingText', {
      title: ev.title,
      at: formatDateTime('de', ev.startsAt),
    }),
    link: eventPath(id),
  });
  return status;
}

/**
 * Cancel one's registration (or leave the waiting list). In the same transaction, with the event row locked, the
 * first on the waiting list moves up; concurrent cancellations wait for the lock and each sees the other's result.
 */
export async function cancelRegistration(d: EventDeps, actor: Actor, id: number): Promise<number[]> {
  const { ev, promoted } = await d.db.transaction(async (tx) => {
    const ev = await eventOr404(tx, id, true);
    if (!(await repo.cancelRegistration(tx, id, actor.id, d.now())))
      throw new ConflictError(text('desk.events.err.notRegistered'));
    const promoted = await fillPlaces(tx, ev, d.now());
    return { ev, promoted };
  });
  await notifyAll(d, promoted, promotedNote(d, ev));
  return promoted;
}

/**
 * Erasure of a person (inside the erasure's transaction): their data goes (repo.forgetPerson), and their places in
 * upcoming events move up from the waiting lists at once. The people who moved up are told by the next
 * `sendReminders` tick (the erasure has no notifier; a rolled-back erasure tells nobody).
 */
export async function forgetPerson(tx: Db, userId: number, now: Date): Promise<Record<string, number>> {
  const freed = await repo.upcomingPlacesOf(tx, userId, now);
  const counts = await repo.forgetPerson(tx, userId);
  let moved = 0;
  for (const id of freed) moved += (await fillPlaces(tx, await eventOr404(tx, id, true), now, true)).length;
  return { ...counts, eventPromotions: moved };
}

// ---------------------------------------------------------------------------------------------
// Attendance, certificate, materials

/** Mark who attended (the registered participants; the others are marked absent), once the event has begun. */
export async function markAttendance(
  d: EventDeps,
  actor: Actor,
  id: number,
  attendedUserIds: readonly number[],
): Promise<void> {
  await requireAdvisor(d.db, actor);
  const ev = await eventOr404(d.db, id);
  if (d.now() < ev.startsAt) throw new ConflictError(text('desk.events.err.notStarted'));
  await d.db.transaction(async (tx) => {
    await repo.setAttendance(tx, id, attendedUserIds, actor.id);
    await recordAudit(tx, {
      action: 'event.attendance',
      entity: 'desk_event',
      entityId: id,
      actorUserId: actor.id,
      after: { attended: attendedUserIds.length },
    });
  });
}

export interface CertificateData {
  ev: repo.EventRow;
  name: string;
}

/** The facts of a certificate: only for whoever attended (403 for everybody else who may see the event). */
export async function certificate(db: Db, actor: Actor, id: number): Promise<CertificateData> {
  const ev = await eventOr404(db, id);
  const mine = await repo.registrationOf(db, id, actor.id);
  const p = await loadPrincipal(db, actor);
  authorize(p, A.certificate, { attended: mine?.status === 'registered' && mine.attended === true } as EventResource);
  return { ev, name: mine!.name };
}

export async function addMaterial(
  d: EventDeps,
  actor: Actor,
  id: number,
  m: { kind: string; title: string; url: string },
): Promise<void> {
  await requireAdvisor(d.db, actor);
  await eventOr404(d.db, id);
  const errors = [];
  const title = m.title.trim();
  const url = m.url.trim();
  if (m.kind !== 'material' && m.kind !== 'recording') errors.push(fieldError('kind', 'desk.events.err.choice'));
  if (!title || title.length > LIMITS.materialTitle) errors.push(fieldError('materialTitle', 'desk.events.err.title'));
  if (!isHttpUrl(url) || url.length > LIMITS.url) errors.push(fieldError('url', 'desk.events.err.url'));
  if (errors.length) throw new ValidationError(errors);
  await repo.insertMaterial(d.db, id, { kind: m.kind as 'material' | 'recording', title, url }, actor.id);
}

export async function deleteMaterial(d: EventDeps, actor: Actor, id: number, materialId: number): Promise<void> {
  await requireAdvisor(d.db, actor);
  if (!(await repo.deleteMaterial(d.db, id, materialId))) throw notFound();
}

// ---------------------------------------------------------------------------------------------
// iCalendar

const icsOf = (ev: repo.EventRow, registered: boolean): IcsEvent => ({
  id: ev.id,
  title: ev.title,
  description: ev.description,
  startsAt: ev.startsAt,
  endsAt: ev.endsAt,
  // The join link only for registered participants (the public file and feeds of waiting people omit it).
  location: ev.format === 'onsite' ? ev.address : registered ? ev.joinUrl : null,
  cancelled: ev.status === 'cancelled',
  version: ev.version,
  updatedAt: ev.updatedAt,
});

/** The event's .ics; with the join link for a registered participant. */
export async function eventIcs(d: EventDeps, actor: Actor | null, id: number): Promise<string> {
  const ev = await eventOr404(d.db, id);
  const mine = actor ? await repo.registrationOf(d.db, id, actor.id) : null;
  return icsCalendar([icsOf(ev, mine?.status === 'registered')], {
    publicUrl: d.publicUrl,
    now: d.now(),
    path: eventPath,
  });
}

/** The person's feed, by its secret token (no session); an unknown or revoked token is a 404. */
export async function feedIcs(d: EventDeps, token: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound();
  const userId = await repo.userOfFeedToken(d.db, hashToken(token));
  if (userId === null) throw notFound();
  const rows = await repo.eventsOfUser(d.db, userId);
  return icsCalendar(
    rows.map((r) => icsOf(r, r.regStatus === 'registered')),
    { publicUrl: d.publicUrl, now: d.now(), path: eventPath, name: d.t('desk.events.feedName') },
  );
}

export const feedPath = (token: string) => `${EVENTS_PATH}/feed/${token}.ics`;

export interface MineView {
  rows: (repo.EventRow & { regStatus: repo.RegistrationRow['status'] })[];
  feedCreatedAt: Date | null;
}

export async function mineView(db: Db, actor: Actor): Promise<MineView> {
  const [rows, feedCreatedAt] = await Promise.all([
    repo.eventsOfUser(db, actor.id),
    repo.feedTokenCreatedAt(db, actor.id),
  ]);
  return { rows, feedCreatedAt };
}

/** A new feed token (replacing the old one, whose address stops working); returned once, stored as a hash. */
export async function renewFeedToken(d: Pick<EventDeps, 'db' | 'now'>, actor: Actor): Promise<string> {
  const token = newToken();
  await repo.setFeedToken(d.db, actor.id, hashToken(token), d.now());
  return token;
}

export async function revokeFeedToken(db: Db, actor: Actor): Promise<void> {
  await repo.deleteFeedToken(db, actor.id);
}

// ---------------------------------------------------------------------------------------------
// Reminders

/**
 * Remind registered participants of events starting within the next day, once each, and tell the people an erasure
 * moved up from a waiting list: the rows are claimed by a conditional update before the notification, so several
 * instances never send the same mail twice.
 */
export async function sendReminders(d: EventDeps): Promise<number> {
  const now = d.now();
  const cache = new Map<number, repo.EventRow>();
  const eventOf = async (id: number) => {
    let ev = cache.get(id);
    if (!ev) {
      ev = await eventOr404(d.db, id);
      cache.set(id, ev);
    }
    return ev;
  };
  // first the people an erasure moved up (see forgetPerson)
  const moved = await repo.claimPromotionNotices(d.db);
  for (const m of moved) await d.notifier.notify(promotedNote(d, await eventOf(m.eventId))(m.userId));
  const claimed = await repo.claimReminders(d.db, now, new Date(now.getTime() + REMINDER_BEFORE_MS));
  for (const c of claimed) {
    const ev = await eventOf(c.eventId);
    await d.notifier.notify({
      userId: c.userId,
      kind: 'events',
      subject: d.t('desk.events.mail.reminderSubject', { title: ev.title, at: formatDateTime('de', ev.startsAt) }),
      text: d.t('desk.events.mail.reminderText', { title: ev.title, at: formatDateTime('de', ev.startsAt) }),
      link: eventPath(ev.id),
    });
  }
  return moved.length + claimed.length;
}

/** The datetime-local value of an instant in Berlin (for tests that fill the event form). */
export { toBerlinLocal as toBerlinLocalForTests } from './model.js';
export type { Lang };
