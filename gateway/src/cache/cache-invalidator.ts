import { randomUUID } from 'node:crypto';
import { type CacheEntry, type ChangeEvent, type InvalidationBus, type TieredStore, tagsOf } from '@tributary/cache';
import type { CacheMetrics } from './cache-metrics.js';
import type { CachePolicy } from './cache-policy.js';

/** Another cache that the same events evict (the entity cache's tiered store). */
export type EvictedStore = Pick<TieredStore<unknown>, 'invalidate' | 'flush' | 'flushLocal' | 'refreshEpoch'>;

/**
 * Applies change events to the response store (both tiers), and to the entity cache's, in the order they arrive, and decides
 * whether the cache may be used at all (only while the bus is heard).
 *
 * Never stale: the store refuses a response if a tag it carries was invalidated (or the store
 * flushed) after its request started (store-time freshness, see `TieredStore`). A read that began
 * before a write and ended after the write's event arrived is therefore dropped; one that ended
 * before the event arrived is stored and then evicted by that event, which every instance applies
 * to L1 and to L2.
 */
export class CacheInvalidator {
  private queue: Promise<void> = Promise.resolve();
  private trusting: boolean;
  private readonly fences = new Map<string, () => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly options: {
      bus: InvalidationBus;
      /** The response store: its clock, freshness and tiers. */
      store: TieredStore<CacheEntry>;
      /** The entity cache's store, evicted by the same events with the same tags. */
      entity?: EvictedStore;
      policy: () => CachePolicy;
      metrics: CacheMetrics;
      /** Receives failures of applying an event (the store reports its own L2 failures). */
      onError: (error: Error) => void;
    },
  ) {
    // Until the bus listens, a write could go unheard: no cache until then.
    this.trusting = options.bus.connected;
    this.unsubscribe = options.bus.subscribe((event) => this.enqueue(() => this.apply(event)), {
      onLost: () => {
        // Events published from now on will not reach us: nothing held can be trusted.
        this.trusting = false;
        options.metrics.busLosses.inc();
        this.flushLocal();
      },
      onRestored: () => {
        this.flushLocal();
        this.enqueue(async () => {
          await options.store.refreshEpoch();
          await options.entity?.refreshEpoch();
        });
        this.trusting = true;
      },
    });
  }

  /** Whether lookups and stores may happen at all (false while the bus is lost). */
  get isTrusting(): boolean {
    return this.trusting;
  }

  /** A timestamp to take before executing a request, on the store's clock (its `startedAt`). */
  startedAt(): number {
    return this.options.store.now();
  }

  /**
   * Resolves when every event published before the call has been applied here (a fence
   * published on the bus and heard back). After a mutation, so that its author never reads
   * what it replaced. Gives up after `timeoutMs`, then drops L1 to stay safe.
   */
  async fence(timeoutMs = 1_000): Promise<void> {
    const id = randomUUID();
    const arrived = new Promise<void>((resolve) => this.fences.set(id, resolve));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      await this.options.bus.publish({ kind: 'fence', id });
      if ((await Promise.race([arrived, timedOut])) === 'timeout') this.flushLocal();
    } catch {
      this.flushLocal();
    } finally {
      clearTimeout(timer);
      this.fences.delete(id);
    }
  }

  /**
   * Drops this instance's L1 (the supergraph changed: entries of the new supergraph have other
   * keys, so L2 entries of the old one, still right for instances that run it, stay).
   */
  flushLocal(): void {
    this.options.store.flushLocal();
    this.options.entity?.flushLocal();
  }

  /**
   * Stops trusting everything the shared tier holds (a Redis Cluster failover: the promoted replica
   * may lack the last deletes its master acknowledged, or never got one that timed out): at
   * once, this instance flushes its stores, the response store and the entity cache's
   * (`TieredStore.flush`: drops L1, stores nothing that started before, and moves L2 to a new
   * epoch, now on the response store's clock); then a `flush` event
   * (tried up to 10 times, 250 ms apart, while the bus refuses it) moves every instance to one
   * common epoch. `reason` goes into the event.
   */
  flushShared(reason: string): void {
    const { store, entity } = this.options;
    const epoch = String(store.now());
    void Promise.all([store.flush(epoch), entity?.flush(epoch)]).catch((error: Error) => this.options.onError(error));
    const publish = async (attempt: number): Promise<void> => {
      try {
        await this.options.bus.publish({ kind: 'flush', reason });
      } catch (error) {
        if (attempt >= 10) return this.options.onError(error as Error);
        await new Promise((r) => setTimeout(r, 250).unref());
        return publish(attempt + 1);
      }
    };
    void publish(1);
  }

  close(): void {
    this.unsubscribe();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: Error) => this.options.onError(error));
  }

  private async apply(event: ChangeEvent): Promise<void> {
    const { store, entity, metrics } = this.options;
    if (event.kind === 'fence') {
      this.fences.get(event.id)?.();
      return;
    }
    metrics.invalidations.inc({ kind: event.kind });
    if (event.at) metrics.busLag.observe(Math.max(0, Date.now() - event.at) / 1000);
    if (event.kind === 'flush') {
      // Every instance hears the same event and moves to the same epoch.
      const epoch = String(event.at ?? store.now());
      await Promise.all([store.flush(epoch), entity?.flush(epoch)]);
      return;
    }
    const tags = tagsOf(event, (type) => this.options.policy().listsOfType(type));
    // Both stores record the invalidation and evict L1 synchronously when called: no lookup between them.
    const [{ local }] = await Promise.all([store.invalidate(tags), entity?.invalidate(tags)]);
    if (local > 0) metrics.evictions.inc({ reason: 'invalidated' }, local);
  }
}
