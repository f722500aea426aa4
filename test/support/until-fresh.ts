/**
 * Asks (`ask`) every 5 ms until `fresh(answer)`, or until `timeoutMs` (ms) after `since`; returns
 * the last answer and `lagMs`, from `since` (a write's commit, ms since the epoch) to when the
 * request that got it was sent. An instance that answers it fresh had evicted the old entry
 * before that request's lookup; the time its miss then takes to execute is not the event's, so it
 * is not counted. The caller asserts the answer and the bound.
 */
export async function untilFresh<A>(ask: () => Promise<A>, fresh: (answer: A) => boolean, since: number, timeoutMs = 1_000): Promise<{ answer: A; lagMs: number }> {
  let sent = Date.now();
  let answer = await ask();
  while (!fresh(answer) && Date.now() - since < timeoutMs) {
    await new Promise((r) => setTimeout(r, 5)); // pollers share the process with the gateways: leave the event loop room for the events
    sent = Date.now();
    answer = await ask();
  }
  return { answer, lagMs: sent - since };
}
