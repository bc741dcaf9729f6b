/**
 * The service-level clock of inquiries: working days in the municipality's Land (Monday to Friday without the
 * Land's public holidays), counted on the calendar of Europe/Berlin. Pure.
 */
import { isHoliday } from './holidays.js';

const ZONE = 'Europe/Berlin';
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const DAY_MS = 24 * 3600_000;

/** The local date (YYYY-MM-DD) of an instant in Berlin. */
export function berlinDate(t: Date): string {
  return fmt.format(t);
}

/** Whether the local date (YYYY-MM-DD) is a working day in the Land. */
export function isWorkingDay(date: string, stateKey: string): boolean {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6 && !isHoliday(date, stateKey);
}

/**
 * The instant `n` working days after `from` in the Land: each following local day that is a working day counts
 * one, the time of day is kept (an inquiry of Friday 10:00 with two working days is due on Tuesday 10:00; one of
 * Saturday too). `n` = 0 is `from` itself.
 */
export function addWorkingDays(from: Date, n: number, stateKey: string): Date {
  if (n <= 0) return from;
  // Count on the calendar (not in steps of 24 hours: a day of a change to or from summer time has 23 or 25 hours,
  // and a step of 24 hours from late evening would skip or repeat a local date).
  let date = berlinDate(from);
  let left = n;
  while (left > 0) {
    date = nextDate(date);
    if (isWorkingDay(date, stateKey)) left -= 1;
  }
  return atBerlinWallClock(date, wallClockMs(from));
}

const nextDate = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** Milliseconds since local midnight in Berlin of an instant. */
function wallClockMs(t: Date): number {
  const local = t.getTime() + offsetMinutes(t) * 60_000;
  return ((local % DAY_MS) + DAY_MS) % DAY_MS;
}

/** The instant of a local date and wall-clock time in Berlin (a time that does not exist is taken an hour later). */
export function atBerlinWallClock(date: string, ms: number): Date {
  const naive = Date.parse(`${date}T00:00:00Z`) + ms;
  let t = naive - offsetMinutes(new Date(naive)) * 60_000;
  t = naive - offsetMinutes(new Date(t)) * 60_000;
  return new Date(t);
}

/** Minutes Berlin is ahead of UTC at an instant. */
const offsetFmt = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'shortOffset' });
function offsetMinutes(t: Date): number {
  const parts = offsetFmt.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-]\d+)(?::(\d+))?/.exec(parts ?? '');
  if (!m) return 0;
  const h = Number(m[1]);
  return h * 60 + Math.sign(h) * Number(m[2] ?? 0);
}

/** The service level per urgency: working days to the first answer. */
export const FIRST_ANSWER_DAYS = { high: 1, normal: 2, low: 5 } as const;
export type Urgency = keyof typeof FIRST_ANSWER_DAYS;
export const URGENCIES = Object.keys(FIRST_ANSWER_DAYS) as Urgency[];

/** When the first answer to an inquiry received at `received` is due. */
export function firstAnswerDue(received: Date, urgency: Urgency, stateKey: string): Date {
  return addWorkingDays(received, FIRST_ANSWER_DAYS[urgency], stateKey);
}
