import type { ChinookTableName } from './field-sources/table-source.js';
import type { CounterTables } from './tables.js';

/**
 * Each maintained counter table (migration 006) and the Chinook tables whose rows it aggregates,
 * by which key (a column of the source, or `table_name` for one row per whole table): a counter row changes exactly when a source row with that key is written, in
 * the same transaction. So a loader that reads a counter declares the source table as what it
 * reads (its memo is cleared by writes to the source), and the change events of the source
 * (whose field sources name the aggregate fields) are the counter's.
 *
 * @example
 * COUNTER_SOURCES['sales.track_sales'] // { sources: ['sales.invoice_line'], key: 'track_id' }
 */
export const COUNTER_SOURCES: { readonly [T in keyof CounterTables]: { sources: readonly ChinookTableName[]; key: string } } = {
  'sales.track_sales': { sources: ['sales.invoice_line'], key: 'track_id' },
  'sales.customer_sales': { sources: ['sales.invoice'], key: 'customer_id' },
  'playlists.playlist_size': { sources: ['playlists.playlist_track'], key: 'playlist_id' },
  'catalog.genre_size': { sources: ['catalog.track'], key: 'genre_id' },
  'catalog.table_size': { sources: ['catalog.artist', 'catalog.album', 'catalog.track'], key: 'table_name' },
};
