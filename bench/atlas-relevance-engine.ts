/**
 * Relevance of the in-process practice search on a judged German set: recall@10 and nDCG@10 per query kind and
 * overall. `node --import tsx bench/atlas-relevance-engine.ts <corpus.json> <relevance.json> [--verbose]`.
 * corpus.json: { practices: [{ externalId, title, summary, description, tags }] };
 * relevance.json: { queries: [{ id, kind, q, relevant: { <externalId>: 1 | 2 } }] } (2 = highly relevant).
 */
import fs from 'node:fs';
import { EMPTY_FACETS } from '../src/atlas/search/__tests__/sample-practices.js';
import { loadLexicon, loadThesaurus } from '../src/atlas/search/analysis.js';
import { createMemoryEngine, type SearchEngine } from '../src/atlas/search/engine.js';

interface Practice {
  externalId: string;
  title: string;
  summary?: string;
  description?: string;
  tags?: string[];
}
interface Judged {
  id: string;
  kind: string;
  q: string;
  relevant: Record<string, number>;
}

export interface RelevanceRow {
  kind: string;
  queries: number;
  recall10: number;
  ndcg10: number;
}

const K = 10;

/** Markdown to plain text, roughly (the module strips it properly). */
const plain = (md: string) => md.replace(/[#*_`>[\]()]/g, ' ');

export function indexCorpus(practices: readonly Practice[]): { engine: SearchEngine; externalIds: string[] } {
  const engine = createMemoryEngine({ lexicon: loadLexicon(), thesaurus: loadThesaurus() });
  engine.replaceAll(
    practices.map((p, i) => ({
      id: i,
      title: p.title,
      summary: p.summary ?? '',
      tags: p.tags ?? [],
      description: plain(p.description ?? ''),
      facets: EMPTY_FACETS,
      sortKey: i,
    })),
  );
  return { engine, externalIds: practices.map((p) => p.externalId) };
}

function ndcg(ranked: string[], relevant: Record<string, number>): number {
  const dcg = ranked.slice(0, K).reduce((s, id, i) => s + (2 ** (relevant[id] ?? 0) - 1) / Math.log2(i + 2), 0);
  const ideal = Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, K)
    .reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

function recall(ranked: string[], relevant: Record<string, number>): number {
  const rel = Object.keys(relevant).filter((id) => (relevant[id] ?? 0) > 0);
  if (rel.length === 0) return 0;
  const top = new Set(ranked.slice(0, K));
  // recall@10 of queries with more than ten relevant documents is measured against the ten best possible
  return rel.filter((id) => top.has(id)).length / Math.min(K, rel.length);
}

export function evaluate(
  engine: SearchEngine,
  externalIds: readonly string[],
  queries: readonly Judged[],
  verbose = false,
): RelevanceRow[] {
  const byKind = new Map<string, { r: number[]; n: number[] }>();
  for (const q of queries) {
    const res = engine.search({ q: q.q, filters: {}, limit: K, offset: 0 });
    const ranked = res.hits.map((h) => externalIds[h.id]!);
    const r = recall(ranked, q.relevant);
    const n = ndcg(ranked, q.relevant);
    for (const kind of [q.kind, 'overall']) {
      const e = byKind.get(kind) ?? { r: [], n: [] };
      e.r.push(r);
      e.n.push(n);
      byKind.set(kind, e);
    }
    if (verbose && (r < 1 || n < 0.8)) {
      const missing = Object.keys(q.relevant).filter((id) => !ranked.includes(id));
      console.log(
        `  ${q.id} [${q.kind}] "${q.q}" recall ${r.toFixed(2)} nDCG ${n.toFixed(2)} total ${res.total}` +
          (res.corrected.length ? ` corrected ${res.corrected.map((c) => `${c.from}→${c.to}`).join(',')}` : '') +
          `\n     missing ${missing.join(' ')}\n     got ${ranked.map((id) => `${id}${q.relevant[id] ? `(${q.relevant[id]})` : ''}`).join(' ')}`,
      );
    }
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
  return [...byKind].map(([kind, e]) => ({
    kind,
    queries: e.r.length,
    recall10: Math.round(mean(e.r) * 1000) / 1000,
    ndcg10: Math.round(mean(e.n) * 1000) / 1000,
  }));
}

function main(): number {
  const [corpusFile, relevanceFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!corpusFile || !relevanceFile) {
    console.error(
      'usage: node --import tsx bench/atlas-relevance-engine.ts <corpus.json> <relevance.json> [--verbose]',
    );
    return 2;
  }
  const corpus = JSON.parse(fs.readFileSync(corpusFile, 'utf8')) as { practices: Practice[] };
  const judged = JSON.parse(fs.readFileSync(relevanceFile, 'utf8')) as { queries: Judged[] };
  const t0 = performance.now();
  const { engine, externalIds } = indexCorpus(corpus.practices);
  const buildMs = performance.now() - t0;
  const rows = evaluate(engine, externalIds, judged.queries, process.argv.includes('--verbose'));
  console.log(
    `\nPractice search relevance: ${corpus.practices.length} practices, ${judged.queries.length} queries (index ${Math.round(buildMs)} ms)`,
  );
  console.log(`  ${'kind'.padEnd(18)} queries  recall@10  nDCG@10`);
  for (const r of rows.sort((a, b) =>
    a.kind === 'overall' ? 1 : b.kind === 'overall' ? -1 : a.kind < b.kind ? -1 : 1,
  ))
    console.log(
      `  ${r.kind.padEnd(18)} ${String(r.queries).padStart(7)}  ${r.recall10.toFixed(3).padStart(9)}  ${r.ndcg10.toFixed(3).padStart(7)}`,
    );
  const all = rows.find((r) => r.kind === 'overall')!;
  console.log(
    `  target recall@10 ≥ 0.9: ${all.recall10 >= 0.9 ? 'PASS' : 'MISS'}, nDCG@10 ≥ 0.8: ${all.ndcg10 >= 0.8 ? 'PASS' : 'MISS'}`,
  );
  return 0;
}

if (process.argv[1]?.endsWith('atlas-relevance-engine.ts')) process.exit(main());
