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

/** The context of one request: its own loaders, registered so that its writes clear them. */
export function createContext({ db, loaderOptions, loaderRegistry, principal }: SubgraphRequestContext): Context {
  return { db, loaders: createCatalogLoaders(db, loaderRegistry, loaderOptions), principal };
}
