import { type Kysely, sql } from 'kysely';

/**
 * The only reads that cross a subgraph's boundary inside the database: read-only views that
 * the reading subgraph owns over columns another subgraph owns. Each is listed, with its reason,
 * in docs/architecture/SERVICE_DEPENDENCIES.md.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE VIEW sales.track_price AS
      SELECT track_id, unit_price, genre_id FROM catalog.track;
    CREATE VIEW sales.customer_billing AS
      SELECT customer_id, address, city, state, country, postal_code FROM customers.customer;
    CREATE VIEW playlists.track_ref AS
      SELECT track_id FROM catalog.track;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP VIEW playlists.track_ref;
    DROP VIEW sales.customer_billing;
    DROP VIEW sales.track_price;
  `.execute(db);
}
