import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { inject } from 'vitest';
import type {} from './provided-context.js';
import { POSTGRES_ADMIN_URL, databaseUrl, withClient } from './services.js';

/** A database of this test file's own: a copy of the run's template (migrated, Chinook imported). */
export interface TestDatabase {
  name: string;
  /** Where subgraphs and tests connect: Postgres, or the run's pgbouncer in the `pgbouncer` project. */
  url: string;
  /** Postgres itself, past any pooler (`DATABASE_DIRECT_URL`: the change feed's LISTEN). */
  directUrl: string;
  drop(): Promise<void>;
}

function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(POSTGRES_ADMIN_URL, work);
}

/** `name` through the run's pgbouncer when the project has one (`pgbouncerPort`), else on Postgres. */
function pooledUrl(name: string): string {
  const port = inject('pgbouncerPort');
  if (port === undefined) return databaseUrl(name);
  const url = new URL(databaseUrl(name));
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

/**
 * When `url` goes through the run's pgbouncer: the Postgres URL of the same database, which
 * `DATABASE_DIRECT_URL` must be for subgraphs whose `DATABASE_URL` is `url`. Else undefined
 * (Postgres itself, or a test's own proxy in front of it, which LISTEN must go through too).
 */
export function directUrlOf(url: string): string | undefined {
  const port = inject('pgbouncerPort');
  if (port === undefined || new URL(url).port !== String(port)) return undefined;
  return databaseUrl(new URL(url).pathname.slice(1));
}

/** Clones the template database (`CREATE DATABASE ... TEMPLATE`), in about 100 ms. */
export async function cloneTemplateDatabase(): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return { name, url: pooledUrl(name), directUrl: databaseUrl(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** An empty database (no schemas, no data), for migration, import and start-up tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const name = `${inject('templateDatabase')}_empty_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return { name, url: databaseUrl(name), directUrl: databaseUrl(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}
