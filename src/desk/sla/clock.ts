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
  let t = from.getTime();
  let left = n;
  while (left > 0) {
    t += DAY_MS;
    if (isWorkingDay(berlinDate(new Date(t)), stateKey)) left -= 1;
  }
  // Across a change to or from summer time the same wall-clock time is an hour off; keep the wall-clock time.
  const drift = offsetMinutes(from) - offsetMinutes(new Date(t));
  return new Date(t + drift * 60_000);
}

/** Minutes Berlin is ahead of UTC at an instant. */
function offsetMinutes(t: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'shortOffset' })
    .formatToParts(t)
    .find((p) => p.type === 'timeZoneName')?.value;
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
