import { type SubgraphDefinition, loadSchemaFile } from '@tributary/subgraph-runtime';
import { type Context, createContext } from './context.js';
import { resolvers } from './resolvers.js';

/** The customers subgraph: Customer, Employee. */
export const customersSubgraph: SubgraphDefinition<Context> = {
  name: 'customers',
  typeDefs: loadSchemaFile(new URL('../schema.graphql', import.meta.url)),
  resolvers,
  createContext,
};

export { createCustomersLoaders } from './loaders.js';
