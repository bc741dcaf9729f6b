import type { Db } from '../platform/db/db.js';
import { publish } from '../platform/events/events.js';
import type { LagebildContribution, LagebildFigures, ModuleDeps } from '../platform/module.js';
import { currentGemeindenFigures, mapRegions } from '../register/index.js';
import * as repo from './assessment.repository.js';
import { ASSESSMENT_EVENTS } from './assessment.service.js';
import type { CheckFact, Denominators, Lagebild, YearFact } from './lagebild.js';
import type { MapBoundaries } from './lagebild.pages.js';
import { releaseLagebild as nextRelease, type ReleaseState } from './lagebild-release.js';
import { sizeClassOf } from './model.js';

/** The latest submitted check of every region, as the Lagebild sees it. */
async function currentFacts(db: Db): Promise<CheckFact[]> {
  const latest = await repo.latestFacts(db);
  return latest.map((c) => ({
    regionKey: c.regionKey,
    stateKey: c.stateKey ?? c.regionKey.slice(0, 2),
    kreisKey: c.kreisKey,
    sizeClass: c.sizeClass ?? '',
    overall: c.overall,
    level: c.level,
    bySector: c.sectorScores ?? {},
    submittedYear: new Date(c.submittedAt ?? 0).getUTCFullYear(),
    isDemo: c.isDemo,
  }));
}

/** Municipalities in the register, per Land and size class (the Lagebild's denominators). */
export async function denominators(db: Db): Promise<Denominators> {
  const rows = await currentGemeindenFigures(db);
  const out = { total: rows.length, byState: {} as Record<string, number>, bySize: {} as Record<string, number> };
  for (const r of rows) {
    out.byState[r.stateKey] = (out.byState[r.stateKey] ?? 0) + 1;
    const s = sizeClassOf(r.population);
    if (s) out.bySize[s] = (out.bySize[s] ?? 0) + 1;
  }
  return out;
}

export interface ReleaseOptions {
  now?: Date;
  /** Release only when the last release is at least this old (the schedule); 0: whenever changes are admitted. */
  minIntervalMs?: number;
  /** Figures of other modules, computed and stored with the release (`Module.lagebildFigures`). */
  contributions?: readonly LagebildContribution[];
}

/** The Lagebild contributions of every module of the platform (`Module.lagebildFigures`), once per deps. */
const contributionCache = new WeakMap<ModuleDeps, readonly LagebildContribution[]>();
export function lagebildContributions(d: ModuleDeps): readonly LagebildContribution[] {
  let list = contributionCache.get(d);
  if (!list) {
    list = d.modules.flatMap((m) => m.lagebildFigures?.(d) ?? []);
    const names = new Set<string>();
    for (const c of list) {
      if (names.has(c.name)) throw new Error(`two Lagebild contributions are named "${c.name}"`);
      names.add(c.name);
    }
    contributionCache.set(d, list);
  }
  return list;
}

/** Every contribution's figures, by name, in the order of the modules. */
async function contributionFigures(
  db: Db,
  contributions: readonly LagebildContribution[],
): Promise<Record<string, LagebildFigures>> {
  const out: Record<string, LagebildFigures> = {};
  for (const c of contributions) out[c.name] = await c.compute(db);
  return out;
}

export type ReleaseOutcome =
  | { released: true; lagebild: Lagebild; admitted: number; pending: number }
  | { released: false; reason: 'not-due' | 'nothing-admitted'; pending: number };

/**
 * Release the Lagebild (ADR 0006): admit the pending changes that can be published without revealing a single
 * result (batched: every published set changes by 0 or ≥ 5 results, checked against earlier releases), compute
 * it from the released facts and store it with its private release state. Nothing is stored — and nothing
 * changes for anyone comparing two answers — while no change can be admitted or the schedule says not yet.
 * Runs once per platform (event handler and the hourly job).
 */
export async function releaseLagebild(db: Db, opts: ReleaseOptions = {}): Promise<ReleaseOutcome> {
  const now = opts.now ?? new Date();
  await repo.releaseLock(db);
  const last = await repo.latestReleaseState<ReleaseState>(db);
  if (last && opts.minIntervalMs && now.getTime() - new Date(last.computedAt).getTime() < opts.minIntervalMs) {
    return { released: false, reason: 'not-due', pending: -1 };
  }
  const [facts, denoms, years] = await Promise.all([currentFacts(db), denominators(db), repo.yearFacts(db)]);
  const r = nextRelease(last?.state ?? null, facts, denoms, { now, yearFacts: years as YearFact[] });
  // Other modules' figures are public as computed (protected by their module): stored with every release.
  const contributions = await contributionFigures(db, opts.contributions ?? []);
  r.lagebild.contributions = contributions;
  if (last?.state && r.admitted.length === 0) {
    // Only the register's counts of municipalities or other modules' figures (public) may have changed: publish
    // those, nothing else.
    const previous = await repo.latestSnapshot<Lagebild>(db);
    if (
      !previous ||
      (municipalities(previous.data) === municipalities(r.lagebild) &&
        canonicalJson(previous.data.contributions ?? {}) === canonicalJson(contributions))
    ) {
      return { released: false, reason: 'nothing-admitted', pending: r.pending.total };
    }
  }
  await repo.saveSnapshot(db, r.lagebild, r.state);
  await publish(db, ASSESSMENT_EVENTS.lagebildReleased, { seq: r.state.seq, releasedAt: r.state.releasedAt });
  return { released: true, lagebild: r.lagebild, admitted: r.admitted.length, pending: r.pending.total };
}

/** The register's counts of municipalities in a Lagebild (public figures), as one comparable string. */
function municipalities(lb: Lagebild): string {
  const p = lb.participation;
  const of = (r: Record<string, { municipalities: number }>) =>
    Object.entries(r)
      .map(([k, v]) => `${k}:${v.municipalities}`)
      .sort()
      .join(',');
  return `${p.total.municipalities}|${of(p.byState)}|${of(p.bySize)}`;
}

/** JSON with the keys of every object sorted (the snapshot is jsonb, which keeps its own key order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Run the release if no other instance runs it right now (the scheduled job). */
export async function releaseLagebildIfFree(db: Db, opts: ReleaseOptions = {}): Promise<ReleaseOutcome | null> {
  return db.transaction(async (tx) => ((await repo.tryReleaseLock(tx)) ? releaseLagebild(tx, opts) : null));
}

/**
 * The released Lagebild (the first one is released when none exists yet, with `contributions`: pass the
 * platform's, `lagebildContributions(deps)`).
 */
export async function currentLagebild(db: Db, contributions: readonly LagebildContribution[] = []): Promise<Lagebild> {
  const snap = await repo.latestSnapshot<Lagebild>(db);
  if (snap) return snap.data;
  await db.transaction((tx) => releaseLagebild(tx, { contributions }));
  const first = await repo.latestSnapshot<Lagebild>(db);
  if (!first) throw new Error('the first Lagebild release stored nothing');
  return first.data;
}

/**
 * Boundaries of the Länder and Kreise for the Lagebild maps (empty when none are imported): today's regions,
 * those that merged since the boundaries' year drawn under their successor; the Kreise without a boundary.
 */
export async function mapBoundaries(db: Db): Promise<MapBoundaries> {
  const m = await mapRegions(db, ['land', 'kreis']);
  return {
    laender: m.features.filter((r) => r.level === 'land'),
    kreise: m.features.filter((r) => r.level === 'kreis'),
    unmappedKreise: m.features.some((r) => r.level === 'kreis')
      ? m.unmapped.filter((r) => r.level === 'kreis').map((r) => ({ key: r.key, name: r.name }))
      : [],
    merged: m.merged,
    boundaryYears: m.boundaryYears,
  };
}
