import path from 'node:path';
import {
  CHINOOK_ROW_COUNTS,
  ChinookNotFoundError,
  DEFAULT_CHINOOK_SQL,
  type DatabaseHandle,
  countRows,
  createDatabase,
  locateChinookSql,
  prepareDatabase,
  readDatabaseConfig,
} from '@tributary/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createEmptyDatabase } from '../../../test/support/test-database.js';

describe('prepareDatabase on an empty Postgres database', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createEmptyDatabase();
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test' });
  });
  afterAll(async () => {
    await handle.destroy();
    await database.drop();
  });

  it('migrates into one schema per subgraph and imports exactly Chinook 1.4.5', async () => {
    const result = await prepareDatabase(handle.db, {});
    expect(result.migrations).toEqual(['001-chinook-tables', '002-cross-boundary-views', '003-authorization-views', '004-change-notifications', '005-truncate-notifications']);
    expect(result.chinook.status).toBe('imported');
    expect(await countRows(handle.db)).toEqual(CHINOOK_ROW_COUNTS);
    const { rows } = await sql<{ table_schema: string; table_name: string }>`
      SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_schema IN ('catalog', 'customers', 'sales', 'playlists') AND table_type = 'BASE TABLE'
      ORDER BY table_schema, table_name`.execute(handle.db);
    expect(rows.map((r) => `${r.table_schema}.${r.table_name}`)).toEqual([
      'catalog.album', 'catalog.artist', 'catalog.genre', 'catalog.media_type', 'catalog.track',
      'customers.customer', 'customers.employee',
      'playlists.playlist', 'playlists.playlist_track',
      'sales.invoice', 'sales.invoice_line',
    ]);
    const track = await handle.db.selectFrom('catalog.track').selectAll().where('track_id', '=', 3503).executeTakeFirstOrThrow();
    expect(track).toEqual({
      track_id: 3503, name: 'Koyaanisqatsi', album_id: 347, media_type_id: 2, genre_id: 10,
      composer: 'Philip Glass', milliseconds: 206005, bytes: 3305164, unit_price: '0.99',
    });
    const invoice = await handle.db.selectFrom('sales.invoice').select(['invoice_date', 'total']).where('invoice_id', '=', 412).executeTakeFirstOrThrow();
    expect(invoice).toEqual({ invoice_date: '2025-12-22T00:00:00.000Z', total: '1.99' });
  });

  it('is idempotent: a second run migrates nothing and imports nothing', async () => {
    const statements: string[] = [];
    const stop = handle.stats.onStatement((text) => statements.push(text));
    const again = await prepareDatabase(handle.db, {});
    stop();
    expect(again).toEqual({ migrations: [], chinook: { status: 'skipped', reason: 'not-empty' } });
    expect(statements.filter((s) => /^\s*(insert|create|alter|drop)\b/i.test(s))).toEqual([]);
    expect(await countRows(handle.db)).toEqual(CHINOOK_ROW_COUNTS);
  });

  it('serialises concurrent starts: two at once import once', async () => {
    const other = await createEmptyDatabase();
    const a = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: other.url }), name: 'a' });
    const b = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: other.url }), name: 'b' });
    try {
      const results = await Promise.all([prepareDatabase(a.db, {}), prepareDatabase(b.db, {})]);
      expect(results.map((r) => r.chinook.status).sort()).toEqual(['imported', 'skipped']);
      expect(await countRows(a.db)).toEqual(CHINOOK_ROW_COUNTS);
    } finally {
      await a.destroy();
      await b.destroy();
      await other.drop();
    }
  });
});

describe('locateChinookSql', () => {
  it('uses CHINOOK_SQL when set, else the file next to the checkout', () => {
    expect(locateChinookSql({})).toBe(DEFAULT_CHINOOK_SQL);
    expect(DEFAULT_CHINOOK_SQL.endsWith(path.join('shared', 'datasets', 'chinook', 'chinook.sql'))).toBe(true);
    expect(locateChinookSql({ CHINOOK_SQL: DEFAULT_CHINOOK_SQL })).toBe(DEFAULT_CHINOOK_SQL);
  });

  it('fails with an error naming CHINOOK_SQL and the default path', () => {
    const call = () => locateChinookSql({ CHINOOK_SQL: '/nowhere/chinook.sql' });
    expect(call).toThrow(ChinookNotFoundError);
    expect(call).toThrow(`Chinook SQL not found at CHINOOK_SQL=/nowhere/chinook.sql; unset CHINOOK_SQL to use the default ${DEFAULT_CHINOOK_SQL}`);
  });
});
