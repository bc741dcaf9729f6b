import type { Db } from '../platform/db/db.js';
import { publish } from '../platform/events/events.js';
import { currentBoundaries, currentGemeindenFigures } from '../register/index.js';
import * as repo from './assessment.repository.js';
import { ASSESSMENT_EVENTS } from './assessment.service.js';
import { type CheckFact, computeLagebild, type Lagebild } from './lagebild.js';
import type { MapBoundaries } from './lagebild.pages.js';
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
async function denominators(db: Db) {
  const rows = await currentGemeindenFigures(db);
  const out = { total: rows.length, byState: {} as Record<string, number>, bySize: {} as Record<string, number> };
  for (const r of rows) {
    out.byState[r.stateKey] = (out.byState[r.stateKey] ?? 0) + 1;
    const s = sizeClassOf(r.population);
    if (s) out.bySize[s] = (out.bySize[s] ?? 0) + 1;
  }
  return out;
}

/**
 * Compute the Lagebild and release it as the new snapshot (with the facts it was computed from), announcing
 * the release so every instance drops its cached page. Runs as a once-per-platform event handler.
 */
export async function releaseLagebild(db: Db): Promise<Lagebild> {
  const [facts, denoms] = await Promise.all([currentFacts(db), denominators(db)]);
  const lagebild = computeLagebild(facts, denoms);
  await repo.saveSnapshot(db, lagebild, facts);
  await publish(db, ASSESSMENT_EVENTS.lagebildReleased, { computedAt: lagebild.computedAt });
  return lagebild;
}

/** The released Lagebild (computed once when none has been released yet). */
export async function currentLagebild(db: Db): Promise<Lagebild> {
  const snap = await repo.latestSnapshot<Lagebild>(db);
  return snap ? snap.data : db.transaction((tx) => releaseLagebild(tx));
}

/** Boundaries of the Länder and Kreise for the Lagebild maps (empty when none are imported). */
export async function mapBoundaries(db: Db): Promise<MapBoundaries> {
  const rows = (await currentBoundaries(db, ['land', 'kreis'])) as (MapBoundaries['laender'][number] & {
    level: string;
  })[];
  return {
    laender: rows.filter((r) => r.level === 'land'),
    kreise: rows.filter((r) => r.level === 'kreis'),
  };
}
