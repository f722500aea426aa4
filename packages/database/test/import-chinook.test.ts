import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CHINOOK_ROW_COUNTS,
  ChinookChecksumError,
  ChinookNotFoundError,
  DEFAULT_CHINOOK_SQL,
  type DatabaseHandle,
  LOGGED_SQL_MAX_CHARS,
  REPO_ROOT,
  countChinookRows,
  createDatabase,
  importChinook,
  locateChinookSql,
  migrateToLatest,
  parseChinookInserts,
  prepareDatabase,
  readDatabaseConfig,
} from '@tributary/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createEmptyDatabase } from '../../../test/support/test-database.js';

describe('prepareDatabase on an empty Postgres database', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createEmptyDatabase();
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test' });
  });
  afterAll(async () => {
    await handle.destroy();
    await database.drop();
  });

  it('migrates into one schema per subgraph and imports exactly Chinook 1.4.5 from the shipped script', async () => {
    const result = await prepareDatabase(handle.db, {});
    expect(result.migrations).toEqual([
      '001-chinook-tables',
      '002-cross-boundary-views',
      '003-authorization-views',
      '004-change-notifications',
      '005-truncate-notifications',
      '006-aggregate-counters',
      '007-customer-country-index',
    ]);
    expect(result.chinook.status).toBe('imported');
    // packages/database/data/chinook/README.md, "Row counts".
    expect(await countChinookRows(handle.db)).toEqual({
      artist: 275,
      album: 347,
      track: 3503,
      genre: 25,
      media_type: 5,
      customer: 59,
      employee: 8,
      invoice: 412,
      invoice_line: 2240,
      playlist: 18,
      playlist_track: 8715,
    });
    const { rows } = await sql<{ table_schema: string; table_name: string }>`
      SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_schema IN ('catalog', 'customers', 'sales', 'playlists') AND table_type = 'BASE TABLE'
      ORDER BY table_schema, table_name`.execute(handle.db);
    expect(rows.map((r) => `${r.table_schema}.${r.table_name}`)).toEqual([
      'catalog.album',
      'catalog.artist',
      'catalog.genre',
      'catalog.genre_size',
      'catalog.media_type',
      'catalog.table_size',
      'catalog.track',
      'customers.customer',
      'customers.employee',
      'playlists.playlist',
      'playlists.playlist_size',
      'playlists.playlist_track',
      'sales.customer_sales',
      'sales.invoice',
      'sales.invoice_line',
      'sales.track_sales',
    ]);
    const track = await handle.db.selectFrom('catalog.track').selectAll().where('track_id', '=', 3503).executeTakeFirstOrThrow();
    expect(track).toEqual({
      track_id: 3503,
      name: 'Koyaanisqatsi',
      album_id: 347,
      media_type_id: 2,
      genre_id: 10,
      composer: 'Philip Glass',
      milliseconds: 206005,
      bytes: 3305164,
      unit_price: '0.99',
    });
    const invoice = await handle.db.selectFrom('sales.invoice').select(['invoice_date', 'total']).where('invoice_id', '=', 412).executeTakeFirstOrThrow();
    expect(invoice).toEqual({ invoice_date: '2025-12-22T00:00:00.000Z', total: '1.99' });
  });

  it('is idempotent: a second run migrates nothing and imports nothing', async () => {
    const statements: string[] = [];
    const stop = handle.stats.onStatement((text) => statements.push(text));
    const again = await prepareDatabase(handle.db, {});
    stop();
    expect(again).toEqual({ migrations: [], chinook: { status: 'skipped', reason: 'not-empty' } });
    expect(statements.filter((s) => /^\s*(insert|create|alter|drop)\b/i.test(s))).toEqual([]);
    expect(await countChinookRows(handle.db)).toEqual(CHINOOK_ROW_COUNTS);
  });

  it('serialises concurrent starts: two at once import once', async () => {
    const other = await createEmptyDatabase();
    const a = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: other.url }), name: 'a' });
    const b = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: other.url }), name: 'b' });
    try {
      const results = await Promise.all([prepareDatabase(a.db, {}), prepareDatabase(b.db, {})]);
      expect(results.map((r) => r.chinook.status).sort()).toEqual(['imported', 'skipped']);
      expect(await countChinookRows(a.db)).toEqual(CHINOOK_ROW_COUNTS);
    } finally {
      await a.destroy();
      await b.destroy();
      await other.drop();
    }
  });
});

/** A copy of the shipped script with one byte changed ('Rock' becomes 'Rocks'), in a folder of its own. */
function changedCopy(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-chinook-'));
  const file = path.join(dir, 'chinook.sql');
  writeFileSync(file, readFileSync(DEFAULT_CHINOOK_SQL, 'utf8').replace("(N'Rock'),", "(N'Rocks'),"));
  return { dir, file };
}

describe('the Chinook checksum', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const warnings: Array<{ obj: any; msg: string }> = [];
  let copy: { dir: string; file: string };
  beforeAll(async () => {
    copy = changedCopy();
    database = await createEmptyDatabase();
    handle = await createDatabase({
      config: readDatabaseConfig({ DATABASE_URL: database.url, DATABASE_SLOW_STATEMENT_MS: '1' }),
      name: 'test',
      logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    });
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.destroy();
    await database?.drop();
    rmSync(copy.dir, { recursive: true, force: true });
  });

  it("is the shipped file's SHA-256, as the checksum file next to it says", () => {
    const shipped = locateChinookSql({});
    expect(shipped.sha256).toBe('847361ebbd17aaa18b5423831bf3bfc7ab1f0ad3c62c5bfe4770242bec5ddaf1');
    expect(createHash('sha256').update(readFileSync(shipped.path)).digest('hex')).toBe(shipped.sha256);
  });

  it('refuses a changed shipped script before touching the database, naming the file, both hashes and CHINOOK_SQL', async () => {
    const { sha256 } = locateChinookSql({});
    const changed = createHash('sha256').update(readFileSync(copy.file)).digest('hex');
    const statementsBefore = handle.stats.statements;
    const attempt = importChinook(handle.db, { path: copy.file, origin: 'shipped', sha256 });
    await expect(attempt).rejects.toThrow(ChinookChecksumError);
    await expect(attempt).rejects.toThrow(
      `Chinook script ${copy.file} has SHA-256 ${changed}, expected ${sha256}: the shipped copy was changed (restore it with \`git checkout -- packages/database/data/chinook\`), or set CHINOOK_SQL to the Chinook 1.4.5 script you mean to import`,
    );
    expect(handle.stats.statements).toBe(statementsBefore);
    expect(Object.values(await countChinookRows(handle.db)).every((n) => n === 0)).toBe(true);
  });

  it('does not apply to a CHINOOK_SQL override: a changed copy imports, its row counts checked', async () => {
    const result = await prepareDatabase(handle.db, { CHINOOK_SQL: copy.file });
    expect(result.chinook.status).toBe('imported');
    expect(await countChinookRows(handle.db)).toEqual(CHINOOK_ROW_COUNTS);
    const genre = await handle.db.selectFrom('catalog.genre').select('name').where('genre_id', '=', 1).executeTakeFirstOrThrow();
    expect(genre.name).toBe('Rocks');
  });

  it('logs slow import statements with their SQL text cut, never a whole INSERT', () => {
    const inserts = parseChinookInserts(readFileSync(copy.file, 'utf8'));
    const cut = (text: string) => (text.length <= LOGGED_SQL_MAX_CHARS ? text : `${text.slice(0, LOGGED_SQL_MAX_CHARS)}… [truncated, ${text.length} chars]`);
    const logged = warnings.map((w) => w.obj.sql as string).filter((text) => text.startsWith('INSERT INTO '));
    // the track inserts (about 100 KB each) take well over 1 ms
    expect(logged.filter((text) => text.startsWith('INSERT INTO catalog.track ') && text.endsWith(' chars]')).length).toBeGreaterThan(0);
    expect(logged.filter((text) => !inserts.some((insert) => cut(insert.sql) === text))).toEqual([]);
    const longest = Math.max(...warnings.map((w) => (w.obj.sql as string).length));
    expect(longest).toBeLessThanOrEqual(cut('x'.repeat(999_999)).length);
  });
});

describe('locateChinookSql', () => {
  it('uses the script shipped in the repository, with its checksum, when CHINOOK_SQL is unset', () => {
    expect(DEFAULT_CHINOOK_SQL).toBe(path.join(REPO_ROOT, 'packages', 'database', 'data', 'chinook', 'chinook.sql'));
    expect(locateChinookSql({})).toEqual({ path: DEFAULT_CHINOOK_SQL, origin: 'shipped', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(locateChinookSql({ CHINOOK_SQL: '  ' }).origin).toBe('shipped');
    expect(readFileSync(path.join(path.dirname(DEFAULT_CHINOOK_SQL), 'LICENSE.md'), 'utf8')).toContain('Copyright (c) 2008-2024 Luis Rocha');
  });

  it('uses the file CHINOOK_SQL names, without a checksum', () => {
    expect(locateChinookSql({ CHINOOK_SQL: DEFAULT_CHINOOK_SQL })).toEqual({ path: DEFAULT_CHINOOK_SQL, origin: 'CHINOOK_SQL', sha256: null });
  });
});

describe('locateChinookSql misuse', () => {
  it('names CHINOOK_SQL and the shipped default when the file does not exist', () => {
    const call = () => locateChinookSql({ CHINOOK_SQL: '/nowhere/chinook.sql' });
    expect(call).toThrow(ChinookNotFoundError);
    expect(call).toThrow(`Chinook SQL not found at CHINOOK_SQL=/nowhere/chinook.sql; unset CHINOOK_SQL to use the shipped ${DEFAULT_CHINOOK_SQL}`);
  });

  it('says that CHINOOK_SQL names a folder, and which file it would expect there', () => {
    const folder = path.dirname(DEFAULT_CHINOOK_SQL);
    const call = () => locateChinookSql({ CHINOOK_SQL: folder });
    expect(call).toThrow(ChinookNotFoundError);
    expect(call).toThrow(
      `CHINOOK_SQL=${folder} is a folder; it must name the Chinook script file itself (such as ${path.join(folder, 'chinook.sql')}), or be unset to use the shipped ${DEFAULT_CHINOOK_SQL}`,
    );
  });
});
