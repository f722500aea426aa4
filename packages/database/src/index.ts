export { type DatabaseConfig, DATABASE_DEFAULTS, DATABASE_ENV, readDatabaseConfig } from './config.js';
export { type CreateDatabaseOptions, type DatabaseHandle, type ReadReplica, createDatabase } from './create-database.js';
export { type CancellingPoolOptions, type KyselyPool, createCancellingPool } from './cancelling-pool.js';
export { type SqlStats, type SqlLogger, createSqlInstrumentation } from './sql-metrics.js';
export { LOGGED_SQL_MAX_CHARS, truncateSql } from './truncate-sql.js';
export { type PrepareResult, prepareDatabase } from './prepare-database.js';
export { MIGRATIONS, migrateToLatest } from './migrate.js';
export { type ChinookImportResult, ChinookChecksumError, ChinookCountMismatchError, importChinook, countChinookRows } from './chinook/import-chinook.js';
export { CHINOOK_ROW_COUNTS, CHINOOK_TABLE_SCHEMAS, type ChinookTable, parseChinookInserts } from './chinook/parse-chinook.js';
export { type ChinookScript, ChinookNotFoundError, DEFAULT_CHINOOK_SHA256_FILE, DEFAULT_CHINOOK_SQL, REPO_ROOT, locateChinookSql } from './chinook/locate-chinook.js';
export { SharedPGliteDialect } from './embedded/pglite-dialect.js';
export { EMBEDDED_SHARED_BUFFERS } from './embedded/embedded-database.js';
export type * from './tables.js';
export { COUNTER_SOURCES } from './counter-tables.js';
export type { AnySubgraphFieldSources, ChinookTableName, ColumnOf, DerivedSource, RowOp, SubgraphFieldSources, SubgraphTables, TableSource } from './field-sources/table-source.js';
export { CHANGE_TABLES, CHINOOK_FIELD_SOURCES, SUBGRAPH_FIELD_SOURCES } from './field-sources/chinook-field-sources.js';
export { CATALOG_FIELD_SOURCES } from './field-sources/catalog.js';
export { CUSTOMERS_FIELD_SOURCES } from './field-sources/customers.js';
export { SALES_FIELD_SOURCES } from './field-sources/sales.js';
export { PLAYLISTS_FIELD_SOURCES } from './field-sources/playlists.js';
export { type ChangeTriggersSync, CHANGE_TRIGGERS_LOCK_KEY, syncChangeTriggers } from './change-triggers.js';
export { CHANGE_CHANNEL } from './migrations/004-change-notifications.js';
export {
  type ListenHandlers,
  type Listening,
  type ListenOptions,
  type ListenState,
  LISTEN_APPLICATION_NAME,
  LISTEN_BACKOFF,
  LISTEN_HEARTBEAT_MS,
  LISTEN_TIMEOUT_MS,
  listenPostgres,
  listenPGlite,
} from './listen.js';
export { DeadlineError, settleWithin, sleep } from './deadline.js';
