import { type SelectQueryBuilder, type Selectable, sql } from 'kysely';
import { type Connection, type PageRequest, toConnection } from './connection.js';

/**
 * Reads one page of a root connection by keyset pagination and makes it a {@link Connection}:
 * the rows of `from` (a `selectFrom`, with any filters already applied) whose `key` column is
 * greater than `page.afterKey`, in `key` order, at most `page.first + 1` of them (the extra row
 * only tells that a next page exists). One statement, an index range scan on the primary key.
 *
 * @param key the integer primary-key column the cursors are positions in (e.g. `album_id`).
 * @param totalCount run only when a client selects `totalCount` (see {@link Connection}).
 * @example keysetPage(db.selectFrom('catalog.album'), 'album_id', page, () => tableSize(db, 'catalog.album'))
 */
export async function keysetPage<DB, TB extends keyof DB & string, K extends keyof Selectable<DB[TB]> & string>(
  from: SelectQueryBuilder<DB, TB, object>,
  key: K,
  page: PageRequest,
  totalCount: () => Promise<number> | number,
): Promise<Connection<Selectable<DB[TB]>>> {
  const column = sql.ref(key);
  const rows = (await from
    .selectAll()
    .where(column, '>', page.afterKey)
    .orderBy(column)
    .limit(page.first + 1)
    .execute()) as unknown as Selectable<DB[TB]>[]; // selectAll() of one table is its Selectable row
  return toConnection(rows, page, (row) => row[key] as number, totalCount);
}
