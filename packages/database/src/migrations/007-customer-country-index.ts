import { type Kysely, sql } from 'kysely';

/**
 * `Query.customers(country)` filters, pages and counts customers by country: an index on
 * `country` serves the filter once there are more customers than fit in a page or two (Chinook's
 * 59 do; `test/scale-plans.test.ts` checks that every statement has an index to grow into).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX customer_country_idx ON customers.customer (country)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX customers.customer_country_idx`.execute(db);
}
