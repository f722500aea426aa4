import { createDatabase, prepareDatabase, readDatabaseConfig } from '@tributary/database';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type {} from './provided-context.js';
import { POSTGRES_ADMIN_URL, REDIS_URL, databaseUrl, reachable } from './services.js';

/**
 * Checks that Postgres and Redis answer (with `CI=true` a missing service fails the run; it is
 * never skipped), then makes this run's template database: migrated, with Chinook imported.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  for (const [name, url] of [
    ['Postgres', POSTGRES_ADMIN_URL],
    ['Redis', REDIS_URL],
  ] as const) {
    if (!(await reachable(url))) {
      throw new Error(`${name} is not reachable at ${url}; tests need it${process.env.CI === 'true' ? ' (CI=true: a missing service is a failure)' : ''}. See README, "Tests".`);
    }
  }
  const template = `tributary_test_${runId}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: databaseUrl(template) }), name: 'setup' });
  try {
    await prepareDatabase(handle.db);
  } finally {
    await handle.destroy();
  }
  project.provide('templateDatabase', template);
  project.provide('redisPrefix', `tributary-test:${runId}:`);
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  };
}
