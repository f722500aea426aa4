import pg from 'pg';

/**
 * Runs one statement on the database at `url` through a connection of its own (a plain SQL
 * write, as psql would make it: the change feed hears it, the gateway does not see it coming),
 * and returns its rows.
 *
 * @example
 * await sql(database.url, 'UPDATE catalog.track SET unit_price = $1 WHERE track_id = $2', ['4.44', 9]);
 */
export async function sql(url: string, statement: string, parameters: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement, parameters)).rows;
  } finally {
    await client.end();
  }
}
