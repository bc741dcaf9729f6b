/**
 * Relevance metrics for the atlas search (pure): recall@k and nDCG@k over graded judgments, and their means
 * overall and per query kind. Judgments map a practice's id to a grade: 2 = about exactly this, 1 = partly
 * relevant; ids absent from the map (or with grade 0) are not relevant.
 */

export type Judgments = Readonly<Record<string, number>>;

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

/** The ids with grade ≥ 1. */
function relevantIds(relevant: Judgments): string[] {
  return Object.keys(relevant).filter((id) => (relevant[id] ?? 0) >= 1);
}

/** The first k distinct ids of a ranking (an engine that repeats an id gets no second credit for it). */
function topDistinct(k: number, rankedIds: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const id of rankedIds) {
    if (seen.size === k) break;
    seen.add(id);
  }
  return [...seen];
}

/**
 * Share of the relevant ids (grade ≥ 1) found in the top k. When a query has more than k relevant ids the
 * denominator is k, so a perfect top k scores 1. Throws when the judgments name no relevant id.
 */
export function recallAt(k: number, rankedIds: readonly string[], relevant: Judgments): number {
  checkK(k);
  const ids = relevantIds(relevant);
  if (ids.length === 0) throw new RangeError('recall is undefined for a query without relevant ids');
  const found = topDistinct(k, rankedIds).filter((id) => (relevant[id] ?? 0) >= 1).length;
  return found / Math.min(k, ids.length);
}

/** Gain of a grade: 2^grade − 1 (grade 2 → 3, grade 1 → 1, 0 → 0). */
function gain(grade: number): number {
  return grade > 0 ? 2 ** grade - 1 : 0;
}

/**
 * Normalised discounted cumulative gain at k: Σ gain(grade at rank i) / log2(i + 1) over the top k
 * (ranks from 1), divided by the same sum for the ideal ranking built from the judgments.
 * Throws when the judgments name no relevant id.
 */
export function ndcgAt(k: number, rankedIds: readonly string[], relevant: Judgments): number {
  checkK(k);
  const grades = relevantIds(relevant).map((id) => relevant[id] as number);
  if (grades.length === 0) throw new RangeError('nDCG is undefined for a query without relevant ids');
  const dcg = topDistinct(k, rankedIds).reduce((sum, id, i) => sum + gain(relevant[id] ?? 0) / Math.log2(i + 2), 0);
  const ideal = grades
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + gain(g) / Math.log2(i + 2), 0);
  return dcg / ideal;
}

export interface QueryResult {
  kind: string;
  recall: number;
  ndcg: number;
}

export interface MeanScores {
  queries: number;
  recall: number;
  ndcg: number;
}

export interface Summary {
  overall: MeanScores;
  /** Per query kind, in the order the kinds first appear. */
  byKind: Record<string, MeanScores>;
}

function mean(rs: readonly QueryResult[]): MeanScores {
  const n = rs.length;
  if (n === 0) return { queries: 0, recall: 0, ndcg: 0 };
  return {
    queries: n,
    recall: rs.reduce((s, r) => s + r.recall, 0) / n,
    ndcg: rs.reduce((s, r) => s + r.ndcg, 0) / n,
  };
}

/** Mean recall and nDCG over all queries (each query weighs the same) and per kind. */
export function summarise(results: readonly QueryResult[]): Summary {
  const groups = new Map<string, QueryResult[]>();
  for (const r of results) {
    const g = groups.get(r.kind);
    if (g) g.push(r);
    else groups.set(r.kind, [r]);
  }
  const byKind: Record<string, MeanScores> = {};
  for (const [kind, rs] of groups) byKind[kind] = mean(rs);
  return { overall: mean(results), byKind };
}
