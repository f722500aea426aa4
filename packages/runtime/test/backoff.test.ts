import { backoffDelay } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';

describe('reconnect backoff', () => {
  const backoff = { baseMs: 250, capMs: 5_000 };

  it('doubles from the base, stays under the cap, and never comes sooner than half the window', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt, backoff, () => 0))).toEqual([125, 250, 500, 1_000, 2_000, 2_500, 2_500]);
    expect([1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt, backoff, () => 1))).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('spreads processes that lost the same server (jitter)', () => {
    const delays = new Set(Array.from({ length: 100 }, () => backoffDelay(8, backoff)));
    expect(delays.size).toBeGreaterThan(50);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(2_500);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(5_000);
  });
});
