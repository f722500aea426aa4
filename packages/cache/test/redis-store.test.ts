import { type CacheEntry, createRedisStore } from '@tributary/cache';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startOwnRedis } from '../../../test/support/redis-server.js';
import { REDIS_URL } from '../../../test/support/services.js';

/** Every key under `prefix` (SCAN: this test's keys only). */
async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

const entry = (ttlMs: number, tags: string[], body = '{"data":{"genre":{"name":"Rock"}}}'): CacheEntry => ({
  body,
  etag: '"x"',
  tags,
  scope: 'public',
  storedAt: Date.now(),
  readAt: Date.now(),
  ttlMs,
});

describe('the Redis tier (L2) layout', () => {
  let redis: Redis;
  const prefix = `${inject('redisPrefix')}l2-layout:`;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await keysUnder(redis, prefix);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('keeps tag sets bounded by live entries: expired members are trimmed and sets expire with their last member', async () => {
    const store = createRedisStore({ redis, keyPrefix: prefix });
    const shared = ['Genre:1.name', 'Genre:1', 'Query.genres'];
    // 150 short-lived entries and 50 long-lived ones, all reading Genre 1, each also with a tag of its own.
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.set(`doc${i}`, entry(i < 150 ? 1_000 : 60_000, [...shared, `doc:${i}`]))));
    const tagSet = `${prefix}rc:0:z:Genre:1.name`;
    expect(await redis.zcard(tagSet)).toBe(200);
    expect(await redis.type(tagSet)).toBe('zset');
    expect(await keysUnder(redis, prefix)).toHaveLength(200 + 3 + 200);

    await new Promise((r) => setTimeout(r, 1_100));
    // The next store to the set trims what expired; the expired entries' own tag sets are gone.
    await store.set('doc-late', entry(60_000, ['Genre:1.name']));
    expect(await redis.zcard(tagSet)).toBe(51);
    const keys = await keysUnder(redis, prefix);
    expect(keys.filter((k) => k.includes(':e:'))).toHaveLength(51);
    expect(keys.filter((k) => k.includes(':z:'))).toHaveLength(3 + 50);
    // A tag set lives exactly as long as its longest-lived member.
    const pttl = await redis.pttl(tagSet);
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);

    // Invalidation deletes the live entries of a tag (one call) and the set.
    expect(await store.invalidate(['Genre:1'])).toBe(50);
    expect(await redis.exists(`${prefix}rc:0:z:Genre:1`)).toBe(0);
    expect(await store.get('doc199')).toBeUndefined();
    expect((await store.get('doc-late'))?.tags).toEqual(['Genre:1.name']);
  });

  it('holds no more members than the entries stored within one TTL, after 1,000 short-lived distinct documents', async () => {
    const store = createRedisStore({ redis, keyPrefix: `${prefix}churn:` });
    const tagSet = `${prefix}churn:rc:0:z:Genre:1.name`;
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 200 }, (_, i) => store.set(`r${round}-doc${i}`, entry(150, ['Genre:1.name', 'Query.genres']))));
      // 1,000 documents stored over the rounds; the set holds this round's only (the layout
      // before kept every key ever stored: 200 × rounds).
      expect(await redis.zcard(tagSet)).toBeLessThanOrEqual(200);
      await new Promise((r) => setTimeout(r, 200));
    }
    // After the last TTL, nothing is left at all: no entry, no member, no set.
    await new Promise((r) => setTimeout(r, 200));
    expect(await keysUnder(redis, `${prefix}churn:`)).toEqual([]);
  });

  it('stores in one command (a script call) whatever the number of tags', async () => {
    const own = new Redis(REDIS_URL, { lazyConnect: true });
    await own.connect();
    const store = createRedisStore({ redis: own, keyPrefix: `${prefix}calls:` });
    const sent: string[] = [];
    const send = own.sendCommand.bind(own);
    own.sendCommand = ((command: { name: string }, stream?: unknown) => (sent.push(command.name), send(command as never, stream as never))) as typeof own.sendCommand;
    await store.set('warm', entry(60_000, ['Track:1.name'])); // reads the epoch, loads the script
    sent.length = 0;
    await store.set(
      'many-tags',
      entry(
        60_000,
        Array.from({ length: 40 }, (_, i) => `Track:${i}.name`),
      ),
    );
    expect(sent).toEqual(['evalsha']);
    expect(await own.zcard(`${prefix}calls:rc:0:z:Track:39.name`)).toBe(1);
    own.disconnect();
  });
});

describe('the Redis tier on a full Redis (maxmemory, noeviction)', () => {
  it('refuses new stores whole, while reads and invalidations go on: never stale', async () => {
    const own = await startOwnRedis(['--maxmemory', '3mb', '--maxmemory-policy', 'noeviction']);
    const redis = new Redis(own.url, { lazyConnect: true });
    try {
      await redis.connect();
      const store = createRedisStore({ redis, keyPrefix: 'full:' });
      const body = 'x'.repeat(20_000);
      let refused: Error | undefined;
      let stored = 0;
      for (let i = 0; i < 1_000 && !refused; i++) {
        await store.set(`doc${i}`, entry(60_000, ['Genre:1.name', `doc:${i}`], body)).then(
          () => stored++,
          (error: Error) => (refused = error),
        );
      }
      expect(refused?.message).toMatch(/OOM/);
      // The refused store left nothing behind: no entry, no member, no tag set of its own.
      expect(await redis.exists(`full:rc:0:e:doc${stored}`)).toBe(0);
      expect(await redis.exists(`full:rc:0:z:doc:${stored}`)).toBe(0);
      expect(await redis.zcard('full:rc:0:z:Genre:1.name')).toBe(stored);
      // Reads and invalidations still work.
      expect((await store.get('doc0'))?.body).toBe(body);
      expect(await store.invalidate(['Genre:1.name'])).toBe(stored);
      expect(await store.get('doc0')).toBeUndefined();
      // And stores work again once memory is free.
      await store.set('after', entry(60_000, ['Genre:1.name'], body));
      expect((await store.get('after'))?.body).toBe(body);
    } finally {
      redis.disconnect();
      await own.stop();
    }
  });
});
