import { GraphQLError } from 'graphql';

/** The code a client gets when the database failed: retry later, nothing about the request was wrong. */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';

/** SQLSTATE classes and codes (postgresql.org/docs/current/errcodes-appendix.html) → what the client is told. */
const SQLSTATE_REASONS: Array<[RegExp, string]> = [
  [/^57014$/, 'statement timed out or was cancelled'],
  [/^08/, 'connection to the database failed'],
  [/^57P0[1-3]$/, 'database is restarting'],
  [/^53/, 'database is out of resources'],
  [/^(40001|40P01)$/, 'transaction conflicted with another; retry'],
  [/^55P03$/, 'row or table is locked'],
  [/^25P03$/, 'transaction timed out'],
];

const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Why the database failed, in words fit for a client, or `undefined` when `error` is not a
 * database failure. Looks through GraphQL's `originalError` wrapping. Recognises Postgres errors
 * by SQLSTATE, `pg`'s pool timeout and lost connections, and socket errors.
 *
 * @example
 * databaseFailure(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }));
 * // 'statement timed out or was cancelled'
 */
export function databaseFailure(error: unknown): string | undefined {
  let current = error;
  for (let i = 0; i < 5 && current instanceof Error; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (/^[0-9A-Z]{5}$/.test(code)) {
        for (const [pattern, reason] of SQLSTATE_REASONS) if (pattern.test(code)) return reason;
      }
      if (NODE_CODES.has(code)) return 'connection to the database failed';
    }
    if (/timeout exceeded when trying to connect/i.test(current.message)) return 'no database connection free in time';
    if (/Connection terminated|not queryable|connection is closed/i.test(current.message)) return 'connection to the database was lost';
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The error a client gets for a database failure: `DATABASE_UNAVAILABLE` with the reason, at the
 * failed field's path; no SQL, table names or addresses.
 */
export function databaseUnavailable(reason: string, path?: GraphQLError['path'], nodes?: GraphQLError['nodes']): GraphQLError {
  return new GraphQLError(`Database unavailable: ${reason}`, { path, nodes, extensions: { code: DATABASE_UNAVAILABLE } });
}
