import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { CLUSTER_SLOTS, singleBucket, slotBuckets } from '../src/slot-buckets.js';

describe('slotBuckets (the L2 key layout on a Redis Cluster)', () => {
  it('gives 16 hash tags, one per sixteenth of the slots, the same on every instance', () => {
    const buckets = slotBuckets(16);
    expect(buckets.hashTags).toHaveLength(16);
    expect(buckets.hashTags[0]).toMatch(/^\{b0\.\d+\}:$/);
    buckets.hashTags.forEach((tag, i) => {
      const slot = calculateSlot(tag);
      expect(slot).toBeGreaterThanOrEqual((i * CLUSTER_SLOTS) / 16);
      expect(slot).toBeLessThan(((i + 1) * CLUSTER_SLOTS) / 16);
    });
    expect(slotBuckets(16).hashTags).toEqual(buckets.hashTags);
  });

  it('divides the buckets 5/5/6 over three masters with even slot ranges (redis-cli --cluster create)', () => {
    const ranges = [
      [0, 5460],
      [5461, 10922],
      [10923, 16383],
    ];
    const perMaster = ranges.map(([from, to]) => slotBuckets(16).hashTags.filter((tag) => calculateSlot(tag) >= from! && calculateSlot(tag) <= to!).length);
    expect([...perMaster].sort()).toEqual([5, 5, 6]);
  });

  it('puts a key, and every key written with its hash tag, in one slot', () => {
    const buckets = slotBuckets(16);
    const key = 'v1:abc:def:public';
    const tag = buckets.hashTagOf(key);
    expect(buckets.hashTagOf(key)).toBe(tag);
    expect(calculateSlot(`tributary:rc:0:${tag}e:${key}`)).toBe(calculateSlot(`tributary:rc:0:${tag}z:Track:42.unitPrice`));
    // Keys spread over every bucket.
    const used = new Set(Array.from({ length: 2_000 }, (_, i) => buckets.hashTagOf(`key-${i}`)));
    expect(used.size).toBe(16);
  });

  it("keeps one server's layout unchanged: one bucket, no hash tag", () => {
    expect(singleBucket.hashTags).toEqual(['']);
    expect(singleBucket.hashTagOf('anything')).toBe('');
  });

  it('refuses a bucket count that is not a whole number from 1 to 1024', () => {
    expect(() => slotBuckets(0)).toThrow(RangeError);
    expect(() => slotBuckets(2_000)).toThrow('from 1 to 1024');
  });
});
