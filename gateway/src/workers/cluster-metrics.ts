import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';

/** What `/metrics` reads: a registry, or the cluster's aggregate seen from a worker. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

interface MetricsRequest {
  tributary: 'metrics-request';
  id: number;
}
interface MetricsResponse {
  tributary: 'metrics-response';
  id: number;
  text: string;
}

/** How long a worker waits for the primary's aggregate before answering with its own metrics, ms. */
export const CLUSTER_METRICS_TIMEOUT_MS = 5_000;

/** The primary's own metrics (`GATEWAY_WORKERS` > 1). */
export interface PrimaryMetrics {
  registry: Registry;
  /** `tributary_gateway_worker_restarts_total`: workers that died unasked and were replaced. */
  restarts: Counter;
  /** `tributary_gateway_workers`: workers now listening. */
  workers: Gauge;
}

/** Registers the primary's metrics on a registry of its own (no process metrics: the workers report theirs). */
export function createPrimaryMetrics(): PrimaryMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  return {
    registry,
    restarts: new Counter({ name: 'tributary_gateway_worker_restarts_total', help: 'Gateway workers that exited unasked and were replaced', registers: [registry] }),
    workers: new Gauge({ name: 'tributary_gateway_workers', help: 'Gateway workers listening', registers: [registry] }),
  };
}

/**
 * Primary side: answers each worker's `/metrics` with the cluster's metrics, prom-client's
 * {@link AggregatorRegistry} over every worker's registry (counters and histograms summed, as
 * prom-client aggregates by default; so are gauges such as cache entries and connection states:
 * with N workers, `tributary_connection_up` is the number of workers whose connection is up),
 * followed by the primary's own metrics. Returns the function that stops answering.
 */
export function serveClusterMetrics(primary: PrimaryMetrics): () => void {
  const aggregator = new AggregatorRegistry();
  const onMessage = (worker: Worker, message: unknown) => {
    const request = message as MetricsRequest | null;
    if (request?.tributary !== 'metrics-request') return;
    void (async () => {
      const workers = await aggregator.clusterMetrics().catch((error: Error) => `# cluster metrics incomplete: ${error.message}\n`);
      const response: MetricsResponse = { tributary: 'metrics-response', id: request.id, text: `${workers.trimEnd()}\n${await primary.registry.metrics()}` };
      if (worker.isConnected()) worker.send(response);
    })();
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}

/**
 * Worker side: makes `registry` the one this worker reports to the primary's aggregate, and
 * returns what `/metrics` should read: the aggregate of all workers, asked of the primary (this
 * worker's own metrics if the primary does not answer within {@link CLUSTER_METRICS_TIMEOUT_MS}).
 */
export function clusterMetricsSource(registry: Registry): MetricsSource {
  // The constructor installs prom-client's worker listener; setRegistries says what it reports.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  const waiting = new Map<number, (text: string) => void>();
  process.on('message', (message: unknown) => {
    const response = message as MetricsResponse | null;
    if (response?.tributary !== 'metrics-response') return;
    waiting.get(response.id)?.(response.text);
  });
  return {
    contentType: registry.contentType,
    async metrics() {
      if (!process.connected) return registry.metrics();
      const id = next++;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await new Promise<string>((resolve) => {
          waiting.set(id, resolve);
          timer = setTimeout(() => void registry.metrics().then(resolve), CLUSTER_METRICS_TIMEOUT_MS);
          const request: MetricsRequest = { tributary: 'metrics-request', id };
          process.send!(request);
        });
      } finally {
        clearTimeout(timer);
        waiting.delete(id);
      }
    },
  };
}
