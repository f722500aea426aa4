import type { Database } from '@tributary/database';
import type { Principal, SubgraphRequestContext } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type CatalogLoaders, createCatalogLoaders } from './loaders.js';

/** The catalog's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: CatalogLoaders;
  /** Who is calling, as the gateway verified it. */
  principal: Principal;
}

export function createContext({ db, loaderOptions, principal }: SubgraphRequestContext): Context {
  return { db, loaders: createCatalogLoaders(db, loaderOptions), principal };
}
