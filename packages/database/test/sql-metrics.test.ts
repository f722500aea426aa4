import { LOGGED_SQL_MAX_CHARS, createDatabase, readDatabaseConfig, truncateSql } from '@tributary/database';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from '../../../test/support/metrics.js';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

describe('SQL instrumentation', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('counts and times every statement, logs the slow ones, and counts failures apart', async () => {
    const warnings: Array<{ obj: any; msg: string }> = [];
    const registry = new Registry();
    const handle = await createDatabase({
      config: readDatabaseConfig({ DATABASE_URL: database.url, DATABASE_SLOW_STATEMENT_MS: '250' }),
      name: 'catalog',
      registry,
      logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    });
    // Bounds far apart (fast statements well under 250 ms, the slow one 300 ms), so that a
    // loaded machine cannot make a fast statement look slow.
    try {
      await handle.db.selectFrom('catalog.genre').select('name').where('genre_id', '=', 1).execute();
      await sql`select pg_sleep(0.3)`.execute(handle.db);
      await expect(sql`select * from catalog.no_such_table`.execute(handle.db)).rejects.toThrow(/does not exist/);
      expect(handle.stats.statements).toBe(3);
      expect(handle.stats.errors).toBe(1);
      expect(warnings).toEqual([{ obj: { subgraph: 'catalog', durationMs: expect.any(Number), sql: 'select pg_sleep(0.3)' }, msg: 'slow SQL statement' }]);
      expect(warnings[0]!.obj.durationMs).toBeGreaterThanOrEqual(299);
      const text = await registry.metrics();
      expect(metricValue(text, 'tributary_sql_statements_total', { subgraph: 'catalog', outcome: 'ok' })).toBe(2);
      expect(metricValue(text, 'tributary_sql_statements_total', { subgraph: 'catalog', outcome: 'error' })).toBe(1);
      expect(metricValue(text, 'tributary_sql_statement_duration_seconds_count', { subgraph: 'catalog' })).toBe(3);
      expect(metricValue(text, 'tributary_sql_statement_duration_seconds_bucket', { subgraph: 'catalog', le: '0.25' })).toBe(2);
    } finally {
      await handle.destroy();
    }
  });

  it('cuts the SQL text of a long slow statement to LOGGED_SQL_MAX_CHARS and says how long it was', async () => {
    const warnings: Array<{ obj: any; msg: string }> = [];
    const handle = await createDatabase({
      config: readDatabaseConfig({ DATABASE_URL: database.url, DATABASE_SLOW_STATEMENT_MS: '25' }),
      name: 'catalog',
      logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    });
    try {
      const padding = 'x'.repeat(5000);
      const { rows } = await sql<{ length: number }>`select length(${sql.lit(padding)}) as length, pg_sleep(0.05)`.execute(handle.db);
      expect(rows[0]!.length).toBe(5000);
      const text = `select length('${padding}') as length, pg_sleep(0.05)`;
      expect(LOGGED_SQL_MAX_CHARS).toBe(500);
      expect(warnings).toEqual([{ obj: { subgraph: 'catalog', durationMs: expect.any(Number), sql: `${text.slice(0, 500)}… [truncated, ${text.length} chars]` }, msg: 'slow SQL statement' }]);
      expect(truncateSql('select 1')).toBe('select 1');
    } finally {
      await handle.destroy();
    }
  });

  it('applies the statement timeout to every connection', async () => {
    const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url, DATABASE_STATEMENT_TIMEOUT_MS: '100' }), name: 'test' });
    try {
      await expect(sql`select pg_sleep(1)`.execute(handle.db)).rejects.toThrow(/canceling statement due to statement timeout/);
      const { rows } = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(handle.db);
      expect(rows[0]!.statement_timeout).toBe('100ms');
    } finally {
      await handle.destroy();
    }
  });
});
