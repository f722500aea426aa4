import type { Plugin } from 'graphql-yoga';
import { REFUSAL_CODES } from '../refusal-codes.js';
import type { GatewayMetrics } from '../metrics.js';

/**
 * Counts the front door's refusals in `tributary_gateway_refusals_total{code}`, once per
 * request and distinct code in its result.
 */
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
