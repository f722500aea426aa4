import type { Kysely } from 'kysely';
import type { LoaderOptions } from './batch-loaders.js';
import type { LoaderRegistry } from './loader-registry.js';
import { loadSchemaFile } from './load-schema-file.js';
import type { Principal } from './principal.js';
import type { SubgraphDefinition } from './subgraph-server.js';

/**
 * The per-request context of a subgraph made with {@link defineSubgraph}: the request's database
 * (writes through it clear the request's loaders), its DataLoaders and the verified caller.
 */
export interface SubgraphContext<DB, Loaders> {
  db: Kysely<DB>;
  loaders: Loaders;
  /** Who is calling, as the gateway verified it (`ANONYMOUS` without an identity header). */
  principal: Principal;
}

/** What {@link defineSubgraph} needs: the parts that differ between subgraphs. */
export interface SubgraphParts<DB, Loaders> {
  /** The subgraph's name in the supergraph. */
  name: string;
  /** Where its Federation 2 SDL is (`new URL('../schema.graphql', import.meta.url)`). */
  schema: URL;
  /** Resolvers, typed by graphql-codegen against {@link SubgraphContext}. */
  resolvers: unknown;
  /** Makes one request's loaders; each must be registered in `registry` with the tables it reads. */
  createLoaders(db: Kysely<DB>, registry: LoaderRegistry, options: LoaderOptions): Loaders;
}

/**
 * A subgraph definition for {@link startSubgraph} whose context is {@link SubgraphContext}: the
 * one way every Chinook subgraph builds its context, so that none repeats it.
 *
 * @throws when the schema file cannot be read or parsed (at definition time).
 */
export function defineSubgraph<DB, Loaders>(parts: SubgraphParts<DB, Loaders>): SubgraphDefinition<SubgraphContext<DB, Loaders>, DB> {
  return {
    name: parts.name,
    typeDefs: loadSchemaFile(parts.schema),
    resolvers: parts.resolvers,
    createContext: ({ db, loaderOptions, loaderRegistry, principal }) => ({ db, loaders: parts.createLoaders(db, loaderRegistry, loaderOptions), principal }),
  };
}
