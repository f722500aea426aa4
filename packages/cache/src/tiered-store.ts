/**
 * The contract of the tiered store: L1 in process over L2 shared (Redis), with dependency tags,
 * TTLs, store-time freshness and flush epochs. One implementation ({@link createTieredStore} in
 * `create-tiered-store.ts`) serves the response cache, the entity cache and APQ.
 *
 * Units: every time is ms since the epoch on the store's clock (`now`), every duration is ms.
 */

/** A value as the tiers hold it: the value and what decides its life. */
export interface StoredEntry<V> {
  value: V;
  /** Dependency tags (`Track:42.unitPrice`, `Track:42`, `Query.tracks`); `[]` for none. */
  tags: readonly string[];
  /**
   * When the work that produced `value` started (ms since the epoch): an invalidation of one of
   * its tags, or a flush, at or after this time makes the entry unservable (store-time freshness).
   */
  startedAt: number;
  /** When it expires (ms since the epoch); `Infinity`: only room evicts it. */
  expiresAt: number;
  /**
   * The WAL position (`hex/hex`) a streaming replica had replayed before the work read from it;
   * absent when every read went to the primary. An instance that recorded an invalidation of one
   * of its tags at a later position does not take it from L2 (see {@link TieredStore.isReplayedPast}).
   */
  readLsn?: string;
}

/**
 * Turns entries into the text L2 keeps and back. `decode` may throw on text it cannot read (the
 * store then reports it and reads a miss). See `codecs.ts` for the shipped ones.
 */
export interface TieredStoreCodec<V> {
  encode(entry: StoredEntry<V>): string;
  /** `now`: the store's clock, for codecs whose text carries no times (content-addressed values). */
  decode(text: string, now: number): StoredEntry<V>;
}

/**
 * The in-process tier (L1): synchronous, bounded, indexed by tag. Implementation: `createLruTier`.
 * Never throws for a well-formed call.
 */
export interface L1Tier<V> {
  /** The live entry under `key`, or `undefined` (absent or expired at `now`). */
  get(key: string, now: number): StoredEntry<V> | undefined;
  /** Keeps `entry` under `key` (replacing what was there); `false` when it is larger than the whole tier. */
  set(key: string, entry: StoredEntry<V>): boolean;
  /** Removes every entry carrying any of `tags`; returns how many went. */
  invalidate(tags: readonly string[]): number;
  /** Removes everything. */
  clear(): void;
  /** Entries held now (expired ones not yet touched included). */
  readonly entries: number;
  /** Their size, as counted against the tier's bound (bytes, approximate). */
  readonly bytes: number;
}

/**
 * The shared tier (L2), holding encoded text. Implementation: `createRedisTier`. Every method
 * may reject (Redis down, full, slow): the tiered store catches and reports, never its callers.
 */
export interface L2Tier {
  /** The text under `key` in the current epoch, or `undefined`. */
  get(key: string): Promise<string | undefined>;
  /** Stores `text` under `key` for `ttlMs` (> 0) and indexes it under each tag: one round trip, atomic. */
  set(key: string, text: string, tags: readonly string[], ttlMs: number): Promise<void>;
  /** Deletes the live entries carrying any of `tags`, and the tag sets; resolves with how many entries went. */
  invalidate(tags: readonly string[]): Promise<number>;
  /** Moves to `epoch` (and records it for instances that start later): what the old epoch held is unreachable. */
  useEpoch(epoch: string): Promise<void>;
  /** Re-reads the current epoch (after a lost connection, a flush may have gone unheard). */
  refreshEpoch(): Promise<void>;
}

/** Options of {@link TieredStore.set}. */
export interface SetOptions {
  /** Dependency tags of the value; default `[]`. */
  tags?: readonly string[];
  /** Lifetime from now, in ms; must be > 0 (else the value is not stored: outcome `expired`). */
  ttlMs: number;
  /**
   * When the work that produced the value started, from {@link TieredStore.now} taken before the
   * work: store-time freshness refuses it if one of its tags was invalidated (or the store
   * flushed) at or after this time. Default: now (nothing to race with: content-addressed values).
   */
  startedAt?: number;
  /**
   * The lowest `pg_last_wal_replay_lsn()` of the replicas the work read from (`hex/hex`); absent
   * when it read only the primary. The value is refused (`replica-behind`) unless that position is
   * at or past the LSN of every recorded invalidation of its tags.
   */
  readLsn?: string;
}

/**
 * What {@link TieredStore.set} did. `stored`: L1 holds it (unless larger than L1) and `shared`
 * settles when the L2 write has succeeded or failed (failure reported to `onError`; never
 * rejects; resolves at once without L2). `stale`: refused by store-time freshness, in neither tier.
 * `replica-behind`: read from a replica that had not replayed a write that invalidated one of its
 * tags, in neither tier. `expired`: `ttlMs` ≤ 0, in neither tier.
 */
export type SetOutcome = { stored: true; shared: Promise<void> } | { stored: false; reason: 'stale' | 'replica-behind' | 'expired' };

/** A value found, with where it was found. */
export interface TieredHit<V> {
  value: V;
  tier: 'l1' | 'l2';
  tags: readonly string[];
  startedAt: number;
  expiresAt: number;
  /** The replica position the entry was read at (see {@link StoredEntry.readLsn}); absent: the primary. */
  readLsn?: string;
}

/** What {@link TieredStore.invalidate} removed: entries per tier (`shared` undefined without L2 or when L2 failed). */
export interface InvalidateOutcome {
  local: number;
  shared: number | undefined;
}

/**
 * L1 in process over L2 shared, one store per kind of value.
 *
 * Guarantees:
 * - Store-time freshness: the store remembers when each tag was last invalidated and when it was
 *   last flushed (for `invalidationMemoryMs`, longer than any request runs); `set` refuses a value
 *   whose `startedAt` is at or before either, and an L2 entry whose `startedAt` is is read as a
 *   miss. A read racing a write therefore never leaves the old value in either tier.
 * - Errors: no method rejects or throws for a well-formed call. An L2 failure is reported to
 *   `onError` and degrades to L1 (a failed read is a miss, a failed write is not written, a failed
 *   invalidation or flush is reported; entries it could not reach expire by TTL or epoch).
 * - Without L2 (`l2` absent) every L2 step is skipped: a single-instance store.
 */
export interface TieredStore<V> {
  /** The store's clock (ms since the epoch): take `startedAt` from it before the work. */
  now(): number;
  /** Whether an L2 tier is configured (`getShared` can find anything). */
  readonly hasShared: boolean;
  /** L1, then L2 ({@link getShared}); `undefined` when neither has a servable entry. */
  get(key: string): Promise<TieredHit<V> | undefined>;
  /** L1 only, synchronous: the live entry or `undefined`. */
  getLocal(key: string): TieredHit<V> | undefined;
  /** L1 only, synchronous: the live entry's value or `undefined` (as `getLocal(key)?.value`, without a hit object). */
  peekLocal(key: string): V | undefined;
  /**
   * L2 only: the entry if present, decodable and fresh (see above), then copied into L1 with its
   * remaining lifetime (read-through). `undefined` without L2, on a miss, on failure (reported).
   */
  getShared(key: string): Promise<TieredHit<V> | undefined>;
  /** Stores `value` in L1 now and in L2 in the background, unless store-time freshness refuses it. */
  set(key: string, value: V, options: SetOptions): SetOutcome;
  /**
   * Records the invalidation of `tags` now (for freshness; with the write's WAL position `lsn`
   * when its event carried one, for replica reads), removes their entries from L1, then from L2
   * (one round trip). Resolves when both are done; never rejects.
   */
  invalidate(tags: readonly string[], lsn?: string): Promise<InvalidateOutcome>;
  /**
   * Flush for every instance: records a flush now, clears L1 and moves L2 to `epoch`, which every
   * instance hearing the same flush must pass identically (the flush event's time), so that all
   * meet in one fresh epoch without enumerating keys. Never rejects.
   */
  flush(epoch: string, lsn?: string): Promise<void>;
  /** Flush of this instance only: records a flush now and clears L1; L2 is untouched. */
  flushLocal(): void;
  /**
   * Clears L1 and refuses values started before now (`set`), but keeps reading L2 entries as
   * before: for a local change that does not make L2 entries wrong (a new supergraph: its keys
   * differ; a bus proven again: see {@link trustSharedAfter}).
   */
  dropLocal(): void;
  /**
   * L2 entries started at or before `at` (ms) are read as misses from now on (`getShared`): the
   * caller cannot vouch that every invalidation since reached L2. Initially `-Infinity`.
   */
  trustSharedAfter(at: number): void;
  /** The time last given to {@link trustSharedAfter}. */
  readonly sharedFloor: number;
  /** Whether nothing was invalidated or flushed at or after `startedAt` (then `isFresh` holds for any tags). */
  isQuietSince(startedAt: number): boolean;
  /** Re-reads L2's current epoch (after a lost bus: a flush may have been missed). Never rejects. */
  refreshEpoch(): Promise<void>;
  /** Whether a value started at `startedAt` with `tags` would be accepted by `set` now. */
  isFresh(startedAt: number, tags: Iterable<string>): boolean;
  /** Whether a value read from a replica at `readLsn` with `tags` passes the replay check of `set` (see `FreshnessLedger.isReplayedPast`). */
  isReplayedPast(readLsn: string | undefined, tags: Iterable<string>): boolean;
  /** {@link isReplayedPast} for any tags. */
  isReplayedPastAll(readLsn: string | undefined): boolean;
  /** Until {@link learnPosition}, refuses every replica read (`set`, and L2 entries read from a replica): events may have been missed. */
  forgetPositions(): void;
  /** A position at or past every write whose event may have been missed (see `FreshnessLedger.learnPosition`). */
  learnPosition(lsn: string): void;
}

/** Options of {@link createTieredStore}. */
export interface TieredStoreOptions<V> {
  /** The in-process tier (`createLruTier`). Required. */
  l1: L1Tier<V>;
  /** The shared tier (`createRedisTier`); absent: L1 only (no `REDIS_URL`). */
  l2?: L2Tier;
  /** How L2 text is made from entries and read back. Default: `jsonCodec()` (a JSON envelope). */
  codec?: TieredStoreCodec<V>;
  /** Receives every L2 failure (read, write, invalidation, epoch, undecodable text); default: ignored. Must not throw. */
  onError?: (error: Error) => void;
  /** The clock, ms since the epoch; default `Date.now`. Tests pass a fake one. */
  now?: () => number;
  /**
   * How long a tag's last invalidation is remembered for freshness, in ms; default
   * {@link DEFAULT_INVALIDATION_MEMORY_MS}. Must exceed the longest request: older ones are
   * forgotten (only once 10,000 tags are remembered).
   */
  invalidationMemoryMs?: number;
}

/** Default of {@link TieredStoreOptions.invalidationMemoryMs}: 2 minutes, longer than any request runs. */
export const DEFAULT_INVALIDATION_MEMORY_MS = 120_000;
