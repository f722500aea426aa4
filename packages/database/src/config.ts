import { z } from 'zod';
import { MAX_TIMER_MS, envText, envUrl, envWholeNumber, parseEnv } from '@tributary/runtime';

/**
 * How a process reaches its Postgres database. Every field has a default, so an empty
 * environment is a valid configuration (the embedded PGlite database).
 */
export interface DatabaseConfig {
  /** Postgres connection string. Absent: the embedded, in-process PGlite database. */
  url?: string;
  /**
   * A connection string that reaches Postgres itself, not through a transaction pooler
   * (`DATABASE_DIRECT_URL`), for what holds a session: the change feed's `LISTEN`. Absent: `url`.
   */
  directUrl?: string;
  /**
   * A streaming replica of `url`'s database (`DATABASE_READ_URL`): subgraph reads outside
   * mutations go there, gated by its replay position (docs/database/READ_REPLICAS.md). Absent:
   * every read goes to `url`.
   */
  readUrl?: string;
  /** Where the embedded database keeps its files. Absent: in memory (re-imported each start). */
  embeddedDataDir?: string;
  /** Maximum connections per pool (one pool per subgraph). Default 10. */
  poolSize: number;
  /** How long to wait for a free connection or a new one, in ms. Default 5,000. */
  connectTimeoutMs: number;
  /** Server-side `statement_timeout` for every connection, in ms. Default 10,000. */
  statementTimeoutMs: number;
  /** Statements slower than this are logged at `warn`, in ms. Default 200. */
  slowStatementMs: number;
}

/** The defaults of {@link DatabaseConfig}; a test pins each one. */
export const DATABASE_DEFAULTS = {
  poolSize: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  slowStatementMs: 200,
} as const satisfies Omit<DatabaseConfig, 'url' | 'directUrl' | 'readUrl' | 'embeddedDataDir'>;

/**
 * Every variable the database layer reads (the import reads `CHINOOK_SQL`; the readers read the
 * rest). The README's configuration table lists each one (a test compares them).
 */
export const DATABASE_ENV = z.object({
  DATABASE_URL: envUrl(['postgres', 'postgresql'], 'a postgres:// or postgresql:// URL').optional(),
  /** A connection that reaches Postgres itself, past a transaction pooler: for the change feed's `LISTEN`. */
  DATABASE_DIRECT_URL: envUrl(['postgres', 'postgresql'], 'a postgres:// or postgresql:// URL').optional(),
  /** A streaming replica of `DATABASE_URL`'s database: the subgraphs' reads go there (docs/database/READ_REPLICAS.md). */
  DATABASE_READ_URL: envUrl(['postgres', 'postgresql'], 'a postgres:// or postgresql:// URL').optional(),
  PGLITE_DATA_DIR: envText.optional(),
  DATABASE_POOL_SIZE: envWholeNumber({ min: 1, max: 1_000 }).optional(),
  DATABASE_CONNECT_TIMEOUT_MS: envWholeNumber({ min: 1, max: MAX_TIMER_MS, unit: 'ms' }).optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: envWholeNumber({ min: 1, max: MAX_TIMER_MS, unit: 'ms' }).optional(),
  DATABASE_SLOW_STATEMENT_MS: envWholeNumber({ min: 1, max: MAX_TIMER_MS, unit: 'ms' }).optional(),
  CHINOOK_SQL: envText.optional(),
});

/**
 * Reads {@link DatabaseConfig} from environment variables (`DATABASE_URL`, `DATABASE_DIRECT_URL`, `DATABASE_READ_URL`, `PGLITE_DATA_DIR`,
 * `DATABASE_POOL_SIZE`, `DATABASE_CONNECT_TIMEOUT_MS`, `DATABASE_STATEMENT_TIMEOUT_MS`,
 * `DATABASE_SLOW_STATEMENT_MS`; see {@link DATABASE_ENV}). Values are trimmed; empty ones count as absent.
 *
 * @throws ConfigError naming the first invalid variable and what is wrong with it.
 */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const e = parseEnv(DATABASE_ENV, env);
  return {
    url: e.DATABASE_URL,
    directUrl: e.DATABASE_URL ? e.DATABASE_DIRECT_URL : undefined,
    readUrl: e.DATABASE_URL ? e.DATABASE_READ_URL : undefined,
    embeddedDataDir: e.PGLITE_DATA_DIR,
    poolSize: e.DATABASE_POOL_SIZE ?? DATABASE_DEFAULTS.poolSize,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS ?? DATABASE_DEFAULTS.connectTimeoutMs,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? DATABASE_DEFAULTS.statementTimeoutMs,
    slowStatementMs: e.DATABASE_SLOW_STATEMENT_MS ?? DATABASE_DEFAULTS.slowStatementMs,
  };
}
