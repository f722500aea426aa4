import { type RedisClient, type TieredStore, createLruTier, createRedisTier, createTieredStore } from '@tributary/cache';

/**
 * One cached entity (or root fetch's `data`): the JSON exactly as the subgraph answered the
 * tagged fetch, and whether it lives under a principal's key.
 */
export interface EntityValue {
  body: string;
  scope: 'public' | 'private';
}

/**
 * The entity cache's storage: `createTieredStore` of `@tributary/cache`, L1 in process over L2 in
 * Redis (namespace `ec`), with store-time freshness, tags, TTLs and flush epochs. L2 writes never
 * block a response, and an L2 failure is reported and read as a miss (Redis down: L1 alone).
 * The gateway's `CacheInvalidator` evicts it with the same events as the response cache.
 */
export type EntityStore = TieredStore<EntityValue> & {
  /** Entries and approximate bytes in L1 now (for metrics). */
  size(): { entries: number; bytes: number };
};

/** What an L1 entry costs beside its body, bytes (approximate: its key, tags and entry object). */
export const ENTRY_OVERHEAD_BYTES = 512;

/** Options of {@link createEntityStore}. */
export interface EntityStoreOptions {
  /** L1 bound in bytes (`CACHE_L1_MAX_BYTES`). */
  l1MaxBytes: number;
  /** Redis for L2 (one server, or a cluster: keys in slot buckets, see `createRedisTier`); absent without `REDIS_URL` or with `CACHE_L2=off`. */
  redis?: RedisClient;
  /** Prefix of every Redis key (`REDIS_KEY_PREFIX`). */
  keyPrefix: string;
  /** A failed L2 read, write or invalidation. */
  onError(error: Error): void;
}

/**
 * The entity cache's tiered store.
 *
 * @example
 * createEntityStore({ l1MaxBytes: 64 << 20, redis, keyPrefix: 'tributary:', onError })
 * // Redis keys: tributary:ec:<epoch>:e:<scope>:<key>, tag sets tributary:ec:<epoch>:z:<tag>
 */
export function createEntityStore(options: EntityStoreOptions): EntityStore {
  // The body (UTF-16) and, once hit, its parsed form kept for copies (see `materialise`): about as large again;
  // plus the key, tags and entry object, which outweigh the body of a field cell (`"0.99"`).
  const l1 = createLruTier<EntityValue>({ maxBytes: options.l1MaxBytes, sizeOf: (value) => 4 * value.body.length + ENTRY_OVERHEAD_BYTES });
  const store = createTieredStore<EntityValue>({
    l1,
    l2: options.redis ? createRedisTier({ redis: options.redis, keyPrefix: options.keyPrefix, namespace: 'ec' }) : undefined,
    onError: options.onError,
  });
  return Object.assign(store, { size: () => ({ entries: l1.entries, bytes: l1.bytes }) });
}
