import { type SubgraphDefinition, loadSchemaFile } from '@tributary/subgraph-runtime';
import { type Context, createContext } from './context.js';
import { resolvers } from './resolvers.js';

/** The catalog subgraph: Artist, Album, Track, Genre, MediaType. */
export const catalogSubgraph: SubgraphDefinition<Context> = {
  name: 'catalog',
  typeDefs: loadSchemaFile(new URL('../schema.graphql', import.meta.url)),
  resolvers,
  createContext,
};

export { createCatalogLoaders } from './loaders.js';
