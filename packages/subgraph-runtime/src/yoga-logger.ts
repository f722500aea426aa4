import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from 'pino';

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
 * Yoga's logger on top of pino. Yoga logs every error it masks at `error`; a client's mistake
 * (a GraphQL error whose `extensions.code` is in {@link CLIENT_ERROR_CODES}, or an HTTP 4xx) is
 * logged at `debug` instead, so that `error` means a server fault.
 */
export function createYogaLogger(logger: Logger): YogaLogger {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: (...args) => logger.debug(text(args)),
    info: (...args) => logger.info(text(args)),
    warn: (...args) => logger.warn(text(args)),
    error: (...args) => (args.every(isClientError) ? logger.debug(text(args)) : logger.error({ err: args.find((a) => a instanceof Error) }, text(args))),
  };
}

function isClientError(value: unknown): boolean {
  if (!(value instanceof Error)) return false;
  const extensions = (value as { extensions?: { code?: unknown; http?: { status?: number } } }).extensions;
  if (typeof extensions?.code === 'string' && CLIENT_ERROR_CODES.has(extensions.code)) return true;
  const status = extensions?.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
