import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Kysely, sql } from 'kysely';
import type { ChinookScript } from './locate-chinook.js';
import { CHINOOK_ROW_COUNTS, CHINOOK_TABLE_SCHEMAS, type ChinookTable, parseChinookInserts } from './parse-chinook.js';

/** What {@link importChinook} did. */
export type ChinookImportResult = { status: 'imported'; rows: Record<ChinookTable, number>; durationMs: number } | { status: 'skipped'; reason: 'not-empty' };

/** Thrown when the rows after import are not Chinook's; the transaction is rolled back. */
export class ChinookCountMismatchError extends Error {
  override name = 'ChinookCountMismatchError';
}

/** Thrown when the shipped script's bytes do not hash to its checksum; nothing is imported. */
export class ChinookChecksumError extends Error {
  override name = 'ChinookChecksumError';
}

/** Any value, so that concurrent importers in other processes wait for each other. */
const IMPORT_LOCK_KEY = 7_340_215;

/**
 * Imports Chinook into the migrated, empty tables, in one transaction. Idempotent: when any
 * Chinook table already has rows, it changes nothing (an existing database is never mixed with
 * a second copy). Concurrent callers serialise on an advisory lock.
 *
 * The checksum is verified on the bytes that are parsed (not on a second read), on every call,
 * before the database is touched: about 2 ms for the 560 KB script.
 *
 * @param db a database migrated with `migrateToLatest`.
 * @param script the Chinook Postgres script and its expected SHA-256 (see `locateChinookSql`).
 * @throws ChinookChecksumError naming the file, both hashes and `CHINOOK_SQL` when `script.sha256`
 * is set and differs; ChinookCountMismatchError when the imported row counts differ from Chinook
 * 1.4.5's; Error naming the script and `CHINOOK_SQL` when a statement of it fails (all rolled back).
 */
export async function importChinook(db: Kysely<any>, script: ChinookScript): Promise<ChinookImportResult> {
  const started = performance.now();
  const bytes = await readFile(script.path);
  verifyChecksum(script, bytes);
  const inserts = parseChinookInserts(bytes.toString('utf8'));
  try {
    return await runImport(db, inserts, started);
  } catch (error) {
    if (error instanceof ChinookCountMismatchError) throw error;
    const source = script.origin === 'shipped' ? 'the shipped copy; CHINOOK_SQL overrides it' : 'CHINOOK_SQL';
    throw new Error(`Chinook import from ${script.path} (${source}) failed, nothing was imported: ${(error as Error).message}`);
  }
}

function verifyChecksum(script: ChinookScript, bytes: Buffer): void {
  if (script.sha256 === null) return;
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual === script.sha256) return;
  throw new ChinookChecksumError(
    `Chinook script ${script.path} has SHA-256 ${actual}, expected ${script.sha256}: the shipped copy was changed ` +
      '(restore it with `git checkout -- packages/database/data/chinook`), or set CHINOOK_SQL to the Chinook 1.4.5 script you mean to import',
  );
}

async function runImport(db: Kysely<any>, inserts: ReturnType<typeof parseChinookInserts>, started: number): Promise<ChinookImportResult> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`.execute(trx);
    // 15,000 rows are not 15,000 changes for caches to hear about: nothing is cached yet.
    await sql`SELECT set_config('tributary.skip_change_events', 'on', true)`.execute(trx);
    const before = await countChinookRows(trx);
    if (Object.values(before).some((n) => n > 0)) return { status: 'skipped', reason: 'not-empty' } as const;
    for (const insert of inserts) await sql.raw(insert.sql).execute(trx);
    const rows = await countChinookRows(trx);
    const wrong = (Object.keys(CHINOOK_ROW_COUNTS) as ChinookTable[]).filter((t) => rows[t] !== CHINOOK_ROW_COUNTS[t]);
    if (wrong.length > 0) {
      throw new ChinookCountMismatchError(`Chinook import gave unexpected row counts: ${wrong.map((t) => `${t} ${rows[t]} (expected ${CHINOOK_ROW_COUNTS[t]})`).join(', ')}`);
    }
    return { status: 'imported', rows, durationMs: performance.now() - started } as const;
  });
}

/** Row count of every Chinook table, in one statement (`{ artist: 275, album: 347, … }`). */
export async function countChinookRows(db: Kysely<any>): Promise<Record<ChinookTable, number>> {
  const tables = Object.keys(CHINOOK_TABLE_SCHEMAS) as ChinookTable[];
  const selects = tables.map((t) => `(SELECT count(*)::int FROM ${CHINOOK_TABLE_SCHEMAS[t]}.${t}) AS ${t}`).join(', ');
  const { rows } = await sql.raw<Record<ChinookTable, number>>(`SELECT ${selects}`).execute(db);
  return rows[0]!;
}
