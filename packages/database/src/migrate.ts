import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import { syncChangeTriggers } from './change-triggers.js';
import * as chinookTables from './migrations/001-chinook-tables.js';
import * as crossBoundaryViews from './migrations/002-cross-boundary-views.js';
import * as authorizationViews from './migrations/003-authorization-views.js';
import * as changeNotifications from './migrations/004-change-notifications.js';
import * as truncateNotifications from './migrations/005-truncate-notifications.js';
import * as aggregateCounters from './migrations/006-aggregate-counters.js';
import * as customerCountryIndex from './migrations/007-customer-country-index.js';

/** Every migration, by name; Kysely runs them in name order. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-chinook-tables': chinookTables,
  '002-cross-boundary-views': crossBoundaryViews,
  '003-authorization-views': authorizationViews,
  '004-change-notifications': changeNotifications,
  '005-truncate-notifications': truncateNotifications,
  '006-aggregate-counters': aggregateCounters,
  '007-customer-country-index': customerCountryIndex,
};

/**
 * Brings the database to the latest migration with Kysely's `Migrator` (which takes a lock, so
 * concurrent starts are safe; its bookkeeping tables live in `public`), then makes the change
 * triggers agree with the field sources' table list (`syncChangeTriggers`).
 *
 * @returns the names of the migrations that ran now (empty when already up to date).
 * @throws the first migration's error, after Kysely rolled it back.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  await syncChangeTriggers(db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
