import type { Counter, LabelValues } from 'prom-client';

/** Tallies that a counter hands to prom-client when it is read. */
const tallies = new WeakMap<object, Array<() => void>>();

/**
 * The `collect` option of a prom-client `Counter` whose hot paths count through
 * {@link talliedCounter}: called when the counter is read (`/metrics`, `getMetricsAsJSON`), it adds
 * what was tallied since the last read. Pass it as `collect: collectTallies`.
 */
export function collectTallies(this: object): void {
  for (const flush of tallies.get(this) ?? []) flush();
}

/**
 * A counter child for one label set that counts in a plain number and adds the tally to `counter`
 * (one `inc(labels, n)`) when the counter is read: per call, no label hashing or validation. The
 * counter must have been created with `collect: collectTallies`, else the tally is never read.
 * What a scrape shows is exact: every tallied increment made before the read is in it.
 */
export function talliedCounter<L extends string>(counter: Counter<L>, labels: LabelValues<L>): { inc(): void } {
  let pending = 0;
  const flush = () => {
    if (pending === 0) return;
    const n = pending;
    pending = 0;
    counter.inc(labels, n);
  };
  let list = tallies.get(counter);
  if (!list) tallies.set(counter, (list = []));
  list.push(flush);
  return {
    inc() {
      pending++;
    },
  };
}
