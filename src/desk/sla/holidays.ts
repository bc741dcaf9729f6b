/**
 * Public holidays (gesetzliche Feiertage) per Land, for the service-level clock of inquiries. Pure.
 *
 * Source: the Länder's Feiertagsgesetze, as summarised by the Bundesministerium des Innern ("Gesetzliche
 * Feiertage in Deutschland", https://www.bmi.bund.de/DE/themen/verfassung/staatliche-symbole/nationale-feiertage/
 * nationale-feiertage-node.html). Only holidays that hold in the whole Land are counted: Fronleichnam in parts of
 * Sachsen and Thüringen and Mariä Himmelfahrt in Bavarian municipalities with a Catholic majority hold in some
 * municipalities only and are not counted (a due time one day early there errs on the side of the municipality).
 * Sundays that are holidays (Ostersonntag, Pfingstsonntag in Brandenburg) change nothing for working days.
 */

import { STATES } from '../../register/index.js';

export interface Holiday {
  /** YYYY-MM-DD */
  date: string;
  name: string;
}

/** Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher). */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function shifted(year: number, base: { month: number; day: number }, days: number): string {
  const t = new Date(Date.UTC(year, base.month - 1, base.day + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Buß- und Bettag: the Wednesday before 23 November. */
function bussUndBettag(year: number): string {
  const nov23 = new Date(Date.UTC(year, 10, 23));
  const back = (nov23.getUTCDay() - 3 + 7) % 7 || 7;
  return iso(year, 11, 23 - back);
}

/** Every Land (the register's list of the 16 Länder). */
const ALL: readonly string[] = Object.keys(STATES);

/** The public holidays of a Land in a year, sorted by date. */
export function holidays(year: number, state: string): Holiday[] {
  const easter = easterSunday(year);
  const out: Holiday[] = [];
  const add = (states: readonly string[], date: string, name: string) => {
    if (states.includes(state)) out.push({ date, name });
  };
  add(ALL, iso(year, 1, 1), 'Neujahr');
  add(['08', '09', '15'], iso(year, 1, 6), 'Heilige Drei Könige');
  if (year >= 2019) add(['11'], iso(year, 3, 8), 'Internationaler Frauentag');
  if (year >= 2023) add(['13'], iso(year, 3, 8), 'Internationaler Frauentag');
  add(ALL, shifted(year, easter, -2), 'Karfreitag');
  add(ALL, shifted(year, easter, 1), 'Ostermontag');
  add(ALL, iso(year, 5, 1), 'Tag der Arbeit');
  if (year === 2020 || year === 2025) add(['11'], iso(year, 5, 8), 'Tag der Befreiung');
  add(ALL, shifted(year, easter, 39), 'Christi Himmelfahrt');
  add(ALL, shifted(year, easter, 50), 'Pfingstmontag');
  add(['08', '09', '06', '05', '07', '10'], shifted(year, easter, 60), 'Fronleichnam');
  add(['10'], iso(year, 8, 15), 'Mariä Himmelfahrt');
  if (year >= 2019) add(['16'], iso(year, 9, 20), 'Weltkindertag');
  add(ALL, iso(year, 10, 3), 'Tag der Deutschen Einheit');
  const reformation =
    year >= 2018 ? ['12', '13', '14', '15', '16', '04', '02', '03', '01'] : ['12', '13', '14', '15', '16'];
  if (year === 2017) add(ALL, iso(year, 10, 31), 'Reformationstag');
  else add(reformation, iso(year, 10, 31), 'Reformationstag');
  add(['08', '09', '05', '07', '10'], iso(year, 11, 1), 'Allerheiligen');
  add(['14'], bussUndBettag(year), 'Buß- und Bettag');
  add(ALL, iso(year, 12, 25), '1. Weihnachtstag');
  add(ALL, iso(year, 12, 26), '2. Weihnachtstag');
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

const cache = new Map<string, Set<string>>();

/** Whether `date` (YYYY-MM-DD) is a public holiday in the Land. */
export function isHoliday(date: string, state: string): boolean {
  const key = `${date.slice(0, 4)}:${state}`;
  let set = cache.get(key);
  if (!set) {
    set = new Set(holidays(Number(date.slice(0, 4)), state).map((h) => h.date));
    cache.set(key, set);
  }
  return set.has(date);
}
