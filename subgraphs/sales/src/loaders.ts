import type { Database } from '@tributary/database';
import {
  type LoaderOptions,
  type LoaderRegistry,
  type PageRequest,
  createGroupLoader,
  createRowLoader,
  createValueLoader,
  loaderPerArguments,
} from '@tributary/runtime';
import { type Kysely, sql } from 'kysely';

/** The sales subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createSalesLoaders(db: Kysely<Database>, registry: LoaderRegistry, options: LoaderOptions = {}) {
  const { register } = registry;
  return {
    /** Each customer's support rep, through the read-only view `sales.customer_access`. */
    customerAccess: register(
      { 'sales.customer_access': 'customer_id', 'customers.customer': 'customer_id' },
      createRowLoader(
        (ids) => db.selectFrom('sales.customer_access').selectAll().where('customer_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.customer_id,
        options,
      ),
    ),
    /** Employees' titles, through the read-only view `sales.employee_role`. */
    employeeRole: register(
      { 'sales.employee_role': 'employee_id', 'customers.employee': 'employee_id' },
      createRowLoader(
        (ids) => db.selectFrom('sales.employee_role').selectAll().where('employee_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.employee_id,
        options,
      ),
    ),
    invoice: register(
      { 'sales.invoice': 'invoice_id' },
      createRowLoader(
        (ids) => db.selectFrom('sales.invoice').selectAll().where('invoice_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.invoice_id,
        options,
      ),
    ),
    linesByInvoice: register(
      { 'sales.invoice_line': 'invoice_id' },
      createGroupLoader(
        (ids) => db.selectFrom('sales.invoice_line').selectAll().where('invoice_id', '=', sql<number>`any(${ids})`).orderBy('invoice_line_id').execute(),
        (row) => row.invoice_id,
        options,
      ),
    ),
    /**
     * One page of each customer's invoices for the same `(first, after)`, in one statement:
     * `row_number() over (partition by customer_id order by invoice_id) <= first + 1`.
     */
    invoicesPageByCustomer: register(
      { 'sales.invoice': 'customer_id' },
      loaderPerArguments(
        (page: PageRequest) =>
          createGroupLoader(
            (ids) =>
              db
                .selectFrom((eb) =>
                  eb
                    .selectFrom('sales.invoice')
                    .selectAll()
                    .select(sql<number>`row_number() over (partition by customer_id order by invoice_id)`.as('position'))
                    .where('customer_id', '=', sql<number>`any(${ids})`)
                    .where('invoice_id', '>', page.afterKey)
                    .as('page'),
                )
                .selectAll()
                .where('position', '<=', page.first + 1)
                .orderBy('invoice_id')
                .execute(),
            (row) => row.customer_id,
            options,
          ),
        (page) => `${page.first}:${page.afterKey}`,
      ),
    ),
    /**
     * Invoices per customer (`Customer.invoices.totalCount`), from the counter `sales.customer_sales`
     * (migration 006). Registered as a reader of `sales.invoice`, the table whose writes change it.
     */
    invoiceCountByCustomer: register(
      { 'sales.invoice': 'customer_id' },
      createValueLoader(
        (ids) => db.selectFrom('sales.customer_sales').select(['customer_id as key', 'invoice_count as value']).where('customer_id', '=', sql<number>`any(${ids})`).execute(),
        0,
        options,
      ),
    ),
    /** `sum(total)` of each customer's invoices, from the counter `sales.customer_sales`; "0.00" without invoices. */
    totalSpentByCustomer: register(
      { 'sales.invoice': 'customer_id' },
      createValueLoader(
        (ids) => db.selectFrom('sales.customer_sales').select(['customer_id as key', 'total_spent as value']).where('customer_id', '=', sql<number>`any(${ids})`).execute(),
        '0.00',
        options,
      ),
    ),
    /** `sum(quantity)` of each track's invoice lines, from the counter `sales.track_sales`; 0 when never sold. */
    purchaseCountByTrack: register(
      { 'sales.invoice_line': 'track_id' },
      createValueLoader(
        (ids) => db.selectFrom('sales.track_sales').select(['track_id as key', 'units as value']).where('track_id', '=', sql<number>`any(${ids})`).execute(),
        0,
        options,
      ),
    ),
  };
}

export type SalesLoaders = ReturnType<typeof createSalesLoaders>;
