import { z } from 'zod';

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
} as const satisfies Omit<DatabaseConfig, 'url' | 'embeddedDataDir'>;

/** Largest timeout Node's timers take, in ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n > 0, 'must be greater than 0')
    .refine((n) => n <= max, `must be at most ${max}`);

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_DIRECT_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://')
    .optional(),
  PGLITE_DATA_DIR: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: positiveInt(1_000).optional(),
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt(MAX_TIMEOUT_MS).optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(MAX_TIMEOUT_MS).optional(),
  DATABASE_SLOW_STATEMENT_MS: positiveInt(MAX_TIMEOUT_MS).optional(),
});

/** Thrown for invalid configuration; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads {@link DatabaseConfig} from environment variables (`DATABASE_URL`, `DATABASE_DIRECT_URL`, `PGLITE_DATA_DIR`,
 * `DATABASE_POOL_SIZE`, `DATABASE_CONNECT_TIMEOUT_MS`, `DATABASE_STATEMENT_TIMEOUT_MS`,
 * `DATABASE_SLOW_STATEMENT_MS`). Empty strings count as absent.
 *
 * @throws ConfigError naming the first invalid variable and what is wrong with it.
 */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    url: e.DATABASE_URL,
    directUrl: e.DATABASE_URL ? e.DATABASE_DIRECT_URL : undefined,
    embeddedDataDir: e.PGLITE_DATA_DIR,
    poolSize: e.DATABASE_POOL_SIZE ?? DATABASE_DEFAULTS.poolSize,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS ?? DATABASE_DEFAULTS.connectTimeoutMs,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? DATABASE_DEFAULTS.statementTimeoutMs,
    slowStatementMs: e.DATABASE_SLOW_STATEMENT_MS ?? DATABASE_DEFAULTS.slowStatementMs,
  };
}
