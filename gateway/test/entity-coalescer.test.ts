import { describe, expect, it } from 'vitest';
import { InflightFetches } from '../src/cache/entity-coalescer.js';

/** Whether `promise` has settled after the microtasks queued now have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('InflightFetches: identical fetches', () => {
  it('gives the first claimant the key and later ones what it settles with; the key is free again after', async () => {
    const inflight = new InflightFetches();
    const owner = inflight.claim('k');
    const waiter = inflight.claim('k');
    expect(owner.kind).toBe('owner');
    expect(waiter.kind).toBe('waiter');
    const shared = { value: { body: '{"a":1}', scope: 'public' as const }, expiresAt: 5, subject: 'anonymous' };
    if (owner.kind === 'owner') owner.settle(shared);
    expect(waiter.kind === 'waiter' && (await waiter.shared)).toBe(shared);
    expect(inflight.size).toBe(0);
    expect(inflight.claim('k').kind).toBe('owner');
  });
});

describe('InflightFetches: field cells being got', () => {
  it('makes a fetch wait only when every cell it lacks is marked, until each marking fetch ends', async () => {
    const inflight = new InflightFetches();
    expect(inflight.cellsPending(['a'])).toBeUndefined();
    expect(inflight.cellsPending([])).toBeUndefined();
    const endFirst = inflight.markCells(['a', 'b']);
    // A second fetch marks only what is not marked yet: `c`.
    const endSecond = inflight.markCells(['b', 'c']);
    expect(inflight.markedCells).toBe(3);
    expect(inflight.cellsPending(['a', 'd'])).toBeUndefined();

    const onFirst = inflight.cellsPending(['a', 'b'])!;
    const onBoth = inflight.cellsPending(['a', 'c'])!;
    expect(await settled(onFirst)).toBe(false);
    endFirst();
    expect(await settled(onFirst)).toBe(true);
    expect(await settled(onBoth)).toBe(false);
    expect(inflight.markedCells).toBe(1);
    endSecond();
    endSecond(); // a second end does nothing
    expect(await settled(onBoth)).toBe(true);
    expect(inflight.markedCells).toBe(0);
    expect(inflight.cellsPending(['c'])).toBeUndefined();
  });

  it('a fetch that marks after another ended takes the cells over', async () => {
    const inflight = new InflightFetches();
    inflight.markCells(['a'])();
    const end = inflight.markCells(['a']);
    const waiting = inflight.cellsPending(['a'])!;
    expect(await settled(waiting)).toBe(false);
    end();
    expect(await settled(waiting)).toBe(true);
  });

  it('releases cells early (those a fetch found in L2) and marks more below them, until its mark ends', async () => {
    const inflight = new InflightFetches();
    const other = inflight.markCells(['c']);
    const mark = inflight.markCells(['a', 'b', 'c']);
    const onA = inflight.cellsPending(['a'])!;
    const onAB = inflight.cellsPending(['a', 'b'])!;
    mark.extend(['d', 'c']); // `c` stays the other fetch's
    mark.release(['a', 'c']); // `c` is not its own: not released
    expect(await settled(onA)).toBe(true);
    expect(await settled(onAB)).toBe(false);
    expect(inflight.cellsPending(['a'])).toBeUndefined();
    const onD = inflight.cellsPending(['d'])!;
    const onC = inflight.cellsPending(['c'])!;
    expect(inflight.markedCells).toBe(3);
    mark();
    expect(await settled(onAB)).toBe(true);
    expect(await settled(onD)).toBe(true);
    expect(await settled(onC)).toBe(false);
    mark.extend(['e']); // ended: marks nothing
    expect(inflight.markedCells).toBe(1);
    other();
    expect(await settled(onC)).toBe(true);
    expect(inflight.markedCells).toBe(0);
  });
});
