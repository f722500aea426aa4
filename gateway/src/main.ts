/**
 * `pnpm start:gateway`: the federation gateway alone, over subgraphs that run elsewhere
 * (`pnpm start:subgraphs`). Several instances can serve one set of subgraphs.
 * `GATEWAY_WORKERS=N` (or `auto`): N worker processes on the one port (`node:cluster`); this
 * process is then their primary (it relays its bus to them without `REDIS_URL`).
 */
import cluster from 'node:cluster';
import { createInProcessBus } from '@tributary/cache';
import { loggerOrExit, onShutdown } from '@tributary/runtime';
import { readGatewayConfig } from './config.js';
import { createGateway } from './create-gateway.js';
import { startGatewayCluster } from './workers/gateway-cluster.js';
import { runGatewayWorker } from './workers/gateway-worker.js';
import { readGatewayWorkers } from './workers/workers-config.js';

const logger = loggerOrExit('gateway');
try {
  const config = readGatewayConfig();
  const workers = readGatewayWorkers();
  if (cluster.isWorker) {
    await runGatewayWorker(config, logger);
  } else if (workers > 1) {
    const relay = config.frontDoor.redisUrl ? undefined : createInProcessBus();
    const gateways = startGatewayCluster({ workers, logger, relay });
    onShutdown(logger, 'gateway', async () => {
      await gateways.stop();
      await relay?.close();
    });
    await gateways.ready;
    logger.info({ port: config.port, workers }, `gateway listening on http://localhost:${config.port}/graphql with ${workers} workers (ready when /readyz answers 200)`);
  } else {
    const gateway = await createGateway({ config, logger });
    const port = await gateway.listen(config.port, config.host);
    logger.info({ port }, `gateway listening on http://localhost:${port}/graphql (ready when /readyz answers 200)`);
    onShutdown(logger, 'gateway', async () => {
      await gateway.stop();
    });
  }
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
