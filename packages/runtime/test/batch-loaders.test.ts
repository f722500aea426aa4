import { type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { MAX_KEYS_PER_STATEMENT, createGroupLoader, createRowLoader, createValueLoader } from '@tributary/runtime';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

describe('batch loaders over real Postgres', () => {
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

  const genreLoader = (batches: number[][], options?: { batch?: boolean }) =>
    createRowLoader(
      (ids) => {
        batches.push(ids);
        return handle.db.selectFrom('catalog.genre').selectAll().where('genre_id', '=', sql<number>`any(${ids})`).execute();
      },
      (row) => row.genre_id,
      options,
    );

  it('resolves shuffled keys with unknown ids to the right rows and nulls, in one statement', async () => {
    const batches: number[][] = [];
    const loader = genreLoader(batches);
    statements.length = 0;
    const rows = await Promise.all([25, 999, 1, 7, 0, 13].map((id) => loader.load(id)));
    expect(rows.map((r) => r && [r.genre_id, r.name])).toEqual([[25, 'Opera'], null, [1, 'Rock'], [7, 'Latin'], null, [13, 'Heavy Metal']]);
    expect(batches).toEqual([[25, 999, 1, 7, 0, 13]]);
    expect(statements).toEqual(['select * from "catalog"."genre" where "genre_id" = any($1)']);
  });

  it('loads 70,000 keys in one batch, split into statements of at most 10,000 keys', async () => {
    const batches: number[][] = [];
    const loader = createRowLoader(
      (ids) => {
        batches.push(ids);
        return handle.db.selectFrom('catalog.track').select(['track_id', 'name']).where('track_id', '=', sql<number>`any(${ids})`).execute();
      },
      (row) => row.track_id,
    );
    const keys = Array.from({ length: 70_000 }, (_, i) => 70_000 - i); // 70000 … 1: only 1…3503 exist
    const rows = await loader.loadMany(keys);
    expect(rows).toHaveLength(70_000);
    expect(batches.map((b) => b.length)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(MAX_KEYS_PER_STATEMENT).toBe(10_000);
    expect(rows.filter((r) => r !== null)).toHaveLength(3503);
    expect(rows[69_999]).toEqual({ track_id: 1, name: 'For Those About To Rock (We Salute You)' });
    expect(rows[70_000 - 3503]).toEqual({ track_id: 3503, name: 'Koyaanisqatsi' });
    expect(rows[0]).toBeNull();
  });

  it('groups one-to-many rows by key in the statement order, with [] for keys with none', async () => {
    const loader = createGroupLoader(
      (ids) => handle.db.selectFrom('catalog.album').select(['album_id', 'artist_id', 'title']).where('artist_id', '=', sql<number>`any(${ids})`).orderBy('album_id').execute(),
      (row) => row.artist_id,
    );
    statements.length = 0;
    const [acdc, none, accept] = await Promise.all([loader.load(1), loader.load(100_000), loader.load(2)]);
    expect(acdc!.map((a) => a.title)).toEqual(['For Those About To Rock We Salute You', 'Let There Be Rock']);
    expect(none).toEqual([]);
    expect(accept!.map((a) => a.title)).toEqual(['Balls to the Wall', 'Restless and Wild']);
    expect(statements).toHaveLength(1);
  });

  it('fills keys without a GROUP BY row with the fallback value', async () => {
    const loader = createValueLoader(
      (ids) =>
        handle.db
          .selectFrom('sales.invoice_line')
          .select(['track_id as key', sql<number>`sum(quantity)::int`.as('value')])
          .where('track_id', '=', sql<number>`any(${ids})`)
          .groupBy('track_id')
          .execute(),
      0,
    );
    expect(await loader.loadMany([2, 7, 1])).toEqual([2, 0, 1]);
  });

  it('memoises within one loader, so a key asked twice costs nothing more', async () => {
    const batches: number[][] = [];
    const loader = genreLoader(batches);
    await loader.load(1);
    await loader.load(1);
    expect(batches).toEqual([[1]]);
  });

  it('with batching off, issues one statement per key (the N+1 baseline)', async () => {
    const batches: number[][] = [];
    const loader = genreLoader(batches, { batch: false });
    await Promise.all([3, 1, 2].map((id) => loader.load(id)));
    expect(batches).toEqual([[3], [1], [2]]);
  });
});
