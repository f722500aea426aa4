import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Registry } from 'prom-client';
import { createCancellingPool } from './cancelling-pool.js';
import type { DatabaseConfig } from './config.js';
import { acquireEmbeddedDatabase } from './embedded/embedded-database.js';
import { SharedPGliteDialect } from './embedded/pglite-dialect.js';
import { type ListenHandlers, type Listening, listenPGlite, listenPostgres } from './listen.js';
import { watchPool } from './pool-metrics.js';
import { type SqlLogger, type SqlStats, createSqlInstrumentation } from './sql-metrics.js';
import type { Database } from './tables.js';
import { TYPE_PARSERS } from './type-parsers.js';

/** Options of {@link createDatabase}. */
export interface CreateDatabaseOptions {
  config: DatabaseConfig;
  /** Who uses this handle (a subgraph's name): the `subgraph` label of its SQL metrics. */
  name: string;
  /** Where SQL metrics are registered. Absent: counted in `stats` only. */
  registry?: Registry;
  /** Receives the slow-statement log. Absent: nothing is logged. */
  logger?: SqlLogger;
  /**
   * The signal of the request a statement runs for, read as each statement starts: when it
   * aborts, the running statement is cancelled (see `createCancellingPool`; Postgres only).
   * Absent: statements run to completion or `statement_timeout`.
   */
  statementSignal?: () => AbortSignal | undefined;
}

/** A Kysely instance with its SQL statistics and the means to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  /** `postgres`: a `pg` pool on `DATABASE_URL`; `embedded`: the process's shared PGlite database. */
  kind: 'postgres' | 'embedded';
  stats: SqlStats;
  /** `LISTEN channel` on its own connection (to `DATABASE_DIRECT_URL` when set; or the embedded database), until `close`. */
  listen(channel: string, handlers: ListenHandlers): Promise<Listening>;
  /** `NOTIFY channel, payload`, outside any transaction. */
  notify(channel: string, payload: string): Promise<void>;
  /** Closes the pool, or leaves the embedded database (closed when its last user leaves). */
  destroy(): Promise<void>;
}

/**
 * Opens a database handle: a `pg` pool when `config.url` is set, else the embedded PGlite
 * database shared by every handle of this process. Each handle counts its own statements.
 *
 * @example
 * const { db, stats } = await createDatabase({ config: readDatabaseConfig(), name: 'catalog' });
 * await db.selectFrom('catalog.track').select('name').where('track_id', '=', 1).execute();
 * // SELECT "name" FROM "catalog"."track" WHERE "track_id" = $1      stats.statements === 1
 */
export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  const { config, name, registry, logger } = options;
  const { stats, log } = createSqlInstrumentation({ subgraph: name, slowStatementMs: config.slowStatementMs, registry, logger });
  if (config.url) {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize,
      connectionTimeoutMillis: config.connectTimeoutMs,
      statement_timeout: config.statementTimeoutMs,
      application_name: `tributary-${name}`,
      types: { getTypeParser: pgTypeParser },
    });
    // A connection that Postgres drops (restart, pg_terminate_backend) emits 'error' on its
    // client, idle or checked out; unheard, that would crash the process. The query in flight
    // fails on its own, and the pool replaces the connection.
    pool.on('error', (error) => logger?.warn({ subgraph: name, err: error.message }, 'idle Postgres connection failed'));
    pool.on('connect', (client) => {
      client.on('error', (error) => logger?.warn({ subgraph: name, err: error.message }, 'Postgres connection failed'));
    });
    if (registry) watchPool(registry, name, pool);
    const statementSignal = options.statementSignal;
    const dialectPool = statementSignal
      ? createCancellingPool(pool, { signal: statementSignal, onCancelError: (error) => logger?.warn({ subgraph: name, err: error.message }, 'could not cancel an abandoned statement') })
      : pool;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool }), log });
    // LISTEN holds its session: through a transaction pooler it would hear nothing, so it takes the direct URL.
    const listenUrl = config.directUrl ?? config.url;
    return { db, kind: 'postgres', stats, listen: (channel, handlers) => listenPostgres(listenUrl, channel, handlers, logger), notify: notifyWith(db), destroy: () => db.destroy() };
  }
  const { pglite, release } = await acquireEmbeddedDatabase(config.embeddedDataDir);
  const db = new Kysely<Database>({ dialect: new SharedPGliteDialect(pglite), log });
  return {
    db,
    kind: 'embedded',
    stats,
    listen: (channel, handlers) => listenPGlite(pglite, channel, handlers),
    notify: notifyWith(db),
    destroy: async () => {
      await db.destroy();
      await release();
    },
  };
}

const pgTypeParser = ((oid: number, format?: string) => {
  const custom = TYPE_PARSERS[oid];
  if (custom && format !== 'binary') return custom;
  return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
}) as typeof pg.types.getTypeParser;

function notifyWith(db: Kysely<Database>) {
  return async (channel: string, payload: string) => {
    await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
  };
}
