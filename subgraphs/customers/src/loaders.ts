import type { Database } from '@tributary/database';
import { type LoaderOptions, createGroupLoader, createRowLoader } from '@tributary/subgraph-runtime';
import { type Kysely, sql } from 'kysely';

/** The customers subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createCustomersLoaders(db: Kysely<Database>, options: LoaderOptions = {}) {
  return {
    customer: createRowLoader(
      (ids) => db.selectFrom('customers.customer').selectAll().where('customer_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.customer_id,
      options,
    ),
    employee: createRowLoader(
      (ids) => db.selectFrom('customers.employee').selectAll().where('employee_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.employee_id,
      options,
    ),
    customersBySupportRep: createGroupLoader(
      (ids) => db.selectFrom('customers.customer').selectAll().where('support_rep_id', '=', sql<number>`any(${ids})`).orderBy('customer_id').execute(),
      (row) => row.support_rep_id,
      options,
    ),
    reportsByManager: createGroupLoader(
      (ids) => db.selectFrom('customers.employee').selectAll().where('reports_to', '=', sql<number>`any(${ids})`).orderBy('employee_id').execute(),
      (row) => row.reports_to,
      options,
    ),
  };
}

export type CustomersLoaders = ReturnType<typeof createCustomersLoaders>;
