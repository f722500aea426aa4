import { type InvalidationBus, createInProcessBus, createRedisBus } from '@tributary/cache';
import { Redis } from 'ioredis';

/**
 * The invalidation bus the environment asks for: Redis pub/sub on `REDIS_URL` (prefixed with
 * `REDIS_KEY_PREFIX`), shared by every process; without `REDIS_URL`, a bus of this process only.
 */
export function createBusFromEnv(env: NodeJS.ProcessEnv): InvalidationBus {
  const url = env.REDIS_URL?.trim();
  if (!url) return createInProcessBus();
  const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1_000, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };
  const publisher = new Redis(url, { ...options, commandTimeout: 250 });
  const subscriber = new Redis(url, options);
  publisher.on('error', () => undefined); // outages are reported by the bus's users
  subscriber.on('error', () => undefined);
  const bus = createRedisBus({ publisher, subscriber, keyPrefix: env.REDIS_KEY_PREFIX?.trim() || 'tributary:' });
  return {
    get connected() {
      return bus.connected;
    },
    publish: (event) => bus.publish(event),
    subscribe: (handler, connection) => bus.subscribe(handler, connection),
    async close() {
      await bus.close();
      publisher.disconnect();
    },
  };
}
