/**
 * How an error code is handled:
 * - `refusal`: the gateway's front door turned the request away before executing it; counted in
 *   `tributary_gateway_refusals_total{code}` and answered with its HTTP status for every `Accept`;
 * - `request`: the document does not parse or validate: HTTP 400 for every `Accept`;
 * - `client`: a client's mistake at a field or in the APQ protocol; the rest of the answer stands;
 * - `server`: a server-side failure; counted in `tributary_errors_total{code}` and logged at
 *   `warn` once per cause per interval.
 * Refusals, request and client errors are logged at `debug` only: they are not faults.
 */
export type ErrorCodeKind = 'refusal' | 'request' | 'client' | 'server';

/**
 * Every `extensions.code` (and error-metric code) Tributary produces, with its kind and what it
 * means: the one list; the sets below are derived from it.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: { kind: 'refusal', meaning: 'a bad, expired or wrong-audience token (HTTP 401)' },
  PERSISTED_QUERY_MISMATCH: { kind: 'refusal', meaning: "an APQ hash that is not the document's SHA-256" },
  PERSISTED_QUERY_NOT_ALLOWED: { kind: 'refusal', meaning: 'PERSISTED_OPERATIONS=only and the operation is not in a manifest' },
  PERSISTED_QUERY_NOT_SUPPORTED: { kind: 'refusal', meaning: 'PERSISTED_OPERATIONS=off and a persisted-query extension came' },
  PERSISTED_QUERY_VERSION_NOT_SUPPORTED: { kind: 'refusal', meaning: 'an APQ extension of a version other than 1' },
  DEPTH_LIMIT_EXCEEDED: { kind: 'refusal', meaning: 'GATEWAY_MAX_DEPTH' },
  ALIAS_LIMIT_EXCEEDED: { kind: 'refusal', meaning: 'GATEWAY_MAX_ALIASES' },
  TOKEN_LIMIT_EXCEEDED: { kind: 'refusal', meaning: 'GATEWAY_MAX_TOKENS' },
  ROOT_FIELD_LIMIT_EXCEEDED: { kind: 'refusal', meaning: 'GATEWAY_MAX_ROOT_FIELDS' },
  COST_LIMIT_EXCEEDED: { kind: 'refusal', meaning: 'GATEWAY_MAX_COST' },
  INTROSPECTION_DISABLED: { kind: 'refusal', meaning: 'introspection off (production, or GATEWAY_INTROSPECTION=off)' },
  BATCH_LIMIT_EXCEEDED: { kind: 'refusal', meaning: 'GATEWAY_MAX_BATCH (HTTP 413)' },
  REQUEST_ENTITY_TOO_LARGE: { kind: 'refusal', meaning: 'GATEWAY_MAX_BODY_BYTES (HTTP 413)' },
  CSRF_PREVENTED: { kind: 'refusal', meaning: 'a GET or form POST without a preflight header (HTTP 403)' },
  BAD_REQUEST: { kind: 'refusal', meaning: 'a malformed body, or a batch item that is not an object' },
  GRAPHQL_PARSE_FAILED: { kind: 'request', meaning: 'the document does not parse' },
  GRAPHQL_VALIDATION_FAILED: { kind: 'request', meaning: 'the document does not validate against the schema' },
  BAD_USER_INPUT: { kind: 'client', meaning: 'an argument or variable that does not fit (with `argumentName`)' },
  FORBIDDEN: { kind: 'client', meaning: 'a field the principal may not read (null at its path)' },
  PERSISTED_QUERY_NOT_FOUND: { kind: 'client', meaning: 'an APQ hash not registered yet: the client sends the document' },
  SUBGRAPH_UNAVAILABLE: { kind: 'server', meaning: 'a subgraph fetch failed or timed out (GATEWAY_SUBGRAPH_TIMEOUT_MS)' },
  DATABASE_UNAVAILABLE: { kind: 'server', meaning: 'no pool connection, a statement timeout, a lost connection or a failed commit' },
  INTERNAL_SERVER_ERROR: { kind: 'server', meaning: 'an error without a code: a bug (logged with its stack)' },
  APQ_STORE_UNAVAILABLE: { kind: 'server', meaning: 'the APQ store in Redis failed (in process only meanwhile)' },
  REDIS_CONNECTION_ERROR: { kind: 'server', meaning: 'an `error` event of a Redis connection (bus publisher, bus subscriber, store)' },
  BUS_SUBSCRIBE_FAILED: { kind: 'server', meaning: 'SUBSCRIBE on the invalidation bus failed: no events until it succeeds' },
  BUS_PUBLISH_FAILED: { kind: 'server', meaning: "PUBLISH on the invalidation bus failed: this gateway's write position (read-your-writes over replicas) did not reach the others" },
  BUS_EVENT_MALFORMED: { kind: 'server', meaning: 'a message on the invalidation channel that is not JSON (dropped)' },
} as const satisfies Record<string, { kind: ErrorCodeKind; meaning: string }>;

/** A code of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes of the given kinds. */
export function errorCodesOf(...kinds: ErrorCodeKind[]): ReadonlySet<string> {
  return new Set(Object.entries(ERROR_CODES).flatMap(([code, { kind }]) => (kinds.includes(kind) ? [code] : [])));
}

/** The front door's refusals. */
export const REFUSAL_CODES = errorCodesOf('refusal');
/** A document that does not parse or validate. */
export const REQUEST_ERROR_CODES = errorCodesOf('request');
/** What a client did wrong, not a server fault: logged at `debug`, not counted as errors. */
export const CLIENT_ERROR_CODES = errorCodesOf('refusal', 'request', 'client');
