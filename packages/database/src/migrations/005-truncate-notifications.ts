import { type Kysely, sql } from 'kysely';

const TABLES = [
  'catalog.artist', 'catalog.album', 'catalog.genre', 'catalog.media_type', 'catalog.track',
  'customers.employee', 'customers.customer',
  'sales.invoice', 'sales.invoice_line',
  'playlists.playlist', 'playlists.playlist_track',
];

/**
 * `TRUNCATE` fires no row trigger: a statement trigger reports it as `{ "table", "op": "TRUNCATE" }`
 * on the same channel (caches then drop everything).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION public.tributary_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('tributary_changes', json_build_object('table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'op', 'TRUNCATE', 'old', NULL, 'new', NULL)::text);
      RETURN NULL;
    END $$;
  `.execute(db);
  for (const table of TABLES) {
    await sql.raw(`CREATE TRIGGER ${table.replace('.', '_')}_notify_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION public.tributary_notify_truncate()`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await sql.raw(`DROP TRIGGER ${table.replace('.', '_')}_notify_truncate ON ${table}`).execute(db);
  await sql`DROP FUNCTION public.tributary_notify_truncate()`.execute(db);
}
