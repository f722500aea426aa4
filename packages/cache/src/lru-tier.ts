import { LRUCache } from 'lru-cache';
import type { L1Tier, StoredEntry } from './tiered-store.js';

/** Options of {@link createLruTier}. */
export interface LruTierOptions<V> {
  /** Bound on the entries' size, in bytes (as {@link sizeOf} and the overhead count them). Required, > 0. */
  maxBytes: number;
  /**
   * Size of a value in bytes. Default: 2 × its length for a string, 2 × the length of its JSON
   * otherwise (UTF-16). Each entry also counts 2 × (key + tags) characters and 64 bytes.
   */
  sizeOf?: (value: V) => number;
  /** Called when an entry leaves for room (`size`) or age (`expired`, seen on access); not on invalidation or clear. Default: none. */
  onEvict?: (reason: 'size' | 'expired') => void;
}

/** Fixed cost counted per entry, in bytes (the record and the index). */
const ENTRY_OVERHEAD_BYTES = 64;

const defaultSizeOf = (value: unknown) => 2 * (typeof value === 'string' ? value.length : JSON.stringify(value).length);

/**
 * The in-process tier (L1): `lru-cache` bounded in bytes, and a tag index (tag → keys) kept in
 * step through `dispose`, so that invalidation touches only the entries that carry a tag.
 * Expiry is checked on access against the caller's `now` (no timers), so a fake clock drives it.
 */
export function createLruTier<V>(options: LruTierOptions<V>): L1Tier<V> {
  const sizeOf = options.sizeOf ?? defaultSizeOf;
  const byTag = new Map<string, Set<string>>();
  const unindex = (key: string, entry: StoredEntry<V>) => {
    for (const tag of entry.tags) {
      const keys = byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) byTag.delete(tag);
    }
  };
  const cache = new LRUCache<string, StoredEntry<V>>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry, key) => sizeOf(entry.value) + 2 * (key.length + entry.tags.reduce((n, t) => n + t.length, 0)) + ENTRY_OVERHEAD_BYTES,
    dispose: (entry, key, reason) => {
      unindex(key, entry);
      if (reason === 'evict') options.onEvict?.('size');
    },
  });
  return {
    get entries() {
      return cache.size;
    },
    get bytes() {
      return cache.calculatedSize;
    },
    get(key, now) {
      const entry = cache.get(key);
      if (entry === undefined || entry.expiresAt > now) return entry;
      cache.delete(key);
      options.onEvict?.('expired');
      return undefined;
    },
    set(key, entry) {
      cache.set(key, entry);
      if (!cache.has(key)) return false; // larger than the whole tier
      for (const tag of entry.tags) {
        let keys = byTag.get(tag);
        if (!keys) byTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
      return true;
    },
    invalidate(tags) {
      const keys = new Set<string>();
      for (const tag of tags) for (const key of byTag.get(tag) ?? []) keys.add(key);
      for (const key of keys) cache.delete(key);
      return keys.size;
    },
    clear() {
      cache.clear();
      byTag.clear();
    },
  };
}
