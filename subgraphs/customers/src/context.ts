import type { Database } from '@tributary/database';
import type { Principal, SubgraphRequestContext } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type CustomersLoaders, createCustomersLoaders } from './loaders.js';

/** The customers subgraph's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: CustomersLoaders;
  /** Who is calling, as the gateway verified it. */
  principal: Principal;
}

export function createContext({ db, loaderOptions, principal }: SubgraphRequestContext): Context {
  return { db, loaders: createCustomersLoaders(db, loaderOptions), principal };
}
