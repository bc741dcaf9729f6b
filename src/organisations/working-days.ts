/**
 * Working days (Monday to Friday) for the reminder of open access requests. Pure. Days are counted in UTC
 * (public holidays differ by Land and are not counted: a reminder a day early on a holiday is harmless).
 */

const DAY_MS = 24 * 3600_000;

/** The moment `n` working days after `from`: each Saturday and Sunday in between is skipped. */
export function addWorkingDays(from: Date, n: number): Date {
  let t = from.getTime();
  let left = n;
  while (left > 0) {
    t += DAY_MS;
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) left -= 1;
  }
  return new Date(t);
}

/** Whether at least `n` working days have passed between `from` and `now`. */
export function workingDaysPassed(from: Date, now: Date, n: number): boolean {
  return addWorkingDays(from, n).getTime() <= now.getTime();
}
