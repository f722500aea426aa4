import pg from 'pg';

/** What {@link scaleChinook} made. */
export interface ScaleResult {
  factor: number;
  /** Rows after scaling. */
  tracks: number;
  invoiceLines: number;
  playlistEntries: number;
  /** Wall time of the copy, the counters' triggers and `VACUUM ANALYZE`, in ms. */
  durationMs: number;
}

/**
 * Turns a freshly imported Chinook database (at `url`) into a `factor`× copy, deterministically:
 * artists, albums, tracks, invoices, invoice lines and playlist entries are repeated `factor − 1`
 * more times with ids offset by k × 1,000 (artists, albums, invoices) or k × 10,000 (tracks,
 * lines), k = 1 … factor − 1; customers, employees, genres, media types and playlists stay as they
 * are. The change triggers are silenced for the session (`tributary.skip_change_events`); the
 * counters of migration 006 follow through their own triggers. Then `VACUUM ANALYZE`, so that the
 * planner's statistics and the visibility map are those of a settled database.
 *
 * @throws when `factor` is not an integer in 2 … 100 (ids would collide beyond), or on SQL errors.
 */
export async function scaleChinook(url: string, factor: number): Promise<ScaleResult> {
  if (!Number.isInteger(factor) || factor < 2 || factor > 100) throw new Error(`scale factor must be an integer from 2 to 100, got ${factor}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const k = `generate_series(1, ${factor - 1}) k`;
    await client.query(`SET tributary.skip_change_events = 'on'`);
    await client.query('BEGIN');
    const steps = [
      `INSERT INTO catalog.artist (artist_id, name) SELECT artist_id + k * 1000, name || ' #' || k FROM catalog.artist, ${k} WHERE artist_id < 1000`,
      `INSERT INTO catalog.album (album_id, title, artist_id) SELECT album_id + k * 1000, title || ' #' || k, artist_id + k * 1000 FROM catalog.album, ${k} WHERE album_id < 1000`,
      `INSERT INTO catalog.track (track_id, name, album_id, media_type_id, genre_id, composer, milliseconds, bytes, unit_price)
         SELECT track_id + k * 10000, name, album_id + k * 1000, media_type_id, genre_id, composer, milliseconds, bytes, unit_price FROM catalog.track, ${k} WHERE track_id < 10000`,
      `INSERT INTO sales.invoice (invoice_id, customer_id, invoice_date, billing_address, billing_city, billing_state, billing_country, billing_postal_code, total)
         SELECT invoice_id + k * 1000, customer_id, invoice_date, billing_address, billing_city, billing_state, billing_country, billing_postal_code, total FROM sales.invoice, ${k} WHERE invoice_id < 1000`,
      `INSERT INTO sales.invoice_line (invoice_line_id, invoice_id, track_id, unit_price, quantity)
         SELECT invoice_line_id + k * 10000, invoice_id + k * 1000, track_id + k * 10000, unit_price, quantity FROM sales.invoice_line, ${k} WHERE invoice_line_id < 10000`,
      `INSERT INTO playlists.playlist_track (playlist_id, track_id) SELECT playlist_id, track_id + k * 10000 FROM playlists.playlist_track, ${k} WHERE track_id < 10000`,
    ];
    for (const step of steps) await client.query(step);
    for (const [table, key] of [
      ['catalog.artist', 'artist_id'],
      ['catalog.album', 'album_id'],
      ['catalog.track', 'track_id'],
      ['sales.invoice', 'invoice_id'],
      ['sales.invoice_line', 'invoice_line_id'],
    ]) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', '${key}'), (SELECT max(${key}) FROM ${table}))`);
    }
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE');
    const { rows } = await client.query<{ tracks: string; lines: string; entries: string }>(
      `SELECT (SELECT count(*) FROM catalog.track) AS tracks, (SELECT count(*) FROM sales.invoice_line) AS lines, (SELECT count(*) FROM playlists.playlist_track) AS entries`,
    );
    return { factor, tracks: Number(rows[0]!.tracks), invoiceLines: Number(rows[0]!.lines), playlistEntries: Number(rows[0]!.entries), durationMs: performance.now() - started };
  } finally {
    await client.end();
  }
}
