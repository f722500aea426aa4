import { type Kysely, sql } from 'kysely';

/**
 * `TRUNCATE` fires no row trigger: a statement trigger reports it as `{ "table", "op": "TRUNCATE" }`
 * on the same channel (caches then drop everything). Its statement triggers are made, like the row
 * triggers, by `syncChangeTriggers` from the field sources' table list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION public.tributary_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('tributary_changes', json_build_object('table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'op', 'TRUNCATE', 'old', NULL, 'new', NULL)::text);
      RETURN NULL;
    END $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // CASCADE: with the triggers that call it.
  await sql`DROP FUNCTION public.tributary_notify_truncate() CASCADE`.execute(db);
}
