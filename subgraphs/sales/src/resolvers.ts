import {
  DateTimeScalar,
  DecimalScalar,
  MAX_PAGE_SIZE,
  badUserInput,
  canReadCustomer,
  forbidden,
  loadByRepresentation,
  parseIdArgument,
  parsePageRequest,
  toChinookKey,
  toConnection,
} from '@tributary/runtime';
import { sql } from 'kysely';
import type { Context } from './context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { purchase } from './purchase.js';
import type { InvoiceRow } from './rows.js';

/**
 * Whether the request's principal may read customer `customerId`'s invoices and spending: the
 * customer themself, their support rep, or a manager.
 */
async function canReadCustomerSales(ctx: Context, customerId: number): Promise<boolean> {
  const access = await ctx.loaders.customerAccess.load(customerId);
  return canReadCustomer(ctx.principal, { customerId, supportRepId: access?.support_rep_id ?? null }, async (id) => (await ctx.loaders.employeeRole.load(id))?.title ?? null);
}

/** An invoice, or `FORBIDDEN` when the principal may not read its customer's invoices. */
async function authorizedInvoice(ctx: Context, invoice: InvoiceRow | null): Promise<InvoiceRow | null> {
  if (invoice && !(await canReadCustomerSales(ctx, invoice.customer_id))) throw forbidden(`invoice ${invoice.invoice_id}`);
  return invoice;
}

/**
 * The sales subgraph's resolvers. Invoices, `Customer.invoices` and `totalSpent` are private to
 * the customer, their support rep and managers; `purchaseCount` and `topTracks` are public.
 */
export const resolvers: Resolvers = {
  Decimal: DecimalScalar,
  DateTime: DateTimeScalar,
  Query: {
    invoice: async (_, { id }, ctx) => authorizedInvoice(ctx, await ctx.loaders.invoice.load(parseIdArgument(id, 'id'))),
    topTracks: async (_, { first, genreId }, { db }) => {
      const limit = first ?? 10;
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}, got ${limit}`);
      // The counter `sales.track_sales` (migration 006): tracks with at least one invoice line,
      // by units sold, walked down the index `track_sales_top_idx` until `first` are found.
      let query = db
        .selectFrom('sales.track_sales as sold')
        .select(['sold.track_id', 'sold.units as purchase_count'])
        // A literal, not a parameter: it must match the partial index's predicate as written.
        .where(sql<boolean>`sold.line_count > 0`)
        .orderBy('sold.units', 'desc')
        .orderBy('sold.track_id')
        .limit(limit);
      if (genreId !== null && genreId !== undefined) {
        const genre = parseIdArgument(genreId, 'genreId');
        query = query.innerJoin('sales.track_price as price', 'price.track_id', 'sold.track_id').where('price.genre_id', '=', genre);
      }
      return query.execute();
    },
  },
  Mutation: {
    purchase: (_, { customerId, trackIds }, { db, principal }) => {
      if (principal.kind !== 'customer' || String(principal.id) !== customerId) throw forbidden('purchase is for the customer themself');
      return purchase(db, customerId, trackIds);
    },
  },
  Invoice: {
    __resolveReference: async (ref, ctx) => authorizedInvoice(ctx, await loadByRepresentation(ref.id, ctx.loaders.invoice)),
    id: (row) => String(row.invoice_id),
    customer: (row) => ({ customer_id: row.customer_id }),
    invoiceDate: (row) => row.invoice_date,
    billingCity: (row) => row.billing_city,
    billingCountry: (row) => row.billing_country,
    lines: (row, _, { loaders }) => loaders.linesByInvoice.load(row.invoice_id),
  },
  InvoiceLine: {
    id: (row) => String(row.invoice_line_id),
    track: (row) => ({ track_id: row.track_id }),
    unitPrice: (row) => row.unit_price,
  },
  Customer: {
    __resolveReference: (ref) => {
      const key = toChinookKey(ref.id);
      return key === null ? null : { customer_id: key };
    },
    id: (ref) => String(ref.customer_id),
    invoices: async (ref, args, ctx) => {
      const { loaders } = ctx;
      const page = parsePageRequest(args, `Customer:${ref.customer_id}.invoices`);
      if (!(await canReadCustomerSales(ctx, ref.customer_id))) throw forbidden(`invoices of customer ${ref.customer_id}`);
      const rows = await loaders.invoicesPageByCustomer(page).load(ref.customer_id);
      return toConnection(
        rows,
        page,
        (r) => r.invoice_id,
        () => loaders.invoiceCountByCustomer.load(ref.customer_id),
      );
    },
    totalSpent: async (ref, _, ctx) => {
      if (!(await canReadCustomerSales(ctx, ref.customer_id))) throw forbidden(`totalSpent of customer ${ref.customer_id}`);
      return ctx.loaders.totalSpentByCustomer.load(ref.customer_id);
    },
  },
  Track: {
    __resolveReference: (ref) => {
      const key = toChinookKey(ref.id);
      return key === null ? null : { track_id: key };
    },
    id: (ref) => String(ref.track_id),
    purchaseCount: (ref, _, { loaders }) => ref.purchase_count ?? loaders.purchaseCountByTrack.load(ref.track_id),
  },
};
