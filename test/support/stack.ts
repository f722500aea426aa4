import { type TributaryGateway, createGateway, readGatewayConfig, readJwtConfig, signClientToken } from '@tributary/gateway';
import { parseSubject } from '@tributary/runtime';
import type { LoaderOptions } from '@tributary/runtime';
import type { Plugin } from 'graphql-yoga';
import { type Logger, pino } from 'pino';
import { createInProcessBus } from '@tributary/cache';
import { type RunningSubgraphs, runSubgraphs } from '@tributary/subgraph-host';
import { directUrlOf } from './test-database.js';

/** A GraphQL response as the test sees it. */
export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
}

/** The four subgraphs and the gateway on free loopback ports, in this process. */
export interface Stack {
  /** `http://127.0.0.1:<port>/graphql` */
  gatewayUrl: string;
  gateway: TributaryGateway;
  subgraphs: RunningSubgraphs;
  /** POSTs a GraphQL request to the gateway, as `as` (`customer:5`, `employee:2`) or anonymous. */
  query<T = any>(query: string, variables?: Record<string, unknown>, options?: { as?: string; headers?: Record<string, string> }): Promise<GraphQLResponse<T>>;
  /** SQL statements that all subgraphs sent so far (counted by each database handle). */
  statements(): number;
  /** Runs `work` and returns how many SQL statements it cost, in total and per subgraph. */
  countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number; bySubgraph: Record<string, number> }>;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' });

/** A token the test gateway accepts for `subject` (`customer:5`), signed with the development secret. */
export async function tokenFor(subject: string, ttlS?: number): Promise<string> {
  const principal = parseSubject(subject);
  if (!principal || principal.kind === 'anonymous') throw new Error(`not a subject: ${subject}`);
  return signClientToken(principal, readJwtConfig({}), ttlS);
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** A Postgres database URL; absent: the embedded PGlite database (imported on start). */
  databaseUrl?: string;
  loaders?: LoaderOptions;
  /** The supergraph file the gateway watches. Default: the committed one. */
  supergraphPath?: string;
  /** Environment the gateway's configuration is read from (`PERSISTED_OPERATIONS`, `REDIS_URL`…). */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Environment the subgraphs read besides the database (`SUBGRAPH_REQUIRE_GATEWAY_TOKEN`…). */
  subgraphEnv?: NodeJS.ProcessEnv;
  /**
   * Redis for the bus, APQ and the cache's L2, in both subgraphs and gateway. Absent: one
   * in-process bus shared by the subgraphs and the gateway (single-instance mode).
   */
  redis?: { url: string; keyPrefix: string };
  /** An existing set of subgraphs to put another gateway in front of (multi-instance tests). */
  subgraphs?: RunningSubgraphs;
  /** Extra gateway plugins (tests that count what the gateway does). */
  plugins?: Plugin[];
  /** Logger of the gateway and the subgraphs. Default: silent. */
  logger?: Logger;
  /** The gateway's parse and plan cache entry bounds (see `GatewayOptions`). */
  cacheEntryBounds?: { documents?: number; plans?: number };
}

/** Starts subgraphs (port 0) and a gateway (port 0) pointed at them. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const redisEnv: NodeJS.ProcessEnv = options.redis ? { REDIS_URL: options.redis.url, REDIS_KEY_PREFIX: options.redis.keyPrefix } : {};
  const env: NodeJS.ProcessEnv = { CHINOOK_SQL: process.env.CHINOOK_SQL, ...redisEnv, ...options.subgraphEnv };
  if (options.databaseUrl) {
    env.DATABASE_URL = options.databaseUrl;
    // Through a transaction pooler (the `pgbouncer` project), LISTEN must reach Postgres itself.
    env.DATABASE_DIRECT_URL ??= directUrlOf(options.databaseUrl);
    if (env.DATABASE_DIRECT_URL === undefined) delete env.DATABASE_DIRECT_URL;
  }
  const sharedBus = options.redis || options.subgraphs ? undefined : createInProcessBus();
  const ownSubgraphs = options.subgraphs === undefined;
  const subgraphs =
    options.subgraphs ??
    (await runSubgraphs({
      env,
      ports: { catalog: 0, customers: 0, sales: 0, playlists: 0 },
      host: '127.0.0.1',
      logger: options.logger ?? silentLogger,
      loaders: options.loaders,
      bus: sharedBus,
    }));
  let gateway: TributaryGateway;
  try {
    const config = readGatewayConfig({ ...redisEnv, ...options.gatewayEnv, ...(options.supergraphPath ? { SUPERGRAPH_PATH: options.supergraphPath } : {}) });
    gateway = await createGateway({
      config: { ...config, subgraphUrls: subgraphs.urls },
      logger: options.logger ?? silentLogger,
      cacheEntryBounds: options.cacheEntryBounds,
      plugins: options.plugins,
      bus: sharedBus ?? (options.subgraphs && !options.redis ? subgraphs.bus : undefined),
    });
  } catch (error) {
    if (ownSubgraphs) await subgraphs.close();
    throw error;
  }
  const port = await gateway.listen(0, '127.0.0.1');
  const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
  const statementsBySubgraph = () => Object.fromEntries(Object.entries(subgraphs.databases).map(([name, db]) => [name, db.stats.statements]));
  const statements = () => Object.values(statementsBySubgraph()).reduce((a, b) => a + b, 0);
  return {
    gatewayUrl,
    gateway,
    subgraphs,
    async query(query, variables, options) {
      const authorization: Record<string, string> = options?.as ? { authorization: `Bearer ${await tokenFor(options.as)}` } : {};
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authorization, ...options?.headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    statements,
    async countStatements(work) {
      const before = statementsBySubgraph();
      const result = await work();
      const after = statementsBySubgraph();
      const bySubgraph = Object.fromEntries(Object.keys(after).map((name) => [name, after[name]! - before[name]!]));
      return { result, statements: Object.values(bySubgraph).reduce((a, b) => a + b, 0), bySubgraph };
    },
    async close() {
      await gateway.stop();
      if (ownSubgraphs) await subgraphs.close();
      await sharedBus?.close();
    },
  };
}
