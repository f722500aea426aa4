import type { Database } from '@tributary/database';
import { defineSubgraph } from '@tributary/runtime';
import { type SalesLoaders, createSalesLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The sales subgraph: Invoice, InvoiceLine; Customer.invoices and totalSpent, Track.purchaseCount, Query.topTracks. */
export const salesSubgraph = defineSubgraph<Database, SalesLoaders>({
  name: 'sales',
  schema: new URL('../schema.graphql', import.meta.url),
  resolvers,
  createLoaders: createSalesLoaders,
});

export { createSalesLoaders } from './loaders.js';
