import type { Database } from '@tributary/database';
import type { LoaderOptions } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type SalesLoaders, createSalesLoaders } from './loaders.js';

/** The sales subgraph's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: SalesLoaders;
}

export function createContext(db: Kysely<Database>, options: LoaderOptions): Context {
  return { db, loaders: createSalesLoaders(db, options) };
}
