import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';
import type { CorpusShape } from './support/federation-corpus.js';
import { type TcpProxy, startTcpProxy } from './support/tcp-proxy.js';
import { metricValue } from './support/metrics.js';
import { REDIS_URL } from './support/services.js';
import { MAX_CELL_WAIT_MS } from '../gateway/src/cache/with-entity-cache.js';

/**
 * Cell-level coalescing (`InflightFetches.markCells`, `assemble` in `with-entity-cache.ts`) under
 * slow owners, failing owners and slow L2: a fetch waiting for marked cells must never wait
 * longer than it would have taken alone by much, never hang, and be answered byte for byte as a
 * gateway without caches answers.
 */

const FEDERATION = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
`;

/** What the subgraph does now: how long `slow` takes, whether `fail` fails; and what it was asked. */
const control = { slowMs: 0, failMs: 0, calls: 0 };

const SHAPE: CorpusShape = {
  name: 'coalescing break',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'lib',
      typeDefs: `${FEDERATION}
        type Query { album(id: ID!): Album }
        type Album @key(fields: "id") { id: ID! title: String price: Float slow: String fail: String }`,
      resolvers: {
        Query: {
          album: (_: unknown, { id }: { id: string }) => {
            control.calls++;
            return { id };
          },
        },
        Album: {
          __resolveReference: (ref: { id: string }) => ref,
          title: (a: { id: string }) => `title ${a.id}`,
          price: (a: { id: string }) => Number(a.id) + 0.5,
          slow: async (a: { id: string }) => {
            await sleep(control.slowMs);
            return `slow ${a.id}`;
          },
          fail: async () => {
            await sleep(control.failMs);
            throw new Error('fail fails');
          },
        },
      },
    },
  ],
  requests: [],
};

async function ask(url: string, query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal });
  const text = await response.text();
  return { text, ms: performance.now() - started };
}

async function cells(url: string, outcome: string): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  return metricValue(text, 'tributary_entity_cache_cells_total', { subgraph: 'lib', outcome }) ?? 0;
}

let stack: CorpusStack;
let uncached: string;
const proxies: TcpProxy[] = [];
beforeAll(async () => {
  stack = await startCorpusStack(SHAPE);
  uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all(proxies.map((p) => p.close()));
});

let prefixes = 0;
const prefix = () => `${inject('redisPrefix')}coalesce-break${prefixes++}:`;

const OWNER = 'query Owner($id: ID!) { album(id: $id) { title slow } }';
const WAITER = 'query Waiter($id: ID!) { album(id: $id) { t: title } }';

describe('cell-level coalescing, slow and failing owners', () => {
  it('a fetch lacking only cells another fetch found in L2 does not wait for that fetch’s slow subgraph answer', async () => {
    const shared = prefix();
    const warm = await stack.gateway({ REDIS_URL, REDIS_KEY_PREFIX: shared, RESPONSE_CACHE: 'off' });
    // A second instance, cold, whose Redis is 120 ms away (a round trip): its L2 reads are slow, its subgraph slower.
    const proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
    proxy.delayMs = 60;
    proxies.push(proxy);
    const cold = await stack.gateway({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: shared, RESPONSE_CACHE: 'off' });
    for (const query of [OWNER, WAITER]) await ask(cold, query, { id: '2' }); // plans made
    // The album's title is in L2 (stored by the first instance), not in the second's L1.
    await ask(warm, '{ album(id: "1") { title } }');
    await sleep(300);

    control.slowMs = 2_000;
    try {
      const owner = ask(cold, OWNER, { id: '1' });
      await sleep(60);
      const waiter = await ask(cold, WAITER, { id: '1' });
      expect(waiter.text).toBe((await ask(uncached, WAITER, { id: '1' })).text);
      expect((await owner).text).toBe((await ask(uncached, OWNER, { id: '1' })).text);
      // Alone it takes two L2 rounds (~250 ms); waiting for the owner's subgraph answer, 2 s.
      expect(waiter.ms).toBeLessThan(1_200);
    } finally {
      control.slowMs = 0;
    }
  }, 30_000);

  it('a fetch lacking a cell the owner found in L2, then one below it the owner sends for, waits twice and sends nothing', async () => {
    const shared = prefix();
    const warm = await stack.gateway({ REDIS_URL, REDIS_KEY_PREFIX: shared, RESPONSE_CACHE: 'off' });
    const proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
    proxy.delayMs = 60;
    proxies.push(proxy);
    const cold = await stack.gateway({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: shared, RESPONSE_CACHE: 'off' });
    const owner = 'query Owner2($id: ID!) { album(id: $id) { title price slow } }';
    const waiter = 'query Waiter2($id: ID!) { album(id: $id) { t: title price } }';
    for (const query of [owner, waiter]) await ask(cold, query, { id: '2' });
    await ask(warm, '{ album(id: "3") { title } }');
    await sleep(300);
    const awaited = await cells(cold, 'awaited');
    // The owner's subgraph answer comes within the waiter's MAX_CELL_WAIT_MS (L2 rounds of 120 ms included).
    control.slowMs = 100;
    const calls = control.calls;
    try {
      const first = ask(cold, owner, { id: '3' });
      await sleep(60);
      const second = await ask(cold, waiter, { id: '3' });
      expect(second.text).toBe((await ask(uncached, waiter, { id: '3' })).text);
      expect((await first).text).toBe((await ask(uncached, owner, { id: '3' })).text);
      // Only the owner's fetch (and the two uncached asks) reached the subgraph.
      expect(control.calls - calls).toBe(3);
      expect(await cells(cold, 'awaited')).toBe(awaited + 2);
    } finally {
      control.slowMs = 0;
    }
  }, 30_000);

  /** Asks `owner` (not awaited), then after 100 ms `waiter`; both answers must be the uncached gateway's. */
  async function race(url: string, owner: string, waiter: string, id: string, abortOwnerAfterMs?: number, ownerAnswered = true): Promise<{ waiterMs: number; ownerMs: number }> {
    const controller = new AbortController();
    const started = performance.now();
    const first = ask(url, owner, { id }, controller.signal).then(
      (answer) => ({ ...answer, aborted: false }),
      () => ({ text: '', ms: performance.now() - started, aborted: true }),
    );
    if (abortOwnerAfterMs !== undefined) setTimeout(() => controller.abort(), abortOwnerAfterMs);
    await sleep(100);
    const second = await ask(url, waiter, { id });
    expect(second.text).toBe((await ask(uncached, waiter, { id })).text);
    const done = await first;
    if (!done.aborted && ownerAnswered) expect(done.text).toBe((await ask(uncached, owner, { id })).text);
    return { waiterMs: second.ms, ownerMs: done.ms };
  }

  /** No mark left behind: an owner failing alone, then a fetch lacking the same cells, answered at once. */
  async function noMarkLeft(url: string, owner: string, id: string, abortAfterMs?: number): Promise<void> {
    const controller = new AbortController();
    if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
    await ask(url, owner, { id }, controller.signal).catch(() => undefined);
    await sleep(abortAfterMs === undefined ? 0 : 200);
    const after = await ask(url, WAITER, { id });
    expect(after.text).toBe((await ask(uncached, WAITER, { id })).text);
    expect(after.ms).toBeLessThan(500);
  }

  const FAILING = 'query OwnerF($id: ID!) { album(id: $id) { title fail } }';

  it('an owner whose subgraph answer is an error: the waiter goes on after it, and no mark is left', async () => {
    const url = await stack.gateway({ RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' });
    for (const query of [FAILING, WAITER]) await ask(url, query, { id: '2' });
    control.failMs = 800;
    try {
      const { waiterMs } = await race(url, FAILING, WAITER, '10');
      console.log(`owner failing after 800 ms: waiter ${waiterMs.toFixed(0)} ms`);
      expect(waiterMs).toBeLessThan(3_000);
      await noMarkLeft(url, FAILING, '11');
    } finally {
      control.failMs = 0;
    }
  }, 30_000);

  it('an owner whose client went away: its subgraph fetch is aborted, the waiter goes on, no mark is left', async () => {
    const url = await stack.gateway({ RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' });
    for (const query of [OWNER, WAITER]) await ask(url, query, { id: '2' });
    control.slowMs = 5_000;
    try {
      const { waiterMs } = await race(url, OWNER, WAITER, '20', 400);
      console.log(`owner's client gone after 400 ms (subgraph 5 s): waiter ${waiterMs.toFixed(0)} ms`);
      expect(waiterMs).toBeLessThan(2_000);
      await noMarkLeft(url, OWNER, '21', 300);
    } finally {
      control.slowMs = 0;
    }
  }, 30_000);

  it('an owner whose subgraph fetch times out: the waiter goes on after it, and no mark is left', async () => {
    const url = await stack.gateway({ RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true', GATEWAY_SUBGRAPH_TIMEOUT_MS: '600' });
    for (const query of [OWNER, WAITER]) await ask(url, query, { id: '2' });
    control.slowMs = 3_000;
    try {
      const { waiterMs } = await race(url, OWNER, WAITER, '30', undefined, false);
      console.log(`owner timing out after 600 ms: waiter ${waiterMs.toFixed(0)} ms`);
      expect(waiterMs).toBeLessThan(2_000);
      await noMarkLeft(url, OWNER, '31');
    } finally {
      control.slowMs = 0;
    }
  }, 30_000);

  it('a cheap document lacking a cell a slow owner is getting waits at most MAX_CELL_WAIT_MS for it, then fetches by itself', async () => {
    const url = await stack.gateway({ RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' });
    for (const query of [OWNER, WAITER]) await ask(url, query, { id: '2' });
    const alone = await ask(url, WAITER, { id: '40' });
    control.slowMs = 1_500;
    try {
      const { waiterMs, ownerMs } = await race(url, OWNER, WAITER, '41');
      console.log(`slow owner (1.5 s field): waiter ${waiterMs.toFixed(0)} ms, owner ${ownerMs.toFixed(0)} ms; the waiter alone ${alone.ms.toFixed(0)} ms`);
      // Without the bound it took the owner's remaining 1.4 s.
      expect(waiterMs).toBeGreaterThanOrEqual(MAX_CELL_WAIT_MS);
      expect(waiterMs).toBeLessThan(MAX_CELL_WAIT_MS + 600);
      expect(ownerMs).toBeGreaterThanOrEqual(1_500);
      expect(await cells(url, 'awaited')).toBeGreaterThan(0);
    } finally {
      control.slowMs = 0;
    }
  }, 30_000);

  it('fetches lacking cells that failing owners keep failing to get wait for one owner only, not one after another', async () => {
    const url = await stack.gateway({ RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' });
    const documents = [0, 1, 2, 3].map((i) => `query F${i}($id: ID!) { album(id: $id) { ${['title', 'price', 'id', '__typename'][i]} fail } }`);
    for (const query of documents) await ask(url, query, { id: '2' });
    control.failMs = 500;
    try {
      const [owner, ...waiters] = await Promise.all(documents.map((query, i) => sleep(i * 30).then(() => ask(url, query, { id: '50' }))));
      for (const [i, answer] of [owner!, ...waiters].entries()) expect(answer.text).toBe((await ask(uncached, documents[i]!, { id: '50' })).text);
      console.log(`failing owners: ${[owner!, ...waiters].map((a) => a.ms.toFixed(0)).join(', ')} ms`);
      // Each at most one wait (for the first owner's failure) and its own failing fetch.
      for (const waiter of waiters) expect(waiter.ms).toBeLessThan(2 * 500 + 300);
    } finally {
      control.failMs = 0;
    }
  }, 30_000);

  it('Redis hanging under an owner and its waiter: both answered, within the L2 timeouts and their fetches', async () => {
    const shared = prefix();
    const proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
    proxies.push(proxy);
    const url = await stack.gateway({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: shared, RESPONSE_CACHE: 'off' });
    for (const query of [OWNER, WAITER]) await ask(url, query, { id: '2' });
    proxy.delayMs = 60_000; // every Redis reply from now on comes after a minute
    control.slowMs = 300;
    try {
      const { waiterMs, ownerMs } = await race(url, OWNER, WAITER, '60');
      console.log(`Redis hanging: owner ${ownerMs.toFixed(0)} ms, waiter ${waiterMs.toFixed(0)} ms`);
      expect(Math.max(waiterMs, ownerMs)).toBeLessThan(3_000);
      await noMarkLeft(url, OWNER, '61');
    } finally {
      control.slowMs = 0;
      proxy.delayMs = 0;
    }
  }, 30_000);
});
