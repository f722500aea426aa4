import type { LogEvent } from 'kysely';
import { Counter, Histogram, type Registry } from 'prom-client';
import { truncateSql } from './truncate-sql.js';

/** The part of a pino logger that SQL instrumentation uses. */
export interface SqlLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Statement counts of one database handle, readable synchronously (tests and benchmarks count
 * the SQL a request costs with it) and exported to Prometheus as
 * `tributary_sql_statements_total{subgraph, outcome}` and
 * `tributary_sql_statement_duration_seconds{subgraph}`.
 */
export interface SqlStats {
  /** Statements sent to Postgres since creation (successful and failed). */
  readonly statements: number;
  /** Statements that Postgres answered with an error. */
  readonly errors: number;
  /** Calls `listener` with the SQL text and parameters of each statement; returns the unsubscribe function. */
  onStatement(listener: (sql: string, parameters: readonly unknown[]) => void): () => void;
}

/** Per-registry metric objects, so that several handles on one registry share them. */
const metricsByRegistry = new WeakMap<Registry, { count: Counter<'subgraph' | 'outcome'>; duration: Histogram<'subgraph'> }>();

function metricsFor(registry: Registry) {
  let m = metricsByRegistry.get(registry);
  if (!m) {
    m = {
      count: new Counter({ name: 'tributary_sql_statements_total', help: 'SQL statements sent to Postgres', labelNames: ['subgraph', 'outcome'], registers: [registry] }),
      duration: new Histogram({
        name: 'tributary_sql_statement_duration_seconds',
        help: 'SQL statement duration in seconds',
        labelNames: ['subgraph'],
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
    };
    metricsByRegistry.set(registry, m);
  }
  return m;
}

/**
 * Builds the Kysely `log` callback that counts, times and (past `slowStatementMs`) logs every
 * statement, its SQL text cut to `LOGGED_SQL_MAX_CHARS` (parameters are never logged). Kysely
 * calls it once per statement the driver executes, with its duration in ms
 * (kysely.dev, "Logging").
 */
export function createSqlInstrumentation(options: { subgraph: string; slowStatementMs: number; registry?: Registry; logger?: SqlLogger }): { stats: SqlStats; log: (event: LogEvent) => void } {
  const { subgraph, slowStatementMs, registry, logger } = options;
  const metrics = registry ? metricsFor(registry) : undefined;
  const listeners = new Set<(sql: string, parameters: readonly unknown[]) => void>();
  let statements = 0;
  let errors = 0;
  const stats: SqlStats = {
    get statements() {
      return statements;
    },
    get errors() {
      return errors;
    },
    onStatement(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const log = (event: LogEvent) => {
    statements++;
    const outcome = event.level === 'error' ? 'error' : 'ok';
    if (outcome === 'error') errors++;
    metrics?.count.inc({ subgraph, outcome });
    metrics?.duration.observe({ subgraph }, event.queryDurationMillis / 1000);
    if (event.queryDurationMillis >= slowStatementMs) {
      logger?.warn({ subgraph, durationMs: Math.round(event.queryDurationMillis), sql: truncateSql(event.query.sql) }, 'slow SQL statement');
    }
    for (const listener of listeners) listener(event.query.sql, event.query.parameters);
  };
  return { stats, log };
}
