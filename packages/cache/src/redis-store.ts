import type { Cluster, Redis } from 'ioredis';
import type { CacheEntry, ResponseCacheStore } from './cache-entry.js';
import { createRedisTier } from './redis-tier.js';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** One server's connection, or a cluster client (`redis.isCluster`: keys are then bucketed, see `createRedisTier`). */
  redis: Redis | Cluster;
  /** Prefix of every key (`tributary:`). */
  keyPrefix: string;
  /** On a cluster: how many slot buckets (default `DEFAULT_CLUSTER_BUCKETS`, 16). Ignored on one server. */
  clusterBuckets?: number;
}

/**
 * The response cache's L2 (`createRedisTier`, namespace `rc`, with epochs) entry by entry: entry
 * `<prefix>rc:<epoch>:<bucket>e:<key>` holding the entry's JSON, tag sets
 * `<prefix>rc:<epoch>:<bucket>z:<tag>` (`<bucket>` empty on one server, a hash tag on a cluster).
 * The gateway reaches the same keys through `createTieredStore` with `cacheEntryCodec`; this view
 * is for tools and tests that fill or read L2 directly. `clear` moves to a new epoch (now).
 */
export function createRedisStore(options: RedisStoreOptions): ResponseCacheStore {
  const tier = createRedisTier({ redis: options.redis, keyPrefix: options.keyPrefix, namespace: 'rc', clusterBuckets: options.clusterBuckets });
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
