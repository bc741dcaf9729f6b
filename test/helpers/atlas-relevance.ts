/**
 * The German relevance measurement of the practice search (issue 10, ADR 0016): the hand-judged set in
 * test/fixtures/atlas/ (221 projects, 78 queries of six kinds) imported into a database with real register keys,
 * every query run through the platform's search and through PostgreSQL's `german` full-text search on the same
 * database, recall@10 and nDCG@10 for both. Used by the integration test (thresholds) and by bench/atlas-relevance.ts.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { germanFullTextSearch } from '../../src/atlas/atlas.repository.js';
import { parsePracticesFile } from '../../src/atlas/import.js';
import { importPractices } from '../../src/atlas/import.service.js';
import { ndcgAt, recallAt, type Summary, summarise } from '../../src/atlas/search/metrics.js';
import { searchPractices } from '../../src/atlas/search.service.js';
import type { Db } from '../../src/platform/db/db.js';

export const CORPUS = fileURLToPath(new URL('../fixtures/atlas/corpus.json', import.meta.url));
export const RELEVANCE = fileURLToPath(new URL('../fixtures/atlas/relevance.json', import.meta.url));

interface Query {
  id: string;
  kind: string;
  q: string;
  relevant: Record<string, number>;
}

export interface RelevanceReport {
  ours: Summary;
  baseline: Summary;
  perQuery: {
    id: string;
    kind: string;
    q: string;
    ours: number;
    baseline: number;
    oursNdcg: number;
    baselineNdcg: number;
  }[];
}

/** Import the corpus (published) into `db`, which must hold the GV100AD 2025 register. */
export async function importCorpus(db: Db): Promise<Map<number, string>> {
  const records = parsePracticesFile('corpus.json', fs.readFileSync(CORPUS));
  await importPractices(db, 'corpus.json', records, { publish: true, now: new Date(), actorUserId: null });
  const rows = await db.query<{ id: number; externalId: string }>(
    'SELECT id::int AS id, external_id AS "externalId" FROM practices WHERE external_id IS NOT NULL',
  );
  return new Map(rows.map((r) => [r.id, r.externalId]));
}

export async function evaluateRelevance(db: Db, externalIds: ReadonlyMap<number, string>): Promise<RelevanceReport> {
  const { queries } = JSON.parse(fs.readFileSync(RELEVANCE, 'utf8')) as { queries: Query[] };
  const ours: { kind: string; recall: number; ndcg: number }[] = [];
  const baseline: { kind: string; recall: number; ndcg: number }[] = [];
  const perQuery: RelevanceReport['perQuery'] = [];
  for (const q of queries) {
    const mine = (await searchPractices(db, { q: q.q, filters: {}, limit: 10, offset: 0 })).hits.map(
      (h) => externalIds.get(h.row.id) ?? '',
    );
    const pg = (await germanFullTextSearch(db, q.q, 10)).map((id) => externalIds.get(id) ?? '');
    const o = { kind: q.kind, recall: recallAt(10, mine, q.relevant), ndcg: ndcgAt(10, mine, q.relevant) };
    const b = { kind: q.kind, recall: recallAt(10, pg, q.relevant), ndcg: ndcgAt(10, pg, q.relevant) };
    ours.push(o);
    baseline.push(b);
    perQuery.push({
      id: q.id,
      kind: q.kind,
      q: q.q,
      ours: o.recall,
      baseline: b.recall,
      oursNdcg: o.ndcg,
      baselineNdcg: b.ndcg,
    });
  }
  return { ours: summarise(ours), baseline: summarise(baseline), perQuery };
}

/** The report as a table (kind, queries, recall@10 and nDCG@10 of both). */
export function formatRelevance(r: RelevanceReport, label: string): string {
  const f = (n: number) => n.toFixed(3);
  const lines = [`German relevance set on ${label}: recall@10 / nDCG@10 — Kommunallotse search vs PostgreSQL 'german'`];
  lines.push(
    `  overall   (${r.ours.overall.queries}): ${f(r.ours.overall.recall)} / ${f(r.ours.overall.ndcg)}   vs ${f(r.baseline.overall.recall)} / ${f(r.baseline.overall.ndcg)}`,
  );
  for (const [kind, s] of Object.entries(r.ours.byKind)) {
    const b = r.baseline.byKind[kind]!;
    lines.push(`  ${kind.padEnd(10)}(${s.queries}): ${f(s.recall)} / ${f(s.ndcg)}   vs ${f(b.recall)} / ${f(b.ndcg)}`);
  }
  return lines.join('\n');
}
