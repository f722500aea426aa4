import { type CacheEntry, cacheEntryCodec, createLruTier, createRedisStore, createRedisTier, createTieredStore, textCodec } from '@tributary/cache';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keysUnder, recordCommands } from '../../../test/support/redis-keys.js';
import { REDIS_URL } from '../../../test/support/services.js';

/** A clock the test moves by hand, ms since the epoch. */
function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('store-time freshness (L1 only, fake clock)', () => {
  it('refuses a value whose work started at or before an invalidation of one of its tags', async () => {
    const clock = fakeClock();
    const store = createTieredStore<string>({ l1: createLruTier({ maxBytes: 1 << 20 }), now: clock.now });
    const startedAt = store.now();
    clock.advance(10);
    await store.invalidate(['Track:42.unitPrice']);
    clock.advance(10);
    expect(store.set('price', '0.99', { tags: ['Track:42.unitPrice', 'Track:42'], ttlMs: 60_000, startedAt })).toEqual({ stored: false, reason: 'stale' });
    expect(store.getLocal('price')).toBeUndefined();
    // Another tag, or work started after the invalidation: stored.
    expect(store.set('name', 'Balls', { tags: ['Track:42.name'], ttlMs: 60_000, startedAt }).stored).toBe(true);
    expect(store.set('price', '1.99', { tags: ['Track:42.unitPrice'], ttlMs: 60_000, startedAt: store.now() }).stored).toBe(true);
    expect(store.getLocal('price')).toMatchObject({ value: '1.99', tier: 'l1', expiresAt: clock.now() + 60_000 });
  });

  it('refuses everything started at or before a local flush, and clears L1', async () => {
    const clock = fakeClock();
    const store = createTieredStore<string>({ l1: createLruTier({ maxBytes: 1 << 20 }), now: clock.now });
    store.set('a', 'A', { ttlMs: 1_000 });
    const startedAt = store.now();
    clock.advance(5);
    store.flushLocal();
    expect(store.getLocal('a')).toBeUndefined();
    expect(store.set('b', 'B', { ttlMs: 1_000, startedAt })).toEqual({ stored: false, reason: 'stale' });
    clock.advance(1);
    expect(store.set('b', 'B', { ttlMs: 1_000, startedAt: store.now() }).stored).toBe(true);
  });

  it('does not store a value with no lifetime, and expires one by the clock', async () => {
    const clock = fakeClock();
    const store = createTieredStore<string>({ l1: createLruTier({ maxBytes: 1 << 20 }), now: clock.now });
    expect(store.set('z', 'Z', { ttlMs: 0 })).toEqual({ stored: false, reason: 'expired' });
    store.set('a', 'A', { ttlMs: 1_000 });
    clock.advance(999);
    expect((await store.get('a'))?.value).toBe('A');
    clock.advance(1);
    expect(await store.get('a')).toBeUndefined();
  });

  it('forgets invalidations only past its memory, and only once many tags are remembered', async () => {
    const clock = fakeClock();
    const store = createTieredStore<string>({ l1: createLruTier({ maxBytes: 1 << 20 }), now: clock.now, invalidationMemoryMs: 1_000 });
    const startedAt = store.now();
    await store.invalidate(['old']);
    clock.advance(2_000);
    expect(store.isFresh(startedAt, ['old'])).toBe(false);
    await store.invalidate(Array.from({ length: 10_000 }, (_, i) => `t${i}`));
    // `old` is forgotten (older than 1 s): only work that started before it can be misjudged, and none runs that long.
    expect(store.isFresh(startedAt, ['old'])).toBe(true);
    expect(store.isFresh(startedAt, ['t9999'])).toBe(false);
  });
});

describe('the tiered store over the real Redis', () => {
  let redis: Redis;
  const prefix = `${inject('redisPrefix')}tiered:`;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await keysUnder(redis, prefix);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /** One gateway instance: its own L1 and clock, the shared Redis. */
  const instance = (space: string, clock = fakeClock(), errors: Error[] = []) =>
    createTieredStore<{ name: string }>({
      l1: createLruTier({ maxBytes: 1 << 20 }),
      l2: createRedisTier({ redis, keyPrefix: `${prefix}${space}:`, namespace: 'ec' }),
      now: clock.now,
      onError: (error) => errors.push(error),
    });

  it('reads L2 through into L1: the first read is an L2 hit, the next an L1 hit', async () => {
    const a = instance('read-through');
    const b = instance('read-through');
    const outcome = a.set('Genre:1', { name: 'Rock' }, { tags: ['Genre:1'], ttlMs: 60_000, startedAt: a.now() });
    if (!outcome.stored) throw new Error('not stored');
    await outcome.shared;
    expect(b.getLocal('Genre:1')).toBeUndefined();
    expect(await b.get('Genre:1')).toMatchObject({ value: { name: 'Rock' }, tier: 'l2', tags: ['Genre:1'] });
    expect(await b.get('Genre:1')).toMatchObject({ value: { name: 'Rock' }, tier: 'l1' });
    // The L1 copy keeps its tag: an invalidation heard by b evicts it there and in L2.
    expect(await b.invalidate(['Genre:1'])).toEqual({ local: 1, shared: 1 });
    expect(await a.getShared('Genre:1')).toBeUndefined();
  });

  it('does not take from L2 an entry that started before an invalidation this instance heard', async () => {
    const a = instance('racing');
    const b = instance('racing');
    const startedAt = a.now();
    // b hears the invalidation (and clears L2) before a, still executing, stores its old read.
    await b.invalidate(['Track:42.unitPrice']);
    const outcome = a.set('price', { name: '0.99' }, { tags: ['Track:42.unitPrice'], ttlMs: 60_000, startedAt });
    if (!outcome.stored) throw new Error('a has not heard the invalidation yet: it stores');
    await outcome.shared;
    expect(await redis.exists(`${prefix}racing:ec:0:e:price`)).toBe(1);
    expect(await b.get('price')).toBeUndefined();
    expect(b.getLocal('price')).toBeUndefined();
  });

  it('flushes every instance with one epoch: older entries are unservable everywhere, new ones shared', async () => {
    const a = instance('epochs');
    const b = instance('epochs');
    await (a.set('x', { name: 'old' }, { tags: ['X'], ttlMs: 60_000 }) as { shared: Promise<void> }).shared;
    expect((await b.get('x'))?.tier).toBe('l2');
    // Both hear the same flush event and move to its epoch.
    await Promise.all([a.flush('1700000000123'), b.flush('1700000000123')]);
    expect(await a.get('x')).toBeUndefined();
    expect(await b.get('x')).toBeUndefined();
    // The old entry still exists in Redis, under the old epoch, until its TTL: nothing enumerated.
    expect(await redis.exists(`${prefix}epochs:ec:0:e:x`)).toBe(1);
    expect(await redis.get(`${prefix}epochs:ec:epoch`)).toBe('1700000000123');
    // An instance that starts later reads the epoch from Redis.
    const c = instance('epochs');
    expect(await c.get('x')).toBeUndefined();
    await (a.set('x', { name: 'new' }, { tags: ['X'], ttlMs: 60_000, startedAt: a.now() + 1 }) as { shared: Promise<void> }).shared;
    expect((await c.get('x'))?.value).toEqual({ name: 'new' });
    expect(await redis.exists(`${prefix}epochs:ec:1700000000123:e:x`)).toBe(1);
  });

  it('re-reads the epoch on refreshEpoch (a flush missed while the bus was lost)', async () => {
    const clock = fakeClock();
    const a = instance('refresh', clock);
    const b = instance('refresh', clock);
    expect(await b.get('warm')).toBeUndefined(); // b has read the epoch (0)
    await a.flush('42');
    // b missed the flush: what the invalidator does when its bus comes back is flush locally and refresh.
    b.flushLocal();
    clock.advance(1);
    await (b.set('before', { name: 'b' }, { ttlMs: 60_000 }) as { shared: Promise<void> }).shared;
    expect(await a.get('before')).toBeUndefined(); // written under epoch 0, which a left
    await b.refreshEpoch();
    await (b.set('after', { name: 'b' }, { ttlMs: 60_000 }) as { shared: Promise<void> }).shared;
    expect((await a.get('after'))?.value).toEqual({ name: 'b' });
    expect(await redis.exists(`${prefix}refresh:ec:0:e:before`, `${prefix}refresh:ec:42:e:after`)).toBe(2);
  });

  it('evicts with its Lua scripts: expired members trimmed on the next store, tag sets deleted on invalidation', async () => {
    const store = instance('lua');
    const space = `${prefix}lua:ec:0:`;
    const stored = (key: string, ttlMs: number, tags: string[]) => (store.set(key, { name: key }, { tags, ttlMs }) as { shared: Promise<void> }).shared;
    await Promise.all([stored('short1', 30, ['Genre:1', 'own:1']), stored('short2', 30, ['Genre:1']), stored('long', 60_000, ['Genre:1', 'Query.genres'])]);
    expect(await redis.zcard(`${space}z:Genre:1`)).toBe(3);
    // Redis expires by its own clock: wait until both short entries are gone from Redis itself.
    while ((await redis.exists(`${space}e:short1`, `${space}e:short2`, `${space}z:own:1`)) > 0) await new Promise((r) => setTimeout(r, 20));
    await stored('later', 60_000, ['Genre:1']);
    // Scored by expiry: long (stored first) before later.
    expect(await redis.zrange(`${space}z:Genre:1`, 0, -1)).toEqual([`${space}e:long`, `${space}e:later`]);
    const pttl = await redis.pttl(`${space}z:Genre:1`);
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    // Invalidation deletes the live entries of the tag and the set; other tags' sets stay. (L1
    // goes by the store's clock, which did not move: it still held the two short ones.)
    expect(await store.invalidate(['Genre:1'])).toEqual({ local: 4, shared: 2 });
    expect(await keysUnder(redis, `${prefix}lua:`)).toEqual([`${space}z:Query.genres`]);
  });

  it('stores in one EVALSHA, whatever the number of tags', async () => {
    const own = new Redis(REDIS_URL, { lazyConnect: true });
    await own.connect();
    try {
      const store = createTieredStore<string>({ l1: createLruTier({ maxBytes: 1 << 20 }), l2: createRedisTier({ redis: own, keyPrefix: `${prefix}calls:`, namespace: 'ec' }) });
      await (store.set('warm', 'w', { tags: ['t'], ttlMs: 60_000 }) as { shared: Promise<void> }).shared; // reads the epoch, loads the script
      const sent = recordCommands(own);
      await (store.set('many', 'm', { tags: Array.from({ length: 40 }, (_, i) => `Track:${i}.name`), ttlMs: 60_000 }) as { shared: Promise<void> }).shared;
      expect(sent).toEqual(['evalsha']);
    } finally {
      own.disconnect();
    }
  });

  it('keeps the response cache’s L2 layout: what the tiered store writes, createRedisStore reads', async () => {
    const clock = fakeClock(Date.now());
    const store = createTieredStore<CacheEntry>({
      l1: createLruTier({ maxBytes: 1 << 20, sizeOf: (e) => 2 * e.body.length }),
      l2: createRedisTier({ redis, keyPrefix: `${prefix}rc-layout:`, namespace: 'rc' }),
      codec: cacheEntryCodec,
      now: clock.now,
    });
    const entry: CacheEntry = { body: '{"data":{"genre":{"name":"Rock"}}}', etag: '"e"', tags: ['Genre:1.name'], scope: 'public', storedAt: clock.now(), readAt: clock.now() - 5, ttlMs: 60_000 };
    await (store.set('k', entry, { tags: entry.tags, ttlMs: entry.ttlMs, startedAt: entry.readAt }) as { shared: Promise<void> }).shared;
    expect(JSON.parse((await redis.get(`${prefix}rc-layout:rc:0:e:k`))!)).toEqual(entry);
    expect(await createRedisStore({ redis, keyPrefix: `${prefix}rc-layout:` }).get('k')).toEqual(entry);
    store.flushLocal();
    clock.advance(1);
    expect(await store.get('k')).toBeUndefined(); // stored before the flush: not taken from L2
  });

  it('keeps APQ’s flat layout with the text codec: the bare document, with its TTL', async () => {
    const store = createTieredStore<string>({
      l1: createLruTier({ maxBytes: 1 << 20 }),
      l2: createRedisTier({ redis, keyPrefix: `${prefix}apq-layout:`, namespace: 'apq', epochs: false }),
      codec: textCodec,
    });
    await (store.set('abc', '{ genres { name } }', { ttlMs: 86_400_000 }) as { shared: Promise<void> }).shared;
    expect(await redis.get(`${prefix}apq-layout:apq:abc`)).toBe('{ genres { name } }');
    expect(await redis.ttl(`${prefix}apq-layout:apq:abc`)).toBeGreaterThan(86_000);
    const other = createTieredStore<string>({
      l1: createLruTier({ maxBytes: 1 << 20 }),
      l2: createRedisTier({ redis, keyPrefix: `${prefix}apq-layout:`, namespace: 'apq', epochs: false }),
      codec: textCodec,
    });
    expect(await other.get('abc')).toMatchObject({ value: '{ genres { name } }', tier: 'l2' });
  });
});

describe('the tiered store with Redis down', () => {
  it('degrades to L1, reporting every failure and throwing none', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    const errors: Error[] = [];
    const clock = fakeClock();
    const store = createTieredStore<string>({
      l1: createLruTier({ maxBytes: 1 << 20 }),
      l2: createRedisTier({ redis: down, keyPrefix: 'down:', namespace: 'ec' }),
      now: clock.now,
      onError: (error) => errors.push(error),
    });
    try {
      const outcome = store.set('a', 'A', { tags: ['t'], ttlMs: 60_000 });
      expect(outcome.stored).toBe(true);
      await (outcome as { shared: Promise<void> }).shared;
      expect(await store.get('a')).toMatchObject({ value: 'A', tier: 'l1' });
      expect(await store.get('b')).toBeUndefined();
      expect(await store.invalidate(['t'])).toEqual({ local: 1, shared: undefined });
      await store.flush('7');
      await store.refreshEpoch();
      // set, get of b, invalidate, flush, refreshEpoch: five failures, each reported.
      expect(errors).toHaveLength(5);
      expect(errors[0]!.message).toMatch(/not ready/);
    } finally {
      down.disconnect();
    }
  });
});
