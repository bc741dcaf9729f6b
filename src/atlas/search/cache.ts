/**
 * A result cache in front of a `SearchEngine` (ADR 0016, like Solr's queryResultCache): the answers to the most
 * recent distinct queries (words, filters, limit and offset), least recently used dropped first. Every change of
 * the index (replaceAll, upsert, remove) empties it, so an answer is never older than the index it came from.
 * Cached answers are shared between callers and frozen; nobody may change them.
 */
import type { SearchEngine, SearchQuery, SearchResult } from './engine.js';

export interface CachedEngine extends SearchEngine {
  /** Hits and misses since the engine was made (for the bench and the metrics). */
  readonly stats: { hits: number; misses: number; entries: number; capacity: number };
  /** Change the capacity (0 turns the cache off); drops the oldest answers beyond it. */
  resize(capacity: number): void;
}

/** The key of a query: filter values sorted, so that `sector=a,b` and `sector=b,a` share one entry. */
export function queryKey(q: SearchQuery): string {
  const filters = Object.entries(q.filters)
    .filter(([, values]) => values && values.length > 0)
    .map(([facet, values]) => [facet, [...(values ?? [])].sort()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([q.q.trim(), filters, q.limit, q.offset]);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** `engine` with a cache of at most `capacity` answers (0: no cache, the engine itself). */
export function withResultCache(engine: SearchEngine, capacity: number): CachedEngine {
  const entries = new Map<string, SearchResult>();
  const stats = { hits: 0, misses: 0, entries: 0, capacity };
  const clear = () => {
    entries.clear();
    stats.entries = 0;
  };
  return {
    replaceAll(docs) {
      clear();
      engine.replaceAll(docs);
    },
    upsert(doc) {
      clear();
      engine.upsert(doc);
    },
    remove(id) {
      clear();
      engine.remove(id);
    },
    search(q) {
      if (capacity <= 0) {
        stats.misses++;
        return engine.search(q);
      }
      const key = queryKey(q);
      const hit = entries.get(key);
      if (hit) {
        stats.hits++;
        // Most recently used last: a Map iterates in insertion order, so the first key is the oldest.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      stats.misses++;
      const result = deepFreeze(engine.search(q));
      entries.set(key, result);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
      stats.entries = entries.size;
      return result;
    },
    resize(next) {
      stats.capacity = capacity = Math.max(0, Math.floor(next));
      while (entries.size > capacity) entries.delete(entries.keys().next().value as string);
      stats.entries = entries.size;
    },
    suggest: (prefix, limit) => engine.suggest(prefix, limit),
    get size() {
      return engine.size;
    },
    get stats() {
      return stats;
    },
  };
}
