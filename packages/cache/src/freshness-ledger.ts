/** How many remembered tags make the ledger forget those older than its memory. */
const FORGET_ABOVE_TAGS = 10_000;

/**
 * Remembers when each tag was last invalidated and when the store was last flushed, to answer
 * the question every store must ask: did anything this value read change since its work started?
 */
export interface FreshnessLedger {
  /** Records an invalidation of `tags` at `at` (ms since the epoch). */
  invalidated(tags: Iterable<string>, at: number): void;
  /**
   * Records a flush at `at`: nothing started at or before it is fresh. With `sharedReads: false`
   * (a local flush: L1 dropped, L2 untouched) it does not count for {@link isFreshShared}.
   */
  flushed(at: number, options?: { sharedReads?: boolean }): void;
  /** Whether work started at `startedAt` reading `tags` saw every invalidation and flush recorded so far. */
  isFresh(startedAt: number, tags: Iterable<string>): boolean;
  /** {@link isFresh} for an entry read from L2: local flushes do not count. */
  isFreshShared(startedAt: number, tags: Iterable<string>): boolean;
  /** Whether nothing at all (no invalidation, no flush) was recorded at or after `startedAt`: then {@link isFresh} is true for any tags. */
  isQuietSince(startedAt: number): boolean;
}

/**
 * A ledger that keeps each tag's last invalidation for at least `memoryMs` (ms), forgetting older
 * ones once more than 10,000 tags are remembered, so its size is bounded by the tags invalidated
 * within `memoryMs`.
 */
export function createFreshnessLedger(memoryMs: number): FreshnessLedger {
  const invalidatedAt = new Map<string, number>();
  let flushedAt = -Infinity;
  let sharedFlushedAt = -Infinity;
  let lastInvalidatedAt = -Infinity;
  const untouched = (startedAt: number, tags: Iterable<string>) => {
    for (const tag of tags) if ((invalidatedAt.get(tag) ?? -Infinity) >= startedAt) return false;
    return true;
  };
  const forgetOld = (now: number) => {
    if (invalidatedAt.size < FORGET_ABOVE_TAGS) return;
    for (const [tag, at] of invalidatedAt) if (now - at > memoryMs) invalidatedAt.delete(tag);
  };
  return {
    invalidated(tags, at) {
      for (const tag of tags) invalidatedAt.set(tag, at);
      lastInvalidatedAt = Math.max(lastInvalidatedAt, at);
      forgetOld(at);
    },
    flushed(at, options) {
      flushedAt = at;
      if (options?.sharedReads !== false) sharedFlushedAt = at;
    },
    isFresh(startedAt, tags) {
      return flushedAt < startedAt && untouched(startedAt, tags);
    },
    isFreshShared(startedAt, tags) {
      return sharedFlushedAt < startedAt && untouched(startedAt, tags);
    },
    isQuietSince(startedAt) {
      return flushedAt < startedAt && lastInvalidatedAt < startedAt;
    },
  };
}
