import { type Backoff, backoffDelay } from '@tributary/runtime';
import { type Cluster, type Command, Redis } from 'ioredis';
import { clusterPendingCommands, createClusterConnection } from './create-cluster-connection.js';
import { parseRedisTarget } from './redis-target.js';
import { armCommandTimeout } from './command-timeout.js';

/** A connection to one Redis server or to a Redis Cluster (the same commands; see {@link createRedisConnection}). */
export type RedisClient = Redis | Cluster;

/** Commands written to `client` (every node of a cluster) and not answered yet. */
export function pendingCommands(client: RedisClient): number {
  return client.isCluster ? clusterPendingCommands(client as Cluster) : (client as Redis).commandQueue.length;
}

/** Delays between reconnects of every Redis connection, in ms (jittered, capped at 2 s). */
export const REDIS_BACKOFF: Backoff = { baseMs: 100, capMs: 2_000 };
/** Default bound on commands written and not yet answered on one connection. */
export const REDIS_MAX_PENDING = 1_000;
/** Default bound on bytes written to a connection's socket and not yet taken by the kernel. */
export const REDIS_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** A connection that answers nothing for this long (ms) is dropped and made again. */
export const REDIS_HUNG_RECONNECT_MS = 3_000;

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** `CLIENT SETNAME` (count them with `CLIENT LIST`) and the `connection` label of metrics. */
  name: string;
  /**
   * A command not answered within this many ms fails (`Command timed out`) and marks the
   * connection as not answering. Absent: no timeout (the bus's subscriber, whose silence the
   * bus's heartbeat detects).
   */
  commandTimeoutMs?: number;
  /** Commands waiting for replies beyond this fail at once. Default {@link REDIS_MAX_PENDING}. */
  maxPending?: number;
  /** Called with `true` when the connection is ready and answering, `false` when it is not. */
  onState?: (up: boolean) => void;
  /**
   * Called with each `error` event of the connection (refused, reset, timed out, auth: once per
   * failed reconnect while Redis is down). Give it an error reporter (logged once per cause per
   * interval, counted in `/metrics`). Absent: the events are dropped, and only `onState` tells.
   */
  onError?: (error: Error) => void;
}

/** Thrown for a command refused because the connection cannot take it now. */
export class RedisUnavailableError extends Error {
  constructor(name: string, why: string) {
    super(`Redis connection ${name} unavailable: ${why}`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * The connection `url` names: {@link createClusterConnection} for `redis+cluster://` (bounded by
 * the same options: command timeout, pending commands), else one server's connection
 * ({@link createServerConnection}).
 *
 * @throws Error when `url` is neither (configuration is checked before this is called).
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions): RedisClient {
  const target = parseRedisTarget(url);
  if (target.kind === 'single') return createServerConnection(target.url, options);
  return createClusterConnection(target, {
    name: options.name,
    commandTimeoutMs: options.commandTimeoutMs,
    maxPending: options.maxPending ?? REDIS_MAX_PENDING,
    backoff: REDIS_BACKOFF,
    onState: options.onState,
    onError: options.onError,
  });
}

/**
 * An ioredis connection whose only reconnect loop is ioredis's own (jittered backoff capped at
 * 2 s, no offline queue: commands fail at once while it is down), and on which what waits for
 * Redis is bounded, whatever Redis does:
 * - a command not answered within `commandTimeoutMs` fails; the timeout is judged after pending
 *   I/O is read, so a stalled event loop does not fail a command Redis answered in time;
 * - after a timeout the connection counts as not answering: every command but one `PING` probe
 *   fails at once until a reply arrives; after {@link REDIS_HUNG_RECONNECT_MS} of silence the
 *   socket is dropped (its queue with it) and made again;
 * - at most `maxPending` commands (and the probe), and {@link REDIS_MAX_BUFFERED_BYTES} unsent
 *   bytes, wait.
 */
export function createServerConnection(url: string, options: RedisConnectionOptions): Redis {
  const maxPending = options.maxPending ?? REDIS_MAX_PENDING;
  let answering = true;
  let silentSince = 0;
  let probing = false;
  let up = false;
  let watchdog: NodeJS.Timeout | undefined;

  class GuardedRedis extends Redis {
    override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
      const isProbe = command.name === 'ping' && probing;
      if (this.status === 'ready' && !isProbe) {
        const refusal = !answering
          ? 'not answering'
          : this.commandQueue.length >= maxPending
            ? `${maxPending} commands already wait for replies`
            : (this.stream?.writableLength ?? 0) > REDIS_MAX_BUFFERED_BYTES
              ? 'socket buffer full'
              : undefined;
        if (refusal) {
          command.reject(new RedisUnavailableError(options.name, refusal));
          return command.promise;
        }
      }
      const result = super.sendCommand(command, stream);
      // The probe has no timeout: it waits behind the unanswered commands, one at a time.
      if (options.commandTimeoutMs !== undefined && !isProbe && !command.isResolved) armCommandTimeout(command, options.commandTimeoutMs, notAnswering);
      return result;
    }
  }

  const redis = new GuardedRedis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    disconnectTimeout: 200,
    retryStrategy: (attempt) => backoffDelay(attempt, REDIS_BACKOFF),
  });
  const report = () => {
    const now = redis.status === 'ready' && answering;
    if (now === up) return;
    up = now;
    options.onState?.(now);
  };
  const notAnswering = () => {
    if (!answering) return;
    answering = false;
    silentSince = Date.now();
    report();
    watchdog ??= setInterval(probe, 250).unref();
    probe();
  };
  const answeringAgain = () => {
    answering = true;
    clearInterval(watchdog);
    watchdog = undefined;
    report();
  };
  /** One PING at a time: it queues behind the unanswered commands and settles when Redis answers. */
  const probe = () => {
    if (answering) return;
    if (Date.now() - silentSince > REDIS_HUNG_RECONNECT_MS && (redis.status === 'ready' || redis.status === 'connect')) {
      // Dropping the socket fails what waits on it and frees it; ioredis reconnects.
      silentSince = Date.now();
      redis.disconnect(true);
      return;
    }
    if (probing || redis.status !== 'ready') return;
    probing = true;
    redis.ping().then(
      () => ((probing = false), answeringAgain()),
      () => (probing = false),
    );
  };
  redis.on('ready', () => {
    probing = false;
    answeringAgain();
  });
  redis.on('close', () => {
    probing = false;
    report();
  });
  redis.on('end', () => clearInterval(watchdog));
  // Without a listener an `error` event would throw; with `onError` each one is reported.
  redis.on('error', (error: Error) => options.onError?.(error));
  return redis;
}
