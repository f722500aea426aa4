import { randomUUID } from 'node:crypto';
import { type CacheEntry, type ChangeEvent, type InvalidationBus, type L2Coverage, type TieredStore, BUS_HEARTBEAT_MS, BUS_LOSS_BOUND_MS, COVERAGE_TTL_MS, tagsOf } from '@tributary/cache';
import type { CacheMetrics } from './cache-metrics.js';
import type { CachePolicy } from './cache-policy.js';

/** Another cache that the same events evict (the entity cache's tiered store). */
export type EvictedStore = Pick<TieredStore<unknown>, 'invalidate' | 'flush' | 'flushLocal' | 'dropLocal' | 'refreshEpoch' | 'trustSharedAfter' | 'sharedFloor' | 'forgetPositions' | 'learnPosition'>;

/**
 * How long after proving its bus an instance waits before it re-reads the coverage claim, ms:
 * long enough that any instance whose bus was already cut when this one subscribed has noticed
 * (at most {@link BUS_LOSS_BOUND_MS}) and its claim has expired ({@link COVERAGE_TTL_MS}).
 */
export const COVERAGE_CHECK_MS = BUS_LOSS_BOUND_MS + COVERAGE_TTL_MS;

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
  /** Counts each proof of the bus and each loss (a coverage check started before either is dropped). */
  private generation = 0;
  /** This instance vouches for continuity (refreshes the coverage claim) since this time; undefined while it does not. */
  private coveringSince: number | undefined;
  private coverageTimer: NodeJS.Timeout | undefined;
  private readonly flushListeners = new Set<() => void>();
  /** Settles when the coverage check of the latest proof of the bus is done (see `proven`); for tests and operators. */
  coverageChecked: Promise<void> = Promise.resolve();
  private readonly fences = new Map<string, () => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly options: {
      bus: InvalidationBus;
      /** The response store: its clock, freshness and tiers. */
      store: TieredStore<CacheEntry>;
      /** The entity cache's store, evicted by the same events with the same tags. */
      entity?: EvictedStore;
      /** The coverage claim next to L2 (absent without L2: then no L2 entry older than the bus's proof is trusted). */
      coverage?: L2Coverage;
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
        this.generation++;
        this.stopCovering();
        options.metrics.busLosses.inc();
        options.store.flushLocal();
        options.entity?.flushLocal();
      },
      onRestored: () => {
        options.store.dropLocal();
        options.entity?.dropLocal();
        this.enqueue(async () => {
          await options.store.refreshEpoch();
          await options.entity?.refreshEpoch();
        });
        this.trusting = true;
        this.proven();
      },
    });
    if (this.trusting) this.proven();
  }

  /**
   * The bus has just proven itself (every event from now on reaches this instance). L2 entries
   * read before now are refused, unless the coverage claim vouches for them:
   *
   * Why that is never stale. An L2 entry read at `r` may be served here only if every event
   * published after `r` was applied to L2 (deleting the entry) or is known here (refusing it
   * through the store's freshness ledger). Events from now on are known here. Events between `r`
   * and now were applied to L2 by every instance listening at the time; so the entry is safe if
   * some instance listened without a gap from before `r` until now. The claim says so: each
   * instance refreshes it only while its own bus is proven, keeping the start C of the unbroken
   * chain, and it expires {@link COVERAGE_TTL_MS} after its last refresh. An instance whose bus
   * was cut at `t` keeps believing it listens until it notices, at most {@link BUS_LOSS_BOUND_MS}
   * later (the bound the whole cache already lives with), then stops refreshing and deletes the
   * claim. Hence this instance reads C now, waits {@link COVERAGE_CHECK_MS}, and reads it again:
   * if the same C is still held, some instance refreshed it after any cut older than our own proof
   * would have been noticed, so no gap lies between C and our proof, and entries read after C are
   * trusted. Otherwise (no claim, another C, a loss of our own meanwhile) the floor stays at our
   * proof: older entries are refused, as a restarted single instance must (nobody heard the events
   * published while it was down). This instance starts refreshing the claim only after that check,
   * so it never extends a chain it could not verify. Clocks: C and `r` are instances' clocks; skew
   * between instances narrows or widens the window by the skew.
   */
  private proven(): void {
    const generation = ++this.generation;
    const { store, coverage } = this.options;
    // Events published before now were not heard here: replica reads wait for a position past them.
    store.forgetPositions();
    this.options.entity?.forgetPositions();
    const provenAt = store.now();
    store.trustSharedAfter(provenAt);
    this.options.entity?.trustSharedAfter(provenAt);
    if (!coverage) {
      this.coverageChecked = Promise.resolve();
      return;
    }
    this.coverageChecked = (async () => {
      const first = await coverage.read();
      if (first !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, COVERAGE_CHECK_MS).unref());
        const second = await coverage.read();
        if (generation !== this.generation) return;
        if (second === first && store.sharedFloor === provenAt) {
          store.trustSharedAfter(Math.min(provenAt, first));
          this.options.entity?.trustSharedAfter(Math.min(provenAt, first));
        }
      }
      if (generation !== this.generation) return;
      this.startCovering(provenAt);
    })().catch((error: Error) => this.options.onError(error));
  }

  private startCovering(since: number): void {
    this.coveringSince = since;
    const refresh = () => {
      if (this.coveringSince === undefined || !this.trusting) return;
      void this.options.coverage?.refresh(this.coveringSince).catch(() => undefined);
    };
    refresh();
    this.coverageTimer = setInterval(refresh, BUS_HEARTBEAT_MS);
    this.coverageTimer.unref();
  }

  private stopCovering(): void {
    const wasCovering = this.coveringSince !== undefined;
    this.coveringSince = undefined;
    clearInterval(this.coverageTimer);
    this.coverageTimer = undefined;
    // A claim this instance kept may no longer be true: withdraw it (others renew it from now).
    if (wasCovering) void this.options.coverage?.clear().catch(() => undefined);
  }

  /** L2 entries read at or before this time (ms since the epoch) are refused here. */
  get l2TrustedAfter(): number {
    return this.options.store.sharedFloor;
  }

  /** Calls `listener` after each flush event has been applied (cache warming). Returns the function that stops it. */
  onFlush(listener: () => void): () => void {
    this.flushListeners.add(listener);
    return () => this.flushListeners.delete(listener);
  }

  /**
   * Whether a response started at `startedAt` may be stored whatever it read: the bus is heard
   * and nothing was invalidated or flushed since it started. Then the store accepts it for any
   * tags, so the tag walk can wait until after the response is sent.
   */
  isFreshWhateverRead(startedAt: number): boolean {
    return this.trusting && this.options.store.isQuietSince(startedAt);
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
      if ((await Promise.race([arrived, timedOut])) === 'timeout') this.distrust();
    } catch {
      this.distrust();
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
    this.options.store.dropLocal();
    this.options.entity?.dropLocal();
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

  /**
   * An event may have been missed (a fence did not come back): L1 dropped, entries started before
   * now refused in both tiers, and replica reads refused until a stamped event is heard.
   */
  private distrust(): void {
    for (const store of [this.options.store, this.options.entity]) {
      if (!store) continue;
      store.flushLocal();
      store.trustSharedAfter(Math.max(store.sharedFloor, this.options.store.now()));
      // The missed event's position is unknown too: no replica read is stored until one is heard.
      store.forgetPositions();
    }
  }

  /**
   * Stops listening. A graceful stop does not withdraw the coverage claim (nothing was missed):
   * it expires unless another instance refreshes it.
   */
  close(): void {
    this.generation++;
    this.coveringSince = undefined;
    clearInterval(this.coverageTimer);
    this.unsubscribe();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: Error) => this.options.onError(error));
  }

  private async apply(event: ChangeEvent): Promise<void> {
    const { store, entity, metrics } = this.options;
    // A stamped event is past every write whose event its change feed published before it.
    if (event.lsn !== undefined) {
      store.learnPosition(event.lsn);
      entity?.learnPosition(event.lsn);
    }
    if (event.kind === 'fence') {
      this.fences.get(event.id)?.();
      return;
    }
    if (event.kind === 'wrote') return; // not a change: the gateway's write positions hear it
    metrics.invalidations.inc({ kind: event.kind });
    if (event.at) metrics.busLag.observe(Math.max(0, Date.now() - event.at) / 1000);
    if (event.kind === 'flush') {
      // Every instance hears the same event and moves to the same epoch.
      const epoch = String(event.at ?? store.now());
      await Promise.all([store.flush(epoch, event.lsn), entity?.flush(epoch, event.lsn)]);
      for (const listener of this.flushListeners) listener();
      return;
    }
    const tags = tagsOf(event, (type) => this.options.policy().listsOfType(type));
    // Both stores record the invalidation and evict L1 synchronously when called: no lookup between them.
    // With the write's WAL position: a replica read that had not replayed it is not stored (see `TieredStore.isReplayedPast`).
    const [{ local }] = await Promise.all([store.invalidate(tags, event.lsn), entity?.invalidate(tags, event.lsn)]);
    if (local > 0) metrics.evictions.inc({ reason: 'invalidated' }, local);
  }
}
