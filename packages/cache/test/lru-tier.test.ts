import { type StoredEntry, createLruTier } from '@tributary/cache';
import { describe, expect, it } from 'vitest';

const entry = (value: string, tags: string[], expiresAt = Infinity): StoredEntry<string> => ({ value, tags, startedAt: 0, expiresAt });

describe('the L1 tier tag index', () => {
  it('invalidates exactly the entries carrying a tag, and counts them', () => {
    const l1 = createLruTier<string>({ maxBytes: 1 << 20 });
    l1.set('a', entry('A', ['Track:1', 'Track:1.name']));
    l1.set('b', entry('B', ['Track:1', 'Track:2']));
    l1.set('c', entry('C', ['Track:2']));
    l1.set('d', entry('D', []));
    expect(l1.invalidate(['Track:1'])).toBe(2);
    expect([l1.get('a', 0), l1.get('b', 0), l1.get('c', 0)?.value, l1.get('d', 0)?.value]).toEqual([undefined, undefined, 'C', 'D']);
    // The index forgot the removed keys: a tag they shared with a survivor removes the survivor only.
    expect(l1.invalidate(['Track:2', 'Track:1.name'])).toBe(1);
    expect(l1.entries).toBe(1);
  });

  it('re-indexes a replaced entry under its new tags only', () => {
    const l1 = createLruTier<string>({ maxBytes: 1 << 20 });
    l1.set('a', entry('old', ['Genre:1']));
    l1.set('a', entry('new', ['Genre:2']));
    expect(l1.invalidate(['Genre:1'])).toBe(0);
    expect(l1.get('a', 0)?.value).toBe('new');
    expect(l1.invalidate(['Genre:2'])).toBe(1);
  });

  it('stays within its byte bound, evicting the least recently used and unindexing it', () => {
    const evicted: string[] = [];
    // Each entry: 2 × 100 (value) + 2 × (1 key + 5 tag) + 64 = 276 bytes; three fit in 900.
    const l1 = createLruTier<string>({ maxBytes: 900, onEvict: (reason) => evicted.push(reason) });
    for (const key of ['a', 'b', 'c']) l1.set(key, entry('x'.repeat(100), [`tag:${key}`]));
    expect(l1.bytes).toBe(3 * 276);
    l1.get('a', 0); // a is now more recent than b
    l1.set('d', entry('x'.repeat(100), ['tag:d']));
    expect(evicted).toEqual(['size']);
    expect(l1.get('b', 0)).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => l1.get(k, 0) !== undefined)).toEqual([true, true, true]);
    expect(l1.invalidate(['tag:b'])).toBe(0);
    expect(l1.bytes).toBeLessThanOrEqual(900);
  });

  it('refuses an entry larger than the whole tier', () => {
    const l1 = createLruTier<string>({ maxBytes: 100 });
    expect(l1.set('big', entry('x'.repeat(100), ['t']))).toBe(false);
    expect(l1.entries).toBe(0);
    expect(l1.invalidate(['t'])).toBe(0);
  });

  it('expires an entry at its expiry on the caller’s clock, reporting it', () => {
    const evicted: string[] = [];
    const l1 = createLruTier<string>({ maxBytes: 1 << 20, onEvict: (reason) => evicted.push(reason) });
    l1.set('a', entry('A', ['t'], 5_000));
    expect(l1.get('a', 4_999)?.value).toBe('A');
    expect(l1.get('a', 5_000)).toBeUndefined();
    expect(evicted).toEqual(['expired']);
    expect(l1.entries).toBe(0);
    expect(l1.invalidate(['t'])).toBe(0);
  });
});
