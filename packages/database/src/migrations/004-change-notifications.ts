import { type Kysely, sql } from 'kysely';

/** Channel on which Postgres reports row changes of every Chinook table. */
export const CHANGE_CHANNEL = 'tributary_changes';

/**
 * Every write to a Chinook table, through the API or not (psql, a migration, another service),
 * is reported by Postgres itself: an AFTER ROW trigger sends `NOTIFY tributary_changes` with
 * `{ "table", "op" (INSERT | UPDATE | DELETE), "old", "new" }`. NOTIFY is transactional: it is
 * delivered when the writing transaction commits, never for a rollback. A transaction that sets
 * `tributary.skip_change_events = on` (the Chinook import) reports nothing.
 *
 * The triggers themselves are not made here: `syncChangeTriggers` makes them after every migration
 * from the field sources' table list (databases migrated before it got the same triggers here).
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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // CASCADE: with the triggers that call it.
  await sql`DROP FUNCTION public.tributary_notify_change() CASCADE`.execute(db);
}
