import { LRUCache } from 'lru-cache';
import type { CacheEntry, ResponseCacheStore } from './cache-entry.js';

/** Options of {@link createLruStore}. */
export interface LruStoreOptions {
  /** Bound on the entries' size: body and tags as UTF-16, so bytes ≈ 2 × characters. */
  maxBytes: number;
  /** Called when an entry leaves for room or age (not on invalidation). */
  onEvict?: (reason: 'size' | 'expired') => void;
}

/** What {@link createLruStore} returns: a store plus its size, for metrics. */
export interface LruStore extends ResponseCacheStore {
  readonly entries: number;
  readonly bytes: number;
}

/**
 * The in-process tier (L1): `lru-cache` bounded in bytes, each entry with its TTL, and a tag
 * index (tag → keys) kept in step through `dispose`, so that invalidation touches only the
 * entries that carry a tag.
 */
export function createLruStore(options: LruStoreOptions): LruStore {
  const byTag = new Map<string, Set<string>>();
  const unindex = (key: string, entry: CacheEntry) => {
    for (const tag of entry.tags) {
      const keys = byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) byTag.delete(tag);
    }
  };
  const cache = new LRUCache<string, CacheEntry>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry, key) => 2 * (entry.body.length + key.length + entry.tags.reduce((n, t) => n + t.length, 0)) + 64,
    ttlAutopurge: false,
    dispose: (entry, key, reason) => {
      unindex(key, entry);
      if (reason === 'evict') options.onEvict?.('size');
      else if (reason === 'expire') options.onEvict?.('expired');
    },
  });
  return {
    get entries() {
      return cache.size;
    },
    get bytes() {
      return cache.calculatedSize;
    },
    async get(key) {
      return cache.get(key);
    },
    async set(key, entry) {
      cache.set(key, entry, { ttl: Math.max(1, entry.storedAt + entry.ttlMs - Date.now()) });
      if (!cache.has(key)) return; // larger than the whole cache
      for (const tag of entry.tags) {
        let keys = byTag.get(tag);
        if (!keys) byTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
    },
    async invalidate(tags) {
      const keys = new Set<string>();
      for (const tag of tags) for (const key of byTag.get(tag) ?? []) keys.add(key);
      for (const key of keys) cache.delete(key);
      return keys.size;
    },
    async clear() {
      cache.clear();
      byTag.clear();
    },
  };
}
