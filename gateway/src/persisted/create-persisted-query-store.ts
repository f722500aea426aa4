import type { Logger } from 'pino';
import type { FrontDoorConfig } from '../front-door-config.js';
import { type RedisClient, createRedisConnection } from '../redis/create-redis-connection.js';
import {
  type PersistedQueryStore,
  createLruPersistedQueryStore,
  createRedisPersistedQueryStore,
  createTieredPersistedQueryStore,
} from './persisted-query-store.js';

/** Redis commands that take longer than this fail (the store then reads as a miss), in ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * The APQ store the configuration asks for: in process only, or in process over Redis (shared
 * by all gateway instances) when a Redis connection is given. A failing Redis degrades the store
 * to its in-process tier; each failure goes to `onError` (the gateway logs it once per cause and
 * counts it), never to the request.
 */
export function createPersistedQueryStore(config: FrontDoorConfig, redis: RedisClient | undefined, onError: (error: Error) => void = () => {}): PersistedQueryStore {
  const l1 = createLruPersistedQueryStore({ maxBytes: config.apqL1MaxBytes });
  if (!redis) return l1;
  const l2 = createRedisPersistedQueryStore({ redis, keyPrefix: config.redisKeyPrefix, ttlS: config.apqTtlS });
  return createTieredPersistedQueryStore(l1, l2, onError);
}

/**
 * The gateway's Redis connection for its stores (APQ, response cache L2), named
 * `tributary-store`: commands fail fast while Redis is down or hung (no offline queue, 250 ms
 * timeout, bounded pending commands: see `createRedisConnection`), so that callers degrade
 * instead of waiting; one warning when it goes, one line when it is back.
 */
export function createStoreRedis(url: string, logger: Pick<Logger, 'warn' | 'info'>, onState?: (up: boolean) => void): RedisClient {
  let healthy = true;
  return createRedisConnection(url, {
    name: 'tributary-store',
    commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS,
    onState: (up) => {
      onState?.(up);
      if (up && !healthy) logger.info('Redis reachable again: shared stores back');
      if (!up && healthy) logger.warn('Redis unreachable or not answering: stores in process only until it returns');
      healthy = up;
    },
  });
}
