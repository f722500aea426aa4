/**
 * The four subgraphs and the gateway in one process, sharing one in-process invalidation bus:
 * what `pnpm start` runs without `REDIS_URL` (single-instance mode), because change events
 * cannot reach a gateway in another process without Redis.
 */
import { onShutdown } from '@tributary/runtime';
import { createInProcessBus } from '@tributary/cache';
import { createGateway, readGatewayConfig } from '@tributary/gateway';
import { loggerOrExit } from '@tributary/runtime';
import { logPrepared, runSubgraphs } from '@tributary/subgraph-host';

const logger = loggerOrExit('tributary');
try {
  const config = readGatewayConfig();
  const bus = createInProcessBus();
  const started = performance.now();
  const subgraphs = await runSubgraphs({ logger, bus });
  logPrepared(logger, subgraphs.prepared);
  const gateway = await createGateway({ config: { ...config, subgraphUrls: { ...subgraphs.urls, ...config.subgraphUrls } }, logger, bus });
  const port = await gateway.listen(config.port, config.host);
  logger.info({ port, database: Object.values(subgraphs.databases)[0]?.kind, startMs: Math.round(performance.now() - started) }, 'subgraphs and gateway listening (single process, in-process invalidation bus)');
  onShutdown(logger, 'tributary', async () => {
    await gateway.stop();
    await subgraphs.close();
    await bus.close();
  });
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
