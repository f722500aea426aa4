import { type SubgraphDefinition, loadSchemaFile } from '@tributary/subgraph-runtime';
import { type Context, createContext } from './context.js';
import { resolvers } from './resolvers.js';

/** The sales subgraph: Invoice, InvoiceLine; Customer.invoices and totalSpent, Track.purchaseCount, Query.topTracks. */
export const salesSubgraph: SubgraphDefinition<Context> = {
  name: 'sales',
  typeDefs: loadSchemaFile(new URL('../schema.graphql', import.meta.url)),
  resolvers,
  createContext,
};

export { createSalesLoaders } from './loaders.js';
