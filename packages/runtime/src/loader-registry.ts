/**
 * What a loader reads, table by table: the column of that table whose values are the loader's
 * keys, or `null` when its keys are not a column of that table (a join, a count over another
 * key). Tables are named as Kysely names them, schema-qualified: `'playlists.playlist_track'`.
 *
 * @example
 * // trackCount: select playlist_id, count(*) from playlists.playlist_track where playlist_id = any($1) …
 * { 'playlists.playlist_track': 'playlist_id' }
 * // playlistsByTrack: … from playlist_track join playlist … where track_id = any($1)
 * { 'playlists.playlist_track': 'track_id', 'playlists.playlist': null }
 */
export type LoaderReads = Readonly<Record<string, string | null>>;

/** The part of a DataLoader the registry uses (a loader per arguments has it too). */
export interface ClearableLoader {
  clear(key: number): unknown;
  clearAll(): unknown;
}

/**
 * Rows a write changed, as far as the writer knows them.
 *
 * @example
 * // insert into playlists.playlist_track (playlist_id, track_id) values (4, 10) returning *
 * { table: 'playlists.playlist_track', rows: [{ playlist_id: 4, track_id: 10 }] }
 * // clears trackCount(4) and playlistsByTrack(10); the other keys stay memoised
 */
export interface RowChange {
  /** Schema-qualified table: `'catalog.track'`. */
  table: string;
  /**
   * Column values of every changed row (what `RETURNING` gave). A loader keyed by a column that
   * every row carries forgets just those keys. Absent: any row may have changed, and every
   * loader reading the table forgets everything.
   */
  rows?: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /**
   * Columns the write assigned (an UPDATE's `SET`): the rows' old values of these columns are
   * unknown, so a loader keyed by one of them forgets everything.
   */
  assignedColumns?: readonly string[];
}

/**
 * The loaders of one request, indexed by the tables they read, so that a write forgets exactly
 * what it may have made stale. Made per request with the loaders; it dies with them.
 */
export interface LoaderRegistry {
  /** Records that `loader` reads `reads`; returns the loader (to register where it is made). */
  register<L extends ClearableLoader>(reads: LoaderReads, loader: L): L;
  /** Makes every loader that may have memoised one of `change`'s rows forget it. */
  changed(change: RowChange): void;
  /** Makes every loader forget everything: a write whose tables are not known (raw SQL). */
  clearAll(): void;
}

/**
 * A per-request registry of loaders (see {@link LoaderRegistry}). Mutations never call it by
 * hand for Kysely writes: the request's database records them (`createWriteRecorder`).
 *
 * @example
 * const registry = createLoaderRegistry();
 * const trackCount = registry.register({ 'playlists.playlist_track': 'playlist_id' }, createValueLoader(…));
 * await trackCount.load(4);                                    // 1 statement, memoised
 * registry.changed({ table: 'playlists.playlist_track', rows: [{ playlist_id: 4, track_id: 11 }] });
 * await trackCount.load(4);                                    // read again: 1 statement
 */
export function createLoaderRegistry(): LoaderRegistry {
  const byTable = new Map<string, Array<{ column: string | null; loader: ClearableLoader }>>();
  const all = new Set<ClearableLoader>();
  return {
    register(reads, loader) {
      all.add(loader);
      for (const [table, column] of Object.entries(reads)) {
        let readers = byTable.get(table);
        if (!readers) byTable.set(table, (readers = []));
        readers.push({ column, loader });
      }
      return loader;
    },
    changed(change) {
      for (const { column, loader } of byTable.get(change.table) ?? []) {
        const keys = column === null ? undefined : changedKeys(change, column);
        if (keys === undefined) loader.clearAll();
        else for (const key of keys) loader.clear(key);
      }
    },
    clearAll() {
      for (const loader of all) loader.clearAll();
    },
  };
}

/** The keys in `column` that `change` touched, or `undefined` when they are not all known. */
function changedKeys(change: RowChange, column: string): number[] | undefined {
  if (!change.rows || change.assignedColumns?.includes(column)) return undefined;
  const keys: number[] = [];
  for (const row of change.rows) {
    const value = row[column];
    // A row whose key is NULL belongs to no key's group: nothing memoised under it.
    if (value === null) continue;
    if (typeof value === 'number') keys.push(value);
    else if (typeof value === 'string' && /^\d+$/.test(value)) keys.push(Number(value));
    else return undefined;
  }
  return keys;
}
