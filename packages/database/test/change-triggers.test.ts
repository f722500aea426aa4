import { CHANGE_CHANNEL, CHANGE_TABLES, type DatabaseHandle, createDatabase, readDatabaseConfig, syncChangeTriggers } from '@tributary/database';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

/** The Tributary change triggers present, as `schema.table trigger`, sorted. */
async function triggers(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{ trigger: string }>`
    SELECT n.nspname || '.' || c.relname || ' ' || t.tgname AS trigger
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND t.tgname LIKE '%\\_notify\\_%' ORDER BY 1
  `.execute(handle.db);
  return rows.map((r) => r.trigger);
}

const expected = (tables: readonly string[]) => tables.flatMap((t) => [`${t} ${t.replace('.', '_')}_notify_change`, `${t} ${t.replace('.', '_')}_notify_truncate`]).sort();

describe('change triggers follow the field sources table list', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test' });
  });
  afterAll(async () => {
    await handle?.destroy();
    await database?.drop();
  });

  it('a migrated database has a row and a TRUNCATE trigger on every listed table, and syncing again changes nothing', async () => {
    expect(await triggers(handle)).toEqual(expected(CHANGE_TABLES));
    expect(await syncChangeTriggers(handle.db)).toEqual({ created: [], dropped: [] });
  });

  it('makes a missing trigger again (once, with two processes syncing at once), and its table reports writes', async () => {
    await sql`DROP TRIGGER catalog_track_notify_change ON catalog.track`.execute(handle.db);
    const results = await Promise.all([syncChangeTriggers(handle.db), syncChangeTriggers(handle.db)]);
    expect(results.flatMap((r) => r.created)).toEqual(['catalog.track catalog_track_notify_change']);
    expect(await triggers(handle)).toEqual(expected(CHANGE_TABLES));

    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    try {
      const heard = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.payload!)));
      await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
      await sql`UPDATE catalog.track SET unit_price = 1.29 WHERE track_id = 3`.execute(handle.db);
      const change = JSON.parse(await heard);
      expect({ table: change.table, op: change.op, old: change.old.unit_price, new: change.new.unit_price }).toEqual({ table: 'catalog.track', op: 'UPDATE', old: 0.99, new: 1.29 });
    } finally {
      await listener.end();
    }
  });

  it('drops the triggers of a table no longer listed', async () => {
    const fewer = CHANGE_TABLES.filter((t) => t !== 'playlists.playlist_track');
    expect(await syncChangeTriggers(handle.db, fewer)).toEqual({
      created: [],
      dropped: ['playlists.playlist_track playlists_playlist_track_notify_change', 'playlists.playlist_track playlists_playlist_track_notify_truncate'],
    });
    expect(await triggers(handle)).toEqual(expected(fewer));
    expect((await syncChangeTriggers(handle.db)).created).toHaveLength(2);
  });
});
