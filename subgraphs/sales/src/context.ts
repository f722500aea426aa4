import type { Database } from '@tributary/database';
import type { Principal, SubgraphRequestContext } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type SalesLoaders, createSalesLoaders } from './loaders.js';

/** The sales subgraph's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: SalesLoaders;
  /** Who is calling, as the gateway verified it. */
  principal: Principal;
}

export function createContext({ db, loaderOptions, principal }: SubgraphRequestContext): Context {
  return { db, loaders: createSalesLoaders(db, loaderOptions), principal };
}
