/**
 * The benchmark's subgraphs in their own process: `BENCH_LOADERS=per-item` makes them fetch row
 * by row (the `tributary-naive` baseline). Prints `ready <json urls>` once they serve.
 */
import { pino } from 'pino';
import { runSubgraphs } from '@tributary/subgraph-host';

const ports = JSON.parse(process.env.BENCH_PORTS!) as Record<string, number>;
const running = await runSubgraphs({
  logger: pino({ level: 'silent' }),
  ports,
  host: '127.0.0.1',
  loaders: { batch: process.env.BENCH_LOADERS !== 'per-item' },
});
process.stdout.write(`ready ${JSON.stringify(running.urls)}\n`);
process.on('SIGTERM', () => void running.close().then(() => process.exit(0)));
