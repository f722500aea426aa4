import type { Registry } from 'prom-client';
import type { Plugin } from 'graphql-yoga';

/**
 * Serves `registry` in the Prometheus text format at `path` (default `/metrics`), before Yoga
 * looks at the request.
 */
export function useMetricsEndpoint(registry: Registry, path = '/metrics'): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      endResponse(new fetchAPI.Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }));
    },
  };
}
