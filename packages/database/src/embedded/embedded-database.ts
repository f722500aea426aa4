import { PGlite } from '@electric-sql/pglite';
import { TYPE_PARSERS } from '../type-parsers.js';

/**
 * Postgres `shared_buffers` of the embedded database. PGlite's default (128 MB) grows its
 * WebAssembly memory past the 128 MB it starts with; Chinook, migrated and imported, is about
 * 10 MB (`SELECT pg_database_size(current_database())`), and in memory mode its files already
 * live in the process's memory. 32 MB keeps every page buffered and saves about 110 MB of RSS
 * (docs/database/EMBEDDED_MEMORY.md).
 */
export const EMBEDDED_SHARED_BUFFERS = '32MB';

/**
 * The process-wide embedded PGlite databases, one per data folder (`memory://` when none), so
 * that the four subgraphs of one process share one database. Reference-counted: the last
 * `release` closes it.
 */
const open = new Map<string, { pglite: Promise<PGlite>; users: number }>();

/**
 * Opens (or joins) the embedded database for `dataDir`.
 *
 * @param dataDir a folder for PGlite's files; absent: in memory.
 * @returns the PGlite instance and a `release` to call once when done with it.
 */
export async function acquireEmbeddedDatabase(dataDir?: string): Promise<{ pglite: PGlite; release: () => Promise<void> }> {
  const key = dataDir ?? 'memory://';
  let entry = open.get(key);
  if (!entry) {
    entry = { pglite: PGlite.create(key, { parsers: TYPE_PARSERS, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`] }), users: 0 };
    open.set(key, entry);
  }
  entry.users++;
  const pglite = await entry.pglite;
  let released = false;
  return {
    pglite,
    release: async () => {
      if (released) return;
      released = true;
      const current = open.get(key);
      if (!current || --current.users > 0) return;
      open.delete(key);
      await pglite.close();
    },
  };
}
