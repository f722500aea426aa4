import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The response cache's Prometheus metrics. */
export interface CacheMetrics {
  /** `tributary_cache_requests_total{tier, result}`: tier `l1`/`l2`, result `hit`/`miss`. */
  lookups: Counter<'tier' | 'result'>;
  /** `tributary_cache_stores_total{outcome}`: `stored`, `uncacheable`, `stale` (a write raced it). */
  stores: Counter<'outcome'>;
  /** `tributary_cache_evictions_total{reason}`: `size`, `expired`, `invalidated`. */
  evictions: Counter<'reason'>;
  /** `tributary_cache_invalidations_total{kind}`: change events applied, by kind. */
  invalidations: Counter<'kind'>;
  /** `tributary_cache_bus_lag_seconds`: from a change being seen to this instance applying it. */
  busLag: Histogram<string>;
  /** `tributary_cache_l1_entries`, `tributary_cache_l1_bytes` */
  entries: Gauge<string>;
  bytes: Gauge<string>;
}

/** Registers the cache metrics; `size` is read at scrape time. */
export function createCacheMetrics(registry: Registry, size: () => { entries: number; bytes: number }): CacheMetrics {
  return {
    lookups: new Counter({ name: 'tributary_cache_requests_total', help: 'Response cache lookups by tier and result', labelNames: ['tier', 'result'], registers: [registry] }),
    stores: new Counter({ name: 'tributary_cache_stores_total', help: 'Responses offered to the cache, by outcome', labelNames: ['outcome'], registers: [registry] }),
    evictions: new Counter({ name: 'tributary_cache_evictions_total', help: 'L1 entries removed, by reason', labelNames: ['reason'], registers: [registry] }),
    invalidations: new Counter({ name: 'tributary_cache_invalidations_total', help: 'Change events applied, by kind', labelNames: ['kind'], registers: [registry] }),
    busLag: new Histogram({
      name: 'tributary_cache_bus_lag_seconds',
      help: 'Time from a change being seen to this gateway applying it',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    entries: new Gauge({ name: 'tributary_cache_l1_entries', help: 'Entries in the in-process tier', registers: [registry], collect() { this.set(size().entries); } }),
    bytes: new Gauge({ name: 'tributary_cache_l1_bytes', help: 'Approximate bytes held by the in-process tier', registers: [registry], collect() { this.set(size().bytes); } }),
  };
}
