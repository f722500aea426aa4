import type { Database } from '@tributary/database';
import type { LoaderOptions } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type CustomersLoaders, createCustomersLoaders } from './loaders.js';

/** The customers subgraph's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: CustomersLoaders;
}

export function createContext(db: Kysely<Database>, options: LoaderOptions): Context {
  return { db, loaders: createCustomersLoaders(db, options) };
}
