import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { GatewayMetrics } from './metrics.js';

/** Options of {@link createSubgraphDataSource}. */
export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  metrics: GatewayMetrics;
  /** A fetch slower than this is aborted, in ms. */
  timeoutMs: number;
}

/**
 * The gateway's connection to one subgraph: Apollo's `RemoteGraphQLDataSource` over Node's
 * built-in fetch (undici), which keeps connections alive between requests, with each fetch
 * timed into `tributary_gateway_subgraph_fetch_duration_seconds{subgraph}` and bounded by
 * `timeoutMs`. Mutations are never retried: a fetch is made once.
 */
export function createSubgraphDataSource(options: SubgraphDataSourceOptions): RemoteGraphQLDataSource {
  const { name, url, metrics, timeoutMs } = options;
  const fetcher = async (input: string, init?: RequestInit): Promise<Response> => {
    const started = performance.now();
    let outcome = 'error';
    try {
      const response = await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      outcome = response.ok ? 'success' : 'http_error';
      return response;
    } catch (error) {
      throw subgraphUnavailable(name, error, timeoutMs);
    } finally {
      metrics.subgraphFetchDuration.observe({ subgraph: name, outcome }, (performance.now() - started) / 1000);
    }
  };
  return new RemoteGraphQLDataSource({ url, fetcher: fetcher as unknown as RemoteGraphQLDataSource['fetcher'] });
}

/**
 * The error a client sees for the fields a subgraph could not serve: `SUBGRAPH_UNAVAILABLE`,
 * naming the subgraph and the kind of failure but not its address.
 */
function subgraphUnavailable(name: string, error: unknown, timeoutMs: number): GraphQLError {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const reason =
    (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause === 'ECONNREFUSED' ? 'connection refused' : cause ?? (error as Error).message;
  return new GraphQLError(`Subgraph "${name}" is unavailable: ${reason}`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
}
