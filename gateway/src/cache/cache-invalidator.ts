import { randomUUID } from 'node:crypto';
import { type ChangeEvent, type InvalidationBus, type LruStore, type ResponseCacheStore, tagsOf } from '@tributary/cache';
import type { CacheMetrics } from './cache-metrics.js';
import type { CachePolicy } from './cache-policy.js';

/** How long a tag's last invalidation is remembered, in ms: longer than any request runs. */
export const INVALIDATION_MEMORY_MS = 120_000;

/**
 * Applies change events to both tiers, in the order they arrive, and answers the question every
 * store must ask: did anything this response read change since the request started?
 *
 * Never stale: a response is stored only if no tag it carries was invalidated (and nothing was
 * flushed) after its request started. A read that began before a write and ended after the
 * write's event arrived is therefore dropped; one that ended before the event arrived is stored
 * and then evicted by that event, which every instance applies to L1 and to L2.
 */
export class CacheInvalidator {
  private queue: Promise<void> = Promise.resolve();
  private readonly invalidatedAt = new Map<string, number>();
  private flushedAt = 0;
  private trusting: boolean;
  private readonly fences = new Map<string, () => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly options: {
      bus: InvalidationBus;
      l1: LruStore;
      l2?: ResponseCacheStore & { refreshEpoch?(): Promise<void>; useEpoch?(epoch: string): Promise<void> };
      policy: () => CachePolicy;
      metrics: CacheMetrics;
      onError: (error: Error) => void;
      now?: () => number;
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
          await options.l2?.refreshEpoch?.().catch(() => undefined);
        });
        this.trusting = true;
      },
    });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Whether lookups and stores may happen at all (false while the bus is lost). */
  get isTrusting(): boolean {
    return this.trusting;
  }

  /** A timestamp to take before executing a request, for {@link isFresh}. */
  startedAt(): number {
    return this.now();
  }

  /** Whether a response started at `startedAt` and reading `tags` may be stored. */
  isFresh(startedAt: number, tags: Iterable<string>): boolean {
    if (!this.trusting || this.flushedAt >= startedAt) return false;
    for (const tag of tags) if ((this.invalidatedAt.get(tag) ?? -Infinity) >= startedAt) return false;
    return true;
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
    this.flushedAt = this.now();
    void this.options.l1.clear();
  }

  /**
   * Stops trusting everything the shared tier holds (a Redis Cluster failover: the promoted replica
   * may lack the last deletes its master acknowledged, or never got one that timed out): at
   * once, this instance drops its L1, stores nothing that started before, and moves L2 to a new
   * epoch; then a `flush` event (tried up to 10 times, 250 ms apart, while the bus refuses it)
   * moves every instance to one common epoch. `reason` goes into the event.
   */
  flushShared(reason: string): void {
    const now = this.now();
    this.flushLocal();
    void this.options.l2?.useEpoch?.(String(now)).catch((error: Error) => this.options.onError(error));
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
    const { l1, l2, metrics } = this.options;
    if (event.kind === 'fence') {
      this.fences.get(event.id)?.();
      return;
    }
    metrics.invalidations.inc({ kind: event.kind });
    if (event.at) metrics.busLag.observe(Math.max(0, Date.now() - event.at) / 1000);
    const now = this.now();
    if (event.kind === 'flush') {
      this.flushedAt = now;
      await l1.clear();
      // Every instance hears the same event and moves to the same epoch.
      await l2?.useEpoch?.(String(event.at ?? now)).catch((error: Error) => this.options.onError(error));
      return;
    }
    const tags = tagsOf(event, (type) => this.options.policy().listsOfType(type));
    for (const tag of tags) this.invalidatedAt.set(tag, now);
    this.forgetOld(now);
    const evicted = await l1.invalidate(tags);
    if (evicted > 0) metrics.evictions.inc({ reason: 'invalidated' }, evicted);
    await l2?.invalidate(tags).catch((error: Error) => this.options.onError(error));
  }

  private forgetOld(now: number): void {
    if (this.invalidatedAt.size < 10_000) return;
    for (const [tag, at] of this.invalidatedAt) if (now - at > INVALIDATION_MEMORY_MS) this.invalidatedAt.delete(tag);
  }
}
