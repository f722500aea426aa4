import type { Database } from '@tributary/database';
import { createGroupLoader, createRowLoader } from '@tributary/subgraph-runtime';
import { type Kysely, sql } from 'kysely';

/** The customers subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createCustomersLoaders(db: Kysely<Database>) {
  return {
    customer: createRowLoader(
      (ids) => db.selectFrom('customers.customer').selectAll().where('customer_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.customer_id,
    ),
    employee: createRowLoader(
      (ids) => db.selectFrom('customers.employee').selectAll().where('employee_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.employee_id,
    ),
    customersBySupportRep: createGroupLoader(
      (ids) => db.selectFrom('customers.customer').selectAll().where('support_rep_id', '=', sql<number>`any(${ids})`).orderBy('customer_id').execute(),
      (row) => row.support_rep_id,
    ),
    reportsByManager: createGroupLoader(
      (ids) => db.selectFrom('customers.employee').selectAll().where('reports_to', '=', sql<number>`any(${ids})`).orderBy('employee_id').execute(),
      (row) => row.reports_to,
    ),
  };
}

export type CustomersLoaders = ReturnType<typeof createCustomersLoaders>;
