/**
 * Change detection between the current register and a new official release, and inference of
 * successors for regions that ended.
 *
 * Pure: works on `RegionRecord` arrays only, no I/O. Keys identify a region across releases; the key
 * length tells the level (see region.ts), so keys of different levels never collide.
 *
 * Successor inference is deliberately conservative: every heuristic requires a unique match, and a
 * missing link is preferred over a wrong one. The caller stores inferred links as such (`inferred: true`)
 * so that a human can confirm them.
 */
import type { RegionRecord } from './region.js';
import { baseName } from './search-normalize.js';

export interface RecordChange {
  before: RegionRecord;
  after: RegionRecord;
}

export interface ReleaseDiff {
  /** Keys only in the new release, in release order. */
  added: RegionRecord[];
  /** Keys only in the current register, in register order. */
  ended: RegionRecord[];
  /** Same key, different name. */
  renamed: RecordChange[];
  /** Same key, different parent (for a Gemeinde this also means a different ARS). */
  reparented: RecordChange[];
  /** Same key, different figures, Textkennzeichen, seat or postcode; `fields` names the changed properties. */
  updated: (RecordChange & { fields: UpdateField[] })[];
  /** Keys present in both with no change in any compared property. */
  unchanged: number;
}

/** Properties compared for `updated`. */
export const UPDATE_FIELDS = [
  'designationCode',
  'seat',
  'areaKm2',
  'population',
  'populationMale',
  'populationFemale',
  'postcode',
  'multiplePostcodes',
] as const;
export type UpdateField = (typeof UPDATE_FIELDS)[number];

/** Figures that GV100AD gives for Gemeinden only; null in the release means "not in the source". */
const FIGURE_FIELDS: ReadonlySet<UpdateField> = new Set([
  'areaKm2',
  'population',
  'populationMale',
  'populationFemale',
]);

/** A successor relation published by an authority (Destatis Gebietsänderungen, BBSR Umstiegsschlüssel). */
export interface OfficialLink {
  oldKey: string;
  newKey: string;
  /** Share (0–1) of the old region that went to the new one: population share, else area share. */
  share?: number;
  /** Effective date, ISO "YYYY-MM-DD" (Destatis: Wirksamkeitsdatum statistisch). BBSR files have none. */
  date?: string;
  /** Destatis Änderungsart, digits joined by ",": "1", "3", or "3,4" for a combined change. */
  changeType?: string;
  name?: string;
  newName?: string;
  /** Destatis change id, e.g. "16/2024/0013-R"; groups the rows of one change. */
  kennziffer?: string;
  /** BBSR: the Gebietsstände (ISO dates) the conversion key maps between, e.g. 2020-12-31 → 2021-12-31. */
  period?: { from: string; to: string };
  /** Where the link was read, e.g. "2024.xlsx, Gebietsaenderungen, Zeile 23". */
  source?: string;
}

export type SuccessorMethod = 'official' | 'same-name' | 'area-sum' | 'area-growth' | 'kreis-members' | 'members';

export interface SuccessorLink {
  /** Key of the ended region. */
  key: string;
  /** Key of its successor; always a key of the new release. */
  successorKey: string;
  method: SuccessorMethod;
  /** False only for official links. */
  inferred: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------------------------------------

/**
 * Compare the regions valid now (any level) with a parsed release, by key.
 *
 * A record can appear in `renamed`, `reparented` and `updated` at the same time. Figures (area,
 * population) that are null in the new release are not compared: GV100AD has them for Gemeinden
 * only, while the register may hold aggregated figures for the upper levels.
 */
export function diffRelease(current: RegionRecord[], next: RegionRecord[]): ReleaseDiff {
  const currentByKey = indexByKey(current, 'current');
  const nextByKey = indexByKey(next, 'next');

  const diff: ReleaseDiff = { added: [], ended: [], renamed: [], reparented: [], updated: [], unchanged: 0 };
  for (const before of current) {
    if (!nextByKey.has(before.key)) diff.ended.push(before);
  }
  for (const after of next) {
    const before = currentByKey.get(after.key);
    if (before === undefined) {
      diff.added.push(after);
      continue;
    }
    let changed = false;
    if (before.name !== after.name) {
      diff.renamed.push({ before, after });
      changed = true;
    }
    if (before.parentKey !== after.parentKey) {
      diff.reparented.push({ before, after });
      changed = true;
    }
    const fields = UPDATE_FIELDS.filter((field) => {
      const a = before[field];
      const b = after[field];
      if (FIGURE_FIELDS.has(field) && b === null) return false;
      if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) > 1e-9;
      return a !== b;
    });
    if (fields.length > 0) {
      diff.updated.push({ before, after, fields });
      changed = true;
    }
    if (!changed) diff.unchanged += 1;
  }
  return diff;
}

// ---------------------------------------------------------------------------------------------------------
// Successors
// ---------------------------------------------------------------------------------------------------------

/** Absolute tolerance per summand in km² (areas are published in whole hectares = 0.01 km²). */
const AREA_TOLERANCE_PER_SUMMAND_KM2 = 0.01;
/** Relative tolerance of the total, for re-surveys between releases. */
const AREA_TOLERANCE_RELATIVE = 0.005;

/**
 * Infer successors of the ended regions of `diff` (computed from `current` and `next`).
 *
 * Rules, applied in this order; a region gets at most one link and later rules only see regions
 * that are still unlinked:
 *  a) `official`: an official link for the key (the one with the largest share if there are several),
 *     following chains of official links until a key of `next` is reached.
 *  b) `same-name` (Gemeinden): exactly one added Gemeinde in the same Kreis has the same base name
 *     (text before the first comma, case-insensitive). When the Gemeinde's Kreis itself ended (e.g. a
 *     kreisfreie Stadt joining a Landkreis), the added Gemeinden of the same Land are searched instead.
 *  c) `area-sum` (Gemeinden): exactly one added Gemeinde of the Kreis has the area of the sum of a
 *     group of still unlinked ended Gemeinden of that Kreis (all of them, or those of one former
 *     Gemeindeverband, or a single one) plus the ended Gemeinden already linked to it (e.g. by same name).
 *  d) `area-growth` (Gemeinden): exactly one continuing Gemeinde of the Kreis grew by the area of such
 *     a group.
 *     c) and d) are repeated until nothing changes, since a link found by one narrows the other;
 *     see `linkByArea` for the uniqueness conditions.
 *  e) `kreis-members` (Kreise): the Kreis that holds more than half of the population of the ended
 *     Kreis's Gemeinden after the change, via their links. If the register has no Gemeinden of that
 *     Kreis (a Kreis-only register), a kreisfreie Stadt is linked to the Kreis of the one Gemeinde of
 *     the new release in the same Land with the same base name (Kreis 16056 "Eisenach, Stadt" →
 *     Gemeinde 16063105 "Eisenach, Stadt" → Kreis 16063).
 *  f) `members` (Gemeindeverbände): the Verband that holds more than half of the population of the
 *     ended Verband's member Gemeinden after the change; without members in the register, `same-name`
 *     with exactly one added Verband of the same Kreis.
 * Areas within tolerance: |difference| ≤ 0.01 km² per summand (hectare rounding), and only if no such
 * exact fit exists, ≤ 0.01 km² per summand + 0.5 % of the total (re-surveys between releases).
 * Länder, Regierungsbezirke and Regionen are linked by official links only.
 */
export function inferSuccessors(
  diff: ReleaseDiff,
  current: RegionRecord[],
  next: RegionRecord[],
  official: OfficialLink[] = [],
): SuccessorLink[] {
  const nextByKey = indexByKey(next, 'next');
  const links = new Map<string, SuccessorLink>();
  const link = (key: string, successorKey: string, method: SuccessorMethod): void => {
    links.set(key, { key, successorKey, method, inferred: method !== 'official' });
  };
  const unlinked = (records: RegionRecord[]): RegionRecord[] => records.filter((r) => !links.has(r.key));

  // a) official links
  const officialByOld = new Map<string, OfficialLink[]>();
  for (const o of official) {
    const list = officialByOld.get(o.oldKey) ?? [];
    list.push(o);
    officialByOld.set(o.oldKey, list);
  }
  for (const ended of diff.ended) {
    const target = resolveOfficial(ended.key, officialByOld, nextByKey, new Set([ended.key]));
    if (target !== null) link(ended.key, target, 'official');
  }

  const endedGemeinden = diff.ended.filter((r) => r.level === 'gemeinde');
  const addedGemeinden = diff.added.filter((r) => r.level === 'gemeinde');
  const nextKreise = new Set(next.filter((r) => r.level === 'kreis' || r.level === 'gemeinde').map(kreisOf));

  // b) same base name under a new key in the same Kreis (or the same Land if the Kreis ended)
  for (const ended of unlinked(endedGemeinden)) {
    const kreisEnded = !nextKreise.has(kreisOf(ended));
    const candidates = addedGemeinden.filter(
      (g) =>
        (kreisEnded ? landOf(g) === landOf(ended) : kreisOf(g) === kreisOf(ended)) &&
        comparableBaseName(g.name) === comparableBaseName(ended.name),
    );
    if (candidates.length === 1) link(ended.key, candidates[0]!.key, 'same-name');
  }

  // c) and d) by area, per Kreis, until no new link is found
  const targetsByKreis = new Map<string, AreaTarget[]>();
  for (const g of addedGemeinden) {
    if (g.areaKm2 === null) continue;
    const target: AreaTarget = { key: g.key, method: 'area-sum', area: g.areaKm2, base: 0, baseSummands: 0 };
    targetsByKreis.set(kreisOf(g), [...(targetsByKreis.get(kreisOf(g)) ?? []), target]);
  }
  for (const before of current) {
    const after = nextByKey.get(before.key);
    if (before.level !== 'gemeinde' || before.areaKm2 === null || after?.areaKm2 == null) continue;
    // Growth within the tolerance is re-survey noise, not an absorbed Gemeinde.
    if (after.areaKm2 - before.areaKm2 <= tolerance(2, after.areaKm2)) continue;
    const target: AreaTarget = {
      key: after.key,
      method: 'area-growth',
      area: after.areaKm2,
      base: before.areaKm2,
      baseSummands: 1,
    };
    targetsByKreis.set(kreisOf(after), [...(targetsByKreis.get(kreisOf(after)) ?? []), target]);
  }
  const endedByKreis = groupBy(endedGemeinden, kreisOf);
  for (let progress = true; progress; ) {
    progress = false;
    for (const [kreis, endedInKreis] of endedByKreis) {
      if (linkByArea(endedInKreis, targetsByKreis.get(kreis) ?? [], links, link)) progress = true;
    }
  }

  /** Where a Gemeinde of the current register is in the new release: itself or its successor. */
  const gemeindeAfter = (g: RegionRecord): RegionRecord | undefined => {
    const key = nextByKey.has(g.key) ? g.key : links.get(g.key)?.successorKey;
    const after = key === undefined ? undefined : nextByKey.get(key);
    return after?.level === 'gemeinde' ? after : undefined;
  };
  const currentGemeinden = current.filter((r) => r.level === 'gemeinde');

  // e) ended Kreise
  for (const kreis of unlinked(diff.ended.filter((r) => r.level === 'kreis'))) {
    const members = currentGemeinden.filter((g) => kreisOf(g) === kreis.key);
    let target: string | null;
    if (members.length > 0) {
      target = majorityTarget(members, (g) => {
        const after = gemeindeAfter(g);
        return after === undefined ? undefined : kreisOf(after);
      });
    } else {
      target = kreisByCityName(kreis, next);
    }
    if (target !== null && target !== kreis.key && nextByKey.get(target)?.level === 'kreis') {
      link(kreis.key, target, 'kreis-members');
    }
  }

  // f) ended Gemeindeverbände
  const addedVerbaende = diff.added.filter((r) => r.level === 'gemeindeverband');
  for (const verband of unlinked(diff.ended.filter((r) => r.level === 'gemeindeverband'))) {
    const members = currentGemeinden.filter((g) => g.parentKey === verband.key);
    if (members.length > 0) {
      const target = majorityTarget(members, (g) => gemeindeAfter(g)?.parentKey ?? undefined);
      if (target !== null && nextByKey.get(target)?.level === 'gemeindeverband') link(verband.key, target, 'members');
    } else {
      const candidates = addedVerbaende.filter(
        (v) => kreisOf(v) === kreisOf(verband) && comparableBaseName(v.name) === comparableBaseName(verband.name),
      );
      if (candidates.length === 1) link(verband.key, candidates[0]!.key, 'same-name');
    }
  }

  return diff.ended.flatMap((r) => {
    const l = links.get(r.key);
    return l === undefined ? [] : [l];
  });
}

/**
 * Follow official links from `key` (largest share first) to the first key that exists in `next`.
 * Returns null if no chain reaches `next`; `seen` guards against cycles.
 */
function resolveOfficial(
  key: string,
  officialByOld: Map<string, OfficialLink[]>,
  nextByKey: Map<string, RegionRecord>,
  seen: Set<string>,
): string | null {
  const candidates = [...(officialByOld.get(key) ?? [])].sort((a, b) => (b.share ?? 0) - (a.share ?? 0));
  for (const candidate of candidates) {
    if (nextByKey.has(candidate.newKey)) return candidate.newKey;
    if (seen.has(candidate.newKey)) continue;
    seen.add(candidate.newKey);
    const target = resolveOfficial(candidate.newKey, officialByOld, nextByKey, seen);
    if (target !== null) return target;
  }
  return null;
}

/** A Gemeinde of the new release that may have taken over the area of ended Gemeinden. */
interface AreaTarget {
  key: string;
  /** 'area-sum' for an added Gemeinde, 'area-growth' for a continuing one. */
  method: 'area-sum' | 'area-growth';
  /** Area in the new release. */
  area: number;
  /** Area before the change: 0 for an added Gemeinde, the old area for a continuing one. */
  base: number;
  /** Number of summands the base contributes to the rounding tolerance. */
  baseSummands: number;
}

/**
 * Rules c) and d) for one Kreis. Candidate groups of still unlinked ended Gemeinden are: all of them,
 * those of each former Gemeindeverband (a Verwaltungsgemeinschaft merging into one Landgemeinde is the
 * typical case), and each one alone. Targets are the added Gemeinden of the Kreis (c) and the continuing
 * ones that grew by more than the tolerance (d). A group fits a target when
 *     base area of the target + areas of the group + areas of ended Gemeinden already linked to it
 * equals the target's new area within tolerance. A fit is used only if the group fits no other target,
 * the target is fitted by no other group, and the group does not overlap another used fit.
 * Exact fits (rounding tolerance only) are tried first; only if there is none, the 0.5 % tolerance.
 * Returns true if links were added.
 */
function linkByArea(
  endedInKreis: RegionRecord[],
  targets: AreaTarget[],
  links: Map<string, SuccessorLink>,
  link: (key: string, successorKey: string, method: SuccessorMethod) => void,
): boolean {
  const open = endedInKreis.filter((g) => !links.has(g.key));
  if (open.length === 0 || targets.length === 0) return false;

  const groups = uniqueGroups([open, ...groupBy(open, (g) => g.parentKey ?? '').values(), ...open.map((g) => [g])]);
  for (const relative of [false, true]) {
    const fits: { group: RegionRecord[]; target: AreaTarget }[] = [];
    for (const group of groups) {
      for (const target of targets) {
        const linkedToTarget = endedInKreis.filter((e) => links.get(e.key)?.successorKey === target.key);
        const summands = [...group, ...linkedToTarget];
        if (summands.some((r) => r.areaKm2 === null)) continue;
        const expected = target.base + sumArea(summands);
        const allowed = tolerance(summands.length + target.baseSummands, relative ? target.area : 0);
        if (Math.abs(expected - target.area) <= allowed) fits.push({ group, target });
      }
    }
    const unambiguous = fits.filter(
      (f) => fits.filter((o) => o.group === f.group || o.target === f.target).length === 1,
    );
    const used = unambiguous.filter(
      (f) => !unambiguous.some((o) => o !== f && o.group.some((member) => f.group.includes(member))),
    );
    for (const { group, target } of used) {
      for (const e of group) link(e.key, target.key, target.method);
    }
    if (used.length > 0) return true;
  }
  return false;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    map.set(k, [...(map.get(k) ?? []), item]);
  }
  return map;
}

/** Drop groups with the same members as an earlier group. */
function uniqueGroups(groups: RegionRecord[][]): RegionRecord[][] {
  const seen = new Set<string>();
  return groups.filter((group) => {
    const id = group
      .map((r) => r.key)
      .sort()
      .join(' ');
    if (group.length === 0 || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The target that holds more than half of the members' population (by count if no member has
 * any population), or null. Members without a target count against every target.
 */
function majorityTarget(
  members: RegionRecord[],
  targetOf: (member: RegionRecord) => string | undefined,
): string | null {
  const byPopulation = members.some((m) => (m.population ?? 0) > 0);
  const weight = (m: RegionRecord): number => (byPopulation ? (m.population ?? 0) : 1);
  const total = members.reduce((sum, m) => sum + weight(m), 0);
  const perTarget = new Map<string, number>();
  for (const m of members) {
    const target = targetOf(m);
    if (target !== undefined) perTarget.set(target, (perTarget.get(target) ?? 0) + weight(m));
  }
  for (const [target, w] of perTarget) if (w > total / 2) return target;
  return null;
}

/**
 * Rule e) without members in the register: a kreisfreie Stadt (Textkennzeichen 41/42) or a Kreis whose
 * full name equals a Gemeinde name, linked to the Kreis of the single Gemeinde of the same Land in the
 * new release with that name.
 */
function kreisByCityName(kreis: RegionRecord, next: RegionRecord[]): string | null {
  const isCity = kreis.designationCode === '41' || kreis.designationCode === '42';
  const sameName = (g: RegionRecord): boolean =>
    isCity
      ? comparableBaseName(g.name) === comparableBaseName(kreis.name)
      : normalize(g.name) === normalize(kreis.name);
  const candidates = next.filter(
    (g) => g.level === 'gemeinde' && landOf(g) === landOf(kreis) && kreisOf(g) !== kreis.key && sameName(g),
  );
  return candidates.length === 1 ? kreisOf(candidates[0]!) : null;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function indexByKey(records: RegionRecord[], what: string): Map<string, RegionRecord> {
  const map = new Map<string, RegionRecord>();
  for (const r of records) {
    if (map.has(r.key)) throw new Error(`Key ${r.key} occurs twice in the ${what} records`);
    map.set(r.key, r);
  }
  return map;
}

function tolerance(summands: number, total: number): number {
  return AREA_TOLERANCE_PER_SUMMAND_KM2 * summands + AREA_TOLERANCE_RELATIVE * total;
}

function sumArea(records: RegionRecord[]): number {
  return records.reduce((sum, r) => sum + (r.areaKm2 ?? 0), 0);
}

/** Kreis part (first 5 digits) of a Kreis, Gemeindeverband or Gemeinde key. */
function kreisOf(r: RegionRecord): string {
  return r.key.slice(0, 5);
}

function landOf(r: RegionRecord): string {
  return r.key.slice(0, 2);
}

function normalize(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('de');
}

/** Name before the first comma, normalized: "Eisenach, Stadt" → "eisenach". */
export function comparableBaseName(name: string): string {
  return normalize(baseName(name));
}
