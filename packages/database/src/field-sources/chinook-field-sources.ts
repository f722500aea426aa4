import type { ChinookTables } from '../tables.js';
import { CATALOG_FIELD_SOURCES } from './catalog.js';
import { CUSTOMERS_FIELD_SOURCES } from './customers.js';
import { PLAYLISTS_FIELD_SOURCES } from './playlists.js';
import { SALES_FIELD_SOURCES } from './sales.js';
import type { AnySubgraphFieldSources, ChinookTableName, TableSource } from './table-source.js';

/** The four subgraphs' declarations, in the order their schemas are created. */
export const SUBGRAPH_FIELD_SOURCES: readonly AnySubgraphFieldSources[] = [CATALOG_FIELD_SOURCES, CUSTOMERS_FIELD_SOURCES, SALES_FIELD_SOURCES, PLAYLISTS_FIELD_SOURCES];

/**
 * Every Chinook table's source, by `schema.table`: the change map (`@tributary/cache`), the change
 * triggers ({@link CHANGE_TABLES}) and the Chinook import all derive from it. TypeScript refuses a
 * table of {@link ChinookTables} that no subgraph declares.
 */
export const CHINOOK_FIELD_SOURCES: { readonly [T in ChinookTableName]: TableSource<T> } = {
  ...CATALOG_FIELD_SOURCES.tables,
  ...CUSTOMERS_FIELD_SOURCES.tables,
  ...SALES_FIELD_SOURCES.tables,
  ...PLAYLISTS_FIELD_SOURCES.tables,
};

/** Every table whose row changes Postgres reports (`NOTIFY tributary_changes`): `['catalog.artist', …]`. */
export const CHANGE_TABLES = Object.keys(CHINOOK_FIELD_SOURCES) as ChinookTableName[];
