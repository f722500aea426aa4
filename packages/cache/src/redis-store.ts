import type { Redis } from 'ioredis';
import { type CacheEntry, type ResponseCacheStore } from './cache-entry.js';
import { createRedisTier } from './redis-tier.js';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  redis: Redis;
  /** Prefix of every key (`tributary:`). */
  keyPrefix: string;
}

/**
 * The response cache's L2 (`createRedisTier`, namespace `rc`, with epochs) entry by entry: entry
 * `<prefix>rc:<epoch>:e:<key>` holding the entry's JSON, tag sets `<prefix>rc:<epoch>:z:<tag>`.
 * The gateway reaches the same keys through `createTieredStore` with `cacheEntryCodec`; this view
 * is for tools and tests that fill or read L2 directly. `clear` moves to a new epoch (now).
 */
export function createRedisStore(options: RedisStoreOptions): ResponseCacheStore {
  const tier = createRedisTier({ redis: options.redis, keyPrefix: options.keyPrefix, namespace: 'rc' });
  return {
    async get(key) {
      const text = await tier.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as CacheEntry);
    },
    async set(key, entry) {
      await tier.set(key, JSON.stringify(entry), entry.tags, entry.storedAt + entry.ttlMs - Date.now());
    },
    invalidate: (tags) => tier.invalidate(tags),
    clear: () => tier.useEpoch(String(Date.now())),
  };
}
