import calculateSlot from 'cluster-key-slot';

/** Redis Cluster's slot count. */
export const CLUSTER_SLOTS = 16_384;

/**
 * How keys are grouped into Redis Cluster slots: each bucket is one hash tag (`{…}:`, the part of
 * a key Redis hashes when it has one), so every key written with a bucket's tag lands in that
 * bucket's one slot.
 */
export interface SlotBuckets {
  /** Every bucket's hash tag, in order (one empty string when there is one bucket and no tag). */
  readonly hashTags: readonly string[];
  /** The hash tag of the bucket that `key` falls in. */
  hashTagOf(key: string): string;
}

/** One server: one bucket, no hash tag (keys as they were before clusters). */
export const singleBucket: SlotBuckets = { hashTags: [''], hashTagOf: () => '' };

/**
 * `count` buckets whose slots are spread evenly over the 16,384: bucket `i`'s tag is the first
 * `{b<i>.<n>}` (n = 0, 1, …) whose slot lies in the `i`-th of `count` equal slices. Clusters
 * created by `redis-cli --cluster create` give each master a contiguous, equal range of slots, so
 * the buckets (and the entries in them) divide as evenly as `count` allows: with 16 buckets over
 * 3 masters, 5/5/6. The tags depend only on `count`: every instance computes the same ones.
 * A key falls in bucket `slot(key) mod count`.
 *
 * @throws RangeError when `count` is not a whole number from 1 to 1,024.
 */
export function slotBuckets(count: number): SlotBuckets {
  if (!Number.isInteger(count) || count < 1 || count > 1_024) throw new RangeError(`bucket count must be a whole number from 1 to 1024, got ${count}`);
  const hashTags: string[] = [];
  for (let i = 0; i < count; i++) {
    const from = Math.floor((i * CLUSTER_SLOTS) / count);
    const to = Math.floor(((i + 1) * CLUSTER_SLOTS) / count);
    for (let n = 0; ; n++) {
      const label = `b${i}.${n}`;
      const slot = calculateSlot(label);
      if (slot >= from && slot < to) {
        hashTags.push(`{${label}}:`);
        break;
      }
    }
  }
  return { hashTags, hashTagOf: (key) => hashTags[calculateSlot(key) % count]! };
}
