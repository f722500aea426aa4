import type { Database } from '@tributary/database';
import { badUserInput, parseIdArgument } from '@tributary/runtime';
import { type Kysely, sql } from 'kysely';
import type { InvoiceRow } from './rows.js';

/** `invoice.total` is `NUMERIC(10,2)`: at most 99,999,999.99. */
const MAX_TOTAL_CENTS = 9_999_999_999;

/** Most track ids one purchase may name. */
export const MAX_TRACKS_PER_PURCHASE = 500;

/**
 * `purchase`: one invoice for a customer, one line per distinct track (a repeated id raises the
 * line's quantity), priced at the tracks' current `unit_price`, billed to the customer's address.
 * Everything happens in one transaction; the price rows are locked `FOR SHARE` while it runs, so
 * that the invoice's total matches the prices at commit.
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming `customerId` (not an id, or no such customer) or
 * `trackIds` (empty, too many, not ids, naming tracks that do not exist, or a total over
 * 99,999,999.99). Nothing is written.
 */
export async function purchase(db: Kysely<Database>, customerIdArg: string, trackIdArgs: readonly string[]): Promise<InvoiceRow> {
  const customerId = parseIdArgument(customerIdArg, 'customerId');
  if (trackIdArgs.length === 0) throw badUserInput('trackIds', 'must name at least one track');
  if (trackIdArgs.length > MAX_TRACKS_PER_PURCHASE) throw badUserInput('trackIds', `must name at most ${MAX_TRACKS_PER_PURCHASE} tracks, got ${trackIdArgs.length}`);
  const quantities = new Map<number, number>();
  for (const id of trackIdArgs) {
    const key = parseIdArgument(id, 'trackIds');
    quantities.set(key, (quantities.get(key) ?? 0) + 1);
  }
  const trackIds = [...quantities.keys()];

  return db.transaction().execute(async (trx) => {
    const billing = await trx.selectFrom('sales.customer_billing').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
    if (!billing) throw badUserInput('customerId', `no customer has id ${customerId}`);
    const prices = await trx.selectFrom('sales.track_price').select(['track_id', 'unit_price']).where('track_id', '=', sql<number>`any(${trackIds})`).forShare().execute();
    const priceOf = new Map(prices.map((p) => [p.track_id, toCents(p.unit_price)]));
    const missing = trackIds.filter((id) => !priceOf.has(id));
    if (missing.length > 0) throw badUserInput('trackIds', `no track has id ${missing.join(', ')}`);
    const totalCents = trackIds.reduce((sum, id) => sum + priceOf.get(id)! * quantities.get(id)!, 0);
    if (totalCents > MAX_TOTAL_CENTS) throw badUserInput('trackIds', `the invoice total would be ${fromCents(totalCents)}, over the most an invoice holds (99999999.99)`);

    const invoice = await trx
      .insertInto('sales.invoice')
      .values({
        customer_id: customerId,
        invoice_date: sql<string>`date_trunc('milliseconds', now() at time zone 'utc')`,
        billing_address: billing.address,
        billing_city: billing.city,
        billing_state: billing.state,
        billing_country: billing.country,
        billing_postal_code: billing.postal_code,
        total: fromCents(totalCents),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('sales.invoice_line')
      .values(trackIds.map((id) => ({ invoice_id: invoice.invoice_id, track_id: id, unit_price: fromCents(priceOf.get(id)!), quantity: quantities.get(id)! })))
      // RETURNING names the changed keys: the request's loaders forget only these tracks'
      // purchase counts and this invoice's lines (see createWriteRecorder).
      .returning(['invoice_line_id', 'invoice_id', 'track_id'])
      .execute();
    return invoice;
  });
}

/** "0.99" → 99, exactly (money never goes through floats). */
function toCents(amount: string): number {
  const [units, decimals = ''] = amount.split('.');
  return Number(units) * 100 + Number(decimals.padEnd(2, '0').slice(0, 2));
}

/** 198 → "1.98" */
function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
