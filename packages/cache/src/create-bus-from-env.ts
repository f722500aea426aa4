import type { ErrorCode } from '@tributary/runtime';
import { type InvalidationBus, createInProcessBus, createRedisBus } from './bus.js';
import { createRedisConnection, pendingCommands } from './create-redis-connection.js';
import { redisUrlFromEnv } from './redis-target.js';

/** Publishes that Redis does not answer within this many ms fail (the change feed retries a flush). */
export const BUS_PUBLISH_TIMEOUT_MS = 250;

/** Options of {@link createBusFromEnv}. */
export interface BusFromEnvOptions {
  /**
   * Called with each connection's state: `bus-publisher`, `bus-subscriber` (the Redis
   * connections) and `bus` (events reach this process: heartbeats come back).
   */
  onState?: (connection: 'bus' | 'bus-publisher' | 'bus-subscriber', up: boolean) => void;
  /** Given a way to read each Redis connection's unanswered commands (for `/metrics`). */
  watchPending?: (connection: 'bus-publisher' | 'bus-subscriber', pending: () => number) => void;
  /**
   * Where failures go that no connection state shows, as `report(code, message)` (an
   * `ErrorReporter`: one `warn` line per cause per interval, `tributary_errors_total{code}`):
   * `REDIS_CONNECTION_ERROR` (an `error` event of either connection), `BUS_SUBSCRIBE_FAILED`,
   * `BUS_EVENT_MALFORMED`. Absent: they are dropped (a one-shot command such as `pnpm cache:invalidate`).
   */
  errors?: { report(code: string, message: string): void };
}

/** Codes {@link createBusFromEnv} reports, by what failed. */
export const BUS_ERROR_CODES = { connection: 'REDIS_CONNECTION_ERROR', subscribe: 'BUS_SUBSCRIBE_FAILED', 'malformed-event': 'BUS_EVENT_MALFORMED' } as const satisfies Record<string, ErrorCode>;

/**
 * The invalidation bus the environment asks for: Redis pub/sub on `REDIS_URL` (a server or a
 * cluster: `redis+cluster://…`, or `REDIS_CLUSTER_NODES`; prefixed with
 * `REDIS_KEY_PREFIX`) over two connections named `tributary-bus-publisher` and
 * `tributary-bus-subscriber`, shared by every process; without `REDIS_URL`, a bus of this
 * process only (always up).
 */
export function createBusFromEnv(env: NodeJS.ProcessEnv, options: BusFromEnvOptions = {}): InvalidationBus {
  const url = redisUrlFromEnv(env);
  if (!url) {
    options.onState?.('bus', true);
    return createInProcessBus();
  }
  const onConnectionError = (name: string) => (error: Error) => options.errors?.report(BUS_ERROR_CODES.connection, `Redis connection ${name}: ${error.message}`);
  const publisher = createRedisConnection(url, {
    name: 'tributary-bus-publisher',
    commandTimeoutMs: BUS_PUBLISH_TIMEOUT_MS,
    onState: (up) => options.onState?.('bus-publisher', up),
    onError: onConnectionError('tributary-bus-publisher'),
  });
  const subscriber = createRedisConnection(url, { name: 'tributary-bus-subscriber', onState: (up) => options.onState?.('bus-subscriber', up), onError: onConnectionError('tributary-bus-subscriber') });
  for (const connection of ['bus', 'bus-publisher', 'bus-subscriber'] as const) options.onState?.(connection, false);
  options.watchPending?.('bus-publisher', () => pendingCommands(publisher));
  options.watchPending?.('bus-subscriber', () => pendingCommands(subscriber));
  const bus = createRedisBus({
    publisher,
    subscriber,
    keyPrefix: env.REDIS_KEY_PREFIX?.trim() || 'tributary:',
    onError: (error, failure) =>
      options.errors?.report(
        BUS_ERROR_CODES[failure],
        failure === 'subscribe' ? `SUBSCRIBE on the invalidation bus failed: ${error.message}` : `a message on the invalidation channel is not JSON: ${error.message}`,
      ),
  });
  const unsubscribe = bus.subscribe(() => undefined, { onLost: () => options.onState?.('bus', false), onRestored: () => options.onState?.('bus', true) });
  return {
    get connected() {
      return bus.connected;
    },
    publish: (event) => bus.publish(event),
    subscribe: (handler, connection) => bus.subscribe(handler, connection),
    async close() {
      unsubscribe();
      await bus.close();
      publisher.disconnect();
    },
  };
}
