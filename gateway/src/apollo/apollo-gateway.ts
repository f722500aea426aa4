import { createRequire } from 'node:module';
import type * as Gateway from '@apollo/gateway';
import { usePlainExports } from './plain-exports.js';

/**
 * `@apollo/gateway`, loaded after its dependencies' re-exporting indexes were made plain
 * ({@link usePlainExports}): the gateway's planning and result shaping then read
 * `@apollo/federation-internals` and `@apollo/query-planner` without a getter call per name.
 * Every module of the gateway takes `ApolloGateway` and `RemoteGraphQLDataSource` from here, so
 * that `@apollo/gateway` is first loaded by this module (a process that loaded it before keeps
 * the accessors: same behaviour, more CPU).
 */
const load = createRequire(import.meta.url);
const gatewayFile = load.resolve('@apollo/gateway');
// `loaded`, not just present: linking an ES module graph that imports `@apollo/gateway` puts an
// unloaded entry in require.cache before any module of the graph runs.
if (!load.cache[gatewayFile]?.loaded) usePlainExports(gatewayFile, ['@apollo/federation-internals', '@apollo/query-planner']);
const gateway = load('@apollo/gateway') as typeof Gateway;

/** `@apollo/gateway`'s `ApolloGateway`: plans and executes operations over the supergraph. */
export const ApolloGateway = gateway.ApolloGateway;
/** An instance of {@link ApolloGateway}. */
export type ApolloGateway = Gateway.ApolloGateway;
/** `@apollo/gateway`'s `RemoteGraphQLDataSource`: sends a subgraph fetch over HTTP. */
export const RemoteGraphQLDataSource = gateway.RemoteGraphQLDataSource;
/** An instance of {@link RemoteGraphQLDataSource} (its context type `TContext`). */
export type RemoteGraphQLDataSource<TContext extends Record<string, unknown> = Record<string, unknown>> = Gateway.RemoteGraphQLDataSource<TContext>;
