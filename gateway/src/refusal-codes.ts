/**
 * The front door's refusals: every error code that means "this request was turned away" rather
 * than "this field failed". Each is counted in `tributary_gateway_refusals_total{code}` and
 * answered with its HTTP status (400, 403, 413) whatever the client accepts.
 */
export const REFUSAL_CODES = new Set([
  'UNAUTHENTICATED',
  'PERSISTED_QUERY_MISMATCH',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_VERSION_NOT_SUPPORTED',
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'ROOT_FIELD_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  'INTROSPECTION_DISABLED',
  'BATCH_LIMIT_EXCEEDED',
  'REQUEST_ENTITY_TOO_LARGE',
  'CSRF_PREVENTED',
  'BAD_REQUEST',
]);
