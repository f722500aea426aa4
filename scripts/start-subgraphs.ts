/**
 * `pnpm start:subgraphs`: the four subgraphs in this process, each on its own port. On an empty
 * database it migrates and imports Chinook first.
 */
import { onShutdown } from '@tributary/subgraph-runtime';
import { loggerOrExit } from '@tributary/gateway';
import { runSubgraphs } from './lib/run-subgraphs.js';

const logger = loggerOrExit('subgraphs');
try {
  const started = performance.now();
  const running = await runSubgraphs({ logger });
  const { prepared } = running;
  if (prepared?.migrations.length) logger.info({ migrations: prepared.migrations }, 'migrated');
  if (prepared?.chinook.status === 'imported') logger.info({ durationMs: Math.round(prepared.chinook.durationMs) }, 'Chinook imported');
  if (prepared?.chinook.status === 'skipped') logger.info('database already holds data: Chinook import skipped');
  const kind = Object.values(running.databases)[0]?.kind;
  logger.info({ database: kind, urls: running.urls, startMs: Math.round(performance.now() - started) }, 'subgraphs ready');
  onShutdown(logger, 'subgraphs', async () => {
    await running.close();
  });
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
