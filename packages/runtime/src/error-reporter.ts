import { Counter, type Registry } from 'prom-client';

/** One log line per cause per this interval, ms. */
export const DEFAULT_ERROR_LOG_INTERVAL_MS = 10_000;
/** Causes remembered at once; past it, new causes share the line of cause `other`. */
export const MAX_ERROR_CAUSES = 200;

/** The part of a pino logger the reporter uses. */
export interface ErrorLogger {
  warn(obj: object, msg: string): void;
}

/** Options of {@link createErrorReporter}. */
export interface ErrorReporterOptions {
  logger: ErrorLogger;
  /** Where `tributary_errors_total{code}` is registered. Absent: errors are only logged. */
  registry?: Registry;
  /** One line per cause per interval, ms. Default {@link DEFAULT_ERROR_LOG_INTERVAL_MS}. */
  intervalMs?: number;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

/** Server-side failures, counted and logged without flooding. */
export interface ErrorReporter {
  /**
   * Counts one failure in `tributary_errors_total{code}` and logs it at `warn` when its cause
   * (`code` and `message`) has not been logged within the interval; that line carries
   * `count`: the failures of this cause since its previous line, this one included. `stack`
   * (give it for unexpected errors only) goes on the line too.
   */
  report(code: string, message: string, stack?: string): void;
}

const countersByRegistry = new WeakMap<Registry, Counter<'code'>>();

function counterFor(registry: Registry): Counter<'code'> {
  let counter = countersByRegistry.get(registry);
  if (!counter) {
    counter = new Counter({ name: 'tributary_errors_total', help: 'Server-side errors by code (logged once per cause per interval)', labelNames: ['code'], registers: [registry] });
    countersByRegistry.set(registry, counter);
  }
  return counter;
}

/**
 * An {@link ErrorReporter}: a subgraph outage that fails 8,000 requests in 12 s logs two lines
 * for that cause (with `count` 1 and then the rest), not 8,000 stacks; `/metrics` counts them all.
 * A suppressed count is written with the cause's next line, at its next occurrence after the
 * interval (no timer: nothing to stop).
 *
 * @example
 * reporter.report('SUBGRAPH_UNAVAILABLE', 'Subgraph "sales" is unavailable: connection refused');
 * // {"level":40,"code":"SUBGRAPH_UNAVAILABLE","count":1,"msg":"Subgraph \"sales\" is unavailable: connection refused"}
 */
export function createErrorReporter(options: ErrorReporterOptions): ErrorReporter {
  const { logger } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_ERROR_LOG_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const counter = options.registry ? counterFor(options.registry) : undefined;
  const causes = new Map<string, { loggedAt: number; unlogged: number }>();
  return {
    report(code, message, stack) {
      counter?.inc({ code });
      let key = `${code}\n${message}`;
      if (!causes.has(key) && causes.size >= MAX_ERROR_CAUSES) {
        // Forget causes that have been quiet for an interval before giving up on new ones.
        const time = now();
        for (const [k, v] of causes) if (time - v.loggedAt >= intervalMs && v.unlogged === 0) causes.delete(k);
        if (causes.size >= MAX_ERROR_CAUSES) key = 'other';
      }
      const cause = causes.get(key);
      const time = now();
      if (cause && time - cause.loggedAt < intervalMs) {
        cause.unlogged++;
        return;
      }
      const count = (cause?.unlogged ?? 0) + 1;
      causes.set(key, { loggedAt: time, unlogged: 0 });
      logger.warn({ code, count, ...(stack ? { stack } : {}) }, key === 'other' ? `${message} (and other causes)` : message);
    },
  };
}
