import DataLoader from 'dataloader';
import type { ClearableLoader } from './loader-registry.js';

/**
 * Most keys one statement carries. Keys travel as one array parameter (`= any($1)`), so
 * Postgres' 65,535-parameter limit never applies; this bound keeps each statement's size and
 * plan reasonable: 70,000 keys become 7 statements. DataLoader splits batches at this size.
 */
export const MAX_KEYS_PER_STATEMENT = 10_000;

/** How a subgraph's loaders fetch. */
export interface LoaderOptions {
  /**
   * `true` (the product): one statement per batch of keys. `false`: one statement per key, the
   * row-by-row "N+1" behaviour that benchmarks and tests compare against. Default `true`.
   */
  batch?: boolean;
}

function dataLoaderOptions(options: LoaderOptions | undefined) {
  return options?.batch === false ? { batch: false } : { maxBatchSize: MAX_KEYS_PER_STATEMENT };
}

/**
 * A loader of one row per key. `fetch` issues one statement for the whole batch
 * (`WHERE key = any($1)`), rows in any order; the loader returns them in key order, `null`
 * for keys with no row. Made per request: its memo dies with the request.
 *
 * @example
 * const artists = createRowLoader(
 *   (ids) => db.selectFrom('catalog.artist').selectAll().where('artist_id', '=', sql`any(${ids})`).execute(),
 *   (row) => row.artist_id);
 * await Promise.all([artists.load(3), artists.load(1), artists.load(99999)]);
 * // one statement: select * from "catalog"."artist" where "artist_id" = any($1)  [[3, 1, 99999]]
 * // → [row 3, row 1, null]
 */
export function createRowLoader<Row>(fetch: (keys: number[]) => Promise<Row[]>, keyOf: (row: Row) => number, options?: LoaderOptions): DataLoader<number, Row | null> {
  return new DataLoader<number, Row | null>(async (keys) => {
    const rows = await fetch([...keys]);
    const byKey = new Map<number, Row>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  }, dataLoaderOptions(options));
}

/**
 * A loader of the rows that belong to each key (a one-to-many field), in the order `fetch`
 * returns them; an empty list for a key with none. One statement per batch.
 *
 * @example
 * const tracksByAlbum = createGroupLoader(
 *   (ids) => db.selectFrom('catalog.track').selectAll().where('album_id', '=', sql`any(${ids})`).orderBy('track_id').execute(),
 *   (row) => row.album_id);
 */
export function createGroupLoader<Row>(fetch: (keys: number[]) => Promise<Row[]>, groupOf: (row: Row) => number | null, options?: LoaderOptions): DataLoader<number, Row[]> {
  return new DataLoader<number, Row[]>(async (keys) => {
    const rows = await fetch([...keys]);
    const groups = new Map<number, Row[]>();
    for (const row of rows) {
      const key = groupOf(row);
      if (key === null) continue;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(row);
    }
    return keys.map((key) => groups.get(key) ?? []);
  }, dataLoaderOptions(options));
}

/**
 * A loader of one computed value per key (`count`, `sum`), `fallback` for keys with no row.
 * `fetch` returns `{ key, value }` rows from one `GROUP BY` statement.
 */
export function createValueLoader<V>(fetch: (keys: number[]) => Promise<Array<{ key: number; value: V }>>, fallback: V, options?: LoaderOptions): DataLoader<number, V> {
  return new DataLoader<number, V>(async (keys) => {
    const rows = await fetch([...keys]);
    const byKey = new Map(rows.map((r) => [r.key, r.value] as const));
    return keys.map((key) => (byKey.has(key) ? byKey.get(key)! : fallback));
  }, dataLoaderOptions(options));
}

/** Loaders made per argument set (see {@link loaderPerArguments}); clearing reaches every one. */
export interface LoaderFamily<A, L extends ClearableLoader> extends ClearableLoader {
  (args: A): L;
}

/**
 * Loaders that also depend on field arguments (`tracks(first, after)` of many playlists): one
 * loader per distinct argument set, made on first use, so that every parent asking the same
 * page shares one statement. `clear(key)` and `clearAll()` reach every loader of the family,
 * so a family registers like one loader (`LoaderRegistry.register`).
 */
export function loaderPerArguments<A, L extends ClearableLoader>(make: (args: A) => L, keyOf: (args: A) => string): LoaderFamily<A, L> {
  const loaders = new Map<string, L>();
  const family = (args: A) => {
    const key = keyOf(args);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(args)));
    return loader;
  };
  return Object.assign(family, {
    clear(key: number) {
      for (const loader of loaders.values()) loader.clear(key);
    },
    clearAll() {
      for (const loader of loaders.values()) loader.clearAll();
    },
  });
}
