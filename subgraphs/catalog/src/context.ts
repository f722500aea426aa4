import type { Database } from '@tributary/database';
import type { LoaderOptions } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type CatalogLoaders, createCatalogLoaders } from './loaders.js';

/** The catalog's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: CatalogLoaders;
}

export function createContext(db: Kysely<Database>, options: LoaderOptions): Context {
  return { db, loaders: createCatalogLoaders(db, options) };
}
