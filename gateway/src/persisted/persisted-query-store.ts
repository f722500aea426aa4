import type { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * Where automatic persisted queries live: document text by SHA-256 hash (hex). Both methods may
 * fail (a Redis outage); callers treat a failed `get` as not found and ignore a failed `set`,
 * so a store fault never fails a request.
 */
export interface PersistedQueryStore {
  /** The document registered under `hash`, or `undefined`. */
  get(hash: string): Promise<string | undefined>;
  /** Registers `document` under `hash` (which the caller has checked is its SHA-256). */
  set(hash: string, document: string): Promise<void>;
}

/** An in-process store bounded in bytes (UTF-16 length × 2 as the size of each document). */
export function createLruPersistedQueryStore(options: { maxBytes: number }): PersistedQueryStore {
  const cache = new LRUCache<string, string>({ maxSize: options.maxBytes, sizeCalculation: (document, hash) => (document.length + hash.length) * 2 });
  return {
    async get(hash) {
      return cache.get(hash);
    },
    async set(hash, document) {
      cache.set(hash, document);
    },
  };
}

/**
 * A Redis store shared by every gateway instance: key `<prefix>apq:<hash>`, value the document,
 * with a TTL (`SET … EX`), so that unused documents expire. One key per command: on a Redis
 * Cluster the documents spread over every master by their hash (no hash tag).
 */
export function createRedisPersistedQueryStore(options: { redis: Pick<Redis, 'get' | 'set'> | Pick<Cluster, 'get' | 'set'>; keyPrefix: string; ttlS: number }): PersistedQueryStore {
  const key = (hash: string) => `${options.keyPrefix}apq:${hash}`;
  return {
    async get(hash) {
      return (await options.redis.get(key(hash))) ?? undefined;
    },
    async set(hash, document) {
      await options.redis.set(key(hash), document, 'EX', options.ttlS);
    },
  };
}

/**
 * L1 in process over L2 shared: reads L1, then L2 (a hit fills L1); writes both. A failing L2
 * reads as a miss and its write failure is reported to `onError`, never thrown.
 */
export function createTieredPersistedQueryStore(l1: PersistedQueryStore, l2: PersistedQueryStore, onError: (error: Error) => void): PersistedQueryStore {
  return {
    async get(hash) {
      const local = await l1.get(hash);
      if (local !== undefined) return local;
      try {
        const shared = await l2.get(hash);
        if (shared !== undefined) await l1.set(hash, shared);
        return shared;
      } catch (error) {
        onError(error as Error);
        return undefined;
      }
    },
    async set(hash, document) {
      await l1.set(hash, document);
      try {
        await l2.set(hash, document);
      } catch (error) {
        onError(error as Error);
      }
    },
  };
}
