import type { Database } from '@tributary/database';
import { defineSubgraph } from '@tributary/runtime';
import { type CustomersLoaders, createCustomersLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The customers subgraph: Customer, Employee. */
export const customersSubgraph = defineSubgraph<Database, CustomersLoaders>({
  name: 'customers',
  schema: new URL('../schema.graphql', import.meta.url),
  resolvers,
  createLoaders: createCustomersLoaders,
});

export { createCustomersLoaders } from './loaders.js';
