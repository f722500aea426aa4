import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../../benchmarks/lib/processes.js';
import { waitForPort } from './wait-for-port.js';

const run = promisify(execFile);

/** One redis-server of a {@link OwnRedisCluster}. */
export interface ClusterNode {
  port: number;
  /** SIGKILL: the node is gone (its replica, if any, is promoted after `cluster-node-timeout`). */
  kill(): Promise<void>;
}

/** A Redis Cluster of the test's own: `masters` masters, each with `replicasPerMaster` replicas. */
export interface OwnRedisCluster {
  /** `redis+cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,…` (every node, as seeds). */
  url: string;
  nodes: ClusterNode[];
  /** The node serving `slot` as master now (`CLUSTER SLOTS` asked of a live node). */
  masterOf(slot: number): Promise<ClusterNode>;
  /** Resolves when every slot is served by a live master and the cluster says `cluster_state:ok`. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Kills every node and removes the temporary folder. */
  stop(): Promise<void>;
}

/** `cluster-node-timeout` of the test cluster, ms: how long before a dead master's replica takes over. */
export const TEST_CLUSTER_NODE_TIMEOUT_MS = 1_000;

async function ask<T>(port: number, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, commandTimeout: 2_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts `masters × (1 + replicasPerMaster)` `redis-server --cluster-enabled yes` processes on
 * free loopback ports (each with its `nodes.conf` in one temporary folder, nothing persisted), and
 * joins them with `redis-cli --cluster create … --cluster-yes` (even slot ranges). Resolves once
 * the cluster is healthy.
 */
export async function startOwnRedisCluster(options: { masters?: number; replicasPerMaster?: number } = {}): Promise<OwnRedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tributary-cluster-'));
  const children = new Map<number, ChildProcess>();
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    for (const child of children.values()) child.kill('SIGKILL');
    await Promise.all([...children.values()].map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const port = await freePort();
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          String(TEST_CLUSTER_NODE_TIMEOUT_MS),
          '--cluster-replica-validity-factor',
          '0',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      );
      children.set(port, child);
      nodes.push({
        port,
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGKILL');
          await exited;
        },
      });
    }
    await Promise.all(nodes.map((n) => waitForPort(n.port, { what: 'redis-server' })));
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  const live = () => nodes.filter((n) => children.get(n.port)!.exitCode === null && children.get(n.port)!.signalCode === null);
  const cluster: OwnRedisCluster = {
    url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`,
    nodes,
    async masterOf(slot) {
      const slots = (await ask(live()[0]!.port, (r) => r.cluster('SLOTS'))) as unknown as Array<[number, number, [string, number]]>;
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`slot ${slot} is not served`);
      return nodes.find((n) => n.port === range[2][1])!;
    },
    async waitHealthy(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ok = await Promise.all(
          live().map((n) =>
            ask(n.port, async (r) => {
              const info = (await r.cluster('INFO')) as string;
              const slots = (await r.cluster('SLOTS')) as unknown as Array<[number, number, [string, number]]>;
              const liveMasters = slots.every(([, , [, port]]) => live().some((l) => l.port === port));
              return info.includes('cluster_state:ok') && liveMasters;
            }).catch(() => false),
          ),
        );
        if (ok.every(Boolean)) return;
        if (Date.now() > deadline) throw new Error('the test Redis Cluster did not become healthy');
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stop,
  };
  try {
    await cluster.waitHealthy();
  } catch (error) {
    await stop();
    throw error;
  }
  return cluster;
}
