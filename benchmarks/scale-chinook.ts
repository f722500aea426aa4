/**
 * `pnpm bench:scale <database>`: turns a Chinook database into a 100× copy, deterministically:
 * artists, albums, tracks, invoices, invoice lines and playlist entries are repeated 99 more
 * times with ids offset by k × 1,000 (artists, albums, invoices) or k × 10,000 (tracks, lines),
 * k = 1…99; customers, employees, genres, media types and playlists stay as they are. The change
 * triggers are silenced for the session (`tributary.skip_change_events`), then the tables are
 * ANALYZEd.
 *
 *   pnpm bench:scale postgres://postgres@127.0.0.1:5432/chinook_100x
 */
import pg from 'pg';

const url = process.argv[2] ?? process.env.DATABASE_URL;
if (!url) throw new Error('usage: pnpm bench:scale <postgres url of a Chinook database to scale>');
const client = new pg.Client({ connectionString: url });
await client.connect();
const started = performance.now();
await client.query(`SET tributary.skip_change_events = 'on'`);
await client.query('BEGIN');
const steps = [
  `INSERT INTO catalog.artist (artist_id, name) SELECT artist_id + k * 1000, name || ' #' || k FROM catalog.artist, generate_series(1, 99) k WHERE artist_id < 1000`,
  `INSERT INTO catalog.album (album_id, title, artist_id) SELECT album_id + k * 1000, title || ' #' || k, artist_id + k * 1000 FROM catalog.album, generate_series(1, 99) k WHERE album_id < 1000`,
  `INSERT INTO catalog.track (track_id, name, album_id, media_type_id, genre_id, composer, milliseconds, bytes, unit_price)
     SELECT track_id + k * 10000, name, album_id + k * 1000, media_type_id, genre_id, composer, milliseconds, bytes, unit_price FROM catalog.track, generate_series(1, 99) k WHERE track_id < 10000`,
  `INSERT INTO sales.invoice (invoice_id, customer_id, invoice_date, billing_address, billing_city, billing_state, billing_country, billing_postal_code, total)
     SELECT invoice_id + k * 1000, customer_id, invoice_date, billing_address, billing_city, billing_state, billing_country, billing_postal_code, total FROM sales.invoice, generate_series(1, 99) k WHERE invoice_id < 1000`,
  `INSERT INTO sales.invoice_line (invoice_line_id, invoice_id, track_id, unit_price, quantity)
     SELECT invoice_line_id + k * 10000, invoice_id + k * 1000, track_id + k * 10000, unit_price, quantity FROM sales.invoice_line, generate_series(1, 99) k WHERE invoice_line_id < 10000`,
  `INSERT INTO playlists.playlist_track (playlist_id, track_id) SELECT playlist_id, track_id + k * 10000 FROM playlists.playlist_track, generate_series(1, 99) k WHERE track_id < 10000`,
];
for (const step of steps) await client.query(step);
for (const [table, key] of [['catalog.artist', 'artist_id'], ['catalog.album', 'album_id'], ['catalog.track', 'track_id'], ['sales.invoice', 'invoice_id'], ['sales.invoice_line', 'invoice_line_id']]) {
  await client.query(`SELECT setval(pg_get_serial_sequence('${table}', '${key}'), (SELECT max(${key}) FROM ${table}))`);
}
await client.query('COMMIT');
await client.query('ANALYZE');
const { rows } = await client.query(`SELECT (SELECT count(*) FROM catalog.track) AS tracks, (SELECT count(*) FROM sales.invoice_line) AS lines, (SELECT count(*) FROM playlists.playlist_track) AS entries`);
await client.end();
console.log(`scaled in ${((performance.now() - started) / 1000).toFixed(1)} s: ${rows[0].tracks} tracks, ${rows[0].lines} invoice lines, ${rows[0].entries} playlist entries`);
