import type { Cluster, Redis } from 'ioredis';
import { type SlotBuckets, singleBucket, slotBuckets } from './slot-buckets.js';
import type { L2Tier } from './tiered-store.js';

/**
 * Stores one entry and indexes it under each tag, in one call (one round trip, atomic).
 * KEYS[1]: the entry; KEYS[2..]: its tag sets. ARGV: text, TTL in ms.
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

/** Slot buckets of a tier on a Redis Cluster, unless {@link RedisTierOptions.clusterBuckets} says otherwise. */
export const DEFAULT_CLUSTER_BUCKETS = 16;

/** Options of {@link createRedisTier}. */
export interface RedisTierOptions {
  /**
   * One server's connection, or a cluster client (`redis.isCluster`: keys are then bucketed).
   * Shared with other tiers is fine: the scripts are defined once per connection.
   */
  redis: Redis | Cluster;
  /** Prefix of every key, e.g. `tributary:`. Required (may be `''`). */
  keyPrefix: string;
  /** The store's own part of every key after the prefix: `rc` (responses), `apq`, `ec` (entities). Required. */
  namespace: string;
  /**
   * Whether keys carry an epoch, so that a flush ({@link L2Tier.useEpoch}) can retire everything
   * at once. Default `true`. Without epochs, `useEpoch` rejects and the layout is flat (for
   * content-addressed values that are never flushed, such as APQ documents).
   */
  epochs?: boolean;
  /**
   * On a Redis Cluster: into how many slot buckets (hash tags) the entries are spread. Default
   * {@link DEFAULT_CLUSTER_BUCKETS}; each invalidation then runs one script per bucket. `0`: no
   * hash tag, every key hashes on its own (spread over all slots), for entries that carry no tags
   * (APQ documents): a tagged `set` or an `invalidate` then rejects, since it would span slots.
   * Ignored on one server (one bucket, no hash tag).
   */
  clusterBuckets?: number;
}

type ScriptedRedis = (Redis | Cluster) & {
  tributaryStore(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  tributaryInvalidate(numberOfKeys: number, ...keys: string[]): Promise<number>;
};

/** Connections on which the scripts are defined (several tiers may share one). */
const scripted = new WeakSet<Redis | Cluster>();

/**
 * The shared tier (L2) in Redis, for every gateway instance. Layout, with `p` the prefix and `n`
 * the namespace:
 * - entry: `<p><n>:<epoch>:<b>e:<key>` (flat: `<p><n>:<b><key>`), the text, with its TTL (`PX`);
 * - tag set: `<p><n>:<epoch>:<b>z:<tag>` (flat: `<p><n>:<b>z:<tag>`), a sorted set of the entry
 *   keys of bucket `<b>` carrying the tag, scored by each entry's expiry; expired members are
 *   trimmed whenever the set is written, and the set expires with its longest-lived member.
 *   Memory is therefore bounded by the entries stored within their TTL, never by every entry
 *   ever stored;
 * - `<p><n>:epoch`: the current epoch, for instances that start later (`0` when absent).
 * `<b>`, the bucket, is empty on one server. On a Redis Cluster it is a hash tag (`{…}:`), one of
 * `clusterBuckets` (`slotBuckets`), chosen by the entry key: an entry and its tag sets share one
 * slot, so the store script stays single-slot, and entries spread evenly over the masters; an
 * invalidation runs the invalidate script once per bucket, in parallel, and fails if any of them
 * fails (docs/decisions/0011-redis-cluster-key-layout.md).
 * A store is one script call (`EVALSHA`): the entry and every tag set, atomically. A store while
 * the connection is not ready rejects at once (nothing waits, nothing written).
 *
 * @example
 * createRedisTier({ redis, keyPrefix: 'tributary:', namespace: 'rc' }).set('k1', '{…}', ['Track:42'], 60_000)
 * // EVALSHA <store> 2 tributary:rc:0:e:k1 tributary:rc:0:z:Track:42 '{…}' 60000
 */
export function createRedisTier(options: RedisTierOptions): L2Tier {
  const { keyPrefix, namespace } = options;
  const epochs = options.epochs ?? true;
  const redis = options.redis as ScriptedRedis;
  if (!scripted.has(redis)) {
    redis.defineCommand('tributaryStore', { lua: STORE_SCRIPT });
    redis.defineCommand('tributaryInvalidate', { lua: INVALIDATE_SCRIPT });
    scripted.add(redis);
  }
  const bucketCount = options.clusterBuckets ?? DEFAULT_CLUSTER_BUCKETS;
  const buckets: SlotBuckets | undefined = !redis.isCluster ? singleBucket : bucketCount === 0 ? undefined : slotBuckets(bucketCount);
  /** `set` with tags and `invalidate` need every key of a call in one slot: refused without buckets on a cluster. */
  const unbucketed = () => new Error(`the ${namespace} tier has no slot buckets on this Redis Cluster: tags would span slots`);
  const base = `${keyPrefix}${namespace}:`;
  const epochKey = `${base}epoch`;
  let epoch: string | undefined;
  const space = async () => (epochs ? `${base}${(epoch ??= (await redis.get(epochKey)) ?? '0')}:` : base);
  const bucketOf = (key: string) => buckets?.hashTagOf(key) ?? '';
  const entryKey = (s: string, key: string) => (epochs ? `${s}${bucketOf(key)}e:${key}` : `${s}${bucketOf(key)}${key}`);
  // `z`: sorted sets (an earlier layout's plain sets were `t`; no WRONGTYPE in a rolling deploy).
  const tagKey = (s: string, bucket: string, tag: string) => `${s}${bucket}z:${tag}`;
  return {
    async get(key) {
      return (await redis.get(entryKey(await space(), key))) ?? undefined;
    },
    async set(key, text, tags, ttlMs) {
      if (redis.status !== 'ready') throw new Error(`Redis not ready (${redis.status}): ${namespace} entry not stored`);
      if (!buckets && tags.length > 0) throw unbucketed();
      const s = await space();
      const bucket = bucketOf(key);
      await redis.tributaryStore(1 + tags.length, entryKey(s, key), ...tags.map((t) => tagKey(s, bucket, t)), text, Math.max(1, Math.round(ttlMs)));
    },
    async invalidate(tags) {
      if (tags.length === 0) return 0;
      if (!buckets) throw unbucketed();
      const s = await space();
      // One script per bucket (one slot each), all sent at once; every one is awaited, and any failure fails the whole.
      const results = await Promise.allSettled(buckets.hashTags.map((bucket) => redis.tributaryInvalidate(tags.length, ...tags.map((t) => tagKey(s, bucket, t)))));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return results.reduce((sum, r) => sum + (r as PromiseFulfilledResult<number>).value, 0);
    },
    async useEpoch(next) {
      if (!epochs) throw new Error(`the ${namespace} tier has no epochs: it cannot be flushed`);
      epoch = next;
      await redis.set(epochKey, next);
    },
    async refreshEpoch() {
      if (epochs) epoch = (await redis.get(epochKey)) ?? '0';
    },
  };
}
