import type { Database } from '@tributary/database';
import { type LoaderOptions, type LoaderRegistry, createTableLoaders } from '@tributary/runtime';
import type { Kysely } from 'kysely';

/** The customers subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createCustomersLoaders(db: Kysely<Database>, registry: LoaderRegistry, options: LoaderOptions = {}) {
  const tables = createTableLoaders(db, registry, options);
  return {
    customer: tables.rowByKey('customers.customer', 'customer_id'),
    employee: tables.rowByKey('customers.employee', 'employee_id'),
    customersBySupportRep: tables.rowsByKey('customers.customer', 'support_rep_id', 'customer_id'),
    reportsByManager: tables.rowsByKey('customers.employee', 'reports_to', 'employee_id'),
  };
}

export type CustomersLoaders = ReturnType<typeof createCustomersLoaders>;
