import { type Kysely, sql } from 'kysely';
import { CHANGE_TABLES } from './field-sources/chinook-field-sources.js';

/** The trigger functions of migrations 004 (row changes) and 005 (TRUNCATE), in schema `public`. */
const ROW_FUNCTION = 'tributary_notify_change';
const TRUNCATE_FUNCTION = 'tributary_notify_truncate';

/** Advisory lock held while the triggers are compared and made: several processes may start at once. */
export const CHANGE_TRIGGERS_LOCK_KEY = 0x7472_6962; // "trib"

/** What {@link syncChangeTriggers} changed, as `schema.table trigger_name`. */
export interface ChangeTriggersSync {
  created: string[];
  dropped: string[];
}

interface TriggerSpec {
  table: string;
  name: string;
  create: string;
}

function triggersOf(table: string): TriggerSpec[] {
  const base = table.replace('.', '_');
  return [
    { table, name: `${base}_notify_change`, create: `CREATE TRIGGER ${base}_notify_change AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION public.${ROW_FUNCTION}()` },
    { table, name: `${base}_notify_truncate`, create: `CREATE TRIGGER ${base}_notify_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION public.${TRUNCATE_FUNCTION}()` },
  ];
}

/**
 * Makes the change triggers agree with the field sources' table list ({@link CHANGE_TABLES}):
 * each listed table gets `<schema>_<table>_notify_change` (row INSERT/UPDATE/DELETE) and
 * `<schema>_<table>_notify_truncate` (TRUNCATE) when missing, and a Tributary change trigger on a
 * table no longer listed is dropped. Runs after every migration (a trigger list kept inside a
 * migration could not follow a table added later), in one transaction under an advisory lock;
 * on an up-to-date database it is one catalog query and no DDL.
 *
 * @example
 * await syncChangeTriggers(db) // on a fresh database: { created: ['catalog.artist catalog_artist_notify_change', …], dropped: [] }
 * @throws when a listed table does not exist (its migration is missing).
 */
export async function syncChangeTriggers(db: Kysely<any>, tables: readonly string[] = CHANGE_TABLES): Promise<ChangeTriggersSync> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${CHANGE_TRIGGERS_LOCK_KEY})`.execute(trx);
    const { rows } = await sql<{ table: string; name: string }>`
      SELECT n.nspname || '.' || c.relname AS table, t.tgname AS name
      FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal AND p.pronamespace = 'public'::regnamespace AND p.proname IN (${ROW_FUNCTION}, ${TRUNCATE_FUNCTION})
      ORDER BY 1, 2
    `.execute(trx);
    const id = (t: { table: string; name: string }) => `${t.table} ${t.name}`;
    const present = new Set(rows.map(id));
    const wanted = tables.flatMap(triggersOf);
    const wantedIds = new Set(wanted.map(id));
    const created: string[] = [];
    const dropped: string[] = [];
    for (const trigger of wanted.filter((t) => !present.has(id(t)))) {
      await sql.raw(trigger.create).execute(trx);
      created.push(id(trigger));
    }
    for (const trigger of rows.filter((t) => !wantedIds.has(id(t)))) {
      await sql.raw(`DROP TRIGGER ${trigger.name} ON ${trigger.table}`).execute(trx);
      dropped.push(id(trigger));
    }
    return { created, dropped };
  });
}
