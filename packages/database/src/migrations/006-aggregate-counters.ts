import { type Kysely, sql } from 'kysely';

/**
 * One maintained counter table: per value of `key` in `source`, aggregates of `source`'s rows.
 * Each column is `sum(<delta>)` over the rows with that key (`delta` is an expression over one
 * source row: `quantity`, `1`, `total`).
 */
interface Counter {
  /** The counter table, in the source table's own schema (the subgraph that owns both). */
  table: string;
  source: string;
  /** The counter's key column; the source's column of the same name unless `keyOf` says otherwise. */
  key: string;
  /** The key as an expression over a source row (`'catalog.album'`: one key for the whole table). */
  keyOf?: string;
  keyType?: string;
  /** The table is made by an earlier counter of the list (several sources share it, each with its own keys). */
  shared?: boolean;
  columns: ReadonlyArray<{ name: string; type: string; delta: string }>;
  /** Extra DDL after the table (indexes the readers need). */
  indexes: readonly string[];
}

/**
 * The aggregates the loaders read, kept exact at any data size (docs/database/OPTIMIZATION_PLAN.md,
 * "Data at 100×"). Frozen here as this migration made them; a later change is a later migration.
 */
const COUNTERS: readonly Counter[] = [
  {
    // Track.purchaseCount = units; Query.topTracks = rows with line_count > 0 by units desc, track_id.
    table: 'sales.track_sales',
    source: 'sales.invoice_line',
    key: 'track_id',
    columns: [
      { name: 'units', type: 'INT', delta: 'quantity' },
      { name: 'line_count', type: 'INT', delta: '1' },
    ],
    indexes: ['CREATE INDEX track_sales_top_idx ON sales.track_sales (units DESC, track_id) WHERE line_count > 0'],
  },
  {
    // Customer.totalSpent = total_spent; Customer.invoices.totalCount = invoice_count.
    table: 'sales.customer_sales',
    source: 'sales.invoice',
    key: 'customer_id',
    columns: [
      { name: 'invoice_count', type: 'INT', delta: '1' },
      { name: 'total_spent', type: 'NUMERIC(14,2)', delta: 'total' },
    ],
    indexes: [],
  },
  {
    // Playlist.trackCount and Playlist.tracks.totalCount.
    table: 'playlists.playlist_size',
    source: 'playlists.playlist_track',
    key: 'playlist_id',
    columns: [{ name: 'track_count', type: 'INT', delta: '1' }],
    indexes: [],
  },
  ...['catalog.artist', 'catalog.album', 'catalog.track'].map((source, i) => ({
    // Query.artists, Query.albums and Query.tracks (unfiltered): totalCount, one row per table.
    table: 'catalog.table_size',
    source,
    key: 'table_name',
    keyOf: `'${source}'::text`,
    keyType: 'TEXT',
    shared: i > 0,
    columns: [{ name: 'row_count', type: 'BIGINT', delta: '1' }],
    indexes: [],
  })),
  {
    // Query.tracks(genreId).totalCount.
    table: 'catalog.genre_size',
    source: 'catalog.track',
    key: 'genre_id',
    columns: [{ name: 'track_count', type: 'INT', delta: '1' }],
    indexes: [],
  },
];

const fn = (counter: Counter, what: 'apply' | 'rebuild') => `${counter.table}_${counter.source.split('.')[1]}_${what}`;
const keyOf = (counter: Counter) => counter.keyOf ?? counter.key;

/**
 * The upsert that adds the per-key sums of `deltas` (a subquery of `key` and one `d<i>` per
 * column) to the counter. Keys in ascending order, so that two writers lock counter rows in the
 * same order; a key whose deltas are all zero (an UPDATE of an unrelated column) is not touched,
 * so it takes no lock.
 */
function addDeltas(counter: Counter, deltas: string): string {
  const names = counter.columns.map((c) => c.name);
  const sums = counter.columns.map((_, i) => `sum(d${i})`);
  return `
    INSERT INTO ${counter.table} AS c (${counter.key}, ${names.join(', ')})
    SELECT ${counter.key}, ${sums.join(', ')} FROM (${deltas}) AS d
    WHERE ${counter.key} IS NOT NULL
    GROUP BY ${counter.key}
    HAVING ${sums.map((s) => `${s} <> 0`).join(' OR ')}
    ORDER BY ${counter.key}
    ON CONFLICT (${counter.key}) DO UPDATE SET ${names.map((n) => `${n} = c.${n} + excluded.${n}`).join(', ')};`;
}

const rowsOf = (counter: Counter, relation: string, sign: '' | '-') =>
  `SELECT ${keyOf(counter)} AS ${counter.key}, ${counter.columns.map((c, i) => `${sign}(${c.delta}) AS d${i}`).join(', ')} FROM ${relation}`;

function counterSql(counter: Counter): string {
  const columns = counter.columns.map((c) => `${c.name} ${c.type} NOT NULL DEFAULT 0`).join(', ');
  const aggregate = `SELECT ${keyOf(counter)}, ${counter.columns.map((c) => `sum(${c.delta})`).join(', ')} FROM ${counter.source} WHERE ${keyOf(counter)} IS NOT NULL GROUP BY 1`;
  // A shared table's rebuild forgets only this source's keys.
  const scope = counter.keyOf ? ` WHERE ${counter.key} = ${counter.keyOf}` : '';
  const names = counter.columns.map((c) => c.name).join(', ');
  const base = `${counter.source.replace('.', '_')}_${counter.table.split('.')[1]}`;
  return `
    ${counter.shared ? '' : `CREATE TABLE ${counter.table} (${counter.key} ${counter.keyType ?? 'INT'} PRIMARY KEY, ${columns});`}
    ${counter.indexes.map((i) => `${i};`).join('\n')}
    CREATE FUNCTION ${fn(counter, 'apply')}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN ${addDeltas(counter, rowsOf(counter, 'new_rows', ''))}
      ELSIF TG_OP = 'DELETE' THEN ${addDeltas(counter, rowsOf(counter, 'old_rows', '-'))}
      ELSE ${addDeltas(counter, `${rowsOf(counter, 'new_rows', '')} UNION ALL ${rowsOf(counter, 'old_rows', '-')}`)}
      END IF;
      RETURN NULL;
    END $$;
    CREATE FUNCTION ${fn(counter, 'rebuild')}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM ${counter.table}${scope};
      INSERT INTO ${counter.table} (${counter.key}, ${names}) ${aggregate};
      RETURN NULL;
    END $$;
    CREATE TRIGGER ${base}_count_insert AFTER INSERT ON ${counter.source} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn(counter, 'apply')}();
    CREATE TRIGGER ${base}_count_update AFTER UPDATE ON ${counter.source} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn(counter, 'apply')}();
    CREATE TRIGGER ${base}_count_delete AFTER DELETE ON ${counter.source} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn(counter, 'apply')}();
    CREATE TRIGGER ${base}_count_truncate AFTER TRUNCATE ON ${counter.source} FOR EACH STATEMENT EXECUTE FUNCTION ${fn(counter, 'rebuild')}();
    INSERT INTO ${counter.table} (${counter.key}, ${names}) ${aggregate};
  `;
}

/**
 * Maintained counters for the aggregates that grow with the data: `purchaseCount`, `topTracks`,
 * `totalSpent`, invoice, playlist and genre counts. Each counter table is updated by statement
 * triggers on its source table (with transition tables: one upsert per statement, whatever its
 * row count), in the writing transaction: a reader sees the counters and the rows of the same
 * commits, never one without the other, and the change event of that write (which names the
 * aggregate fields, see the field sources) is delivered only after that commit. Concurrent writers
 * serialise on the counter rows they change (`INSERT … ON CONFLICT DO UPDATE` adds to the
 * committed value), so the counters stay equal to `COUNT`/`SUM` over the source. The triggers
 * ignore `tributary.skip_change_events`: the Chinook import and `pnpm bench:scale` fill them too.
 * The triggers are made before the backfill, in the same transaction, so no write falls between.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const counter of COUNTERS) await sql.raw(counterSql(counter)).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const counter of [...COUNTERS].reverse()) {
    // CASCADE: with the triggers that call them.
    await sql.raw(`DROP FUNCTION ${fn(counter, 'apply')}() CASCADE; DROP FUNCTION ${fn(counter, 'rebuild')}() CASCADE; ${counter.shared ? '' : `DROP TABLE ${counter.table};`}`).execute(db);
  }
}
