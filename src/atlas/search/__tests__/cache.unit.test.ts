import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryKey, withResultCache } from '../cache.js';
import { createMemoryEngine, type SearchEngine, type SearchQuery } from '../engine.js';
import { SAMPLE_PRACTICES } from './sample-practices.js';

/** An engine that counts how often it is really asked. */
function counting(): { engine: SearchEngine; calls: () => number } {
  const inner = createMemoryEngine();
  inner.replaceAll(SAMPLE_PRACTICES);
  let n = 0;
  return {
    engine: {
      ...inner,
      replaceAll: (d) => inner.replaceAll(d),
      upsert: (d) => inner.upsert(d),
      remove: (id) => inner.remove(id),
      search(q) {
        n++;
        return inner.search(q);
      },
      suggest: (p, l) => inner.suggest(p, l),
      get size() {
        return inner.size;
      },
    },
    calls: () => n,
  };
}

const q = (text: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({
  q: text,
  filters: {},
  limit: 10,
  offset: 0,
  ...extra,
});

describe('search result cache', () => {
  it('answers a repeated query from the cache with the same result, frozen', () => {
    const { engine, calls } = counting();
    const cached = withResultCache(engine, 10);
    const first = cached.search(q('Bauantrag'));
    const second = cached.search(q('Bauantrag'));
    assert.equal(calls(), 1);
    assert.equal(second, first);
    assert.ok(first.total > 0);
    assert.ok(Object.isFrozen(first.hits[0]));
    assert.deepEqual(cached.stats, { hits: 1, misses: 1, entries: 1, capacity: 10 });
  });

  it('keys on words, filters (in any order), limit and offset', () => {
    assert.equal(
      queryKey(q('Rufbus', { filters: { sector: ['b', 'a'], state: ['09'] } })),
      queryKey(q(' Rufbus ', { filters: { state: ['09'], sector: ['a', 'b'] } })),
    );
    assert.notEqual(queryKey(q('Rufbus')), queryKey(q('Rufbus', { limit: 11 })));
    assert.notEqual(queryKey(q('Rufbus')), queryKey(q('Rufbus', { offset: 10 })));
    assert.notEqual(queryKey(q('Rufbus')), queryKey(q('Rufbus', { filters: { state: ['09'] } })));
    assert.equal(queryKey(q('Rufbus')), queryKey(q('Rufbus', { filters: { state: [] } })));
  });

  it('is emptied by every change of the index, so no answer is stale', () => {
    const { engine, calls } = counting();
    const cached = withResultCache(engine, 10);
    const before = cached.search(q('Bauantrag'));
    const removed = before.hits[0]!.id;
    cached.remove(removed);
    const after = cached.search(q('Bauantrag'));
    assert.equal(calls(), 2);
    assert.ok(!after.hits.some((h) => h.id === removed));
    cached.upsert(SAMPLE_PRACTICES.find((d) => d.id === removed)!);
    assert.ok(cached.search(q('Bauantrag')).hits.some((h) => h.id === removed));
    cached.replaceAll([]);
    assert.equal(cached.search(q('Bauantrag')).total, 0);
    assert.equal(calls(), 4);
  });

  it('drops the least recently used answer beyond its capacity; 0 turns it off', () => {
    const { engine, calls } = counting();
    const cached = withResultCache(engine, 2);
    cached.search(q('Bauantrag'));
    cached.search(q('Rufbus'));
    cached.search(q('Bauantrag')); // now Rufbus is the oldest
    cached.search(q('Glasfaser')); // drops Rufbus
    assert.equal(calls(), 3);
    cached.search(q('Bauantrag'));
    assert.equal(calls(), 3);
    cached.search(q('Rufbus'));
    assert.equal(calls(), 4);
    assert.equal(cached.stats.entries, 2);
    cached.resize(0);
    assert.equal(cached.stats.entries, 0);
    cached.search(q('Rufbus'));
    cached.search(q('Rufbus'));
    assert.equal(calls(), 6);
  });
});
