/**
 * `pnpm bench:front-door`: what the front door adds to a request. Median latency of a small
 * query through the gateway over loopback HTTP, sequentially, in four variants (anonymous
 * document, with a bearer token, APQ hash only, APQ hash with a token), and the cost of each
 * step alone (jose verification of one token, one APQ store lookup in process and in Redis).
 * Uses `DATABASE_URL` when set (else the embedded database) and `REDIS_URL` when set.
 */
import { createLruTier, createRedisTier, createTieredStore, textCodec } from '@tributary/cache';
import { createGateway, createTokenVerifier, persistedQueryStoreOf, readGatewayConfig, readJwtConfig, sha256Hex, signClientToken } from '@tributary/gateway';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { runSubgraphs } from '@tributary/subgraph-host';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const QUERY = '{ genre(id: "1") { name } }';
const HASH = sha256Hex(QUERY);
const logger = pino({ level: 'silent' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const subgraphs = await runSubgraphs({ logger, ports: { catalog: 0, customers: 0, sales: 0, playlists: 0 }, host: '127.0.0.1' });
const gateway = await createGateway({ config: { ...readGatewayConfig(process.env), subgraphUrls: subgraphs.urls }, logger });
const port = await gateway.listen(0, '127.0.0.1');
const token = await signClientToken({ kind: 'customer', id: 5 }, readJwtConfig(process.env), 3600);

async function timed(body: object, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as { errors?: unknown };
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return performance.now() - started;
}

await timed({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } }, {}); // registers the hash
const variants: Array<[string, object, Record<string, string>]> = [
  ['document, anonymous', { query: QUERY }, {}],
  ['document, bearer token', { query: QUERY }, { authorization: `Bearer ${token}` }],
  ['APQ hash only, anonymous', { extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } }, {}],
  ['APQ hash only, bearer token', { extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } }, { authorization: `Bearer ${token}` }],
];
const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]));
for (let i = 0; i < 50; i++) for (const [, body, headers] of variants) await timed(body, headers); // warm-up
for (let i = 0; i < REQUESTS; i++) for (const [name, body, headers] of variants) samples.get(name)!.push(await timed(body, headers)); // interleaved
console.log(`${REQUESTS} sequential requests per variant, interleaved; ${Object.values(subgraphs.databases)[0]!.kind} database`);
const base = median(samples.get('document, anonymous')!);
for (const [name, xs] of samples) console.log(`${name.padEnd(30)} p50 ${median(xs).toFixed(3)} ms  (${median(xs) - base >= 0 ? '+' : ''}${(median(xs) - base).toFixed(3)} ms)`);

const verify = createTokenVerifier(readJwtConfig(process.env));
const verifyTimes: number[] = [];
for (let i = 0; i < 2000; i++) {
  const started = performance.now();
  await verify(token);
  verifyTimes.push(performance.now() - started);
}
console.log(`jose HS256 verification alone       p50 ${(median(verifyTimes) * 1000).toFixed(1)} µs`);
const l1 = persistedQueryStoreOf(createTieredStore({ l1: createLruTier({ maxBytes: 1 << 20 }), codec: textCodec }), 60_000);
await l1.set(HASH, QUERY);
const l1Times: number[] = [];
for (let i = 0; i < 2000; i++) {
  const started = performance.now();
  await l1.get(HASH);
  l1Times.push(performance.now() - started);
}
console.log(`APQ lookup, in process              p50 ${(median(l1Times) * 1000).toFixed(1)} µs`);
if (process.env.REDIS_URL) {
  const redis = new Redis(process.env.REDIS_URL);
  const l2 = createRedisTier({ redis, keyPrefix: 'tributary-bench:', namespace: 'apq', epochs: false });
  await l2.set(HASH, QUERY, [], 60_000);
  const l2Times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const started = performance.now();
    await l2.get(HASH);
    l2Times.push(performance.now() - started);
  }
  console.log(`APQ lookup, Redis                   p50 ${(median(l2Times) * 1000).toFixed(1)} µs`);
  redis.disconnect();
}
await gateway.stop();
await subgraphs.close();
