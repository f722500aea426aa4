import { createServer, type Server } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Database, DatabaseHandle } from '@tributary/database';
import type { DocumentNode } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { LoaderOptions } from './batch-loaders.js';
import { closeGracefully, listen } from './http-lifecycle.js';
import { useMetricsEndpoint } from './use-metrics-endpoint.js';

/**
 * What makes a subgraph: its schema, resolvers and per-request context. Everything else (HTTP,
 * health, metrics, shutdown) is the same for every subgraph and lives here.
 */
export interface SubgraphDefinition<Context extends object> {
  /** The subgraph's name in the supergraph. */
  name: string;
  /** The parsed `schema.graphql` (Federation 2 SDL). */
  typeDefs: DocumentNode;
  /** Resolvers, typed by graphql-codegen in each subgraph. */
  resolvers: unknown;
  /** Makes the context of one request; its DataLoaders die with the request. */
  createContext(db: Kysely<Database>, options: LoaderOptions): Context;
}

/** Options of {@link startSubgraph}. */
export interface SubgraphServerOptions {
  database: DatabaseHandle;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to bind. Default: all interfaces (Node's default). */
  host?: string;
  /** Registry behind `/metrics`. Default: a new one with process metrics. */
  registry?: Registry;
  logger: Logger;
  /** How loaders fetch; `{ batch: false }` is the row-by-row baseline. Default: batched. */
  loaders?: LoaderOptions;
  /** Production hides error details (Yoga's masked errors). Default: `NODE_ENV === 'production'`. */
  production?: boolean;
}

/** A subgraph serving HTTP: `/graphql`, `/healthz`, `/metrics`. */
export interface RunningSubgraph {
  name: string;
  port: number;
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  server: Server;
  yoga: YogaServerInstance<object, object>;
  /** Graceful close of the HTTP server (the database handle stays open: its owner closes it). */
  close(): Promise<void>;
}

/** Builds the executable subgraph schema and serves it with GraphQL Yoga on node:http. */
export async function startSubgraph<Context extends object>(definition: SubgraphDefinition<Context>, options: SubgraphServerOptions): Promise<RunningSubgraph> {
  const registry = options.registry ?? createRegistry();
  const schema = buildSubgraphSchema({ typeDefs: definition.typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> });
  const db = options.database.db;
  const loaderOptions = options.loaders ?? {};
  const log = options.logger.child({ subgraph: definition.name });
  const yoga = createYoga<object, object>({
    schema,
    context: () => definition.createContext(db, loaderOptions),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: false,
    maskedErrors: { isDev: !(options.production ?? process.env.NODE_ENV === 'production') },
    logging: {
      debug: (...args) => log.debug(args.map(String).join(' ')),
      info: (...args) => log.info(args.map(String).join(' ')),
      warn: (...args) => log.warn(args.map(String).join(' ')),
      error: (...args) => log.error(args.map(String).join(' ')),
    },
    plugins: [useMetricsEndpoint(registry)],
  });
  const server = createServer(yoga);
  const port = await listen(server, options.port, options.host);
  log.info({ port }, 'subgraph listening');
  return {
    name: definition.name,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    yoga,
    close: () => closeGracefully(server),
  };
}

/** A registry with Node's process metrics, labelled with the service name. */
export function createRegistry(service?: string): Registry {
  const registry = new Registry();
  if (service) registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
