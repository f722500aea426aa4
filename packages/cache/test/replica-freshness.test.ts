import { type CacheEntry, cacheEntryCodec, createFreshnessLedger, createLruTier, createRedisTier, createTieredStore, jsonCodec } from '@tributary/cache';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REDIS_URL } from '../../../test/support/services.js';

describe('the freshness ledger and replica positions (LSNs)', () => {
  it("stores a replica read only at or past the LSN of every tag's latest invalidation", () => {
    const ledger = createFreshnessLedger(120_000);
    ledger.invalidated(['Track:7.unitPrice', 'any:Track'], 1_000, '0/3000060');
    ledger.invalidated(['Track:8.name'], 1_001, '0/2FFFFF0');
    expect(ledger.isReplayedPast('0/3000058', ['Track:7.unitPrice'])).toBe(false);
    expect(ledger.isReplayedPast('0/3000060', ['Track:7.unitPrice'])).toBe(true);
    // Only the tags read count: this read saw track 8's write, and track 7 it did not read.
    expect(ledger.isReplayedPast('0/3000000', ['Track:8.name', 'Genre:1.name'])).toBe(true);
    // The primary (no position) is always current.
    expect(ledger.isReplayedPast(undefined, ['Track:7.unitPrice'])).toBe(true);
    expect(ledger.isReplayedPastAll('0/3000000')).toBe(false);
    expect(ledger.isReplayedPastAll('0/3000060')).toBe(true);
  });

  it('compares the 64-bit positions, not the text', () => {
    const ledger = createFreshnessLedger(120_000);
    ledger.invalidated(['Track:7.unitPrice'], 1_000, '1/0');
    expect(ledger.isReplayedPast('0/FFFFFFFF', ['Track:7.unitPrice'])).toBe(false);
    expect(ledger.isReplayedPast('A/0', ['Track:7.unitPrice'])).toBe(true);
  });

  it('keeps the highest position per tag: an event heard out of order never lowers it', () => {
    const ledger = createFreshnessLedger(120_000);
    ledger.invalidated(['Track:7.unitPrice'], 1_000, '0/5000');
    ledger.invalidated(['Track:7.unitPrice'], 1_001, '0/4000');
    expect(ledger.isReplayedPast('0/4800', ['Track:7.unitPrice'])).toBe(false);
  });

  it('a stamped flush raises the floor for every tag; an unstamped one does not', () => {
    const ledger = createFreshnessLedger(120_000);
    ledger.flushed(1_000);
    expect(ledger.isReplayedPast('0/1', ['Genre:1.name'])).toBe(true);
    ledger.flushed(1_001, { lsn: '0/9000' });
    expect(ledger.isReplayedPast('0/8FFF', ['Genre:1.name'])).toBe(false);
    expect(ledger.isReplayedPast('0/9000', ['Genre:1.name'])).toBe(true);
  });

  it('after forgetting positions (a gateway starts listening, or listens again), no replica read is fresh until a position is learned', () => {
    const ledger = createFreshnessLedger(120_000);
    ledger.forgetPositions();
    expect(ledger.isReplayedPast('F/0', ['Genre:1.name'])).toBe(false);
    expect(ledger.isReplayedPastAll('F/0')).toBe(false);
    // The primary's reads are current whatever was missed.
    expect(ledger.isReplayedPast(undefined, ['Genre:1.name'])).toBe(true);
    ledger.learnPosition('0/9000');
    expect(ledger.isReplayedPast('0/8FFF', ['Genre:1.name'])).toBe(false);
    expect(ledger.isReplayedPast('0/9000', ['Genre:1.name'])).toBe(true);
    // Learned once: later events do not raise the floor (only their own tags).
    ledger.learnPosition('0/A000');
    expect(ledger.isReplayedPast('0/9000', ['Genre:1.name'])).toBe(true);
  });

  it('a forgotten tag leaves its position as a floor for every read', () => {
    const ledger = createFreshnessLedger(1_000);
    ledger.invalidated(['Track:7.unitPrice'], 0, '0/7000');
    // Forgetting starts once 10,000 tags are remembered; these are newer than the memory.
    ledger.invalidated(
      Array.from({ length: 10_000 }, (_, i) => `Track:${i}.name`),
      5_000,
    );
    expect(ledger.isReplayedPast('0/6000', ['Genre:1.name'])).toBe(false);
    expect(ledger.isReplayedPast('0/7000', ['Genre:1.name'])).toBe(true);
  });
});

describe('the tiered store and replica reads', () => {
  it('refuses (replica-behind) a value read from a replica behind an invalidation of its tags, and keeps its position in L2 text', async () => {
    const store = createTieredStore<string>({ l1: createLruTier({ maxBytes: 1 << 20 }) });
    await store.invalidate(['Track:7.unitPrice'], '0/3000060');
    const startedAt = store.now() + 1;
    expect(store.set('price', '0.99', { tags: ['Track:7.unitPrice'], ttlMs: 60_000, startedAt, readLsn: '0/3000000' })).toEqual({ stored: false, reason: 'replica-behind' });
    expect(store.set('price', '1.39', { tags: ['Track:7.unitPrice'], ttlMs: 60_000, startedAt, readLsn: '0/3000060' }).stored).toBe(true);
    expect(store.getLocal('price')).toMatchObject({ value: '1.39', readLsn: '0/3000060' });
    const codec = jsonCodec<string>();
    const text = codec.encode({ value: 'v', tags: [], startedAt: 1, expiresAt: 2, readLsn: '0/10' });
    expect(codec.decode(text, 0)).toEqual({ value: 'v', tags: [], startedAt: 1, expiresAt: 2, readLsn: '0/10' });
    const entry: CacheEntry = { body: '{}', etag: '"e"', tags: ['Track:7'], scope: 'public', storedAt: 1, readAt: 1, ttlMs: 10, readLsn: '0/20' };
    expect(cacheEntryCodec.decode(cacheEntryCodec.encode({ value: entry, tags: entry.tags, startedAt: 1, expiresAt: 11, readLsn: '0/20' }), 0).readLsn).toBe('0/20');
  });

  describe('two instances over one Redis', () => {
    let redis: Redis;
    beforeAll(() => {
      redis = new Redis(REDIS_URL, { lazyConnect: false });
    });
    afterAll(() => redis?.disconnect());

    it('an instance does not take from L2 what another stored from a replica behind an invalidation it has heard', async () => {
      const keyPrefix = `${inject('redisPrefix')}replica-l2:`;
      const make = () => createTieredStore<string>({ l1: createLruTier({ maxBytes: 1 << 20 }), l2: createRedisTier({ redis, keyPrefix, namespace: 'rc' }) });
      const a = make();
      const b = make();
      // B heard the write (at 0/5000) and applied it to L2; A has not heard it yet and stores what its replica read at 0/4000.
      await b.invalidate(['Track:7.unitPrice'], '0/5000');
      const stored = a.set('price', '0.99', { tags: ['Track:7.unitPrice'], ttlMs: 60_000, startedAt: a.now(), readLsn: '0/4000' });
      expect(stored.stored).toBe(true);
      if (stored.stored) await stored.shared;
      expect(await b.getShared('price')).toBeUndefined();
      // What was read at or past the write is served.
      const newer = a.set('price', '1.39', { tags: ['Track:7.unitPrice'], ttlMs: 60_000, startedAt: a.now(), readLsn: '0/5000' });
      if (newer.stored) await newer.shared;
      expect(await b.getShared('price')).toMatchObject({ value: '1.39', tier: 'l2' });
    });
  });
});
