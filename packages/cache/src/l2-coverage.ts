import type { Cluster, Redis } from 'ioredis';

/** How long a coverage claim lives unless refreshed, in ms (refreshed every bus heartbeat, 100 ms). */
export const COVERAGE_TTL_MS = 300;

/**
 * Keeps the claim "since C, some gateway instance has been listening to the bus without a gap",
 * in `<prefix>rc:covered-since` (C in ms since the epoch, the first claimant's clock). Every
 * instance whose bus is proven refreshes it (keeping C) every heartbeat with a TTL of
 * {@link COVERAGE_TTL_MS}; an instance that loses its bus deletes it (when Redis answers), and
 * when nobody refreshes it, it expires. A listening instance applies every event to L2, so while
 * the claim holds, no event since C has gone unapplied to L2. See `CacheInvalidator` for how a
 * starting instance uses it.
 */
export interface L2Coverage {
  /** Refreshes the claim, creating it with `since` (ms) when absent; resolves with the C now held. */
  refresh(since: number): Promise<number>;
  /** C of the claim now held, or undefined when none is. */
  read(): Promise<number | undefined>;
  /** Withdraws the claim (an instance lost its bus: continuity can no longer be vouched for). */
  clear(): Promise<void>;
}

const REFRESH_SCRIPT = `
local since = redis.call('GET', KEYS[1]) or ARGV[1]
redis.call('SET', KEYS[1], since, 'PX', tonumber(ARGV[2]))
return since`;

type ScriptedRedis = (Redis | Cluster) & { tributaryCoverage(numberOfKeys: number, key: string, since: number, ttlMs: number): Promise<string> };
const scripted = new WeakSet<Redis | Cluster>();

/** The coverage claim on `redis` under `keyPrefix` (the L2's prefix). */
export function createL2Coverage(options: { redis: Redis | Cluster; keyPrefix: string }): L2Coverage {
  const redis = options.redis as ScriptedRedis;
  if (!scripted.has(redis)) {
    redis.defineCommand('tributaryCoverage', { lua: REFRESH_SCRIPT });
    scripted.add(redis);
  }
  const key = `${options.keyPrefix}rc:covered-since`;
  return {
    async refresh(since) {
      return Number(await redis.tributaryCoverage(1, key, since, COVERAGE_TTL_MS));
    },
    async read() {
      const raw = await redis.get(key);
      return raw === null ? undefined : Number(raw);
    },
    async clear() {
      await redis.del(key);
    },
  };
}
