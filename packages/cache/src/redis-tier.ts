import type { Redis } from 'ioredis';
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

/** Options of {@link createRedisTier}. */
export interface RedisTierOptions {
  /** The connection (shared with other tiers is fine: the scripts are defined once per connection). */
  redis: Redis;
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
}

type ScriptedRedis = Redis & {
  tributaryStore(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  tributaryInvalidate(numberOfKeys: number, ...keys: string[]): Promise<number>;
};

/** Connections on which the scripts are defined (several tiers may share one). */
const scripted = new WeakSet<Redis>();

/**
 * The shared tier (L2) in Redis, for every gateway instance. Layout, with `p` the prefix and `n`
 * the namespace:
 * - entry: `<p><n>:<epoch>:e:<key>` (flat: `<p><n>:<key>`), the text, with its TTL (`PX`);
 * - tag set: `<p><n>:<epoch>:z:<tag>` (flat: `<p><n>:z:<tag>`), a sorted set of the entry keys
 *   carrying the tag, scored by each entry's expiry; expired members are trimmed whenever the set
 *   is written, and the set expires with its longest-lived member. Memory is therefore bounded by
 *   the entries stored within their TTL, never by every entry ever stored;
 * - `<p><n>:epoch`: the current epoch, for instances that start later (`0` when absent).
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
  const base = `${keyPrefix}${namespace}:`;
  const epochKey = `${base}epoch`;
  let epoch: string | undefined;
  const space = async () => (epochs ? `${base}${(epoch ??= (await redis.get(epochKey)) ?? '0')}:` : base);
  const entryKey = (s: string, key: string) => (epochs ? `${s}e:${key}` : `${s}${key}`);
  // `z`: sorted sets (an earlier layout's plain sets were `t`; no WRONGTYPE in a rolling deploy).
  const tagKey = (s: string, tag: string) => `${s}z:${tag}`;
  return {
    async get(key) {
      return (await redis.get(entryKey(await space(), key))) ?? undefined;
    },
    async set(key, text, tags, ttlMs) {
      if (redis.status !== 'ready') throw new Error(`Redis not ready (${redis.status}): ${namespace} entry not stored`);
      const s = await space();
      await redis.tributaryStore(1 + tags.length, entryKey(s, key), ...tags.map((t) => tagKey(s, t)), text, Math.max(1, Math.round(ttlMs)));
    },
    async invalidate(tags) {
      if (tags.length === 0) return 0;
      const s = await space();
      return redis.tributaryInvalidate(tags.length, ...tags.map((t) => tagKey(s, t)));
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
