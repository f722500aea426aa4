import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from 'pino';
import { DATABASE_UNAVAILABLE, databaseFailure } from './database-failure.js';
import type { ErrorReporter } from './error-reporter.js';

/** Error codes that describe a client's mistake, not a server fault. */
const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_MISMATCH',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'REQUEST_ENTITY_TOO_LARGE',
]);

/**
 * Yoga's logger on top of pino. Yoga logs every error it masks at `error`, once per failed field
 * of every request; a client's mistake (a GraphQL error whose `extensions.code` is in
 * {@link CLIENT_ERROR_CODES}, or an HTTP 4xx) is logged at `debug` instead. With a `reporter`,
 * server faults go through it: counted by code in `/metrics` and logged at `warn` once per cause
 * per interval (a subgraph or database outage is a cause, not thousands of lines); the stack is
 * kept only for errors without a code (bugs). A database failure counts as `DATABASE_UNAVAILABLE`.
 */
export function createYogaLogger(logger: Logger, reporter?: ErrorReporter): YogaLogger {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: (...args) => logger.debug(text(args)),
    info: (...args) => logger.info(text(args)),
    warn: (...args) => logger.warn(text(args)),
    error: (...args) => {
      if (args.every(isClientError)) return logger.debug(text(args));
      const error = args.find((a) => a instanceof Error);
      if (!reporter) return logger.error({ err: error }, text(args));
      const code = databaseFailure(error) ? DATABASE_UNAVAILABLE : codeOf(error);
      reporter.report(code ?? 'INTERNAL_SERVER_ERROR', text(args), code ? undefined : error?.stack);
    },
  };
}

/** `extensions.code` of a GraphQL error or of the error it wraps. */
function codeOf(error: Error | undefined): string | undefined {
  for (let current: unknown = error, i = 0; i < 3 && current instanceof Error; i++) {
    const code = (current as { extensions?: { code?: unknown } }).extensions?.code;
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return code;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

function isClientError(value: unknown): boolean {
  if (!(value instanceof Error)) return false;
  const extensions = (value as { extensions?: { code?: unknown; http?: { status?: number } } }).extensions;
  if (typeof extensions?.code === 'string' && CLIENT_ERROR_CODES.has(extensions.code)) return true;
  const status = extensions?.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
