import { type Kysely, sql } from 'kysely';

/** Channel on which Postgres reports row changes of every Chinook table. */
export const CHANGE_CHANNEL = 'tributary_changes';

const TABLES = [
  'catalog.artist', 'catalog.album', 'catalog.genre', 'catalog.media_type', 'catalog.track',
  'customers.employee', 'customers.customer',
  'sales.invoice', 'sales.invoice_line',
  'playlists.playlist', 'playlists.playlist_track',
];

/**
 * Every write to a Chinook table, through the API or not (psql, a migration, another service),
 * is reported by Postgres itself: an AFTER ROW trigger sends `NOTIFY tributary_changes` with
 * `{ "table", "op" (INSERT | UPDATE | DELETE), "old", "new" }`. NOTIFY is transactional: it is
 * delivered when the writing transaction commits, never for a rollback. A transaction that sets
 * `tributary.skip_change_events = on` (the Chinook import) reports nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION public.tributary_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF coalesce(current_setting('tributary.skip_change_events', true), '') = 'on' THEN
        RETURN NULL;
      END IF;
      PERFORM pg_notify('${sql.raw(CHANGE_CHANNEL)}', json_build_object(
        'table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
        'op', TG_OP,
        'old', CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE row_to_json(OLD) END,
        'new', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE row_to_json(NEW) END
      )::text);
      RETURN NULL;
    END $$;
  `.execute(db);
  for (const table of TABLES) {
    const name = table.replace('.', '_');
    await sql.raw(`CREATE TRIGGER ${name}_notify_change AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION public.tributary_notify_change()`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await sql.raw(`DROP TRIGGER ${table.replace('.', '_')}_notify_change ON ${table}`).execute(db);
  await sql`DROP FUNCTION public.tributary_notify_change()`.execute(db);
}
