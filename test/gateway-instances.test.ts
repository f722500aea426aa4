import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { untilFresh } from './support/until-fresh.js';

/**
 * Issue 14, part 4: three gateways over one Redis and one set of subgraphs (the two-instance
 * tests of response-cache-instances.test.ts, for N), and one of them restarted under load.
 */

async function ask(stack: Stack, query: string) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, text: await response.text(), source: response.headers.get('x-tributary-cache') };
}

let database: TestDatabase;
const gateways: Stack[] = [];
let uncached: Stack;
const redis = () => ({ url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}many:` });
const startGateway = () => startStack({ databaseUrl: database.url, redis: redis(), subgraphs: gateways[0]?.subgraphs, gatewayEnv: { CACHE_DEBUG: 'true' } });

beforeAll(async () => {
  database = await cloneTemplateDatabase();
  for (let i = 0; i < 3; i++) gateways.push(await startGateway());
  uncached = await startStack({ databaseUrl: database.url, redis: redis(), subgraphs: gateways[0]!.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off' } });
}, 120_000);

afterAll(async () => {
  await uncached?.close();
  // The first one owns the subgraphs: closed last.
  for (const stack of gateways.slice(1)) await stack.close();
  await gateways[0]?.close();
  await database?.drop();
});

describe('three gateway instances over one Redis', () => {
  it('shares one L2: what one stored, each other serves byte for byte', async () => {
    const query = '{ album(id: "11") { title tracks { name } } }';
    const miss = await ask(gateways[0]!, query);
    expect(miss.source).toBe('miss');
    await new Promise((r) => setTimeout(r, 100)); // the L2 write is not awaited by the response
    for (const stack of gateways.slice(1)) {
      const shared = await ask(stack, query);
      expect(shared.source).toBe('hit-l2');
      expect(shared.text).toBe(miss.text);
    }
  });

  it('makes a plain SQL write visible on all three within 100 ms, and evicts nothing else', async () => {
    const name = '{ track(id: "30") { name } }';
    const price = '{ track(id: "30") { unitPrice } }';
    for (const stack of gateways) {
      await ask(stack, name);
      await ask(stack, price);
      expect((await ask(stack, name)).source).toMatch(/^hit/);
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.track SET name = 'Evil Walks (N)' WHERE track_id = 30");
    const committed = Date.now();
    await client.end();
    // Each instance polled at the same time (see untilFresh for what the lag counts).
    const lags = await Promise.all(
      gateways.map(async (stack) => {
        const { answer, lagMs } = await untilFresh(
          () => ask(stack, name),
          (r) => r.text.includes('(N)'),
          committed,
        );
        expect(answer.text).toBe('{"data":{"track":{"name":"Evil Walks (N)"}}}');
        return lagMs;
      }),
    );
    for (const stack of gateways) expect((await ask(stack, price)).source).toMatch(/^hit/);
    expect(Math.max(...lags)).toBeLessThanOrEqual(100);
  });

  it('never keeps a stale entry on any instance: after concurrent writes and reads, every cached answer equals a fresh execution', async () => {
    const queries = [41, 42, 43].flatMap((id) => [`{ track(id: "${id}") { name unitPrice } }`, `{ track(id: "${id}") { unitPrice album { title } } }`]);
    queries.push('{ album(id: "5") { tracks { id unitPrice } } }');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const until = Date.now() + 2_000;
    let writes = 0;
    const writer = async () => {
      while (Date.now() < until) {
        const id = 41 + (writes % 3);
        await client.query('UPDATE catalog.track SET unit_price = $1, name = $2 WHERE track_id = $3', [((writes % 90) / 10 + 0.99).toFixed(2), `Track ${id} v${writes}`, id]);
        writes++;
      }
    };
    const reader = async (stack: Stack) => {
      while (Date.now() < until) for (const query of queries) expect((await ask(stack, query)).status).toBe(200);
    };
    await Promise.all([writer(), ...gateways.map(reader)]);
    await client.end();
    expect(writes).toBeGreaterThan(10);
    for (const stack of gateways) await stack.gateway.cache.fence();
    await new Promise((r) => setTimeout(r, 100));
    for (const query of queries) {
      const fresh = (await ask(uncached, query)).text;
      for (const stack of gateways) expect((await ask(stack, query)).text, query).toBe(fresh);
    }
  });

  it('restarts one instance under load: no failed request at the others; back, it hears the bus and serves from the shared L2 at once', async () => {
    const queries = ['{ genre(id: "3") { name } }', '{ album(id: "12") { title } }', '{ track(id: "50") { name } }', '{ artist(id: "22") { name } }'];
    const stored = '{ album(id: "13") { title artist { name } } }';
    const first = await ask(gateways[0]!, stored);
    expect(first.source).toMatch(/^(miss|hit-)/);
    const failures: string[] = [];
    let answered = 0;
    let stop = false;
    const load = async (stack: Stack) => {
      while (!stop) {
        for (const query of queries) {
          const answer = await ask(stack, query);
          answered++;
          if (answer.status !== 200 || answer.text.includes('"errors"')) failures.push(`${answer.status} ${answer.text}`);
        }
      }
    };
    const others = Promise.all([load(gateways[0]!), load(gateways[1]!), load(gateways[0]!), load(gateways[1]!)]);
    let restarted: Stack;
    try {
      await new Promise((r) => setTimeout(r, 300));
      const before = answered;
      await gateways[2]!.close();
      restarted = await startGateway();
      gateways[2] = restarted;
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBeGreaterThan(before);
    } finally {
      stop = true;
      await others;
    }
    expect(failures).toEqual([]);
    expect(restarted.gateway.status.phase).toBe('serving');
    // An entry stored before it started: the right bytes. Today a new instance does not take it
    // from L2 (its supergraph load counts as a flush of its own, and the entry was read before
    // that: 'miss'); issue 13 changes that to 'hit-l2'. Both are accepted here.
    const older = await ask(restarted, stored);
    expect(older.text).toBe(first.text);
    expect(older.source).toMatch(/^(miss|hit-l2)$/);
    // An entry another instance stores now: served from the shared L2 at once.
    const fresh = '{ album(id: "14") { title artist { name } } }';
    const storedNow = await ask(gateways[0]!, fresh);
    expect(storedNow.source).toBe('miss');
    await new Promise((r) => setTimeout(r, 100)); // the L2 write is not awaited by the response
    const sharedNow = await ask(restarted, fresh);
    expect(sharedNow.source).toBe('hit-l2');
    expect(sharedNow.text).toBe(storedNow.text);
    // And it hears invalidations on the bus: a write evicts its L1 entry.
    expect((await ask(restarted, stored)).source).toBe('hit-l1');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.album SET title = 'Bridge (restart)' WHERE album_id = 13");
    await client.end();
    const deadline = Date.now() + 1_000;
    let answer = await ask(restarted, stored);
    while (!answer.text.includes('(restart)') && Date.now() < deadline) answer = await ask(restarted, stored);
    expect(answer.text).toContain('"title":"Bridge (restart)"');
    expect(answer.source).toBe('miss');
  });
});
