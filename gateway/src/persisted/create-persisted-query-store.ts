import { type RedisClient, createLruTier, createRedisConnection, createRedisTier, createTieredStore, textCodec } from '@tributary/cache';
import type { Logger } from 'pino';
import type { FrontDoorConfig } from '../front-door-config.js';
import { type PersistedQueryStore, persistedQueryStoreOf } from './persisted-query-store.js';

/** Redis commands that take longer than this fail (the store then reads as a miss), in ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * The APQ store the configuration asks for: in process only, or in process over Redis (shared
 * by all gateway instances) when a Redis connection is given. A failing Redis degrades the store
 * to its in-process tier; each failure goes to `onError` (the gateway logs it once per cause and
 * counts it), never to the request.
 */
export function createPersistedQueryStore(config: FrontDoorConfig, redis: RedisClient | undefined, onError: (error: Error) => void = () => {}): PersistedQueryStore {
  const store = createTieredStore<string>({
    l1: createLruTier({ maxBytes: config.apqL1MaxBytes }),
    // Documents carry no tags: on a Redis Cluster each one hashes to a slot of its own (no bucket).
    l2: redis ? createRedisTier({ redis, keyPrefix: config.redisKeyPrefix, namespace: 'apq', epochs: false, clusterBuckets: 0 }) : undefined,
    codec: textCodec,
    onError,
  });
  return persistedQueryStoreOf(store, config.apqTtlS * 1000);
}

/**
 * The gateway's Redis connection for its stores (APQ, response cache L2), named
 * `tributary-store`: commands fail fast while Redis is down or hung (no offline queue, 250 ms
 * timeout, bounded pending commands: see `createRedisConnection`), so that callers degrade
 * instead of waiting; one warning when it goes, one line when it is back; each `error` event
 * of the connection goes to `onError` (the gateway's error reporter: `REDIS_CONNECTION_ERROR`).
 */
export function createStoreRedis(url: string, logger: Pick<Logger, 'warn' | 'info'>, onState?: (up: boolean) => void, onError?: (error: Error) => void): RedisClient {
  let healthy = true;
  return createRedisConnection(url, {
    name: 'tributary-store',
    commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS,
    onError,
    onState: (up) => {
      onState?.(up);
      if (up && !healthy) logger.info('Redis reachable again: shared stores back');
      if (!up && healthy) logger.warn('Redis unreachable or not answering: stores in process only until it returns');
      healthy = up;
    },
  });
}
