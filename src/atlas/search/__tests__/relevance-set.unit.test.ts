/**
 * The German relevance set (test/fixtures/atlas/): the corpus is importable as it stands and every judgment
 * points at a project of it. Guards the shape only; the judgments themselves are made by reading, never here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { emptyPractice, LIMITS, PRACTICE_STATUSES, practiceVocabulary, validatePractice } from '../../model.js';

const DIR = new URL('../../../../test/fixtures/atlas/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));

interface ImportRecord {
  externalId: string;
  title: string;
  summary: string;
  description: string;
  regions: string[];
  sectors: string[];
  status: string;
  startYear: number | null;
  endYear: number | null;
  tags: string[];
  url: string;
  source: string;
  licence: string;
}
interface Query {
  id: string;
  kind: string;
  q: string;
  relevant: Record<string, number>;
}

const KINDS = ['inflection', 'compound', 'synonym', 'typo', 'plain', 'question'];
const corpus = read('corpus.json') as { practices: ImportRecord[] };
const relevance = read('relevance.json') as { about: string; queries: Query[] };

describe('atlas relevance corpus', () => {
  const practices = corpus.practices;

  it('has at least 200 practices with unique externalIds', () => {
    assert.ok(Array.isArray(practices) && practices.length >= 200, `only ${practices.length} practices`);
    const ids = practices.map((p) => p.externalId);
    assert.equal(new Set(ids).size, ids.length, 'duplicate externalId');
    for (const id of ids) assert.match(id, /^rel-\d{3}$/);
  });

  it('keeps every summary within the limit and every description between 60 and 150 words', () => {
    for (const p of practices) {
      assert.ok(p.summary.length <= LIMITS.summary, `${p.externalId}: summary has ${p.summary.length} characters`);
      const words = p.description.split(/\s+/).filter(Boolean).length;
      assert.ok(words >= 60 && words <= 150, `${p.externalId}: description has ${words} words`);
    }
  });

  it('uses only sectors of the maturity model (1–2 each), known statuses and region keys of a Gemeinde or Kreis', () => {
    const sectors = practiceVocabulary().sectors;
    for (const p of practices) {
      assert.ok(p.sectors.length >= 1 && p.sectors.length <= 2, `${p.externalId}: ${p.sectors.length} sectors`);
      for (const s of p.sectors) assert.ok(sectors.has(s), `${p.externalId}: unknown sector ${s}`);
      assert.ok((PRACTICE_STATUSES as readonly string[]).includes(p.status), `${p.externalId}: status ${p.status}`);
      assert.ok(p.regions.length >= 1, `${p.externalId}: no region`);
      for (const r of p.regions) assert.match(r, /^(\d{5}|\d{8})$/, `${p.externalId}: region ${r}`);
    }
  });

  it('spreads the regions over all 16 Länder', () => {
    const laender = new Set(practices.flatMap((p) => p.regions.map((r) => r.slice(0, 2))));
    assert.equal(laender.size, 16, [...laender].sort().join(','));
  });

  it('passes the validation the import shares, as complete (publishable) content', () => {
    for (const p of practices) {
      const content = {
        ...emptyPractice(),
        title: p.title,
        summary: p.summary,
        description: p.description,
        regions: p.regions,
        sectors: p.sectors,
        status: p.status as (typeof PRACTICE_STATUSES)[number],
        startYear: p.startYear,
        endYear: p.endYear,
        tags: p.tags,
        links: { website: p.url, repository: '', publiccode: '' },
        source: p.source,
        licence: p.licence,
      };
      assert.deepEqual(validatePractice(content, { complete: true }), [], p.externalId);
    }
  });
});

describe('atlas relevance judgments', () => {
  const queries = relevance.queries;
  const known = new Set(corpus.practices.map((p) => p.externalId));

  it('describes how it was made', () => {
    assert.ok(typeof relevance.about === 'string' && relevance.about.length > 200);
  });

  it('has at least 60 queries with unique ids, at least 10 of each kind', () => {
    assert.ok(queries.length >= 60, `only ${queries.length} queries`);
    assert.equal(new Set(queries.map((q) => q.id)).size, queries.length, 'duplicate query id');
    for (const q of queries) assert.ok(KINDS.includes(q.kind), `${q.id}: unknown kind ${q.kind}`);
    for (const kind of KINDS) {
      const n = queries.filter((q) => q.kind === kind).length;
      assert.ok(n >= 10, `only ${n} ${kind} queries`);
    }
  });

  it('gives every query 1 to 12 relevant projects, each an existing id graded 1 or 2', () => {
    for (const q of queries) {
      assert.ok(q.q.trim() !== '', `${q.id}: empty query`);
      const ids = Object.keys(q.relevant);
      assert.ok(ids.length >= 1 && ids.length <= 12, `${q.id}: ${ids.length} relevant`);
      assert.ok(
        ids.some((id) => q.relevant[id] === 2 || q.relevant[id] === 1),
        `${q.id}: nothing relevant`,
      );
      for (const id of ids) {
        assert.ok(known.has(id), `${q.id}: unknown practice ${id}`);
        assert.ok(q.relevant[id] === 1 || q.relevant[id] === 2, `${q.id}: grade ${q.relevant[id]} for ${id}`);
      }
    }
  });
});
