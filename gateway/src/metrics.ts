import { Counter, Histogram, type Registry } from 'prom-client';
import { collectTallies } from './tallied-counter.js';

/** Latency buckets in seconds, from sub-millisecond cache hits to slow deep queries. */
const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The gateway's Prometheus metrics. */
export interface GatewayMetrics {
  /** `tributary_gateway_requests_total{operation, outcome}` */
  requests: Counter<'operation' | 'outcome'>;
  /** `tributary_gateway_request_duration_seconds{operation, outcome}` */
  requestDuration: Histogram<'operation' | 'outcome'>;
  /** `tributary_gateway_subgraph_fetch_duration_seconds{subgraph, outcome}` */
  subgraphFetchDuration: Histogram<'subgraph' | 'outcome'>;
  /** `tributary_gateway_refusals_total{code}`: requests the front door turned away, by error code. */
  refusals: Counter<'code'>;
}

/**
 * Registers the gateway's metrics on `registry`. `operation` is the operation name
 * (`anonymous` without one); `outcome` is `success`, `error` (GraphQL errors) or `http_error`.
 */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    requests: new Counter({
      name: 'tributary_gateway_requests_total',
      help: 'GraphQL requests by operation name and outcome',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
      // Hits answered below Yoga count through tallies (`talliedCounter`), added when read.
      collect: collectTallies,
    }),
    requestDuration: new Histogram({
      name: 'tributary_gateway_request_duration_seconds',
      help: 'GraphQL request latency in seconds',
      labelNames: ['operation', 'outcome'],
      buckets: LATENCY_BUCKETS_S,
      registers: [registry],
    }),
    subgraphFetchDuration: new Histogram({
      name: 'tributary_gateway_subgraph_fetch_duration_seconds',
      help: 'Latency of fetches from the gateway to each subgraph in seconds',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS_S,
      registers: [registry],
    }),
    refusals: new Counter({ name: 'tributary_gateway_refusals_total', help: 'Requests refused by the front door, by error code', labelNames: ['code'], registers: [registry] }),
  };
}
