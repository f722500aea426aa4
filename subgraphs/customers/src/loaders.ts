import type { Database } from '@tributary/database';
import { type LoaderOptions, type LoaderRegistry, createGroupLoader, createRowLoader } from '@tributary/runtime';
import { type Kysely, sql } from 'kysely';

/** The customers subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createCustomersLoaders(db: Kysely<Database>, registry: LoaderRegistry, options: LoaderOptions = {}) {
  const { register } = registry;
  return {
    customer: register(
      { 'customers.customer': 'customer_id' },
      createRowLoader(
        (ids) => db.selectFrom('customers.customer').selectAll().where('customer_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.customer_id,
        options,
      ),
    ),
    employee: register(
      { 'customers.employee': 'employee_id' },
      createRowLoader(
        (ids) => db.selectFrom('customers.employee').selectAll().where('employee_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.employee_id,
        options,
      ),
    ),
    customersBySupportRep: register(
      { 'customers.customer': 'support_rep_id' },
      createGroupLoader(
        (ids) => db.selectFrom('customers.customer').selectAll().where('support_rep_id', '=', sql<number>`any(${ids})`).orderBy('customer_id').execute(),
        (row) => row.support_rep_id,
        options,
      ),
    ),
    reportsByManager: register(
      { 'customers.employee': 'reports_to' },
      createGroupLoader(
        (ids) => db.selectFrom('customers.employee').selectAll().where('reports_to', '=', sql<number>`any(${ids})`).orderBy('employee_id').execute(),
        (row) => row.reports_to,
        options,
      ),
    ),
  };
}

export type CustomersLoaders = ReturnType<typeof createCustomersLoaders>;
