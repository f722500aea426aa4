import { createServer, type Server } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { type DocumentNode, GraphQLError } from 'graphql';
import { createYoga, maskError as yogaMaskError, type YogaServerInstance } from 'graphql-yoga';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { LoaderOptions } from './batch-loaders.js';
import { closeGracefully, listen } from './http-lifecycle.js';
import { type LoaderRegistry, createLoaderRegistry } from './loader-registry.js';
import { createWriteRecorder } from './write-recorder.js';
import { type SubgraphReadReplica, createReadRouting } from './read-routing.js';
import { IDENTITY_HEADER, createIdentityVerifier, readInternalSecret } from './internal-identity.js';
import { ANONYMOUS, type Principal } from './principal.js';
import { useAfterMutation } from './use-after-mutation.js';
import { useMetricsEndpoint } from './use-metrics-endpoint.js';
import { type ReadinessProbe, useReadiness } from './use-readiness.js';
import { createDatabaseReadiness } from './database-readiness.js';
import { createYogaLogger } from './yoga-logger.js';
import { databaseFailure, databaseUnavailable } from './database-failure.js';
import { createErrorReporter } from './error-reporter.js';
import { withRequestSignal } from './request-signal.js';

/**
 * What makes a subgraph: its schema, resolvers and per-request context. Everything else (HTTP,
 * health, metrics, shutdown) is the same for every subgraph and lives here.
 */
export interface SubgraphDefinition<Context extends object, DB = any> {
  /** The subgraph's name in the supergraph. */
  name: string;
  /** The parsed `schema.graphql` (Federation 2 SDL). */
  typeDefs: DocumentNode;
  /** Resolvers, typed by graphql-codegen in each subgraph. */
  resolvers: unknown;
  /** Makes the context of one request; its DataLoaders and principal die with the request. */
  createContext(request: SubgraphRequestContext<DB>): Context;
}

/**
 * What a subgraph's `createContext` gets for each request. `DB` is the Kysely schema type of
 * the subgraph's database (`Database` of `@tributary/database` for Chinook): the runtime does
 * not depend on any one schema.
 */
export interface SubgraphRequestContext<DB = any> {
  /**
   * The database, for this request: every write through it makes `loaderRegistry` forget what
   * the write may have made stale (see `createWriteRecorder`).
   */
  db: Kysely<DB>;
  loaderOptions: LoaderOptions;
  /**
   * This request's loaders by the tables they read: register each loader here
   * (`loaderRegistry.register(reads, loader)`), so that a mutation's writes clear them and a
   * later field of the same operation reads what the mutation wrote.
   */
  loaderRegistry: LoaderRegistry;
  /** The caller, verified from the gateway's identity header; `ANONYMOUS` without one. */
  principal: Principal;
}

/** How a subgraph learns who is calling. */
export interface SubgraphIdentityOptions {
  /** Verifies the gateway's identity header (see `createIdentityVerifier`). */
  verify: (header: string | null) => Promise<Principal | null>;
  /**
   * Refuse requests without the gateway's identity header (HTTP 401), so that only the gateway
   * can call the subgraph. `SUBGRAPH_REQUIRE_GATEWAY_TOKEN`; default: on in production.
   */
  requireGatewayToken: boolean;
}

/** Options of {@link startSubgraph}. */
export interface SubgraphServerOptions<DB = any> {
  /**
   * The subgraph's database (a `DatabaseHandle` of `@tributary/database`); its owner closes it.
   * With `read` (`DATABASE_READ_URL`) and `writeLsn`, queries read the replica (see `createReadRouting`).
   */
  database: { db: Kysely<DB>; read?: SubgraphReadReplica<DB>; writeLsn?(): Promise<string> };
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to bind. Default: all interfaces (Node's default). */
  host?: string;
  /** Registry behind `/metrics`. Default: a new one with process metrics. */
  registry?: Registry;
  logger: Logger;
  /** Identity of callers. Default: the development internal secret, header optional. */
  identity?: SubgraphIdentityOptions;
  /** Awaited after each mutation, before its response (see `useAfterMutation`). */
  afterMutation?: () => Promise<void>;
  /** How loaders fetch; `{ batch: false }` is the row-by-row baseline. Default: batched. */
  loaders?: LoaderOptions;
  /** Production hides error details (Yoga's masked errors). Default: `NODE_ENV === 'production'`. */
  production?: boolean;
  /**
   * What `/readyz` checks besides the database (which it always checks: `select 1` within
   * `DATABASE_READINESS_TIMEOUT_MS`). Default: nothing else.
   */
  readiness?: ReadinessProbe;
}

/**
 * A subgraph serving HTTP: `/graphql`, `/healthz` (the process answers), `/readyz` (its database
 * answers within 1 s, and `readiness` passes), `/metrics`.
 */
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
export async function startSubgraph<Context extends object, DB>(definition: SubgraphDefinition<Context, DB>, options: SubgraphServerOptions<DB>): Promise<RunningSubgraph> {
  const registry = options.registry ?? createRegistry();
  const schema = buildSubgraphSchema({ typeDefs: definition.typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> });
  const db = options.database.db;
  const loaderOptions = options.loaders ?? {};
  const identity = options.identity ?? { verify: createIdentityVerifier(readInternalSecret({})), requireGatewayToken: false };
  const log = options.logger.child({ subgraph: definition.name });
  const { read, writeLsn } = options.database;
  const routing = read && writeLsn ? createReadRouting(db, read, writeLsn, (error) => log.warn({ err: error.message }, 'read replica unavailable; reading from the primary')) : undefined;
  const yoga = createYoga<object, object>({
    schema,
    context: async ({ request }: { request: Request }) => {
      const principal = await principalOf(request, identity);
      const loaderRegistry = createLoaderRegistry();
      const source = routing ? (await routing.sourceFor(request)).db : db;
      return definition.createContext({ db: source.withPlugin(createWriteRecorder(loaderRegistry)), loaderOptions, loaderRegistry, principal });
    },
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: false,
    maskedErrors: { isDev: !(options.production ?? process.env.NODE_ENV === 'production'), maskError: maskSubgraphError },
    logging: createYogaLogger(log, createErrorReporter({ logger: log, registry })),
    plugins: [
      ...(routing ? [routing.plugin] : []),
      useMetricsEndpoint(registry),
      useReadiness(readinessOf(db, options.readiness)),
      ...(options.afterMutation ? [useAfterMutation(options.afterMutation)] : []),
    ],
  });
  const server = createServer(withRequestSignal(yoga));
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

/** The database's readiness, then `extra`'s. */
function readinessOf(db: Kysely<any>, extra: ReadinessProbe | undefined): ReadinessProbe {
  const database = createDatabaseReadiness(db);
  return {
    async check() {
      await database.check();
      await extra?.check();
    },
  };
}

/**
 * Yoga's masking, except for database failures: those reach the gateway (and the client) as
 * `DATABASE_UNAVAILABLE` at the failed field's path with a reason in words (a pool timeout, a
 * statement timeout, a lost connection), never the SQL error itself.
 */
function maskSubgraphError(error: unknown, message: string, isDev?: boolean): Error {
  const reason = databaseFailure(error);
  if (reason) return databaseUnavailable(reason, (error as GraphQLError).path, (error as GraphQLError).nodes);
  return yogaMaskError(error, message, isDev);
}

/**
 * The verified principal of a request.
 *
 * @throws GraphQLError `UNAUTHENTICATED` (HTTP 401) when the identity header is invalid, or
 * absent while the subgraph requires it; nothing is executed.
 */
async function principalOf(request: Request, identity: SubgraphIdentityOptions): Promise<Principal> {
  try {
    const principal = await identity.verify(request.headers.get(IDENTITY_HEADER));
    if (principal) return principal;
  } catch (error) {
    throw unauthenticated((error as Error).message);
  }
  if (identity.requireGatewayToken) throw unauthenticated('this subgraph only answers the gateway');
  return ANONYMOUS;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** A registry with Node's process metrics, labelled with the service name. */
export function createRegistry(service?: string): Registry {
  const registry = new Registry();
  if (service) registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
