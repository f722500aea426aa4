import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * Each counter of migration 006 next to the `COUNT`/`SUM` it stands for: rows where they differ
 * (a counter row of zeros is the same as no row). Empty when every counter is exact.
 */
const CHECKS: Record<string, string> = {
  'sales.track_sales': `
    SELECT coalesce(c.track_id, s.track_id) AS key, c.units, c.line_count, s.units AS want_units, s.line_count AS want_lines
    FROM sales.track_sales c FULL JOIN (SELECT track_id, sum(quantity)::int AS units, count(*)::int AS line_count FROM sales.invoice_line GROUP BY track_id) s USING (track_id)
    WHERE coalesce(c.units, 0) <> coalesce(s.units, 0) OR coalesce(c.line_count, 0) <> coalesce(s.line_count, 0)`,
  'sales.customer_sales': `
    SELECT coalesce(c.customer_id, s.customer_id) AS key, c.invoice_count, c.total_spent, s.invoice_count AS want_count, s.total_spent AS want_total
    FROM sales.customer_sales c FULL JOIN (SELECT customer_id, count(*)::int AS invoice_count, sum(total) AS total_spent FROM sales.invoice GROUP BY customer_id) s USING (customer_id)
    WHERE coalesce(c.invoice_count, 0) <> coalesce(s.invoice_count, 0) OR coalesce(c.total_spent, 0) <> coalesce(s.total_spent, 0)`,
  'playlists.playlist_size': `
    SELECT coalesce(c.playlist_id, s.playlist_id) AS key, c.track_count, s.track_count AS want
    FROM playlists.playlist_size c FULL JOIN (SELECT playlist_id, count(*)::int AS track_count FROM playlists.playlist_track GROUP BY playlist_id) s USING (playlist_id)
    WHERE coalesce(c.track_count, 0) <> coalesce(s.track_count, 0)`,
  'catalog.genre_size': `
    SELECT coalesce(c.genre_id, s.genre_id) AS key, c.track_count, s.track_count AS want
    FROM catalog.genre_size c FULL JOIN (SELECT genre_id, count(*)::int AS track_count FROM catalog.track WHERE genre_id IS NOT NULL GROUP BY genre_id) s USING (genre_id)
    WHERE coalesce(c.track_count, 0) <> coalesce(s.track_count, 0)`,
  'catalog.table_size': `
    SELECT coalesce(c.table_name, s.table_name) AS key, c.row_count, s.row_count AS want
    FROM catalog.table_size c FULL JOIN (
      SELECT 'catalog.artist' AS table_name, count(*) AS row_count FROM catalog.artist UNION ALL
      SELECT 'catalog.album', count(*) FROM catalog.album UNION ALL SELECT 'catalog.track', count(*) FROM catalog.track) s USING (table_name)
    WHERE coalesce(c.row_count, 0) <> coalesce(s.row_count, 0)`,
};

async function mismatches(client: pg.Client): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const [counter, check] of Object.entries(CHECKS)) {
    const { rows } = await client.query(check);
    if (rows.length > 0) found[counter] = rows;
  }
  return found;
}

/** A deterministic pseudo-random sequence (mulberry32), so that a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the aggregate counters (migration 006) stay equal to COUNT/SUM over their tables', () => {
  let database: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('hold Chinook exactly after the import', async () => {
    expect(await mismatches(client)).toEqual({});
    const { rows } = await client.query(`
      SELECT (SELECT units FROM sales.track_sales WHERE track_id = 2) AS track2,
             (SELECT total_spent FROM sales.customer_sales WHERE customer_id = 6) AS spent6,
             (SELECT invoice_count FROM sales.customer_sales WHERE customer_id = 6) AS invoices6,
             (SELECT track_count FROM playlists.playlist_size WHERE playlist_id = 1) AS playlist1,
             (SELECT track_count FROM catalog.genre_size WHERE genre_id = 1) AS rock,
             (SELECT row_count FROM catalog.table_size WHERE table_name = 'catalog.album') AS albums`);
    // Chinook 1.4.5: track 2 sold twice; customer 6 spent 49.62 over 7 invoices; playlist 1 "Music" has 3290 tracks; Rock 1297 tracks; 347 albums.
    expect(rows[0]).toEqual({ track2: 2, spent6: '49.62', invoices6: 7, playlist1: 3290, rock: 1297, albums: '347' });
  });

  it('stay exact under concurrent purchases, edits, moves and deletes from 8 connections', async () => {
    const writers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = new pg.Client({ connectionString: database.url });
        await c.connect();
        return c;
      }),
    );
    const hot = [1, 2, 3, 4, 5]; // tracks every writer buys: contended counter rows
    let deadlocks = 0;
    let committed = 0;
    const work = async (c: pg.Client, seed: number) => {
      const next = random(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
      for (let round = 0; round < 25; round++) {
        const customer = 1 + Math.floor(next() * 59);
        const tracks = [pick(hot), pick(hot), 1 + Math.floor(next() * 3503)];
        const kind = round % 5;
        try {
          await c.query('BEGIN');
          if (kind === 0 || kind === 1) {
            // A purchase: invoice, then its lines, then its total (as `purchase` does).
            const { rows } = await c.query(`INSERT INTO sales.invoice (customer_id, invoice_date, total) VALUES ($1, now(), 0) RETURNING invoice_id`, [customer]);
            const invoice = rows[0].invoice_id as number;
            await c.query(`INSERT INTO sales.invoice_line (invoice_id, track_id, unit_price, quantity) SELECT $1, t, 0.99, 1 + (t % 3) FROM unnest($2::int[]) t`, [invoice, tracks]);
            await c.query(`UPDATE sales.invoice SET total = (SELECT sum(unit_price * quantity) FROM sales.invoice_line WHERE invoice_id = $1) WHERE invoice_id = $1`, [invoice]);
          } else if (kind === 2) {
            // Quantities changed and a line moved to another track.
            await c.query(`UPDATE sales.invoice_line SET quantity = quantity + 1 WHERE invoice_line_id = (SELECT max(invoice_line_id) FROM sales.invoice_line WHERE track_id = $1)`, [pick(hot)]);
            await c.query(`UPDATE sales.invoice_line SET track_id = $1 WHERE invoice_line_id = $2`, [pick(hot), 1 + Math.floor(next() * 2240)]);
          } else if (kind === 3) {
            // An invoice moved to another customer, and one deleted with its lines.
            await c.query(`UPDATE sales.invoice SET customer_id = $1 WHERE invoice_id = $2`, [customer, 1 + Math.floor(next() * 412)]);
            const victim = (await c.query(`SELECT max(invoice_id) AS id FROM sales.invoice WHERE customer_id = $1`, [customer])).rows[0].id as number | null;
            if (victim !== null) {
              await c.query(`DELETE FROM sales.invoice_line WHERE invoice_id = $1`, [victim]);
              await c.query(`DELETE FROM sales.invoice WHERE invoice_id = $1`, [victim]);
            }
          } else {
            // Playlist entries added and removed, a track moved to another genre, an album added.
            await c.query(`INSERT INTO playlists.playlist_track (playlist_id, track_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [1 + Math.floor(next() * 18), tracks[2]]);
            await c.query(`DELETE FROM playlists.playlist_track WHERE playlist_id = $1 AND track_id = (SELECT min(track_id) FROM playlists.playlist_track WHERE playlist_id = $1)`, [
              1 + Math.floor(next() * 18),
            ]);
            await c.query(`UPDATE catalog.track SET genre_id = $1 WHERE track_id = $2`, [1 + Math.floor(next() * 25), tracks[2]]);
            await c.query(`INSERT INTO catalog.album (title, artist_id) VALUES ($1, 1)`, [`counter test ${seed}.${round}`]);
          }
          if (next() < 0.1) await c.query('ROLLBACK');
          else {
            await c.query('COMMIT');
            committed++;
          }
        } catch (error) {
          await c.query('ROLLBACK');
          // Two writers that lock counter rows in opposite orders (a delete of lines then invoice
          // against a purchase): Postgres aborts one; the counters must stay exact either way.
          if ((error as { code?: string }).code === '40P01') deadlocks++;
          else throw error;
        }
      }
    };
    try {
      await Promise.all(writers.map((c, i) => work(c, 1000 + i)));
    } finally {
      await Promise.all(writers.map((c) => c.end()));
    }
    expect(committed).toBeGreaterThan(100);
    expect(deadlocks).toBeLessThan(20);
    expect(await mismatches(client)).toEqual({});
  });

  it('a rolled-back write leaves them as they were; TRUNCATE rebuilds them', async () => {
    const units = async () => (await client.query(`SELECT coalesce(sum(units), 0)::int AS n FROM sales.track_sales`)).rows[0].n as number;
    const before = await units();
    await client.query('BEGIN');
    await client.query(`INSERT INTO sales.invoice_line (invoice_id, track_id, unit_price, quantity) VALUES (1, 7, 0.99, 5)`);
    expect(await units()).toBe(before + 5);
    await client.query('ROLLBACK');
    expect(await units()).toBe(before);
    await client.query('TRUNCATE sales.invoice_line');
    expect(await units()).toBe(0);
    await client.query('TRUNCATE sales.invoice CASCADE');
    await client.query('TRUNCATE playlists.playlist_track');
    expect(await mismatches(client)).toEqual({});
    expect((await client.query(`SELECT count(*)::int AS n FROM sales.customer_sales`)).rows[0].n).toBe(0);
  });
});

describe('a write through SQL changes the aggregate fields that read the counters, and evicts their cached answers', () => {
  let database: TestDatabase;
  let stack: Stack;
  let client: pg.Client;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    stack = await startStack({ databaseUrl: database.url });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await stack?.close();
    await database?.drop();
  });

  const QUERY = '{ track(id: "2") { purchaseCount } topTracks(first: 1) { id purchaseCount } customer(id: "6") { totalSpent invoices { totalCount } } playlist(id: "1") { trackCount } }';
  const read = async () => (await stack.query(QUERY, undefined, { as: 'employee:1' })).body.data;

  it('purchaseCount, topTracks, totalSpent, invoice and playlist counts follow an INSERT made with SQL', async () => {
    // Chinook 1.4.5: track 2 sold twice; the top track (id 2, 2 units, the lowest id of those sold twice); customer 6: 49.62 over 7 invoices; playlist 1: 3290 tracks.
    const first = { track: { purchaseCount: 2 }, topTracks: [{ id: '2', purchaseCount: 2 }], customer: { totalSpent: '49.62', invoices: { totalCount: 7 } }, playlist: { trackCount: 3290 } };
    expect(await read()).toEqual(first);
    expect(await read()).toEqual(first); // now cached
    await client.query('BEGIN');
    const { rows } = await client.query(`INSERT INTO sales.invoice (customer_id, invoice_date, total) VALUES (6, now(), 9.90) RETURNING invoice_id`);
    await client.query(`INSERT INTO sales.invoice_line (invoice_id, track_id, unit_price, quantity) VALUES ($1, 2, 0.99, 10)`, [rows[0].invoice_id]);
    await client.query(`INSERT INTO playlists.playlist_track (playlist_id, track_id) VALUES (1, 2819)`); // a track playlist 1 lacks
    await client.query('COMMIT');
    const second = { track: { purchaseCount: 12 }, topTracks: [{ id: '2', purchaseCount: 12 }], customer: { totalSpent: '59.52', invoices: { totalCount: 8 } }, playlist: { trackCount: 3291 } };
    const deadline = Date.now() + 5_000;
    let seen = await read();
    while (JSON.stringify(seen) !== JSON.stringify(second) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await read();
    }
    expect(seen).toEqual(second);
  });
});
