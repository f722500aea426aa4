import type { TestProject } from 'vitest/node';
import type {} from './provided-context.js';
import { startOwnPgbouncer } from './pgbouncer.js';
import { POSTGRES_ADMIN_URL } from './services.js';

/**
 * Global setup of the `pgbouncer` project: starts a pgbouncer of the run's own in transaction
 * pooling mode in front of the test Postgres (see `startOwnPgbouncer`), so that the test
 * databases of that project's files are reached through it (`DATABASE_URL`), their change feeds
 * directly (`DATABASE_DIRECT_URL`). A missing pgbouncer fails the run (`.ci/run` installs it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pgbouncer = await startOwnPgbouncer(POSTGRES_ADMIN_URL);
  project.provide('pgbouncerPort', pgbouncer.port);
  return () => pgbouncer.stop();
}
