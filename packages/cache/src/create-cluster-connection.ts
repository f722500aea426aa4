import { backoffDelay } from '@tributary/runtime';
import { Cluster, type Command } from 'ioredis';
import type { RedisTarget } from './redis-target.js';
import { armCommandTimeout } from './command-timeout.js';

/** Options of {@link createClusterConnection} (the same as a single server's connection). */
export interface ClusterConnectionOptions {
  /** `CLIENT SETNAME` of every node connection. */
  name: string;
  /** A command not answered within this many ms fails (`Command timed out`). Absent: no timeout. */
  commandTimeoutMs?: number;
  /** Commands waiting for replies, over every node, beyond which new ones fail at once. */
  maxPending: number;
  /** Delays between reconnects of the whole cluster client, ms. */
  backoff: { baseMs: number; capMs: number };
  /** Called with `true` when the cluster client is ready, `false` when it is not. */
  onState?: (up: boolean) => void;
  /**
   * Called with each `error` event of the cluster client and each `node error` (a node's
   * connection refused, reset, timed out). Absent: dropped, and only `onState` tells.
   */
  onError?: (error: Error) => void;
}

/** Commands written to any node of `cluster` and not answered yet. */
export function clusterPendingCommands(cluster: Cluster): number {
  let pending = 0;
  for (const node of cluster.nodes()) pending += node.commandQueue.length;
  return pending;
}

/**
 * An ioredis {@link Cluster} client over `target`'s seeds, bounded like a single server's
 * connection (`createRedisConnection`):
 * - no offline queue (commands fail at once while the client is not ready); `MOVED`/`ASK`
 *   followed up to 6 times, `CLUSTERDOWN`/`TRYAGAIN` and failover errors retried 100 ms apart,
 *   all within the command's timeout, which fails it whatever ioredis is still trying;
 * - a command not answered within `commandTimeoutMs` fails, judged after pending I/O is read (a
 *   stalled event loop does not fail a command Redis answered in time);
 * - at most `maxPending` commands wait for replies, over every node.
 * Masters only (`scaleReads: 'master'`): a replica may lag behind an invalidation.
 * A killed master's slots fail fast until its replica takes over (or the node returns); the client
 * learns the new slot map from the `MOVED` replies and its periodic refresh (every 2 s).
 * Unlike a single server's connection, a hung node does not mark the whole client as not
 * answering: each of its commands times out on its own.
 */
export function createClusterConnection(target: Extract<RedisTarget, { kind: 'cluster' }>, options: ClusterConnectionOptions): Cluster {
  let up = false;
  const report = (now: boolean) => {
    if (now === up) return;
    up = now;
    options.onState?.(now);
  };

  class GuardedCluster extends Cluster {
    override sendCommand(command: Command, stream?: Parameters<Cluster['sendCommand']>[1], node?: Parameters<Cluster['sendCommand']>[2]): unknown {
      // Redirections re-enter here with the node to go to: counted and timed once, on the first send.
      const first = node === undefined;
      if (first && this.status === 'ready' && clusterPendingCommands(this) >= options.maxPending) {
        command.reject(new Error(`Redis cluster connection ${options.name} unavailable: ${options.maxPending} commands already wait for replies`));
        return command.promise;
      }
      const result = super.sendCommand(command, stream, node);
      if (first && options.commandTimeoutMs !== undefined && !command.isResolved) armCommandTimeout(command, options.commandTimeoutMs);
      return result;
    }
  }

  const cluster = new GuardedCluster(target.seeds, {
    enableOfflineQueue: false,
    enableReadyCheck: true,
    scaleReads: 'master',
    maxRedirections: 6,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    retryDelayOnMoved: 0,
    slotsRefreshTimeout: 1_000,
    slotsRefreshInterval: 2_000,
    clusterRetryStrategy: (attempt) => backoffDelay(attempt, options.backoff),
    redisOptions: {
      connectionName: options.name,
      username: target.username,
      password: target.password,
      tls: target.tls ? {} : undefined,
      connectTimeout: 1_000,
      disconnectTimeout: 200,
      maxRetriesPerRequest: 1,
      autoResendUnfulfilledCommands: false,
    },
  });
  cluster.on('ready', () => report(true));
  for (const event of ['close', 'end', 'reconnecting'] as const) cluster.on(event, () => report(false));
  // Without a listener an `error` event would throw; with `onError` each one is reported.
  cluster.on('error', (error: Error) => options.onError?.(error));
  cluster.on('node error', (error: Error, address: string) => options.onError?.(new Error(`node ${address}: ${error.message}`)));
  return cluster;
}

/**
 * Calls `onChange` whenever the cluster's slot map names another master for some slot than it
 * did at the previous refresh (a failover, or a manual `CLUSTER FAILOVER`), not at the first map.
 * Redis replicates asynchronously: a promoted replica may lack the last writes its master
 * acknowledged (an invalidation's deletes), so whoever trusts what the cluster holds must stop
 * trusting it then. Returns a function that stops watching.
 */
export function watchClusterMasters(cluster: Cluster, onChange: () => void): () => void {
  let previous: string | undefined;
  const check = () => {
    const { slots } = cluster;
    const ranges: string[] = [];
    let start = 0;
    for (let slot = 1; slot <= slots.length; slot++) {
      if (slot < slots.length && slots[slot]?.[0] === slots[start]?.[0]) continue;
      ranges.push(`${start}-${slot - 1}:${slots[start]?.[0] ?? '-'}`);
      start = slot;
    }
    const map = ranges.join(',');
    if (previous !== undefined && map !== previous) onChange();
    previous = map;
  };
  cluster.on('refresh', check);
  return () => cluster.off('refresh', check);
}
