import type { CacheEntry, LruStore, ResponseCacheStore } from '@tributary/cache';

/**
 * Where the entity cache keeps its entries: two tiers behind one small contract, so that moving
 * to the shared tiered store of `@tributary/cache` changes this file only.
 * An entry is a {@link CacheEntry}: `body` is the JSON of one entity (or of a root fetch's
 * `data`) exactly as the subgraph answered it to the tagged fetch; `tags`, `scope`, `readAt`
 * and `ttlMs` as for responses.
 */
export interface EntityStore {
  /**
   * The entry under `key`: L1, else L2 (when fresh, see {@link EntityStoreOptions.isFresh}; then
   * copied into L1). A failing L2 is a miss. `l1-only`: L1 alone.
   */
  get(key: string, tiers?: 'l1-only'): Promise<{ entry: CacheEntry; tier: 'l1' | 'l2' } | undefined>;
  /** Stores in L1 (awaited) and in L2 without waiting for it (its failure is reported, not thrown). */
  set(key: string, entry: CacheEntry): Promise<void>;
}

/** Options of {@link createEntityStore}. */
export interface EntityStoreOptions {
  /** The in-process tier (an LRU bounded in bytes, tag-indexed). */
  l1: LruStore;
  /** The shared tier (Redis); absent without `REDIS_URL` or with `CACHE_L2=off`. */
  l2?: ResponseCacheStore;
  /**
   * Whether an entry read at `readAt` and carrying `tags` may be used here: false when this
   * instance applied an invalidation of one of its tags since (L2 may still hold it briefly).
   */
  isFresh(readAt: number, tags: readonly string[]): boolean;
  /** A failed L2 read or write (Redis down: the entity cache then runs on L1). */
  onError(error: Error): void;
}

/** The two tiers of the entity cache (see {@link EntityStore}). */
export function createEntityStore(options: EntityStoreOptions): EntityStore {
  const { l1, l2 } = options;
  return {
    async get(key, tiers) {
      const local = await l1.get(key);
      if (local) return { entry: local, tier: 'l1' };
      if (!l2 || tiers === 'l1-only') return undefined;
      const shared = await l2.get(key).catch((error: Error) => void options.onError(error));
      if (!shared || !options.isFresh(shared.readAt, shared.tags)) return undefined;
      await l1.set(key, shared);
      return { entry: shared, tier: 'l2' };
    },
    async set(key, entry) {
      await l1.set(key, entry);
      void l2?.set(key, entry).catch((error: Error) => options.onError(error));
    },
  };
}
