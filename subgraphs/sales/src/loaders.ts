import type { Database } from '@tributary/database';
import { type LoaderOptions, type LoaderRegistry, type PageRequest, createGroupLoader, createTableLoaders, loaderPerArguments } from '@tributary/runtime';
import { type Kysely, sql } from 'kysely';

/** The sales subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createSalesLoaders(db: Kysely<Database>, registry: LoaderRegistry, options: LoaderOptions = {}) {
  const { register } = registry;
  const tables = createTableLoaders(db, registry, options);
  return {
    /** Each customer's support rep, through the read-only view `sales.customer_access`. */
    customerAccess: tables.rowByKey('sales.customer_access', 'customer_id', { reads: { 'sales.customer_access': 'customer_id', 'customers.customer': 'customer_id' } }),
    /** Employees' titles, through the read-only view `sales.employee_role`. */
    employeeRole: tables.rowByKey('sales.employee_role', 'employee_id', { reads: { 'sales.employee_role': 'employee_id', 'customers.employee': 'employee_id' } }),
    invoice: tables.rowByKey('sales.invoice', 'invoice_id'),
    linesByInvoice: tables.rowsByKey('sales.invoice_line', 'invoice_id', 'invoice_line_id'),
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
    invoiceCountByCustomer: tables.valueByKey('sales.customer_sales', 'customer_id', 'invoice_count', 0, { reads: { 'sales.invoice': 'customer_id' } }),
    /** `sum(total)` of each customer's invoices, from the counter `sales.customer_sales`; "0.00" without invoices. */
    totalSpentByCustomer: tables.valueByKey('sales.customer_sales', 'customer_id', 'total_spent', '0.00', { reads: { 'sales.invoice': 'customer_id' } }),
    /** `sum(quantity)` of each track's invoice lines, from the counter `sales.track_sales`; 0 when never sold. */
    purchaseCountByTrack: tables.valueByKey('sales.track_sales', 'track_id', 'units', 0, { reads: { 'sales.invoice_line': 'track_id' } }),
  };
}

export type SalesLoaders = ReturnType<typeof createSalesLoaders>;
