/** How many remembered tags make the ledger forget those older than its memory. */
const FORGET_ABOVE_TAGS = 10_000;

/**
 * Remembers when each tag was last invalidated and when the store was last flushed, to answer
 * the question every store must ask: did anything this value read change since its work started?
 */
export interface FreshnessLedger {
  /** Records an invalidation of `tags` at `at` (ms since the epoch). */
  invalidated(tags: Iterable<string>, at: number): void;
  /** Records a flush at `at`: nothing started at or before it is fresh. */
  flushed(at: number): void;
  /** Whether work started at `startedAt` reading `tags` saw every invalidation and flush recorded so far. */
  isFresh(startedAt: number, tags: Iterable<string>): boolean;
}

/**
 * A ledger that keeps each tag's last invalidation for at least `memoryMs` (ms), forgetting older
 * ones once more than 10,000 tags are remembered, so its size is bounded by the tags invalidated
 * within `memoryMs`.
 */
export function createFreshnessLedger(memoryMs: number): FreshnessLedger {
  const invalidatedAt = new Map<string, number>();
  let flushedAt = -Infinity;
  const forgetOld = (now: number) => {
    if (invalidatedAt.size < FORGET_ABOVE_TAGS) return;
    for (const [tag, at] of invalidatedAt) if (now - at > memoryMs) invalidatedAt.delete(tag);
  };
  return {
    invalidated(tags, at) {
      for (const tag of tags) invalidatedAt.set(tag, at);
      forgetOld(at);
    },
    flushed(at) {
      flushedAt = at;
    },
    isFresh(startedAt, tags) {
      if (flushedAt >= startedAt) return false;
      for (const tag of tags) if ((invalidatedAt.get(tag) ?? -Infinity) >= startedAt) return false;
      return true;
    },
  };
}
