import type { Plugin } from 'graphql-yoga';

/** What `/readyz` asks: is a supergraph loaded, and do all its subgraphs answer? */
export interface ReadinessProbe {
  /** Resolves when ready; rejects with the reason otherwise. */
  check(): Promise<void>;
}

/**
 * `/readyz`: 200 `{"status":"ready"}` when the probe passes, else 503 with the reason, so that
 * load balancers send traffic only to a gateway that can answer.
 */
export function useReadiness(probe: ReadinessProbe, path = '/readyz'): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      try {
        await probe.check();
        endResponse(fetchAPI.Response.json({ status: 'ready' }, { status: 200 }));
      } catch (error) {
        endResponse(fetchAPI.Response.json({ status: 'not ready', reason: (error as Error).message }, { status: 503 }));
      }
    },
  };
}
