/**
 * `pnpm bench:deep-albums`: SQL statements and latency of the deep album page (albums → artist,
 * tracks → genre, media type, purchase count, playlists) for 5 and for 100 albums, through the
 * gateway over real HTTP on loopback. Requests are sequential, so the numbers are per-request
 * latency, not throughput. Uses `DATABASE_URL` when set, else the embedded database.
 *
 *   pnpm bench:deep-albums            # embedded PGlite
 *   DATABASE_URL=postgres://… pnpm bench:deep-albums
 */
import { createGateway, readGatewayConfig } from '@tributary/gateway';
import { pino } from 'pino';
import { runSubgraphs } from '@tributary/subgraph-host';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const WARMUP = 5;
const QUERY = `query DeepAlbums($first: Int!) { albums(first: $first) { nodes { id title artist { name }
  tracks { id name genre { name } mediaType { name } purchaseCount playlists { name } } } } }`;

const logger = pino({ level: 'silent' });
const subgraphs = await runSubgraphs({ logger, ports: { catalog: 0, customers: 0, sales: 0, playlists: 0 }, host: '127.0.0.1' });
const gateway = await createGateway({ config: { ...readGatewayConfig({}), subgraphUrls: subgraphs.urls }, logger });
const port = await gateway.listen(0, '127.0.0.1');
const statements = () => Object.values(subgraphs.databases).reduce((n, d) => n + d.stats.statements, 0);

async function request(first: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY, variables: { first } }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return performance.now() - started;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const kind = Object.values(subgraphs.databases)[0]!.kind;
console.log(`deep album page, ${kind} database, ${REQUESTS} sequential requests each after ${WARMUP} warm-up`);
console.log('albums | tracks | SQL statements/request | p50 ms | p95 ms');
for (const first of [5, 100]) {
  for (let i = 0; i < WARMUP; i++) await request(first);
  const before = statements();
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) latencies.push(await request(first));
  const perRequest = (statements() - before) / REQUESTS;
  latencies.sort((a, b) => a - b);
  const tracks = first === 5 ? 37 : 1276;
  console.log(
    `${String(first).padStart(6)} | ${String(tracks).padStart(6)} | ${String(perRequest).padStart(22)} | ${percentile(latencies, 50).toFixed(1).padStart(6)} | ${percentile(latencies, 95).toFixed(1).padStart(6)}`,
  );
}
await gateway.stop();
await subgraphs.close();
