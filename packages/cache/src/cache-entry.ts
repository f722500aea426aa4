import type { TieredStoreCodec } from './tiered-store.js';

/** One cached response: the exact bytes sent to clients and what they depend on. */
export interface CacheEntry {
  /** The response body, byte for byte as sent on the miss. */
  body: string;
  /** Strong validator: `"<sha256 of body, base64url>"`. */
  etag: string;
  /** Dependency tags (`Track:42.unitPrice`, `Track:42`, `type:Track`, `Query.tracks`). */
  tags: string[];
  /** `private` entries live under their principal's key only. */
  scope: 'public' | 'private';
  /** When stored, ms since the epoch. */
  storedAt: number;
  /**
   * When the request that produced it started, ms since the epoch: an instance that applied an
   * invalidation of one of its tags at or after this time must not take it from L2.
   */
  readAt: number;
  /** Lifetime from `storedAt`, in ms. */
  ttlMs: number;
  /**
   * The lowest WAL position (`hex/hex`) the replicas it was read from had replayed; absent when
   * every read went to the primary. An instance that heard a later invalidation of one of its
   * tags does not take it from L2.
   */
  readLsn?: string;
  /** The operation's name, if it has one: the request metrics label hits with it. */
  operationName?: string;
}

/** Remaining lifetime of an entry at `now`, in whole seconds (for `Cache-Control: max-age`). */
export function remainingSeconds(entry: CacheEntry, now: number): number {
  return Math.max(0, Math.floor((entry.storedAt + entry.ttlMs - now) / 1000));
}

/**
 * The response cache's Redis tier seen entry by entry (`createRedisStore`, for tools and tests
 * that read or fill L2 directly; the gateway goes through the tiered store). Every method may
 * fail (Redis down): callers treat a failed read as a miss and a failed write as not written.
 */
export interface ResponseCacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
  /** Removes every entry carrying any of `tags`; resolves with how many went. */
  invalidate(tags: readonly string[]): Promise<number>;
  /** Removes everything. */
  clear(): Promise<void>;
}

/**
 * L2 text of a response entry: the entry's JSON, as every gateway version reads it (a rolling
 * deploy shares L2); its tags, `readAt` and `storedAt + ttlMs` are the stored entry's tags,
 * start and expiry.
 */
export const cacheEntryCodec: TieredStoreCodec<CacheEntry> = {
  encode: (stored) => JSON.stringify(stored.value),
  decode: (text) => {
    const entry = JSON.parse(text) as CacheEntry;
    return { value: entry, tags: entry.tags, startedAt: entry.readAt, expiresAt: entry.storedAt + entry.ttlMs, ...(entry.readLsn === undefined ? {} : { readLsn: entry.readLsn }) };
  },
};
