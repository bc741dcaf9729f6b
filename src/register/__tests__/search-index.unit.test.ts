import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Level } from '../region.js';
import { type IndexEntry, type IndexQuery, SearchIndex, similarity, trigrams } from '../search-index.js';
import { fold, searchForms, translit } from '../search-normalize.js';

function entry(key: string, name: string, population: number | null, extra: Partial<IndexEntry> = {}): IndexEntry {
  const level: Level = key.length === 8 ? 'gemeinde' : key.length === 9 ? 'gemeindeverband' : 'kreis';
  return {
    key,
    level,
    ars: key,
    parentKey: key.slice(0, 5),
    stateKey: key.slice(0, 2),
    kreisKey: key.length >= 5 ? key.slice(0, 5) : null,
    name,
    designationCode: null,
    population,
    areaKm2: null,
    postcode: null,
    validTo: null,
    successorKey: null,
    kreisName: null,
    stateName: null,
    ...searchForms(name),
    ...extra,
  };
}

const index = new SearchIndex([
  entry('09162000', 'München, Landeshauptstadt', 1_510_378, { postcode: '80313' }),
  entry('09184131', 'Kirchheim b.München', 13_392),
  entry('16076049', 'Münchenbernsdorf, Stadt', 2_800),
  entry('09575153', 'Neustadt a.d.Aisch, St', 13_294),
  entry('07316000', 'Neustadt an der Weinstraße, Stadt', 52_945),
  entry('09677170', 'Neustadt a.Main', 1_174),
  entry('08315113', 'Titisee-Neustadt, Stadt', 12_797),
  entry('05162024', 'Neuss, Stadt', 154_317),
  entry('16063001', 'Niederau', 310, { validTo: '2024-12-31', successorKey: '16063010' }),
  entry('091620000', 'München, Landeshauptstadt', 1_510_378, { designationCode: '50' }),
]);

function q(over: Partial<IndexQuery>): IndexQuery {
  const text = over.fold ?? null;
  return {
    digits: null,
    fold: text ? fold(text) : null,
    translit: text ? translit(text) : null,
    levels: null,
    parent: null,
    state: null,
    minPopulation: null,
    maxPopulation: null,
    includeEnded: false,
    sort: 'relevance',
    limit: 20,
    after: null,
    ...over,
    ...(text ? { fold: fold(text), translit: translit(text) } : {}),
  };
}

const keys = (r: { hits: { key: string }[] }) => r.hits.map((h) => h.key);

test('trigrams and similarity follow pg_trgm (hand-computed)', () => {
  assert.deepEqual([...trigrams('mnchen')].sort(), ['  m', ' mn', 'che', 'en ', 'hen', 'mnc', 'nch'].sort());
  // "mnchen" vs "munchen": 5 shared of 7 + 8 − 5 = 10 → 0.5 (pg_trgm says the same)
  assert.equal(similarity(trigrams('mnchen'), trigrams('munchen')), 0.5);
  assert.equal(similarity(trigrams('abc'), trigrams('abc')), 1);
  assert.equal(similarity(trigrams(''), trigrams('abc')), 0);
});

test('accent-, case- and typo-tolerant, prefix while typing', () => {
  for (const text of ['München', 'munchen', 'MUENCHEN', 'Münch', 'Mnchen']) {
    assert.equal(keys(index.search(q({ fold: text })))[0], '09162000', text);
  }
  // the verbandsfreie duplicate (Textkennzeichen 50) is left out unless levels are asked for
  assert.ok(!keys(index.search(q({ fold: 'München' }))).includes('091620000'));
  assert.ok(keys(index.search(q({ fold: 'München', levels: ['gemeindeverband'] }))).includes('091620000'));
});

test('ranking: exact name, then prefix by size, then word prefix; no fuzzy noise when something matches', () => {
  const r = index.search(q({ fold: 'Neustadt' }));
  assert.deepEqual(keys(r), ['07316000', '09575153', '09677170', '08315113']);
  assert.ok(!keys(r).includes('05162024'), 'Neuss is not a Neustadt');
  assert.equal(r.total, 4);
});

test('digits: exact key first, key prefix, postcode', () => {
  assert.deepEqual(keys(index.search(q({ digits: '09162000' }))), ['09162000']);
  assert.deepEqual(keys(index.search(q({ digits: '80313' }))), ['09162000']);
  assert.deepEqual(keys(index.search(q({ digits: '0957' }))), ['09575153']);
});

test('filters and ended regions', () => {
  assert.deepEqual(keys(index.search(q({ fold: 'Niederau' }))), []);
  assert.deepEqual(keys(index.search(q({ fold: 'Niederau', includeEnded: true }))), ['16063001']);
  assert.deepEqual(keys(index.search(q({ fold: 'Neustadt', state: '09' }))), ['09575153', '09677170']);
  assert.deepEqual(keys(index.search(q({ fold: 'Neustadt', minPopulation: 13_000, maxPopulation: 20_000 }))), [
    '09575153',
  ]);
});

test('keyset cursor: pages cover every row exactly once, in order', () => {
  for (const sort of ['relevance', 'name', 'population', '-population', 'key'] as const) {
    const all = keys(index.search(q({ sort, limit: 100 })));
    const seen: string[] = [];
    let after: (string | number)[] | null = null;
    for (let i = 0; i < 20; i++) {
      const page = index.search(q({ sort, limit: 3, after }));
      if (page.hits.length === 0) break;
      seen.push(...keys(page));
      after = page.hits[page.hits.length - 1]!.sortTuple;
    }
    assert.deepEqual(seen, all, sort);
  }
  const byPop = keys(index.search(q({ sort: '-population', limit: 3 })));
  assert.deepEqual(byPop, ['09162000', '05162024', '07316000']);
});

test('ranking tiers: an exact name comes before a prefix match, even a much larger one', () => {
  // "Au" is a small Gemeinde; "Augsburg" is much larger and only starts with the query. Population decides
  // within a tier, never across tiers.
  const tiers = new SearchIndex([
    entry('09772111', 'Augsburg, Stadt', 296_582),
    entry('09189112', 'Au i.d.Hallertau, M', 6_300),
    entry('08315003', 'Au', 1_300),
    entry('09179113', 'Aufkirchen', 3_100),
    entry('09762000', 'Bad Aussee', 900),
  ]);
  const names = tiers.search(q({ fold: 'Au' })).hits.map((h) => h.name);
  assert.deepEqual(
    names,
    ['Au', 'Augsburg, Stadt', 'Au i.d.Hallertau, M', 'Aufkirchen', 'Bad Aussee'],
    'exact name, then name prefixes by population, then word prefixes',
  );
});
