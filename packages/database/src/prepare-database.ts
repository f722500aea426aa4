import type { Kysely } from 'kysely';
import { type ChinookImportResult, importChinook } from './chinook/import-chinook.js';
import { locateChinookSql } from './chinook/locate-chinook.js';
import { migrateToLatest } from './migrate.js';

/** What {@link prepareDatabase} did. */
export interface PrepareResult {
  migrations: string[];
  chinook: ChinookImportResult;
}

/**
 * Migrates to the latest schema and, on an empty database, imports Chinook. Safe to run on
 * every start and from several processes at once.
 *
 * @throws ChinookNotFoundError when the script cannot be found or is a folder; ChinookChecksumError
 * when the shipped script was changed; migration and
 * import errors as they come (nothing is half-applied: each runs in a transaction).
 */
export async function prepareDatabase(db: Kysely<any>, env: NodeJS.ProcessEnv = process.env): Promise<PrepareResult> {
  const migrations = await migrateToLatest(db);
  const chinook = await importChinook(db, locateChinookSql(env));
  return { migrations, chinook };
}
