/** Bounds of a reconnect loop's delays, in ms. */
export interface Backoff {
  /** Delay range of the first retry. */
  baseMs: number;
  /** No delay is longer than this, however many attempts failed. */
  capMs: number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry): exponential from `baseMs`,
 * capped at `capMs`, with "equal jitter" (a uniform draw in the upper half of the window), so
 * that processes that lost the same server do not all come back in the same millisecond, and
 * a retry never comes sooner than half the window.
 *
 * @example backoffDelay(1, { baseMs: 250, capMs: 5_000 }) // 125–250
 * backoffDelay(10, { baseMs: 250, capMs: 5_000 })           // 2,500–5,000
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const window = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(window / 2 + (random() * window) / 2);
}
