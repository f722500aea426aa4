import type { Redis } from 'ioredis';
import type { CacheEntry, ResponseCacheStore } from './cache-entry.js';

/**
 * Deletes the entries listed in each tag set, then the sets: one round trip, atomic, and
 * proportional to the entries invalidated (no KEYS, no SCAN).
 * KEYS: the tag sets. Returns how many entries were deleted.
 */
const INVALIDATE_SCRIPT = `
local removed = 0
for _, tagKey in ipairs(KEYS) do
  local entries = redis.call('SMEMBERS', tagKey)
  for _, entryKey in ipairs(entries) do
    removed = removed + redis.call('DEL', entryKey)
  end
  redis.call('DEL', tagKey)
end
return removed`;

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  redis: Redis;
  /** Prefix of every key (`tributary:`). */
  keyPrefix: string;
}

/**
 * The shared tier (L2) in Redis, for every gateway instance:
 * - entry: `<prefix>rc:<epoch>:e:<key>`, JSON, with the entry's TTL (`PX`);
 * - tag set: `<prefix>rc:<epoch>:t:<tag>`, the entry keys carrying the tag, expiring with the
 *   longest-lived of them.
 * A flush moves every instance to a new epoch (`useEpoch`, the same value for all: the flush
 * event's time), so that everything under the old one is unreachable at once and expires by its
 * TTL, without enumerating keys. `<prefix>rc:epoch` holds the current epoch for instances that
 * start later.
 */
export function createRedisStore(options: RedisStoreOptions): ResponseCacheStore & { refreshEpoch(): Promise<void>; useEpoch(epoch: string): Promise<void> } {
  const { redis, keyPrefix } = options;
  const epochKey = `${keyPrefix}rc:epoch`;
  let epoch: string | undefined;
  const currentEpoch = async () => (epoch ??= (await redis.get(epochKey)) ?? '0');
  const entryKey = (e: string, key: string) => `${keyPrefix}rc:${e}:e:${key}`;
  const tagKey = (e: string, tag: string) => `${keyPrefix}rc:${e}:t:${tag}`;
  return {
    async get(key) {
      const raw = await redis.get(entryKey(await currentEpoch(), key));
      return raw === null ? undefined : (JSON.parse(raw) as CacheEntry);
    },
    async set(key, entry) {
      const e = await currentEpoch();
      const ttlMs = Math.max(1, entry.storedAt + entry.ttlMs - Date.now());
      const multi = redis.multi().set(entryKey(e, key), JSON.stringify(entry), 'PX', ttlMs);
      for (const tag of entry.tags) {
        // A tag set lives as long as its longest-lived entry (GT: never shorten it).
        multi.sadd(tagKey(e, tag), entryKey(e, key)).pexpire(tagKey(e, tag), ttlMs, 'GT').pexpire(tagKey(e, tag), ttlMs, 'NX');
      }
      await multi.exec();
    },
    async invalidate(tags) {
      if (tags.length === 0) return 0;
      const e = await currentEpoch();
      return (await redis.eval(INVALIDATE_SCRIPT, tags.length, ...tags.map((t) => tagKey(e, t)))) as number;
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
