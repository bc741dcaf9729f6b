/**
 * How the register shows names and ends of regions. Pure: no I/O.
 *
 * GV100AD names carry the official designation after a comma, often abbreviated: "Aachen, Stadt",
 * "Altötting, St", "Abensberg, St", "Abtswind, M", "Aichach, GKSt", "Gelnhausen, Barbarossastadt, Kreisstadt",
 * "Gutsbezirk Münsingen, gemfr. Gebiet". Headings show the name without that suffix ("Altötting"), and the
 * suffix is shown written out beside it ("Stadt", "Markt", "Große Kreisstadt", "gemeindefreies Gebiet").
 *
 * Not every comma starts a suffix: the names of some Verwaltungsgemeinschaften list their members
 * ("Oelsnitz/Vogtl., Bösenbrunn, Eichigt und Triebel/V"). A suffix is only cut when every part after the
 * first comma looks like a designation or title (checked on the releases 2023 and 2025: that is every name
 * with a comma but this one).
 */

/** Abbreviations of the GV100AD name suffixes, written out (official German titles, no translation). */
const ABBREVIATIONS: Record<string, string> = {
  St: 'Stadt',
  M: 'Markt',
  GKSt: 'Große Kreisstadt',
  'gemfr. Gebiet': 'gemeindefreies Gebiet',
  'gemfr. Geb.': 'gemeindefreies Gebiet',
  'gemfr.Geb.': 'gemeindefreies Gebiet',
  'gemfr. Bezirk': 'gemeindefreier Bezirk',
};

/** Words a designation or honorary title contains ("Hansestadt", "Ostseebad", "Marktflecken", "Kurort" …). */
const TITLE_WORD =
  /(stadt|gemeinde|bad|flecken|ort|dorf|kirchspiel|kommune|gebiet|geb\.|bezirk|stadtkreis|markt)\b|^tor zur |^(m|st|gkst)$/i;

function isTitle(part: string): boolean {
  const p = part.trim();
  return p !== '' && (ABBREVIATIONS[p] !== undefined || TITLE_WORD.test(p));
}

export interface SplitName {
  /** The name without its designation suffix: "Altötting". */
  short: string;
  /** The suffix, abbreviations written out ("Stadt", "Barbarossastadt, Kreisstadt"); null when none. */
  title: string | null;
}

/** Splits a GV100AD name into the name and its designation suffix (see above). */
export function splitName(name: string): SplitName {
  const full = name.trim();
  const i = full.indexOf(',');
  if (i <= 0) return { short: full, title: null };
  const parts = full.slice(i + 1).split(',');
  if (!parts.every(isTitle)) return { short: full, title: null };
  const title = parts.map((p) => ABBREVIATIONS[p.trim()] ?? p.trim().replace(/\s+/g, ' ')).join(', ');
  return { short: full.slice(0, i).trim(), title };
}

/** The name for headings, breadcrumbs and lists: without the designation suffix. */
export function displayName(name: string): string {
  return splitName(name).short;
}

/**
 * What is known about the end of a region:
 *  - `date`: the effective date from the official list of territorial changes;
 *  - `between`: the end was inferred from two releases — it lies after the last release that still had the
 *    region (`from`) and on or before the first that no longer had it (`to`).
 */
export type EndKnown = { kind: 'date'; date: string } | { kind: 'between'; from: string; to: string };

/**
 * The end of a region from its `validTo` and the dates of the register's releases. At import, an ended region
 * gets the effective date from the official list of territorial changes when the list has one, otherwise the
 * date of the release that no longer has it — then the release before it is the last one known to have it,
 * and the end lies between the two. (An official date that falls exactly on a release date is shown as an
 * interval ending on that date: still true, only less precise.)
 */
export function endKnown(validTo: string, releaseDates: readonly string[]): EndKnown {
  const dates = [...new Set(releaseDates)].sort();
  const at = dates.indexOf(validTo);
  if (at <= 0) return { kind: 'date', date: validTo };
  return { kind: 'between', from: dates[at - 1]!, to: validTo };
}
