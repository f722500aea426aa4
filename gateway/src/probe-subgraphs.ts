/** How long `/readyz` waits for each subgraph, in ms. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Asks every subgraph, in parallel, two things: `{ __typename }` at its GraphQL endpoint (it
 * answers, and accepts the gateway's identity), and its own `/readyz` next to that endpoint
 * (`http://host:4001/graphql` → `http://host:4001/readyz`: its database answers). A subgraph
 * without `/readyz` (404: not one of Tributary's) is judged by the first alone.
 *
 * @param urls subgraph name → GraphQL endpoint.
 * @param headers sent with each probe (the gateway's identity header).
 * @throws Error naming every subgraph that is not ready within `timeoutMs`, with its reason:
 * `subgraphs not ready: catalog not ready (database: no answer to select 1 within 1000 ms)`.
 */
export async function probeSubgraphs(urls: ReadonlyMap<string, string>, headers: Record<string, string> = {}, timeoutMs = READINESS_TIMEOUT_MS): Promise<void> {
  const failures = await Promise.all(
    [...urls].map(async ([name, url]) => {
      try {
        const signal = AbortSignal.timeout(timeoutMs);
        const [answers, ready] = await Promise.all([probeGraphQL(url, headers, signal), probeReadiness(url, headers, signal)]);
        return answers === null ? ready && `${name} ${ready}` : `${name} ${answers}`;
      } catch (error) {
        return `${name} unreachable (${(error as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'})`;
      }
    }),
  );
  const failed = failures.filter((f): f is string => f !== null);
  if (failed.length > 0) throw new Error(`subgraphs not ready: ${failed.join(', ')}`);
}

/** `null` when `{ __typename }` is answered 200 without errors, else what came instead. */
async function probeGraphQL(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<string | null> {
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal });
  const body = (await response.json()) as { data?: { __typename?: string }; errors?: unknown[] };
  return response.ok && body.data?.__typename === 'Query' && !body.errors ? null : `answered ${response.status}`;
}

/** `null` when the subgraph's `/readyz` answers 200 (or does not exist), else its reason. */
async function probeReadiness(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<string | null> {
  const response = await fetch(new URL('readyz', url), { headers, signal });
  const text = await response.text();
  if (response.ok || response.status === 404) return null;
  let reason: unknown;
  try {
    reason = (JSON.parse(text) as { reason?: unknown }).reason;
  } catch {
    // not JSON: the status says it all
  }
  return typeof reason === 'string' ? `not ready (${reason})` : `/readyz answered ${response.status}`;
}
