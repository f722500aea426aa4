import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The entity cache's Prometheus metrics. `type` is a representation's `__typename` for entity
 * fetches, and the root type (`Query`) for root fetches.
 */
export interface EntityCacheMetrics {
  /** `tributary_entity_cache_requests_total{subgraph, type, tier, result}`: lookups; tier `l1`, `l2`, `coalesced`, `none` (a miss everywhere); result `hit`/`miss`. */
  lookups: Counter<'subgraph' | 'type' | 'tier' | 'result'>;
  /** `tributary_entity_cache_stores_total{subgraph, type, outcome}`: `stored`, `uncacheable`, `stale` (a write raced it), `replica-behind` (read from a replica that had not replayed an invalidating write). */
  stores: Counter<'subgraph' | 'type' | 'outcome'>;
  /** `tributary_entity_cache_fetches_total{subgraph, outcome}`: fetches of the plans, `avoided` (all from cache), `partial`, `sent` (nothing from cache), `bypassed` (not cacheable: mutations, bus lost, untaggable). */
  fetches: Counter<'subgraph' | 'outcome'>;
  /** `tributary_entity_cache_executions_total{served}`: requests that executed a plan with fetches, `entities` (every fetch from the entity cache) or `subgraphs`. */
  executions: Counter<'served'>;
  /** `tributary_entity_cache_representations_requested_total{subgraph}`: representations the plans asked for. */
  representationsRequested: Counter<'subgraph'>;
  /** `tributary_entity_cache_representations_sent_total{subgraph}`: representations actually sent to the subgraph. */
  representationsSent: Counter<'subgraph'>;
  /**
   * `tributary_entity_cache_cells_total{subgraph, outcome}`: field cells of root and entity fetches;
   * `assembled` / `incomplete` (a root fetch not cached whole, answered from cells or not),
   * `entity-assembled` / `entity-incomplete` (the same per representation of an entity fetch),
   * `awaited` (it lacked only cells another fetch in flight was getting, and waited for that one),
   * `stored` / `refused` / `kept` (cells written, refused by store-time freshness, or already in
   * L1 with the same value), `unfit` (an answer that did not fit its plan, or
   * would take more than 2,000 cells).
   */
  cells: Counter<'subgraph' | 'outcome'>;
  /** `tributary_entity_cache_l1_entries`, `tributary_entity_cache_l1_bytes` */
  entries: Gauge<string>;
  bytes: Gauge<string>;
}

/** Registers the entity cache metrics; `size` is read at scrape time. */
export function createEntityCacheMetrics(registry: Registry, size: () => { entries: number; bytes: number }): EntityCacheMetrics {
  return {
    lookups: new Counter({
      name: 'tributary_entity_cache_requests_total',
      help: 'Entity cache lookups (per representation or root fetch) by subgraph, type, tier and result',
      labelNames: ['subgraph', 'type', 'tier', 'result'],
      registers: [registry],
    }),
    stores: new Counter({
      name: 'tributary_entity_cache_stores_total',
      help: 'Entities and root fetches offered to the entity cache, by outcome',
      labelNames: ['subgraph', 'type', 'outcome'],
      registers: [registry],
    }),
    fetches: new Counter({
      name: 'tributary_entity_cache_fetches_total',
      help: 'Subgraph fetches of query plans by what the entity cache did: avoided, partial, sent, bypassed',
      labelNames: ['subgraph', 'outcome'],
      registers: [registry],
    }),
    executions: new Counter({
      name: 'tributary_entity_cache_executions_total',
      help: 'Requests that executed a query plan with subgraph fetches, by whether the entity cache served every fetch (entities) or not (subgraphs)',
      labelNames: ['served'],
      registers: [registry],
    }),
    representationsRequested: new Counter({
      name: 'tributary_entity_cache_representations_requested_total',
      help: 'Entity representations the query plans asked subgraphs for',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    representationsSent: new Counter({
      name: 'tributary_entity_cache_representations_sent_total',
      help: 'Entity representations sent to subgraphs (the rest came from the entity cache)',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    cells: new Counter({
      name: 'tributary_entity_cache_cells_total',
      help: 'Field cells: root fetches and representations of entity fetches assembled from cells or not, cells stored or refused',
      labelNames: ['subgraph', 'outcome'],
      registers: [registry],
    }),
    entries: new Gauge({
      name: 'tributary_entity_cache_l1_entries',
      help: 'Entries in the entity cache in-process tier',
      registers: [registry],
      collect() {
        this.set(size().entries);
      },
    }),
    bytes: new Gauge({
      name: 'tributary_entity_cache_l1_bytes',
      help: 'Approximate bytes held by the entity cache in-process tier',
      registers: [registry],
      collect() {
        this.set(size().bytes);
      },
    }),
  };
}
