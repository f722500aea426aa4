import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The repository's root folder (this file is `packages/database/src/chinook/`). */
export const REPO_ROOT = path.resolve(PACKAGE_ROOT, '../..');

/**
 * The Chinook 1.4.5 Postgres script (serial keys) shipped in the repository, used when
 * `CHINOOK_SQL` is not set: `packages/database/data/chinook/chinook.sql`, next to its licence.
 */
export const DEFAULT_CHINOOK_SQL = path.join(PACKAGE_ROOT, 'data', 'chinook', 'chinook.sql');

/** The shipped script's checksum file, in `sha256sum` format (`<64 hex>  chinook.sql`). */
export const DEFAULT_CHINOOK_SHA256_FILE = `${DEFAULT_CHINOOK_SQL}.sha256`;

/** The Chinook script an import reads, and what its bytes must hash to. */
export interface ChinookScript {
  /** Absolute path of the file. */
  path: string;
  /** `shipped`: the repository's copy; `CHINOOK_SQL`: the file that variable names. */
  origin: 'shipped' | 'CHINOOK_SQL';
  /**
   * Expected SHA-256 of the file's bytes (lowercase hex) for the shipped copy; `null` for an
   * override, which may be any Chinook 1.4.5 script (the import checks its row counts instead).
   */
  sha256: string | null;
}

/** Thrown when the Chinook script cannot be used as a file; the message names `CHINOOK_SQL`. */
export class ChinookNotFoundError extends Error {
  override name = 'ChinookNotFoundError';
}

/**
 * Finds the Chinook script: the file `CHINOOK_SQL` names when set, else the shipped
 * {@link DEFAULT_CHINOOK_SQL} with the checksum of {@link DEFAULT_CHINOOK_SHA256_FILE}.
 *
 * @example locateChinookSql({}) // { path: '<repo>/packages/database/data/chinook/chinook.sql', origin: 'shipped', sha256: '8473…daf1' }
 * @throws ChinookNotFoundError naming `CHINOOK_SQL` when the path does not exist or is a folder,
 * or when the shipped copy or its checksum file is missing from the checkout.
 */
export function locateChinookSql(env: NodeJS.ProcessEnv = process.env): ChinookScript {
  const configured = env.CHINOOK_SQL?.trim();
  if (configured) return { path: requireFile(path.resolve(configured), 'override'), origin: 'CHINOOK_SQL', sha256: null };
  return { path: requireFile(DEFAULT_CHINOOK_SQL, 'shipped'), origin: 'shipped', sha256: readShippedChecksum() };
}

function requireFile(candidate: string, kind: 'override' | 'shipped'): string {
  const stat = statSync(candidate, { throwIfNoEntry: false });
  if (stat?.isFile()) return candidate;
  if (kind === 'shipped') {
    throw new ChinookNotFoundError(
      `The Chinook script shipped with Tributary is missing at ${candidate} (restore it with \`git checkout -- packages/database/data/chinook\`), or set CHINOOK_SQL to a Chinook 1.4.5 Postgres script`,
    );
  }
  if (stat?.isDirectory()) {
    throw new ChinookNotFoundError(
      `CHINOOK_SQL=${candidate} is a folder; it must name the Chinook script file itself (such as ${path.join(candidate, 'chinook.sql')}), or be unset to use the shipped ${DEFAULT_CHINOOK_SQL}`,
    );
  }
  throw new ChinookNotFoundError(
    stat
      ? `CHINOOK_SQL=${candidate} is not a regular file; unset CHINOOK_SQL to use the shipped ${DEFAULT_CHINOOK_SQL}`
      : `Chinook SQL not found at CHINOOK_SQL=${candidate}; unset CHINOOK_SQL to use the shipped ${DEFAULT_CHINOOK_SQL}`,
  );
}

function readShippedChecksum(): string {
  let text: string;
  try {
    text = readFileSync(DEFAULT_CHINOOK_SHA256_FILE, 'utf8');
  } catch (error) {
    throw new ChinookNotFoundError(`Cannot read the shipped Chinook checksum ${DEFAULT_CHINOOK_SHA256_FILE}: ${(error as Error).message}`);
  }
  const match = /^([0-9a-f]{64})\s/i.exec(text);
  if (!match) throw new ChinookNotFoundError(`${DEFAULT_CHINOOK_SHA256_FILE} holds no SHA-256 (expected "<64 hex digits>  chinook.sql")`);
  return match[1]!.toLowerCase();
}
