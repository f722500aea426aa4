/**
 * The four subgraphs and the gateway in one process, sharing one in-process invalidation bus:
 * what `pnpm start` runs without `REDIS_URL` (single-instance mode), because change events
 * cannot reach a gateway in another process without Redis.
 */
import cluster from 'node:cluster';
import { SUBGRAPHS, loggerOrExit, onShutdown } from '@tributary/runtime';
import { createInProcessBus } from '@tributary/cache';
import { createGateway, readGatewayConfig, readGatewayWorkers, runGatewayWorker, startGatewayCluster } from '@tributary/gateway';
import { runSubgraphs } from '@tributary/subgraph-host';

const logger = loggerOrExit('tributary');
try {
  const config = readGatewayConfig();
  const workers = readGatewayWorkers();
  // GATEWAY_WORKERS > 1: this process runs the subgraphs and the bus, and relays the bus to the
  // gateway workers, which get the subgraphs' URLs (unless *_URL says otherwise).
  if (cluster.isWorker) {
    await runGatewayWorker(config, logger);
  } else {
    await runPrimary(workers);
  }
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}

async function runPrimary(workers: number): Promise<void> {
  const config = readGatewayConfig();
  const bus = createInProcessBus();
  const started = performance.now();
  const subgraphs = await runSubgraphs({ logger, bus });
  if (workers > 1) {
    const workerEnv = Object.fromEntries(
      SUBGRAPHS.filter((sg) => !process.env[`${sg.name.toUpperCase()}_URL`]?.trim() && subgraphs.urls[sg.name]).map((sg) => [`${sg.name.toUpperCase()}_URL`, subgraphs.urls[sg.name]]),
    );
    const gateways = startGatewayCluster({ workers, logger, relay: bus, workerEnv });
    onShutdown(logger, 'tributary', async () => {
      await gateways.stop();
      await subgraphs.close();
      await bus.close();
    });
    await gateways.ready;
    logger.info({ port: config.port, workers, startMs: Math.round(performance.now() - started) }, `subgraphs and ${workers} gateway workers listening (the bus relayed to the workers)`);
    return;
  }
  const gateway = await createGateway({ config: { ...config, subgraphUrls: { ...subgraphs.urls, ...config.subgraphUrls } }, logger, bus });
  const port = await gateway.listen(config.port, config.host);
  logger.info(
    { port, database: Object.values(subgraphs.databases)[0]?.kind, startMs: Math.round(performance.now() - started) },
    'subgraphs and gateway listening (single process, in-process invalidation bus)',
  );
  onShutdown(logger, 'tributary', async () => {
    await gateway.stop();
    await subgraphs.close();
    await bus.close();
  });
}
