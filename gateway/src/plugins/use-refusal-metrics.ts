import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../metrics.js';

/**
 * The front door's refusals, counted in `tributary_gateway_refusals_total{code}`: every error
 * code that means "this request was turned away" rather than "this field failed".
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
  'INTROSPECTION_DISABLED',
  'BATCH_LIMIT_EXCEEDED',
  'REQUEST_ENTITY_TOO_LARGE',
  'CSRF_PREVENTED',
  'BAD_REQUEST',
]);

/** Counts each refused request once per distinct refusal code in its result. */
export function useRefusalMetrics(metrics: GatewayMetrics): Plugin {
  return {
    onResultProcess({ result }) {
      const results = Array.isArray(result) ? result : [result];
      const codes = new Set<string>();
      for (const r of results) {
        for (const error of (r as { errors?: Array<{ extensions?: { code?: unknown } }> })?.errors ?? []) {
          const code = error.extensions?.code;
          if (typeof code === 'string' && REFUSAL_CODES.has(code)) codes.add(code);
        }
      }
      for (const code of codes) metrics.refusals.inc({ code });
    },
  };
}
