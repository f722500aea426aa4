import type { Database } from '@tributary/database';
import { defineSubgraph } from '@tributary/runtime';
import { type CatalogLoaders, createCatalogLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The catalog subgraph: Artist, Album, Track, Genre, MediaType. */
export const catalogSubgraph = defineSubgraph<Database, CatalogLoaders>({
  name: 'catalog',
  schema: new URL('../schema.graphql', import.meta.url),
  resolvers,
  createLoaders: createCatalogLoaders,
});

export { createCatalogLoaders } from './loaders.js';
