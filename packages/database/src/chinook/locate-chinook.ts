import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (this file is `packages/database/src/chinook/`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where the Chinook script is looked for when `CHINOOK_SQL` is not set: next to the checkout. */
export const DEFAULT_CHINOOK_SQL = path.resolve(REPO_ROOT, '../shared/datasets/chinook/chinook.sql');

/** Thrown when the Chinook script cannot be found; the message names both places looked at. */
export class ChinookNotFoundError extends Error {
  override name = 'ChinookNotFoundError';
}

/**
 * Finds the Chinook 1.4.5 Postgres script (serial keys): `CHINOOK_SQL` when set, else
 * {@link DEFAULT_CHINOOK_SQL}. The file is never copied into the project.
 *
 * @throws ChinookNotFoundError naming `CHINOOK_SQL` and the default path.
 */
export function locateChinookSql(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHINOOK_SQL?.trim();
  const candidate = configured ? path.resolve(configured) : DEFAULT_CHINOOK_SQL;
  if (existsSync(candidate)) return candidate;
  throw new ChinookNotFoundError(
    configured
      ? `Chinook SQL not found at CHINOOK_SQL=${candidate}; unset CHINOOK_SQL to use the default ${DEFAULT_CHINOOK_SQL}`
      : `Chinook SQL not found: set CHINOOK_SQL to the path of chinook.sql, or place it at the default ${DEFAULT_CHINOOK_SQL}`,
  );
}
