import type DataLoader from 'dataloader';
import { type Kysely, type Selectable, sql } from 'kysely';
import { type LoaderOptions, createGroupLoader, createRowLoader, createValueLoader } from './batch-loaders.js';
import type { LoaderReads, LoaderRegistry } from './loader-registry.js';

/** A table (or view) of `DB`, schema-qualified as Kysely names it: `'catalog.track'`. */
type TableOf<DB> = keyof DB & string;

/** What `select *` gives for one row of `T`. */
type RowOf<DB, T extends TableOf<DB>> = Selectable<DB[T]>;

/** The columns of `T` whose values are assignable to `Allowed`: keys must be integers. */
type ColumnOf<DB, T extends TableOf<DB>, Allowed> = {
  [C in keyof RowOf<DB, T> & string]: RowOf<DB, T>[C] extends Allowed ? C : never;
}[keyof RowOf<DB, T> & string];

/** What a loader of {@link TableLoaders} reads, when it is more than the table it selects from. */
export interface TableReads {
  /**
   * The tables whose writes must make the loader forget, with the column holding its keys (see
   * `LoaderReads`). Default `{ [table]: keyColumn }`. A view names the tables under it too.
   */
  reads?: LoaderReads;
}

/**
 * Factories of one request's loaders over single tables, each registered with the request's
 * {@link LoaderRegistry} under the tables it reads, so that writes make it forget. Row types are
 * Kysely's `Selectable` of the table; key columns must hold integers (checked by TypeScript).
 */
export interface TableLoaders<DB> {
  /**
   * One row per key, `null` for a key with no row; one statement per batch.
   *
   * @example
   * rowByKey('catalog.artist', 'artist_id')
   * // select * from "catalog"."artist" where "artist_id" = any($1)
   */
  rowByKey<T extends TableOf<DB>>(table: T, keyColumn: ColumnOf<DB, T, number>, options?: TableReads): DataLoader<number, RowOf<DB, T> | null>;
  /**
   * The rows whose `keyColumn` is each key (a one-to-many field), ordered by `orderBy`; an empty
   * list for a key with none. Rows whose key is `NULL` belong to no key. One statement per batch.
   *
   * @example
   * rowsByKey('catalog.track', 'album_id', 'track_id')
   * // select * from "catalog"."track" where "album_id" = any($1) order by "track_id"
   */
  rowsByKey<T extends TableOf<DB>>(table: T, keyColumn: ColumnOf<DB, T, number | null>, orderBy: keyof RowOf<DB, T> & string, options?: TableReads): DataLoader<number, RowOf<DB, T>[]>;
  /**
   * One column's value per key (a counter: a count, a sum), `fallback` for a key with no row.
   * `reads` is required: a counter table is kept by triggers, so the loader must forget on writes
   * to the tables it counts, not to itself.
   *
   * @example
   * valueByKey('sales.track_sales', 'track_id', 'units', 0, { reads: { 'sales.invoice_line': 'track_id' } })
   * // select "track_id" as "key", "units" as "value" from "sales"."track_sales" where "track_id" = any($1)
   */
  valueByKey<T extends TableOf<DB>, V extends keyof RowOf<DB, T> & string>(
    table: T,
    keyColumn: ColumnOf<DB, T, number>,
    valueColumn: V,
    fallback: RowOf<DB, T>[V],
    options: Required<TableReads>,
  ): DataLoader<number, RowOf<DB, T>[V]>;
}

/**
 * The {@link TableLoaders} of one request: `db` is the request's database, `registry` its loader
 * registry, `options` how its loaders batch.
 *
 * @example
 * const tables = createTableLoaders(db, registry, options);
 * const artist = tables.rowByKey('catalog.artist', 'artist_id'); // registered as a reader of catalog.artist.artist_id
 * await Promise.all([artist.load(3), artist.load(1)]);           // one statement, [[3, 1]]
 */
export function createTableLoaders<DB>(db: Kysely<DB>, registry: LoaderRegistry, options: LoaderOptions = {}): TableLoaders<DB> {
  // Kysely cannot type a builder over a table name that is itself generic; the public
  // signatures above carry the types, and the statements are the same either way.
  const untyped = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const whereKeyIn = (table: string, keyColumn: string, ids: number[]) => untyped.selectFrom(table).where(keyColumn, '=', sql<number>`any(${ids})`);
  const readsOf = (table: string, keyColumn: string, tableReads: TableReads | undefined) => tableReads?.reads ?? { [table]: keyColumn };
  return {
    rowByKey(table, keyColumn, tableReads) {
      type Row = RowOf<DB, typeof table>;
      const fetch = (ids: number[]) => whereKeyIn(table, keyColumn, ids).selectAll().execute() as Promise<Row[]>;
      const keyOf = (row: Row) => (row as Record<string, unknown>)[keyColumn] as number;
      return registry.register(readsOf(table, keyColumn, tableReads), createRowLoader(fetch, keyOf, options));
    },
    rowsByKey(table, keyColumn, orderBy, tableReads) {
      type Row = RowOf<DB, typeof table>;
      const fetch = (ids: number[]) => whereKeyIn(table, keyColumn, ids).selectAll().orderBy(orderBy).execute() as Promise<Row[]>;
      const groupOf = (row: Row) => (row as Record<string, unknown>)[keyColumn] as number | null;
      return registry.register(readsOf(table, keyColumn, tableReads), createGroupLoader(fetch, groupOf, options));
    },
    valueByKey(table, keyColumn, valueColumn, fallback, { reads }) {
      type Value = typeof fallback;
      const fetch = (ids: number[]) =>
        whereKeyIn(table, keyColumn, ids)
          .select([`${keyColumn} as key`, `${valueColumn} as value`])
          .execute() as Promise<Array<{ key: number; value: Value }>>;
      return registry.register(reads, createValueLoader(fetch, fallback, options));
    },
  };
}
