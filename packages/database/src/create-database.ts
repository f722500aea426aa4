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

/**
 * A streaming replica that reads may go to (`DATABASE_READ_URL`), with the means to know how far
 * it has replayed the primary's WAL.
 */
export interface ReadReplica {
  /** Kysely over the replica's own pool (same SQL counters as the handle's). */
  db: Kysely<Database>;
  /**
   * `pg_last_wal_replay_lsn()` of the replica (`hex/hex`), one statement on its pool; `null` when
   * the server is not in recovery (a primary: then its reads are current).
   */
  replayLsn(): Promise<string | null>;
}

/** A Kysely instance with its SQL statistics and the means to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  /** The replica reads may go to (`DATABASE_READ_URL`); absent: every read goes to `db`. */
  read?: ReadReplica;
  /**
   * `pg_current_wal_insert_lsn()` of the primary (`hex/hex`): after a commit, a position at or past it
   * (read-your-writes: a replica that replayed up to it shows the write). Absent for the embedded database.
   */
  writeLsn?(): Promise<string>;
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
    const primary = openPool(config.url, name, options, log);
    const read = config.readUrl ? openPool(config.readUrl, `${name}-read`, options, log) : undefined;
    // LISTEN holds its session: through a transaction pooler it would hear nothing, so it takes the direct URL.
    const listenUrl = config.directUrl ?? config.url;
    return {
      db: primary,
      kind: 'postgres',
      stats,
      ...(read ? { read: { db: read, replayLsn: () => lsnOf(read, sql<{ lsn: string | null }>`SELECT pg_last_wal_replay_lsn()::text AS lsn`) } } : {}),
      writeLsn: async () => (await lsnOf(primary, sql<{ lsn: string | null }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`))!,
      listen: (channel, handlers) => listenPostgres(listenUrl, channel, handlers, logger, { stampLsn: config.readUrl !== undefined }),
      notify: notifyWith(primary),
      destroy: async () => {
        await Promise.all([primary.destroy(), read?.destroy()]);
      },
    };
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

/**
 * A `pg` pool on `url` behind Kysely: `config.poolSize` connections, the statement timeout, the
 * request-cancelling wrapper when `options.statementSignal` is set, pool metrics labelled `label`
 * (`catalog`, `catalog-read`), and `log` (the handle's SQL counters).
 */
function openPool(url: string, label: string, options: CreateDatabaseOptions, log: ReturnType<typeof createSqlInstrumentation>['log']): Kysely<Database> {
  const { config, registry, logger } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize,
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    application_name: `tributary-${label}`,
    types: { getTypeParser: pgTypeParser },
  });
  // A connection that Postgres drops (restart, pg_terminate_backend) emits 'error' on its
  // client, idle or checked out; unheard, that would crash the process. The query in flight
  // fails on its own, and the pool replaces the connection.
  pool.on('error', (error) => logger?.warn({ subgraph: label, err: error.message }, 'idle Postgres connection failed'));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger?.warn({ subgraph: label, err: error.message }, 'Postgres connection failed'));
  });
  if (registry) watchPool(registry, label, pool);
  const statementSignal = options.statementSignal;
  const dialectPool = statementSignal
    ? createCancellingPool(pool, { signal: statementSignal, onCancelError: (error) => logger?.warn({ subgraph: label, err: error.message }, 'could not cancel an abandoned statement') })
    : pool;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool }), log });
}

/** The `lsn` column of a one-row LSN query. */
async function lsnOf(db: Kysely<Database>, query: ReturnType<typeof sql<{ lsn: string | null }>>): Promise<string | null> {
  const { rows } = await query.execute(db);
  return rows[0]?.lsn ?? null;
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
