import type { Database } from '@tributary/database';
import type { Kysely } from 'kysely';

/**
 * `count(*)` of a whole catalog table, read from the counter `catalog.table_size` (migration 006,
 * kept exact by statement triggers in the writing transaction): one primary-key row, whatever the
 * table's size. 0 when the table is empty.
 *
 * @example await tableSize(db, 'catalog.album') // 347 on Chinook
 */
export async function tableSize(db: Kysely<Database>, table: 'catalog.artist' | 'catalog.album' | 'catalog.track'): Promise<number> {
  const row = await db.selectFrom('catalog.table_size').select('row_count').where('table_name', '=', table).executeTakeFirst();
  return row ? Number(row.row_count) : 0;
}

/**
 * How many tracks genre `genreId` has, from the counter `catalog.genre_size` (migration 006): one
 * row, not a scan of the genre's tracks. 0 for an unknown genre.
 *
 * @example await genreSize(db, 1) // 1297 on Chinook (Rock)
 */
export async function genreSize(db: Kysely<Database>, genreId: number): Promise<number> {
  const row = await db.selectFrom('catalog.genre_size').select('track_count').where('genre_id', '=', genreId).executeTakeFirst();
  return row?.track_count ?? 0;
}
