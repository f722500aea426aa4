import {
  DateTimeScalar,
  DecimalScalar,
  MAX_PAGE_SIZE,
  badUserInput,
  loadByRepresentation,
  parseIdArgument,
  parsePageRequest,
  toChinookKey,
  toConnection,
} from '@tributary/subgraph-runtime';
import { sql } from 'kysely';
import type { Resolvers } from './generated/resolvers-types.js';
import { purchase } from './purchase.js';

/** The sales subgraph's resolvers. Until identity lands, every field is readable by anyone. */
export const resolvers: Resolvers = {
  Decimal: DecimalScalar,
  DateTime: DateTimeScalar,
  Query: {
    invoice: (_, { id }, { loaders }) => loaders.invoice.load(parseIdArgument(id, 'id')),
    topTracks: async (_, { first, genreId }, { db }) => {
      const limit = first ?? 10;
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}, got ${limit}`);
      let query = db
        .selectFrom('sales.invoice_line as line')
        .select(['line.track_id', sql<number>`sum(line.quantity)::int`.as('purchase_count')])
        .groupBy('line.track_id')
        .orderBy('purchase_count', 'desc')
        .orderBy('line.track_id')
        .limit(limit);
      if (genreId !== null && genreId !== undefined) {
        const genre = parseIdArgument(genreId, 'genreId');
        query = query.innerJoin('sales.track_price as price', 'price.track_id', 'line.track_id').where('price.genre_id', '=', genre);
      }
      return query.execute();
    },
  },
  Mutation: {
    purchase: (_, { customerId, trackIds }, { db }) => purchase(db, customerId, trackIds),
  },
  Invoice: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.invoice),
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
    invoices: async (ref, args, { loaders }) => {
      const page = parsePageRequest(args);
      const rows = await loaders.invoicesPageByCustomer(page).load(ref.customer_id);
      return toConnection(rows, page, (r) => r.invoice_id, () => loaders.invoiceCountByCustomer.load(ref.customer_id));
    },
    totalSpent: (ref, _, { loaders }) => loaders.totalSpentByCustomer.load(ref.customer_id),
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
