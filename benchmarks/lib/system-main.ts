/**
 * One benchmarked system in its own process (so that its RSS is its own): prints `ready <port>`
 * on stdout once it serves. Argument: the system's name; environment: `BENCH_PORT`,
 * `BENCH_SUBGRAPHS` (JSON name → URL), `REDIS_URL`, `REDIS_KEY_PREFIX`, `BENCH_BODY` and `BENCH_HEAD` (bare: body, head fields as JSON).
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import cluster from 'node:cluster';
import { REPO_ROOT } from '@tributary/database';
import { pino } from 'pino';

// Each system imports its own modules (below), so that a process loads only the system it runs:
// stock `@apollo/gateway` for the peers, Tributary's way of loading it for Tributary.

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const system = process.argv[2]!;
const port = Number(process.env.BENCH_PORT);
const subgraphs = JSON.parse(process.env.BENCH_SUBGRAPHS ?? '{}') as Record<string, string>;
const logger = pino({ level: 'silent' });

async function tributary(env: NodeJS.ProcessEnv, workers = 1): Promise<void> {
  const { createGateway, readGatewayConfig, runGatewayWorker, startGatewayCluster } = await import('@tributary/gateway');
  const config = readGatewayConfig({ ...env, NODE_ENV: 'production', GATEWAY_JWT_SECRET: 'b'.repeat(32), INTERNAL_JWT_SECRET: process.env.INTERNAL_JWT_SECRET, GATEWAY_MAX_COST: '1000000' });
  const withSubgraphs = { ...config, subgraphUrls: subgraphs, port, host: '127.0.0.1' };
  if (workers > 1) {
    // GATEWAY_WORKERS=N: this process is the primary; its workers run this script again.
    if (cluster.isWorker) {
      await runGatewayWorker(withSubgraphs, logger);
      await new Promise<never>(() => undefined); // the primary prints `ready`
    }
    const gateways = startGatewayCluster({ workers, logger });
    process.on('SIGTERM', () => void gateways.stop().then(() => process.exit(0)));
    await gateways.ready;
    return;
  }
  const gateway = await createGateway({ config: withSubgraphs, logger });
  await gateway.listen(port, '127.0.0.1');
}

const redis = { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX };
switch (system) {
  case 'tributary-nocache':
  case 'tributary-naive':
    await tributary({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    break;
  case 'tributary-entity':
    // The entity cache alone: every request executes its plan, subgraph fetches come from cached entities.
    await tributary({ ...redis, RESPONSE_CACHE: 'off' });
    break;
  case 'tributary-entity-whole':
    // The entity cache without field cells (ENTITY_CACHE_FIELDS=off): root fetches cached whole only, as before field cells.
    await tributary({ ...redis, RESPONSE_CACHE: 'off', ENTITY_CACHE_FIELDS: 'off' });
    break;
  case 'tributary-l1':
    await tributary({ ...redis, CACHE_L2: 'off' });
    break;
  case 'tributary-l1l2':
    await tributary(redis);
    break;
  case 'tributary-l1-workers2':
    await tributary({ ...redis, CACHE_L2: 'off' }, 2);
    break;
  case 'apollo-gateway': {
    const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
    const { ApolloServer } = await import('@apollo/server');
    const { startStandaloneServer } = await import('@apollo/server/standalone');
    // Stock Apollo Server 4 with @apollo/gateway over the same supergraph and subgraphs, no cache.
    const gateway = new ApolloGateway({
      supergraphSdl: readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8'),
      buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: subgraphs[name] ?? url }),
    });
    const server = new ApolloServer({ gateway, csrfPrevention: false });
    await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
    break;
  }
  case 'hive-gateway':
  case 'hive-gateway-cache': {
    const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
    const { default: InMemoryLRUCache } = await import('@graphql-mesh/cache-inmemory-lru');
    process.env.LOG_LEVEL = 'error'; // Hive's logger refuses pino's "silent"
    // The Guild's Hive Gateway runtime over the same supergraph, its URLs pointed at our subgraphs;
    // `hive-gateway-cache` with its response cache (in memory, entity-level invalidation).
    let supergraph = readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8');
    for (const [name, url] of Object.entries(subgraphs)) supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]+`), `$1${url}`);
    const runtime = createGatewayRuntime({
      supergraph,
      logging: false,
      ...(system === 'hive-gateway-cache' ? { cache: new InMemoryLRUCache(), responseCaching: { session: () => null } } : {}),
    });
    await new Promise<void>((resolve) => createServer(runtime).listen(port, '127.0.0.1', resolve));
    break;
  }
  case 'yoga-envelop-cache': {
    const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
    const { useApolloFederation } = await import('@envelop/apollo-federation');
    const { useResponseCache } = await import('@envelop/response-cache');
    const { createRedisCache } = await import('@envelop/response-cache-redis');
    const { createYoga } = await import('graphql-yoga');
    const { Redis } = await import('ioredis');
    // What a Yoga user would reach for first: Yoga + @apollo/gateway (the same supergraph and
    // subgraphs), with @envelop/response-cache on its Redis store; default settings plus a TTL
    // (Tributary's default, 300 s) and the Chinook key field (`id`). Its own key prefix per start,
    // so that every start is cold. It invalidates on mutations through itself only.
    const gateway = new ApolloGateway({
      supergraphSdl: readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8'),
      buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: subgraphs[name] ?? url }),
    });
    await gateway.load();
    const redisClient = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: `${process.env.REDIS_KEY_PREFIX ?? 'bench:'}envelop:${Date.now()}:` });
    const yoga = createYoga({
      graphqlEndpoint: '/graphql',
      landingPage: false,
      graphiql: false,
      logging: false,
      plugins: [useApolloFederation({ gateway }), useResponseCache({ session: () => null, cache: createRedisCache({ redis: redisClient }), ttl: 300_000, idFields: ['id'] })],
    });
    await new Promise<void>((resolve) => createServer(yoga).listen(port, '127.0.0.1', resolve));
    break;
  }
  case 'bare': {
    // The ceiling for `hot`: the same bytes from a plain node:http server (the head fields of
    // Tributary's cached answer, `BENCH_HEAD`, and its body).
    const body = process.env.BENCH_BODY ?? '{}';
    const head = process.env.BENCH_HEAD ? (JSON.parse(process.env.BENCH_HEAD) as Record<string, string>) : { 'content-type': 'application/json; charset=utf-8' };
    await new Promise<void>((resolve) => createServer((_req, res) => res.writeHead(200, head).end(body)).listen(port, '127.0.0.1', resolve));
    break;
  }
  default:
    throw new Error(`unknown system ${system}`);
}
process.stdout.write(`ready ${port}\n`);
if (!process.listenerCount('SIGTERM')) process.on('SIGTERM', () => process.exit(0));
