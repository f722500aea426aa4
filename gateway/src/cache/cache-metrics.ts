import { collectTallies } from '../tallied-counter.js';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The response cache's Prometheus metrics. */
export interface CacheMetrics {
  /** `tributary_cache_requests_total{tier, result}`: tier `l1`/`l2`, result `hit`/`miss`. */
  lookups: Counter<'tier' | 'result'>;
  /** `tributary_cache_stores_total{outcome}`: `stored`, `uncacheable`, `stale` (a write raced it), `replica-behind` (read from a replica that had not replayed an invalidating write: served, not stored), `kept` (the same answer already in L1: not stored again). */
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
  /** `tributary_cache_bus_connected`: 1 while this gateway hears the invalidation bus, 0 while it does not (no caching then). */
  busConnected: Gauge<string>;
  /** `tributary_cache_bus_losses_total`: times the bus connection was lost (each one drops L1). */
  busLosses: Counter<string>;
  /** `tributary_cache_l2_errors_total`: Redis (L2) reads, writes and evictions that failed. */
  l2Errors: Counter<string>;
  /** `tributary_cache_l2_connected`: 1 while the L2/APQ Redis connection is ready; only registered with Redis. */
  l2Connected?: Gauge<string>;
}

/** What {@link createCacheMetrics} reads at scrape time. */
export interface CacheHealth {
  /** Entries and approximate bytes in L1. */
  size(): { entries: number; bytes: number };
  /** Whether the invalidation bus listens. */
  busConnected(): boolean;
  /** Whether the L2 Redis connection is ready; absent without Redis. */
  l2Connected?: () => boolean;
}

/** Registers the cache metrics; `health` is read at scrape time. */
export function createCacheMetrics(registry: Registry, health: CacheHealth): CacheMetrics {
  const { size, busConnected, l2Connected } = health;
  return {
    lookups: new Counter({
      name: 'tributary_cache_requests_total',
      help: 'Response cache lookups by tier and result',
      labelNames: ['tier', 'result'],
      registers: [registry],
      // The hit path below Yoga counts its L1 hits through a tally (`talliedCounter`), added when read.
      collect: collectTallies,
    }),
    stores: new Counter({ name: 'tributary_cache_stores_total', help: 'Responses offered to the cache, by outcome', labelNames: ['outcome'], registers: [registry] }),
    evictions: new Counter({ name: 'tributary_cache_evictions_total', help: 'L1 entries removed, by reason', labelNames: ['reason'], registers: [registry] }),
    invalidations: new Counter({ name: 'tributary_cache_invalidations_total', help: 'Change events applied, by kind', labelNames: ['kind'], registers: [registry] }),
    busLag: new Histogram({
      name: 'tributary_cache_bus_lag_seconds',
      help: 'Time from a change being seen to this gateway applying it',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    entries: new Gauge({
      name: 'tributary_cache_l1_entries',
      help: 'Entries in the in-process tier',
      registers: [registry],
      collect() {
        this.set(size().entries);
      },
    }),
    bytes: new Gauge({
      name: 'tributary_cache_l1_bytes',
      help: 'Approximate bytes held by the in-process tier',
      registers: [registry],
      collect() {
        this.set(size().bytes);
      },
    }),
    busConnected: new Gauge({
      name: 'tributary_cache_bus_connected',
      help: '1 while the invalidation bus listens, 0 while it does not (caching is off then)',
      registers: [registry],
      collect() {
        this.set(busConnected() ? 1 : 0);
      },
    }),
    busLosses: new Counter({ name: 'tributary_cache_bus_losses_total', help: 'Times the invalidation bus connection was lost (L1 dropped each time)', registers: [registry] }),
    l2Errors: new Counter({ name: 'tributary_cache_l2_errors_total', help: 'Redis (L2) cache operations that failed', registers: [registry] }),
    l2Connected: l2Connected
      ? new Gauge({
          name: 'tributary_cache_l2_connected',
          help: '1 while the L2 Redis connection is ready',
          registers: [registry],
          collect() {
            this.set(l2Connected() ? 1 : 0);
          },
        })
      : undefined,
  };
}
