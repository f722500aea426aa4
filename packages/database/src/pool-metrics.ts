import { Gauge, type Registry } from 'prom-client';

/** The part of a `pg` pool the gauge reads. */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

const poolsByRegistry = new WeakMap<Registry, Map<string, PoolCounts>>();

/**
 * Reports a pool's connections at each scrape as
 * `tributary_db_pool_connections{subgraph, state="open|idle|waiting"}` (`waiting`: checkouts
 * queued for a connection). A pool has no reconnect loop of its own: it opens connections on
 * demand, at most its size, each connect bounded by `DATABASE_CONNECT_TIMEOUT_MS`, so an outage
 * costs failed checkouts, never extra connections.
 */
export function watchPool(registry: Registry, subgraph: string, pool: PoolCounts): void {
  let pools = poolsByRegistry.get(registry);
  if (!pools) {
    const watched = new Map<string, PoolCounts>();
    pools = watched;
    poolsByRegistry.set(registry, watched);
    new Gauge({
      name: 'tributary_db_pool_connections',
      help: 'Connections of each subgraph pool: open, idle, and checkouts waiting for one',
      labelNames: ['subgraph', 'state'],
      registers: [registry],
      collect() {
        for (const [name, p] of watched) {
          this.set({ subgraph: name, state: 'open' }, p.totalCount);
          this.set({ subgraph: name, state: 'idle' }, p.idleCount);
          this.set({ subgraph: name, state: 'waiting' }, p.waitingCount);
        }
      },
    });
  }
  pools.set(subgraph, pool);
}
