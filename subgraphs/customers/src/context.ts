import type { Database } from '@tributary/database';
import type { Kysely } from 'kysely';
import { type CustomersLoaders, createCustomersLoaders } from './loaders.js';

/** The customers subgraph's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: CustomersLoaders;
}

export function createContext(db: Kysely<Database>): Context {
  return { db, loaders: createCustomersLoaders(db) };
}
