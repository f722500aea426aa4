import { type Plugin, useReadinessCheck } from 'graphql-yoga';

/** What `/readyz` asks: is a supergraph loaded, and do all its subgraphs answer? */
export interface ReadinessProbe {
  /** Resolves when ready; rejects with the reason otherwise. */
  check(): Promise<void>;
}

/**
 * `/readyz`: 200 `{"status":"ready"}` when the probe passes, else 503
 * `{"status":"not ready","reason":"…"}`, so that load balancers send traffic only to a server that
 * can answer. Yoga's `useReadinessCheck` serves the endpoint; this only shapes the answer (JSON
 * with the reason, where Yoga's own would be an empty body or the error's text).
 */
export function useReadiness(probe: ReadinessProbe, path = '/readyz'): Plugin {
  return useReadinessCheck({
    endpoint: path,
    check: async ({ fetchAPI }) => {
      try {
        await probe.check();
        return fetchAPI.Response.json({ status: 'ready' }, { status: 200 });
      } catch (error) {
        return fetchAPI.Response.json({ status: 'not ready', reason: (error as Error).message }, { status: 503 });
      }
    },
  });
}
