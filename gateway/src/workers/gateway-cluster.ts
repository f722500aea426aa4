import cluster, { type Worker } from 'node:cluster';
import type { InvalidationBus } from '@tributary/cache';
import type { Logger } from 'pino';
import { createPrimaryMetrics, serveClusterMetrics } from './cluster-metrics.js';
import { relayBusToWorkers } from './relay-bus.js';

/** Environment variable the primary sets for its workers: `relay` when their bus is the primary's (IPC). */
export const WORKER_BUS_VARIABLE = 'TRIBUTARY_WORKER_BUS';

/** A replacement that dies before it listens waits this long before the next one is forked, ms (no fork storm). */
export const RESTART_BACKOFF_MS = 1_000;

/** Options of {@link startGatewayCluster}. */
export interface GatewayClusterOptions {
  /** How many workers (`GATEWAY_WORKERS`), at least 1. */
  workers: number;
  logger: Logger;
  /** Environment each worker gets over this process's (subgraph URLs when the primary runs the subgraphs). */
  workerEnv?: NodeJS.ProcessEnv;
  /**
   * The primary's invalidation bus, relayed to every worker over IPC (no `REDIS_URL`). Absent:
   * each worker makes its own bus from its environment (Redis).
   */
  relay?: InvalidationBus;
}

/** The primary's handle on its workers. */
export interface GatewayCluster {
  /** Resolves when every first worker listens; rejects when one exits before it does (its configuration or supergraph is wrong). */
  ready: Promise<void>;
  /** Workers that exited unasked and were replaced so far. */
  readonly restarts: number;
  /** Graceful stop: every worker drains (SIGTERM: no new connections, requests in flight finish) and exits; nothing is replaced meanwhile. */
  stop(): Promise<void>;
}

/**
 * Runs the gateway on `workers` processes sharing one port (`node:cluster`; the primary accepts
 * connections and hands them round-robin to the workers, each of which runs the whole gateway
 * with its own L1). Call from the primary: the workers run this process's main script again,
 * where `cluster.isWorker` holds (see `runGatewayWorker`).
 *
 * A worker that exits unasked (crash, kill) is replaced and counted in
 * `tributary_gateway_worker_restarts_total`; its requests in flight are lost, the others are
 * served by the remaining workers meanwhile. `/metrics` on any worker answers the cluster's
 * aggregate (see `serveClusterMetrics`).
 */
export function startGatewayCluster(options: GatewayClusterOptions): GatewayCluster {
  if (!cluster.isPrimary) throw new Error('startGatewayCluster: call it from the cluster primary');
  const { logger } = options;
  const metrics = createPrimaryMetrics();
  const stopMetrics = serveClusterMetrics(metrics);
  const stopRelay = options.relay ? relayBusToWorkers(options.relay) : undefined;
  const env = { ...options.workerEnv, [WORKER_BUS_VARIABLE]: options.relay ? 'relay' : 'own' };
  const listening = new Set<Worker>();
  const asked = new Set<Worker>();
  let stopping = false;
  let restarts = 0;
  let started = false;
  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);

  const fork = () => {
    const worker = cluster.fork(env);
    worker.once('listening', () => {
      listening.add(worker);
      metrics.workers.set(listening.size);
      if (!started && listening.size === options.workers) {
        started = true;
        resolveReady();
      }
    });
    return worker;
  };
  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    const wasListening = listening.delete(worker);
    metrics.workers.set(listening.size);
    if (stopping || asked.has(worker)) return;
    if (!started) {
      stopping = true;
      rejectReady(new Error(`gateway worker ${worker.process.pid} exited before listening (${signal ?? `code ${code}`})`));
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      return;
    }
    restarts++;
    metrics.restarts.inc();
    logger.warn({ pid: worker.process.pid, code, signal }, 'gateway worker exited; replacing it');
    if (wasListening) fork();
    else setTimeout(() => !stopping && fork(), RESTART_BACKOFF_MS).unref();
  };
  cluster.on('exit', onExit);
  for (let i = 0; i < options.workers; i++) fork();

  return {
    ready,
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        workers.map(async (worker) => {
          if (worker.process.exitCode !== null || worker.process.signalCode !== null) return;
          asked.add(worker);
          const exited = new Promise((resolve) => worker.once('exit', resolve));
          worker.process.kill('SIGTERM');
          await exited;
        }),
      );
      cluster.off('exit', onExit);
      stopRelay?.();
      stopMetrics();
    },
  };
}
