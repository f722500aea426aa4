/**
 * `pnpm start:subgraphs`: the four subgraphs in this process, each on its own port. On an empty
 * database it migrates and imports Chinook first.
 */
import { onShutdown } from '@tributary/runtime';
import { loggerOrExit } from '@tributary/runtime';
import { runSubgraphs } from '@tributary/subgraph-host';

const logger = loggerOrExit('subgraphs');
try {
  const started = performance.now();
  const running = await runSubgraphs({ logger });
  const kind = Object.values(running.databases)[0]?.kind;
  logger.info({ database: kind, urls: running.urls, startMs: Math.round(performance.now() - started) }, 'subgraphs ready');
  onShutdown(logger, 'subgraphs', async () => {
    await running.close();
  });
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
