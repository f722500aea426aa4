import { jsonCodec } from './codecs.js';
import { createFreshnessLedger } from './freshness-ledger.js';
import { DEFAULT_INVALIDATION_MEMORY_MS, type StoredEntry, type TieredHit, type TieredStore, type TieredStoreOptions } from './tiered-store.js';

const resolved = Promise.resolve();

/**
 * L1 in process over L2 shared, as the {@link TieredStore} contract says: reads L1 then L2 (an L2
 * hit that is fresh fills L1), writes L1 at once and L2 in the background, refuses what store-time
 * freshness forbids, and turns every L2 failure into a report to `onError`.
 *
 * @example
 * const store = createTieredStore({ l1: createLruTier({ maxBytes: 64 << 20 }), l2: createRedisTier({ redis, keyPrefix: 'tributary:', namespace: 'ec' }) });
 * const startedAt = store.now();
 * const value = await load();
 * store.set('Track:42', value, { tags: ['Track:42'], ttlMs: 60_000, startedAt }); // { stored: true, shared: Promise }
 */
export function createTieredStore<V>(options: TieredStoreOptions<V>): TieredStore<V> {
  const { l1, l2 } = options;
  const codec = options.codec ?? jsonCodec<V>();
  const now = options.now ?? Date.now;
  const report = options.onError ?? (() => undefined);
  const fail = (error: unknown) => void report(error instanceof Error ? error : new Error(String(error)));
  const ledger = createFreshnessLedger(options.invalidationMemoryMs ?? DEFAULT_INVALIDATION_MEMORY_MS);
  // Written out, not spread: this runs once per cached representation on the entity cache's hot path.
  const hit = (entry: StoredEntry<V>, tier: 'l1' | 'l2'): TieredHit<V> =>
    entry.readLsn === undefined
      ? { value: entry.value, tier, tags: entry.tags, startedAt: entry.startedAt, expiresAt: entry.expiresAt }
      : { value: entry.value, tier, tags: entry.tags, startedAt: entry.startedAt, expiresAt: entry.expiresAt, readLsn: entry.readLsn };
  let sharedFloor = -Infinity;

  const store: TieredStore<V> = {
    now,
    hasShared: l2 !== undefined,
    isFresh: (startedAt, tags) => ledger.isFresh(startedAt, tags),
    isQuietSince: (startedAt) => ledger.isQuietSince(startedAt),
    isReplayedPast: (readLsn, tags) => ledger.isReplayedPast(readLsn, tags),
    isReplayedPastAll: (readLsn) => ledger.isReplayedPastAll(readLsn),
    forgetPositions: () => ledger.forgetPositions(),
    learnPosition: (lsn) => ledger.learnPosition(lsn),
    get sharedFloor() {
      return sharedFloor;
    },
    trustSharedAfter(at) {
      sharedFloor = at;
    },
    dropLocal() {
      ledger.flushed(now(), { sharedReads: false });
      l1.clear();
    },
    getLocal(key) {
      const entry = l1.get(key, now());
      return entry && hit(entry, 'l1');
    },
    peekLocal(key) {
      return l1.get(key, now())?.value;
    },
    async getShared(key) {
      if (!l2) return undefined;
      try {
        const text = await l2.get(key);
        if (text === undefined) return undefined;
        const entry = codec.decode(text, now());
        // Decided after the read: an invalidation heard while it was in flight counts.
        if (entry.expiresAt <= now() || entry.startedAt <= sharedFloor || !ledger.isFreshShared(entry.startedAt, entry.tags)) return undefined;
        // Stored by an instance that had not yet heard a write its replica had not replayed.
        if (!ledger.isReplayedPast(entry.readLsn, entry.tags)) return undefined;
        l1.set(key, entry);
        return hit(entry, 'l2');
      } catch (error) {
        fail(error);
        return undefined;
      }
    },
    async get(key) {
      return store.getLocal(key) ?? (await store.getShared(key));
    },
    set(key, value, { tags = [], ttlMs, startedAt = now(), readLsn }) {
      if (!(ttlMs > 0)) return { stored: false, reason: 'expired' };
      if (!ledger.isFresh(startedAt, tags)) return { stored: false, reason: 'stale' };
      if (!ledger.isReplayedPast(readLsn, tags)) return { stored: false, reason: 'replica-behind' };
      const entry: StoredEntry<V> = { value, tags, startedAt, expiresAt: now() + ttlMs, ...(readLsn === undefined ? {} : { readLsn }) };
      l1.set(key, entry);
      if (!l2) return { stored: true, shared: resolved };
      let shared: Promise<void>;
      try {
        shared = l2.set(key, codec.encode(entry), tags, ttlMs).catch(fail);
      } catch (error) {
        shared = Promise.resolve(fail(error));
      }
      return { stored: true, shared };
    },
    async invalidate(tags, lsn) {
      ledger.invalidated(tags, now(), lsn);
      const local = l1.invalidate(tags);
      if (!l2) return { local, shared: undefined };
      const shared = await l2.invalidate(tags).catch((error: unknown) => void fail(error));
      return { local, shared: shared ?? undefined };
    },
    async flush(epoch, lsn) {
      ledger.flushed(now(), { lsn });
      l1.clear();
      await l2?.useEpoch(epoch).catch(fail);
    },
    flushLocal() {
      ledger.flushed(now());
      l1.clear();
    },
    async refreshEpoch() {
      await l2?.refreshEpoch().catch(fail);
    },
  };
  return store;
}
