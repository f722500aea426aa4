import { createDatabase, readDatabaseConfig } from '@tributary/database';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL } from '../../../test/support/services.js';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

describe('connections that Postgres drops', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('fail the statements in flight, never the process, and the pool recovers', async () => {
    const warnings: string[] = [];
    const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test', logger: { warn: (_obj, msg) => warnings.push(msg) } });
    try {
      // Statements in flight on several checked-out connections while their backends are terminated:
      const inFlight = Array.from({ length: 5 }, () =>
        sql`select pg_sleep(2)`.execute(handle.db).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      const { rowCount } = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database.name]);
      await admin.end();
      expect(rowCount).toBeGreaterThanOrEqual(5);
      const outcomes = await Promise.all(inFlight);
      expect(outcomes.every((o) => /terminat/.test(o))).toBe(true);
      expect(warnings).toContain('Postgres connection failed');
      // The pool drops the dead connections as their sockets close; new statements get new ones.
      await new Promise((r) => setTimeout(r, 100));
      const rows = await Promise.all(Array.from({ length: 5 }, () => handle.db.selectFrom('catalog.genre').select('name').where('genre_id', '=', 1).executeTakeFirstOrThrow()));
      expect(rows).toEqual(Array(5).fill({ name: 'Rock' }));
    } finally {
      await handle.destroy();
    }
  });
});
