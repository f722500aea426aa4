/**
 * `pnpm bench:cache`: the response cache's numbers, measured in one run on this machine.
 *  1. Hit path against the same query uncached: autocannon (a separate process, 10 connections,
 *     `BENCH_DURATION_S`, default 10 s each) on a gateway with the cache and one without, over
 *     the same subgraphs.
 *  2. Invalidation lag across two gateway instances on Redis: a plain SQL UPDATE, then both
 *     instances polled until they answer the new value (`BENCH_LAG_ROUNDS`, default 100).
 *  3. L1 memory for 10,000 entries: heap before and after 10,000 distinct cached responses.
 * Needs `DATABASE_URL` (a Chinook database; it is written to) and `REDIS_URL`. Run with
 * `node --expose-gc` for the memory figure (the script does).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGateway, readGatewayConfig } from '@tributary/gateway';
import { REPO_ROOT } from '@tributary/database';
import pg from 'pg';
import { pino } from 'pino';
import { runSubgraphs } from '@tributary/subgraph-host';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const LAG_ROUNDS = Number(process.env.BENCH_LAG_ROUNDS ?? 100);
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) throw new Error('pnpm bench:cache needs DATABASE_URL and REDIS_URL');
const logger = pino({ level: 'silent' });
const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `tributary-bench:${Date.now()}:` };
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const subgraphs = await runSubgraphs({ env, logger, ports: { catalog: 0, customers: 0, sales: 0, playlists: 0 }, host: '127.0.0.1' });
const start = async (extra: NodeJS.ProcessEnv) => {
  const gateway = await createGateway({ config: { ...readGatewayConfig({ ...env, ...extra }), subgraphUrls: subgraphs.urls }, logger });
  const port = await gateway.listen(0, '127.0.0.1');
  return { gateway, url: `http://127.0.0.1:${port}/graphql` };
};
const cached = await start({});
const second = await start({});
const uncached = await start({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
await new Promise((r) => setTimeout(r, 500)); // let the Redis bus subscribe

const post = async (url: string, query: string) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).text();

// 1. Hit path vs uncached.
const QUERY = '{ album(id: "4") { title artist { name } tracks { name unitPrice genre { name } purchaseCount playlists { name } } } }';
const autocannon = async (url: string) => {
  const bin = path.join(REPO_ROOT, 'node_modules/.bin/autocannon');
  const body = JSON.stringify({ query: QUERY });
  const { stdout } = await promisify(execFile)(bin, ['-j', '-c', '10', '-d', String(DURATION_S), '-m', 'POST', '-H', 'content-type=application/json', '-b', body, url], { maxBuffer: 1 << 24 });
  const result = JSON.parse(stdout);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
};
await post(cached.url, QUERY);
const hit = await autocannon(cached.url);
const miss = await autocannon(uncached.url);
console.log(`1. hit path vs uncached, album page, autocannon -c 10 -d ${DURATION_S}`);
console.log(`   cached (L1 hit): ${hit.rps.toFixed(0)} req/s, p50 ${hit.p50} ms, p99 ${hit.p99} ms, errors ${hit.errors}`);
console.log(`   uncached:        ${miss.rps.toFixed(0)} req/s, p50 ${miss.p50} ms, p99 ${miss.p99} ms, errors ${miss.errors}`);
console.log(`   throughput ×${(hit.rps / miss.rps).toFixed(1)}, p99 ÷${(miss.p99 / Math.max(hit.p99, 0.001)).toFixed(1)}`);

// 2. Invalidation lag across two instances.
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const lags: number[] = [];
for (let round = 0; round < LAG_ROUNDS; round++) {
  const name = `Bench round ${round}`;
  const query = '{ track(id: "100") { name } }';
  await post(cached.url, query);
  await post(second.url, query);
  await client.query('UPDATE catalog.track SET name = $1 WHERE track_id = 100', [name]);
  const committed = performance.now();
  for (const target of [cached.url, second.url]) {
    while (!(await post(target, query)).includes(name)) if (performance.now() - committed > 2_000) throw new Error('not invalidated within 2 s');
  }
  lags.push(performance.now() - committed);
}
await client.end();
console.log(
  `2. invalidation lag, commit → both instances answer the new value, ${LAG_ROUNDS} rounds: p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms`,
);

// 3. L1 memory per 10,000 entries (responses of ~100 bytes: one track's name, price and album title).
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
let stored = 0;
for (let id = 1; stored < 10_000; id++) {
  for (const shape of ['name unitPrice', 'name album { title }', 'unitPrice composer']) {
    if (stored >= 10_000) break;
    await post(cached.url, `{ track(id: "${1 + (id % 3503)}") { ${shape} } n${id}: genre(id: "1") { name } }`);
    stored++;
  }
}
gc?.();
const heapAfter = process.memoryUsage().heapUsed;
const metrics = await (await fetch(cached.url.replace('/graphql', '/metrics'))).text();
const l1Bytes = Number(/tributary_cache_l1_bytes\{[^}]*\} (\d+)/.exec(metrics)?.[1]);
const l1Entries = Number(/tributary_cache_l1_entries\{[^}]*\} (\d+)/.exec(metrics)?.[1]);
console.log(
  `3. L1 with ${l1Entries} entries: ${(l1Bytes / 1024 / 1024).toFixed(1)} MiB by the cache's own size count; heap grew ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB${gc ? '' : ' (run with --expose-gc for a stable figure)'}`,
);

for (const g of [cached, second, uncached]) await g.gateway.stop();
await subgraphs.close();
