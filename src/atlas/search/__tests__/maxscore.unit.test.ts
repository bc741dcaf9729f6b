import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadLexicon, loadThesaurus } from '../analysis.js';
import { createMemoryEngine, lastScored, type SearchDoc, type SearchQuery, setMaxScore } from '../engine.js';
import { EMPTY_FACETS } from './sample-practices.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// words with thesaurus synonyms, narrower terms and compound parts, and filler
const TOPIC = [
  'Verwaltungsdigitalisierung',
  'Digitalisierung',
  'Verwaltung',
  'E-Government',
  'Open Data',
  'offene Daten',
  'OZG',
  'Onlinezugangsgesetz',
  'Onlinedienst',
  'Serviceportal',
  'Nutzerkonto',
  'ÖPNV',
  'Bürgerbus',
  'Rufbus',
  'Breitband',
  'Mobilfunk',
  'Bürgerbeteiligung',
  'Jugendbeteiligung',
  'Leerstand',
  'Zwischennutzung',
];
const FILLER = ['Projekt', 'Gemeinde', 'Landkreis', 'Region', 'Angebot', 'Plattform', 'Einwohner', 'Ziel', 'neu'];

function corpus(n: number, seed: number): SearchDoc[] {
  const r = rng(seed);
  const pick = (list: readonly string[]) => list[Math.floor(r() * list.length)]!;
  const text = (words: number) =>
    Array.from({ length: words }, () => (r() < 0.35 ? pick(TOPIC) : pick(FILLER))).join(' ');
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    title: text(1 + Math.floor(r() * 4)),
    summary: text(Math.floor(r() * 10)),
    tags: r() < 0.5 ? [pick(TOPIC)] : [],
    description: text(Math.floor(r() * 40)),
    facets: {
      ...EMPTY_FACETS,
      sector: [pick(['verwaltung', 'mobilitaet', 'bildung'])],
      state: [pick(['01', '09', '14'])],
      sizeClass: [pick(['0-5000', '5000-20000'])],
      status: [pick(['operation', 'pilot'])],
    },
    // few distinct sort keys: score ties are broken by the sort key and then the id
    sortKey: Math.floor(r() * 5),
  }));
}

const QUERIES = [
  'Verwaltungsdigitalisierung',
  'Open Data',
  'OZG',
  'Digitalisierung der Verwaltung',
  'Bürgerbus ÖPNV',
  'Breitband Mobilfunk Region',
  'Wie bekommt die Gemeinde ein Serviceportal?',
  'Leerstand',
  'Projekt',
  'Jugendbeteiligung Plattform',
];

describe('MaxScore pruning of the ranked search', () => {
  it('returns exactly what scoring every posting returns, on a random corpus', () => {
    const docs = corpus(2500, 7);
    const opts = { lexicon: loadLexicon(), thesaurus: loadThesaurus() };
    const fast = createMemoryEngine(opts);
    const full = createMemoryEngine(opts);
    fast.replaceAll(docs);
    full.replaceAll(docs);
    setMaxScore(full, false);
    const r = rng(11);
    let pruned = 0;
    for (let round = 0; round < 3; round++) {
      for (const text of QUERIES) {
        for (const filters of [{}, { sector: ['verwaltung'] }, { state: ['09', '14'], status: ['pilot'] }]) {
          for (const [limit, offset] of [
            [10, 0],
            [10, 190],
            [20, 250],
          ] as const) {
            const query: SearchQuery = { q: text, filters, limit, offset };
            const a = fast.search(query);
            const scoredFast = lastScored(fast);
            const b = full.search(query);
            assert.deepEqual(a, b, `${text} ${JSON.stringify(filters)} ${offset}`);
            if (scoredFast < lastScored(full)) pruned++;
          }
        }
      }
      // a change (new generation, other lengths and idf) between the rounds
      for (let i = 0; i < 50; i++) {
        const d = docs[Math.floor(r() * docs.length)]!;
        const changed = { ...d, title: `${d.title} ${TOPIC[i % TOPIC.length]}` };
        fast.upsert(changed);
        full.upsert(changed);
      }
      fast.remove(docs[round]!.id);
      full.remove(docs[round]!.id);
    }
    // the pruning did happen (else the comparison proves nothing)
    assert.ok(pruned > 20, `pruned in ${pruned} searches`);
  });
});
