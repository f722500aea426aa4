export { type ChangeEvent, PRIVATE_TAG, eventFromTag, tagsOf } from './change-event.js';
export { type ChangeMap, type RowChange, type TableChangeSource, createChangeMap } from './change-map.js';
export { type InvalidationBus, type BusConnectionHandlers, type RedisBusOptions, BUS_HEARTBEAT_MS, BUS_LOSS_BOUND_MS, BUS_SILENCE_MS, createInProcessBus, createRedisBus } from './bus.js';
export { type CacheEntry, type ResponseCacheStore, cacheEntryCodec, remainingSeconds } from './cache-entry.js';
export { type RedisStoreOptions, createRedisStore } from './redis-store.js';
export { type ChangeFeed, createChangeFeed } from './change-feed.js';
export {
  type InvalidateOutcome,
  type L1Tier,
  type L2Tier,
  type SetOptions,
  type SetOutcome,
  type StoredEntry,
  type TieredHit,
  type TieredStore,
  type TieredStoreCodec,
  type TieredStoreOptions,
  DEFAULT_INVALIDATION_MEMORY_MS,
} from './tiered-store.js';
export { createTieredStore } from './create-tiered-store.js';
export { type FreshnessLedger, createFreshnessLedger } from './freshness-ledger.js';
export { type LruTierOptions, createLruTier } from './lru-tier.js';
export { type RedisTierOptions, DEFAULT_CLUSTER_BUCKETS, createRedisTier } from './redis-tier.js';
export { type SlotBuckets, CLUSTER_SLOTS, singleBucket, slotBuckets } from './slot-buckets.js';
export { jsonCodec, textCodec } from './codecs.js';
export {
  type RedisConnectionOptions,
  REDIS_BACKOFF,
  REDIS_HUNG_RECONNECT_MS,
  REDIS_MAX_BUFFERED_BYTES,
  REDIS_MAX_PENDING,
  RedisUnavailableError,
  type RedisClient,
  createRedisConnection,
  createServerConnection,
  pendingCommands,
} from './create-redis-connection.js';
export { type ClusterConnectionOptions, clusterPendingCommands, createClusterConnection, watchClusterMasters } from './create-cluster-connection.js';
export { type ClusterSeed, type RedisTarget, parseRedisTarget, parseSeeds, redisUrlFromEnv } from './redis-target.js';
export { type BusFromEnvOptions, BUS_ERROR_CODES, BUS_PUBLISH_TIMEOUT_MS, createBusFromEnv } from './create-bus-from-env.js';
export { type L2Coverage, COVERAGE_TTL_MS, createL2Coverage } from './l2-coverage.js';
export { type BusSubscribers, createBusSubscribers } from './bus-subscribers.js';
