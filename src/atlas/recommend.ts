/**
 * "Kommunen wie Ihre": published projects that address a municipality's largest gaps (the dimensions of its latest
 * Digitalcheck with the lowest scores), preferring places of the same size class and type in the same Land, then
 * the same size class and type nationwide, then the same Land, then the rest — each with the sentence why.
 */
import type { CheckFacts } from '../assessment/index.js';
import type { Db } from '../platform/db/db.js';
import type { Text } from '../platform/i18n/i18n.js';
import { text } from '../platform/i18n/i18n.js';
import * as repo from './atlas.repository.js';
import { practiceIndex } from './search.service.js';

export interface Recommendation {
  row: repo.PracticeRow;
  regionName: string;
  dimension: string;
  why: Text;
}

/** The dimensions with the lowest scores (at most `n`, only those below the top level). */
export function largestGaps(byDimension: Record<string, number | null>, n = 2): string[] {
  return Object.entries(byDimension)
    .filter((e): e is [string, number] => e[1] !== null && e[1] < 100)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([d]) => d);
}

/** 0 = same size class and type in the same Land … 3 = elsewhere (lower is shown first). */
export function tier(
  p: { stateKey: string; sizeClass: string | null; regionKind: string | null },
  me: { stateKey: string | null; sizeClass: string | null; regionType: string | null },
): number {
  const alike = p.sizeClass !== null && p.sizeClass === me.sizeClass && p.regionKind === me.regionType;
  const sameState = me.stateKey !== null && p.stateKey === me.stateKey;
  if (alike && sameState) return 0;
  if (alike) return 1;
  if (sameState) return 2;
  return 3;
}

const WHY = ['atlas.why.alikeState', 'atlas.why.alike', 'atlas.why.state', 'atlas.why.other'] as const;

export async function recommendationsFor(db: Db, facts: CheckFacts, limit = 4): Promise<Recommendation[]> {
  const gaps = largestGaps(facts.byDimension);
  if (gaps.length === 0) return [];
  const engine = await practiceIndex(db);
  const candidates = new Map<number, string>();
  for (const dimension of gaps) {
    for (const h of engine.search({ q: '', filters: { dimension: [dimension] }, limit: 200, offset: 0 }).hits) {
      if (!candidates.has(h.id)) candidates.set(h.id, dimension);
    }
  }
  const rows = (await repo.practicesByIds(db, [...candidates.keys()])).filter(
    (r) => r.published && !r.published.regions.includes(facts.regionKey),
  );
  const ranked = rows
    .map((r) => ({ r, t: tier(r, facts), g: gaps.indexOf(candidates.get(r.id)!) }))
    .sort((a, b) => a.t - b.t || a.g - b.g || (b.r.publishedAt?.getTime() ?? 0) - (a.r.publishedAt?.getTime() ?? 0))
    .slice(0, limit);
  const names = new Map(
    (
      await repo.regionFacts(
        db,
        ranked.map((x) => x.r.regionKey),
      )
    ).map((f) => [f.key, f.name] as const),
  );
  return ranked.map(({ r, t }) => {
    const dimension = candidates.get(r.id)!;
    const regionName = names.get(r.regionKey) ?? r.regionKey;
    return { row: r, regionName, dimension, why: text(WHY[t]!, { region: regionName, dimension }) };
  });
}
