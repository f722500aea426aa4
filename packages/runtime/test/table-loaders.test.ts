import { type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { createLoaderRegistry, createTableLoaders } from '@tributary/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

describe('table loaders over real Postgres', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const statements: string[] = [];
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test' });
    handle.stats.onStatement((text) => statements.push(text));
  });
  afterAll(async () => {
    await handle.destroy();
    await database.drop();
  });

  const tablesOf = (options?: { batch?: boolean }) => {
    const registry = createLoaderRegistry();
    return { registry, tables: createTableLoaders(handle.db, registry, options) };
  };

  it('rowByKey loads one row per key, null for unknown keys, in one select * statement', async () => {
    const { tables } = tablesOf();
    const artist = tables.rowByKey('catalog.artist', 'artist_id');
    statements.length = 0;
    const rows = await Promise.all([3, 99_999, 1].map((id) => artist.load(id)));
    expect(rows).toEqual([{ artist_id: 3, name: 'Aerosmith' }, null, { artist_id: 1, name: 'AC/DC' }]);
    expect(statements).toEqual(['select * from "catalog"."artist" where "artist_id" = any($1)']);
  });

  it('rowsByKey groups the rows of each key in orderBy order, [] for keys with none', async () => {
    const { tables } = tablesOf();
    const albumsByArtist = tables.rowsByKey('catalog.album', 'artist_id', 'album_id');
    statements.length = 0;
    const [acdc, none, accept] = await Promise.all([1, 100_000, 2].map((id) => albumsByArtist.load(id)));
    expect(acdc!.map((a) => [a.album_id, a.title])).toEqual([
      [1, 'For Those About To Rock We Salute You'],
      [4, 'Let There Be Rock'],
    ]);
    expect(none).toEqual([]);
    expect(accept!.map((a) => [a.album_id, a.title])).toEqual([
      [2, 'Balls to the Wall'],
      [3, 'Restless and Wild'],
    ]);
    expect(statements).toEqual(['select * from "catalog"."album" where "artist_id" = any($1) order by "album_id"']);
  });

  it('valueByKey reads one column per key from a counter table, the fallback for keys without a row', async () => {
    const { tables } = tablesOf();
    const units = tables.valueByKey('sales.track_sales', 'track_id', 'units', 0, { reads: { 'sales.invoice_line': 'track_id' } });
    statements.length = 0;
    expect(await units.loadMany([2, 7, 1])).toEqual([2, 0, 1]);
    expect(statements).toEqual(['select "track_id" as "key", "units" as "value" from "sales"."track_sales" where "track_id" = any($1)']);
  });

  it('registers each loader under the table and key column it reads, so a write forgets just those keys', async () => {
    const { registry, tables } = tablesOf();
    const artist = tables.rowByKey('catalog.artist', 'artist_id');
    const albumsByArtist = tables.rowsByKey('catalog.album', 'artist_id', 'album_id');
    await Promise.all([artist.loadMany([1, 2]), albumsByArtist.loadMany([1, 2])]);
    statements.length = 0;
    registry.changed({ table: 'catalog.artist', rows: [{ artist_id: 2 }] });
    registry.changed({ table: 'catalog.album', rows: [{ album_id: 4, artist_id: 1 }] });
    await Promise.all([artist.loadMany([1, 2]), albumsByArtist.loadMany([1, 2])]);
    expect(statements.sort()).toEqual(['select * from "catalog"."album" where "artist_id" = any($1) order by "album_id"', 'select * from "catalog"."artist" where "artist_id" = any($1)']);
    statements.length = 0;
    await Promise.all([artist.loadMany([1, 2]), albumsByArtist.loadMany([1, 2])]);
    expect(statements).toEqual([]);
  });

  it('registers a counter loader under its reads, not under the counter table', async () => {
    const { registry, tables } = tablesOf();
    const units = tables.valueByKey('sales.track_sales', 'track_id', 'units', 0, { reads: { 'sales.invoice_line': 'track_id' } });
    await units.load(2);
    statements.length = 0;
    registry.changed({ table: 'sales.track_sales', rows: [{ track_id: 2 }] });
    await units.load(2);
    expect(statements).toEqual([]);
    registry.changed({ table: 'sales.invoice_line', rows: [{ track_id: 2 }] });
    await units.load(2);
    expect(statements).toHaveLength(1);
  });

  it('a view registered with explicit reads forgets on writes to the table under it', async () => {
    const { registry, tables } = tablesOf();
    const access = tables.rowByKey('sales.customer_access', 'customer_id', { reads: { 'sales.customer_access': 'customer_id', 'customers.customer': 'customer_id' } });
    expect(await access.load(1)).toEqual({ customer_id: 1, support_rep_id: 3 });
    statements.length = 0;
    registry.changed({ table: 'customers.customer', rows: [{ customer_id: 1 }] });
    await access.load(1);
    expect(statements).toEqual(['select * from "sales"."customer_access" where "customer_id" = any($1)']);
  });

  it('with batching off, issues one statement per key', async () => {
    const { tables } = tablesOf({ batch: false });
    const genre = tables.rowByKey('catalog.genre', 'genre_id');
    statements.length = 0;
    await Promise.all([3, 1, 2].map((id) => genre.load(id)));
    expect(statements).toHaveLength(3);
  });
});
