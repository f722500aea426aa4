import type { Logger } from 'pino';
import { createRegistry } from '@tributary/runtime';
import type { GatewayConfig } from '../config.js';
import { createGateway } from '../create-gateway.js';
import { clusterMetricsSource } from './cluster-metrics.js';
import { WORKER_BUS_VARIABLE } from './gateway-cluster.js';
import { createWorkerRelayBus } from './relay-bus.js';

/**
 * One cluster worker (`GATEWAY_WORKERS` > 1): the whole gateway, listening on the shared port,
 * its bus relayed by the primary (when the primary says so) or its own (Redis), `/metrics`
 * answering the cluster's aggregate. It stops only when the primary asks (SIGTERM: drains, then
 * exits 0); SIGINT from a terminal reaches the whole process group, and is the primary's to
 * handle.
 */
export async function runGatewayWorker(config: GatewayConfig, logger: Logger): Promise<void> {
  const registry = createRegistry('gateway');
  const bus = process.env[WORKER_BUS_VARIABLE] === 'relay' ? createWorkerRelayBus() : undefined;
  const gateway = await createGateway({ config, logger, registry, metricsSource: clusterMetricsSource(registry), ...(bus ? { bus } : {}) });
  process.on('SIGINT', () => undefined);
  process.once('SIGTERM', () => {
    void gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  await gateway.listen(config.port, config.host);
}
