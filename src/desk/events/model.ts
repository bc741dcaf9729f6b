/**
 * The pure rules of events and trainings: the waiting list's promotion, the form's validation, times in
 * Europe/Berlin, the list's filters and the iCalendar output (RFC 5545). No database, no clock of its own.
 */
import { SIZE_CLASSES } from '../../assessment/index.js';
import { type FieldError, fieldError } from '../../platform/errors.js';
import { STATES } from '../../register/index.js';
import { atBerlinWallClock } from '../sla/clock.js';

export const FORMATS = ['online', 'onsite'] as const;
export type Format = (typeof FORMATS)[number];

/** Whom an event is for (informational and a filter): the roles people have in a municipality. */
export const TARGET_ROLES = ['leadership', 'digital', 'it', 'specialist', 'council'] as const;
export type TargetRole = (typeof TARGET_ROLES)[number];

export const SIZE_CLASS_IDS: readonly string[] = SIZE_CLASSES.map((c) => c.id);
export const STATE_KEYS: readonly string[] = Object.keys(STATES);

export const REG_STATUSES = ['registered', 'waiting', 'cancelled'] as const;
export type RegStatus = (typeof REG_STATUSES)[number];

export const LIMITS = {
  title: 200,
  description: 20_000,
  address: 500,
  url: 2000,
  capacity: 100_000,
  materialTitle: 200,
} as const;

// ---------------------------------------------------------------------------------------------
// The waiting list

/** A registration as the waiting list sees it. */
export interface QueueEntry {
  id: number;
  status: RegStatus;
  /** When the person joined (the waiting list's order; ties by id). */
  queuedAt: Date;
}

/**
 * Who moves up from the waiting list: as many waiting registrations as there are free places (capacity minus the
 * registered), first come first served (queued_at, then id). A cancelled event promotes nobody.
 */
export function promotions(capacity: number, entries: readonly QueueEntry[], cancelled = false): number[] {
  if (cancelled) return [];
  const taken = entries.filter((e) => e.status === 'registered').length;
  const free = Math.max(0, capacity - taken);
  if (free === 0) return [];
  return entries
    .filter((e) => e.status === 'waiting')
    .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || a.id - b.id)
    .slice(0, free)
    .map((e) => e.id);
}

/** What a new registration becomes: a place while one is free, the waiting list otherwise. */
export function placeFor(capacity: number, registered: number, waiting: number): 'registered' | 'waiting' {
  // Nobody jumps the queue: with people waiting, a newcomer waits too.
  return registered < capacity && waiting === 0 ? 'registered' : 'waiting';
}

/** Position (1-based) of a registration on the waiting list, or null when it is not waiting. */
export function waitingPosition(id: number, entries: readonly QueueEntry[]): number | null {
  const waiting = entries
    .filter((e) => e.status === 'waiting')
    .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || a.id - b.id);
  const i = waiting.findIndex((e) => e.id === id);
  return i < 0 ? null : i + 1;
}

// ---------------------------------------------------------------------------------------------
// Europe/Berlin

const ZONE = 'Europe/Berlin';
const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The wall clock in Berlin of an instant: [year, month, day, hour, minute, second]. */
export function berlinParts(t: Date): [number, number, number, number, number, number] {
  const p = Object.fromEntries(PARTS.formatToParts(t).map((x) => [x.type, x.value]));
  return [Number(p.year), Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "2026-06-03T10:00" of an instant in Berlin (the value of a datetime-local field). */
export function toBerlinLocal(t: Date): string {
  const [y, m, d, h, min] = berlinParts(t);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(min)}`;
}

/** The instant of a Berlin wall-clock time "YYYY-MM-DDTHH:MM"; null when malformed. */
export function fromBerlinLocal(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(v.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  return atBerlinWallClock(`${pad(y, 4)}-${pad(mo)}-${pad(d)}`, (h * 60 + mi) * 60_000);
}

// ---------------------------------------------------------------------------------------------
// The form

export interface EventInput {
  title: string;
  description: string;
  format: Format;
  joinUrl: string | null;
  address: string | null;
  sizeClasses: string[];
  stateKeys: string[];
  targetRoles: string[];
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  registrationDeadline: Date;
}

/** The form's fields as sent (multi-selects as arrays). */
export type EventForm = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim());

export const isHttpUrl = (v: string) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !/\s/.test(v);
  } catch {
    return false;
  }
};

/** Validate the event form; every problem is a field error (the form shows them all at once). */
export function parseEventForm(f: EventForm): { input: EventInput | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const title = one(f.title);
  const description = one(f.description).replace(/\r\n/g, '\n');
  const format = one(f.format);
  const joinUrl = one(f.joinUrl);
  const address = one(f.address);
  if (!title || title.length > LIMITS.title) errors.push(fieldError('title', 'desk.events.err.title'));
  if (description.length > LIMITS.description) errors.push(fieldError('description', 'desk.events.err.description'));
  if (!(FORMATS as readonly string[]).includes(format)) errors.push(fieldError('format', 'desk.events.err.format'));
  if (format === 'online' && (!isHttpUrl(joinUrl) || joinUrl.length > LIMITS.url))
    errors.push(fieldError('joinUrl', 'desk.events.err.joinUrl'));
  if (format === 'onsite' && (!address || address.length > LIMITS.address))
    errors.push(fieldError('address', 'desk.events.err.address'));
  const sizeClasses = many(f.sizeClasses).filter((s) => s !== '');
  const stateKeys = many(f.stateKeys).filter((s) => s !== '');
  const targetRoles = many(f.targetRoles).filter((s) => s !== '');
  if (sizeClasses.some((s) => !SIZE_CLASS_IDS.includes(s)))
    errors.push(fieldError('sizeClasses', 'desk.events.err.choice'));
  if (stateKeys.some((s) => !STATE_KEYS.includes(s))) errors.push(fieldError('stateKeys', 'desk.events.err.choice'));
  if (targetRoles.some((s) => !(TARGET_ROLES as readonly string[]).includes(s)))
    errors.push(fieldError('targetRoles', 'desk.events.err.choice'));
  const startsAt = fromBerlinLocal(one(f.startsAt));
  const endsAt = fromBerlinLocal(one(f.endsAt));
  const deadline = fromBerlinLocal(one(f.registrationDeadline));
  if (!startsAt) errors.push(fieldError('startsAt', 'desk.events.err.when'));
  if (!endsAt) errors.push(fieldError('endsAt', 'desk.events.err.when'));
  else if (startsAt && endsAt <= startsAt) errors.push(fieldError('endsAt', 'desk.events.err.endsBeforeStart'));
  if (!deadline) errors.push(fieldError('registrationDeadline', 'desk.events.err.when'));
  else if (startsAt && deadline > startsAt)
    errors.push(fieldError('registrationDeadline', 'desk.events.err.deadlineAfterStart'));
  const cap = one(f.capacity);
  const capacity = /^\d{1,6}$/.test(cap) ? Number(cap) : 0;
  if (capacity < 1 || capacity > LIMITS.capacity) errors.push(fieldError('capacity', 'desk.events.err.capacity'));
  if (errors.length) return { input: null, errors };
  return {
    input: {
      title,
      description,
      format: format as Format,
      joinUrl: format === 'online' ? joinUrl : null,
      address: format === 'onsite' ? address : null,
      sizeClasses: [...new Set(sizeClasses)],
      stateKeys: [...new Set(stateKeys)],
      targetRoles: [...new Set(targetRoles)],
      startsAt: startsAt!,
      endsAt: endsAt!,
      capacity,
      registrationDeadline: deadline!,
    },
    errors,
  };
}

// ---------------------------------------------------------------------------------------------
// The list's filters

export interface EventFilter {
  when: 'upcoming' | 'past';
  format: Format | null;
  stateKey: string | null;
  sizeClass: string | null;
  role: TargetRole | null;
}

/** Filters from a query string; unknown values are dropped (never an error). */
export function parseFilter(q: Record<string, string | undefined>): EventFilter {
  return {
    when: q.zeit === 'vergangen' || q.when === 'past' ? 'past' : 'upcoming',
    format: (FORMATS as readonly string[]).includes(q.format ?? '') ? (q.format as Format) : null,
    stateKey: STATE_KEYS.includes(q.land ?? '') ? q.land! : null,
    sizeClass: SIZE_CLASS_IDS.includes(q.groesse ?? '') ? q.groesse! : null,
    role: (TARGET_ROLES as readonly string[]).includes(q.rolle ?? '') ? (q.rolle as TargetRole) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// iCalendar (RFC 5545)

/** Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545, 3.3.11). */
export function icsEscape(v: string): string {
  return v
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Fold a content line at 75 octets (RFC 5545, 3.1): continuation lines start with one space; a UTF-8 character is
 * never split.
 */
export function icsFold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // a continuation line's leading space counts
    if (bytes + n > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utcStamp = (t: Date) =>
  t
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const berlinStamp = (t: Date) => {
  const [y, m, d, h, mi, s] = berlinParts(t);
  return `${pad(y, 4)}${pad(m)}${pad(d)}T${pad(h)}${pad(mi)}${pad(s)}`;
};

/** The VTIMEZONE of Europe/Berlin (CET/CEST, the EU rule since 1996). */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

export interface IcsEvent {
  id: number;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  /** The address, or for registered participants of an online event its join link. */
  location: string | null;
  cancelled: boolean;
  version: number;
  updatedAt: Date;
}

/** The host part of the UIDs (from the configured public URL). */
const hostOf = (publicUrl: string) => {
  try {
    return new URL(publicUrl).host || 'kommunallotse';
  } catch {
    return 'kommunallotse';
  }
};

/**
 * One calendar with the events (a single event's file or a person's feed). Times are in Europe/Berlin with the
 * VTIMEZONE; DTSTAMP is UTC. The URL of each event is built from the configured public URL only.
 */
export function icsCalendar(
  events: readonly IcsEvent[],
  opts: { publicUrl: string; now: Date; name?: string; path: (id: number) => string },
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kommunallotse//Veranstaltungen//DE',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  if (opts.name) lines.push(`X-WR-CALNAME:${icsEscape(opts.name)}`);
  if (events.length) lines.push(...VTIMEZONE);
  for (const e of events) {
    const url = new URL(opts.path(e.id), opts.publicUrl).toString();
    lines.push(
      'BEGIN:VEVENT',
      `UID:event-${e.id}@${hostOf(opts.publicUrl)}`,
      `DTSTAMP:${utcStamp(opts.now)}`,
      `LAST-MODIFIED:${utcStamp(e.updatedAt)}`,
      `SEQUENCE:${Math.max(0, e.version - 1)}`,
      `DTSTART;TZID=Europe/Berlin:${berlinStamp(e.startsAt)}`,
      `DTEND;TZID=Europe/Berlin:${berlinStamp(e.endsAt)}`,
      `SUMMARY:${icsEscape(e.title)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${icsEscape(e.description)}`);
    if (e.location) lines.push(`LOCATION:${icsEscape(e.location)}`);
    lines.push(`URL:${url}`, `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(icsFold).join('\r\n')}\r\n`;
}
