/**
 * Shared types of the register: the levels of the German administrative hierarchy
 * and one region as parsed from an official release or stored in the database.
 *
 * Keys are the official Regionalschlüssel parts, and their length tells the level:
 *   land 2 ("09"), regierungsbezirk 3 ("091"), region 4 (Baden-Württemberg only, "0811"),
 *   kreis 5 ("09162"), gemeinde 8 (AGS, "09162000"), gemeindeverband 9 (Kreis + Verband, "091620000").
 * A Gemeinde additionally has its 12-digit ARS (Kreis 5 + Verband 4 + Gemeinde 3).
 */
export const LEVELS = ['land', 'regierungsbezirk', 'region', 'kreis', 'gemeindeverband', 'gemeinde'] as const;
export type Level = (typeof LEVELS)[number];

/** Key length per level (see above). */
export const KEY_LENGTH: Record<Level, number> = {
  land: 2,
  regierungsbezirk: 3,
  region: 4,
  kreis: 5,
  gemeinde: 8,
  gemeindeverband: 9,
};

export interface RegionRecord {
  /** Level-specific key, see KEY_LENGTH. */
  key: string;
  level: Level;
  /** 12-digit ARS for a Gemeinde, 9-digit for a Gemeindeverband, otherwise equal to key. */
  ars: string;
  /** Key of the parent region, null for a Land. */
  parentKey: string | null;
  name: string;
  /** GV100AD Textkennzeichen (e.g. "61" kreisfreie Stadt, "44" Landkreis), null if none. */
  designationCode: string | null;
  /** Seat of the administration (types 10–50), null if not given. */
  seat: string | null;
  /** Area in km² (GV100AD gives hectares for Gemeinden); null where the source has none. */
  areaKm2: number | null;
  population: number | null;
  populationMale: number | null;
  populationFemale: number | null;
  /** Postcode of the administrative seat (Gemeinden only). */
  postcode: string | null;
  /** True when the Gemeinde has more than one postcode. */
  multiplePostcodes: boolean;
  /** Gebietsstand of the release this record came from, ISO date "YYYY-MM-DD". */
  release: string;
}

/** Textkennzeichen of a Kreis that is a town: kreisfreie Stadt (41) and Stadtkreis (42, Baden-Württemberg). */
const CITY_KREIS_CODES = new Set(['41', '42']);

/**
 * A kreisfreie Stadt (or Stadtkreis, or a city-state's Kreis such as 11000 Berlin) is one municipality that the
 * register lists twice: as a Kreis (5 digits, e.g. 09162) and as its only Gemeinde (8 digits, 09162000). The
 * Gemeinde record is the canonical one (it carries the ARS, the figures, and the Digitalcheck is taken for
 * Gemeinden). Pure: given the Kreis and its current Gemeinden, the Gemeinde that stands for it, else null.
 */
export function cityOfKreis<T extends { key: string; level: string; designationCode: string | null }>(
  kreis: { key: string; level: string; designationCode: string | null; validTo: string | null },
  gemeindenOfKreis: readonly T[],
): T | null {
  if (kreis.level !== 'kreis' || kreis.validTo !== null) return null;
  if (!kreis.designationCode || !CITY_KREIS_CODES.has(kreis.designationCode)) return null;
  if (gemeindenOfKreis.length !== 1) return null;
  const only = gemeindenOfKreis[0]!;
  return only.level === 'gemeinde' && only.key.startsWith(kreis.key) ? only : null;
}
