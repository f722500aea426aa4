import type { Cluster, Redis } from 'ioredis';
import type { CacheEntry, ResponseCacheStore } from './cache-entry.js';
import { type SlotBuckets, singleBucket, slotBuckets } from './slot-buckets.js';

/**
 * Stores one entry and indexes it under each tag, in one call (one round trip, atomic).
 * KEYS[1]: the entry; KEYS[2..]: its tag sets. ARGV: body, TTL in ms.
 * Each tag set is a sorted set of entry keys scored by their expiry (server time, ms): members
 * whose entry expired are trimmed on each touch, and the set itself expires with its
 * longest-lived member, so that a set never holds more than the entries stored within their TTL.
 */
const STORE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[2])
local expiry = now + ttl
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], expiry, KEYS[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[i], math.max(expiry, tonumber(last[2])))
end
return 1`;

/**
 * Deletes the live entries listed in each tag set, then the sets: one round trip, atomic, and
 * proportional to the entries invalidated (no KEYS, no SCAN). KEYS: the tag sets. Returns how
 * many entries were deleted.
 */
const INVALIDATE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local removed = 0
for _, tagKey in ipairs(KEYS) do
  local entries = redis.call('ZRANGEBYSCORE', tagKey, now, '+inf')
  for i = 1, #entries, 500 do
    removed = removed + redis.call('DEL', unpack(entries, i, math.min(i + 499, #entries)))
  end
  redis.call('DEL', tagKey)
end
return removed`;

/** Buckets of a store on a Redis Cluster, unless {@link RedisStoreOptions.clusterBuckets} says otherwise. */
export const DEFAULT_CLUSTER_BUCKETS = 16;

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** One server's connection, or a cluster client (`redis.isCluster`: the key layout is then bucketed). */
  redis: Redis | Cluster;
  /** Prefix of every key (`tributary:`). */
  keyPrefix: string;
  /**
   * On a cluster: into how many slot buckets entries are spread (default
   * {@link DEFAULT_CLUSTER_BUCKETS}); each invalidation then runs one script per bucket.
   * Ignored on one server (one bucket, no hash tag).
   */
  clusterBuckets?: number;
}

type ScriptedRedis = (Redis | Cluster) & {
  tributaryStore(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  tributaryInvalidate(numberOfKeys: number, ...keys: string[]): Promise<number>;
};

/** Connections on which the scripts are defined (several stores may share one). */
const scripted = new WeakSet<Redis | Cluster>();

/**
 * The shared tier (L2) in Redis, for every gateway instance:
 * - entry: `<prefix>rc:<epoch>:<bucket>e:<key>`, JSON, with the entry's TTL (`PX`);
 * - tag set: `<prefix>rc:<epoch>:<bucket>z:<tag>`, a sorted set of the entry keys of that bucket
 *   carrying the tag, scored by each entry's expiry; expired members are trimmed whenever the set
 *   is written, and the set expires with its longest-lived member. Memory is therefore bounded by
 *   the entries stored within their TTL (live, or invalidated by another tag and not yet
 *   expired), never by every entry ever stored.
 * `<bucket>` is empty on one server. On a Redis Cluster it is a hash tag (`{…}:`), one of
 * `clusterBuckets`, chosen by the entry key: an entry and its tag sets share one slot, so the store
 * script stays single-slot, and entries spread evenly over the masters; an invalidation runs the
 * invalidate script once per bucket, in parallel (docs/decisions/0006-redis-cluster-key-layout.md).
 * A store is one script call (`EVALSHA`): the entry and every tag set, atomically. A store is
 * dropped at once (resolves, not written) while the connection is not ready.
 * A flush moves every instance to a new epoch (`useEpoch`, the same value for all: the flush
 * event's time), so that everything under the old one is unreachable at once and expires by its
 * TTL, without enumerating keys. `<prefix>rc:epoch` holds the current epoch for instances that
 * start later.
 */
export function createRedisStore(options: RedisStoreOptions): ResponseCacheStore & { refreshEpoch(): Promise<void>; useEpoch(epoch: string): Promise<void> } {
  const { keyPrefix } = options;
  const redis = options.redis as ScriptedRedis;
  if (!scripted.has(redis)) {
    redis.defineCommand('tributaryStore', { lua: STORE_SCRIPT });
    redis.defineCommand('tributaryInvalidate', { lua: INVALIDATE_SCRIPT });
    scripted.add(redis);
  }
  const epochKey = `${keyPrefix}rc:epoch`;
  let epoch: string | undefined;
  const currentEpoch = async () => (epoch ??= (await redis.get(epochKey)) ?? '0');
  const buckets: SlotBuckets = redis.isCluster ? slotBuckets(options.clusterBuckets ?? DEFAULT_CLUSTER_BUCKETS) : singleBucket;
  const entryKey = (e: string, key: string) => `${keyPrefix}rc:${e}:${buckets.hashTagOf(key)}e:${key}`;
  // `z`: sorted sets (the earlier layout's plain sets were `t`; no WRONGTYPE in a rolling deploy).
  const tagKey = (e: string, bucketTag: string, tag: string) => `${keyPrefix}rc:${e}:${bucketTag}z:${tag}`;
  return {
    async get(key) {
      const raw = await redis.get(entryKey(await currentEpoch(), key));
      return raw === null ? undefined : (JSON.parse(raw) as CacheEntry);
    },
    async set(key, entry) {
      if (redis.status !== 'ready') return; // dropped: not written, nothing waits
      const e = await currentEpoch();
      const ttlMs = Math.max(1, Math.round(entry.storedAt + entry.ttlMs - Date.now()));
      const bucketTag = buckets.hashTagOf(key);
      await redis.tributaryStore(1 + entry.tags.length, entryKey(e, key), ...entry.tags.map((t) => tagKey(e, bucketTag, t)), JSON.stringify(entry), ttlMs);
    },
    async invalidate(tags) {
      if (tags.length === 0) return 0;
      const e = await currentEpoch();
      // One script per bucket (one slot each), all sent at once; every one is awaited, and any failure fails the whole.
      const results = await Promise.allSettled(buckets.hashTags.map((bucketTag) => redis.tributaryInvalidate(tags.length, ...tags.map((t) => tagKey(e, bucketTag, t)))));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return results.reduce((sum, r) => sum + (r as PromiseFulfilledResult<number>).value, 0);
    },
    async clear() {
      epoch = String(Date.now());
      await redis.set(epochKey, epoch);
    },
    async useEpoch(next) {
      epoch = next;
      await redis.set(epochKey, next);
    },
    async refreshEpoch() {
      epoch = (await redis.get(epochKey)) ?? '0';
    },
  };
}
