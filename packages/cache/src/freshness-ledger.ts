import { lsnPosition } from '@tributary/runtime';

/** How many remembered tags make the ledger forget those older than its memory. */
const FORGET_ABOVE_TAGS = 10_000;

/**
 * Remembers when each tag was last invalidated and when the store was last flushed, to answer
 * the question every store must ask: did anything this value read change since its work started?
 */
export interface FreshnessLedger {
  /**
   * Records an invalidation of `tags` at `at` (ms since the epoch), by a write at WAL position
   * `lsn` (Postgres `hex/hex`, see `lsn.ts`) when the event carried one.
   */
  invalidated(tags: Iterable<string>, at: number, lsn?: string): void;
  /**
   * Records a flush at `at`: nothing started at or before it is fresh. With `sharedReads: false`
   * (a local flush: L1 dropped, L2 untouched) it does not count for {@link isFreshShared}. With
   * `lsn` (a flush the change feed published, stamped with the primary's position), no replica
   * read from before that position is fresh either.
   */
  flushed(at: number, options?: { sharedReads?: boolean; lsn?: string }): void;
  /**
   * Whether a read from a replica that had replayed up to `readLsn` saw every write whose
   * invalidation of one of `tags` was recorded with an LSN (and every flush stamped with one, and
   * every forgotten tag's): `readLsn` is at or past each. `undefined` (a read from the primary,
   * or from a cache entry already checked) is always replayed past.
   */
  isReplayedPast(readLsn: string | undefined, tags: Iterable<string>): boolean;
  /** {@link isReplayedPast} for any tags: `readLsn` is at or past every LSN recorded so far. */
  isReplayedPastAll(readLsn: string | undefined): boolean;
  /**
   * Invalidations may have been missed (the instance starts listening, or listens again after a
   * loss): until {@link learnPosition} is called, no replica read is fresh, whatever its position.
   */
  forgetPositions(): void;
  /**
   * After {@link forgetPositions}: `lsn` is a position (`hex/hex`) at or past every write whose
   * event may have been missed (any stamped event heard since, see docs/database/READ_REPLICAS.md);
   * it becomes the floor and replica reads past it are judged again. Otherwise a no-op.
   */
  learnPosition(lsn: string): void;
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
  /** Each tag's latest invalidation's WAL position, for tags whose events carried one. */
  const invalidatedLsn = new Map<string, bigint>();
  /** No replica read below this position is fresh: stamped flushes and forgotten tags' positions. */
  let lsnFloor = -1n;
  /** The highest position recorded (tags and floor): a read at or past it is fresh for any tags. */
  let highestLsn = -1n;
  /** Set by `forgetPositions`: no replica read is fresh until a position is learned. */
  let positionUnknown = false;
  let flushedAt = -Infinity;
  let sharedFlushedAt = -Infinity;
  let lastInvalidatedAt = -Infinity;
  const untouched = (startedAt: number, tags: Iterable<string>) => {
    for (const tag of tags) if ((invalidatedAt.get(tag) ?? -Infinity) >= startedAt) return false;
    return true;
  };
  const forgetOld = (now: number) => {
    if (invalidatedAt.size < FORGET_ABOVE_TAGS) return;
    for (const [tag, at] of invalidatedAt) {
      if (now - at <= memoryMs) continue;
      invalidatedAt.delete(tag);
      const lsn = invalidatedLsn.get(tag);
      if (lsn === undefined) continue;
      // Forgotten, the tag's position still bounds every replica read from below.
      if (lsn > lsnFloor) lsnFloor = lsn;
      invalidatedLsn.delete(tag);
    }
  };
  const raise = (lsn: bigint) => {
    if (lsn > highestLsn) highestLsn = lsn;
  };
  return {
    invalidated(tags, at, lsn) {
      const position = lsn === undefined ? undefined : lsnPosition(lsn);
      for (const tag of tags) {
        invalidatedAt.set(tag, at);
        // Positions only grow per tag: a later event never lowers what a read must have replayed.
        if (position !== undefined && position > (invalidatedLsn.get(tag) ?? -1n)) invalidatedLsn.set(tag, position);
      }
      if (position !== undefined) raise(position);
      lastInvalidatedAt = Math.max(lastInvalidatedAt, at);
      forgetOld(at);
    },
    flushed(at, options) {
      flushedAt = at;
      if (options?.sharedReads !== false) sharedFlushedAt = at;
      if (options?.lsn !== undefined) {
        const position = lsnPosition(options.lsn);
        if (position > lsnFloor) lsnFloor = position;
        raise(position);
      }
    },
    isReplayedPast(readLsn, tags) {
      if (readLsn === undefined) return true;
      if (positionUnknown) return false;
      const read = lsnPosition(readLsn);
      if (read >= highestLsn) return true;
      if (read < lsnFloor) return false;
      for (const tag of tags) if ((invalidatedLsn.get(tag) ?? -1n) > read) return false;
      return true;
    },
    isReplayedPastAll(readLsn) {
      return readLsn === undefined || (!positionUnknown && lsnPosition(readLsn) >= highestLsn);
    },
    forgetPositions() {
      positionUnknown = true;
    },
    learnPosition(lsn) {
      if (!positionUnknown) return;
      positionUnknown = false;
      const position = lsnPosition(lsn);
      if (position > lsnFloor) lsnFloor = position;
      raise(position);
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
