import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FrontDoorConfig } from '../front-door-config.js';
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
 * by all gateway instances) when `REDIS_URL` is set. Redis is never waited for: commands fail
 * fast while it is down (no offline queue) and the store degrades to its in-process tier.
 */
export function createPersistedQueryStore(config: FrontDoorConfig, logger: Pick<Logger, 'warn' | 'info'>): { store: PersistedQueryStore; close: () => Promise<void> } {
  const l1 = createLruPersistedQueryStore({ maxBytes: config.apqL1MaxBytes });
  if (!config.redisUrl) return { store: l1, close: async () => {} };
  const redis = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let healthy = true;
  redis.on('ready', () => {
    if (!healthy) logger.info('Redis reachable again: APQ store shared');
    healthy = true;
  });
  redis.on('error', (error) => {
    if (healthy) logger.warn({ err: error.message }, 'Redis unreachable: APQ store in process only until it returns');
    healthy = false;
  });
  const l2 = createRedisPersistedQueryStore({ redis, keyPrefix: config.redisKeyPrefix, ttlS: config.apqTtlS });
  return {
    store: createTieredPersistedQueryStore(l1, l2, () => {}),
    close: async () => {
      redis.disconnect();
    },
  };
}
