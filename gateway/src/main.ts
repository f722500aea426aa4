/**
 * `pnpm start:gateway`: the federation gateway alone, over subgraphs that run elsewhere
 * (`pnpm start:subgraphs`). Several instances can serve one set of subgraphs.
 */
import { onShutdown } from '@tributary/runtime';
import { loggerOrExit } from '@tributary/runtime';
import { readGatewayConfig } from './config.js';
import { createGateway } from './create-gateway.js';

const logger = loggerOrExit('gateway');
try {
  const config = readGatewayConfig();
  const gateway = await createGateway({ config, logger });
  const port = await gateway.listen(config.port, config.host);
  logger.info({ port }, `gateway listening on http://localhost:${port}/graphql (ready when /readyz answers 200)`);
  onShutdown(logger, 'gateway', async () => {
    await gateway.stop();
  });
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
