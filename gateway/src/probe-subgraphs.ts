/** How long `/readyz` waits for each subgraph, in ms. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Asks every subgraph `{ __typename }` in parallel.
 *
 * @param urls subgraph name → GraphQL endpoint.
 * @param headers sent with each probe (the gateway's identity header).
 * @throws Error naming every subgraph that did not answer 200 without errors within `timeoutMs`.
 */
export async function probeSubgraphs(urls: ReadonlyMap<string, string>, headers: Record<string, string> = {}, timeoutMs = READINESS_TIMEOUT_MS): Promise<void> {
  const failures = await Promise.all(
    [...urls].map(async ([name, url]) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await response.json()) as { data?: { __typename?: string }; errors?: unknown[] };
        return response.ok && body.data?.__typename === 'Query' && !body.errors ? null : `${name} answered ${response.status}`;
      } catch (error) {
        return `${name} unreachable (${(error as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'})`;
      }
    }),
  );
  const failed = failures.filter((f): f is string => f !== null);
  if (failed.length > 0) throw new Error(`subgraphs not ready: ${failed.join(', ')}`);
}
