import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The change feed's side of the invalidation bus, in `/metrics` of the subgraph whose database
 * handle the feed listens on: `tributary_change_events_published_total{kind}` (events put on
 * the bus: `update`, `create`, `delete`, `flush`) and `tributary_change_feed_bus_connected`
 * (1 while the bus is connected, read at scrape time), and
 * `tributary_change_feed_fence_timeouts_total` (mutation fences that gave up). Compared with the gateways'
 * `tributary_cache_invalidations_total`, it shows events published but not applied.
 */
export function createChangeFeedMetrics(registry: Registry, bus: { readonly connected: boolean }): { onEvent(event: { kind: string }): void; onFenceTimeout(): void } {
  // A mutation answers once its events are applied (the fence); when the fence gives up, its
  // author may read from caches that have not heard the write yet: counted, not silent.
  const fenceTimeouts = new Counter({ name: 'tributary_change_feed_fence_timeouts_total', help: 'Mutation fences that gave up before their change events were published', registers: [registry] });
  const published = new Counter({
    name: 'tributary_change_events_published_total',
    help: 'Change events the change feed published on the invalidation bus, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  new Gauge({
    name: 'tributary_change_feed_bus_connected',
    help: "1 while the change feed's invalidation bus is connected",
    registers: [registry],
    collect() {
      this.set(bus.connected ? 1 : 0);
    },
  });
  return { onEvent: (event) => published.inc({ kind: event.kind }), onFenceTimeout: () => fenceTimeouts.inc() };
}
