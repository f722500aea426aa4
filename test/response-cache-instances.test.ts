import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runScript } from './support/run-script.js';
import { REDIS_URL } from './support/services.js';
import { startOwnRedis } from './support/redis-server.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { untilFresh } from './support/until-fresh.js';

async function ask(stack: Stack, query: string) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, text: await response.text(), source: response.headers.get('x-tributary-cache') };
}

let database: TestDatabase;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('two gateway instances over one set of subgraphs, Redis between them', () => {
  let a: Stack;
  let b: Stack;
  let uncached: Stack;
  beforeAll(async () => {
    const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}two:` };
    a = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { CACHE_DEBUG: 'true' } });
    b = await startStack({ databaseUrl: database.url, redis, subgraphs: a.subgraphs, gatewayEnv: { CACHE_DEBUG: 'true' } });
    uncached = await startStack({ databaseUrl: database.url, redis, subgraphs: a.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off' } });
  });
  afterAll(async () => {
    await uncached?.close();
    await b?.close();
    await a?.close();
  });

  it('serves an entry stored by one instance from L2 on the other, byte for byte, then from its L1', async () => {
    const query = '{ album(id: "7") { title tracks { name unitPrice } } }';
    const miss = await ask(a, query);
    expect(miss.source).toBe('miss');
    await new Promise((r) => setTimeout(r, 50)); // the L2 write is not awaited by the response
    const l2 = await ask(b, query);
    expect(l2.source).toBe('hit-l2');
    expect(l2.text).toBe(miss.text);
    const l1 = await ask(b, query);
    expect(l1.source).toBe('hit-l1');
    expect(l1.text).toBe(miss.text);
  });

  it('makes a plain SQL write visible on both instances within 100 ms, and nothing else', async () => {
    const name = '{ track(id: "20") { name } }';
    const price = '{ track(id: "20") { unitPrice } }';
    for (const stack of [a, b]) {
      await ask(stack, name);
      await ask(stack, price);
      expect((await ask(stack, name)).source).toMatch(/^hit/);
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.track SET name = 'Overdose (Remastered)' WHERE track_id = 20");
    const committed = Date.now();
    await client.end();
    const lags: number[] = [];
    for (const stack of [a, b]) {
      const { answer: body, lagMs } = await untilFresh(
        () => ask(stack, name),
        (r) => r.text.includes('Remastered'),
        committed,
      );
      lags.push(lagMs);
      expect(body.text).toBe('{"data":{"track":{"name":"Overdose (Remastered)"}}}');
      expect((await ask(stack, price)).source).toMatch(/^hit/);
    }
    expect(Math.max(...lags)).toBeLessThanOrEqual(100);
  });

  it('evicts on every instance with pnpm cache:invalidate over Redis', async () => {
    const query = '{ genre(id: "9") { name } }';
    for (const stack of [a, b]) {
      await ask(stack, query);
      expect((await ask(stack, query)).source).toBe('hit-l1');
    }
    const result = await runScript('scripts/cache-invalidate.ts', ['Genre'], { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}two:` });
    expect(result.code).toBe(0);
    await a.gateway.cache.fence();
    await b.gateway.cache.fence();
    expect((await ask(a, query)).source).toBe('miss');
    // b's L1 entry is gone; it may take the entry a just stored again from L2.
    expect((await ask(b, query)).source).not.toBe('hit-l1');
  });

  it('never keeps a stale entry: after concurrent writes and reads, every cached answer equals a fresh execution', async () => {
    const queries = [1, 2, 3, 4, 5].flatMap((id) => [`{ track(id: "${id}") { name unitPrice } }`, `{ track(id: "${id}") { unitPrice album { title } } }`]);
    queries.push('{ album(id: "1") { tracks { id unitPrice } } }', '{ tracks(first: 5) { nodes { id name unitPrice } } }');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const until = Date.now() + 2_000;
    let writes = 0;
    const writer = async () => {
      while (Date.now() < until) {
        const id = 1 + Math.floor(Math.random() * 5);
        await client.query('UPDATE catalog.track SET unit_price = $1, name = $2 WHERE track_id = $3', [(Math.random() * 10).toFixed(2), `Track ${id} v${writes++}`, id]);
      }
    };
    const reader = async (stack: Stack) => {
      while (Date.now() < until) for (const query of queries) expect((await ask(stack, query)).status).toBe(200);
    };
    await Promise.all([writer(), reader(a), reader(b), reader(a), reader(b)]);
    await client.end();
    expect(writes).toBeGreaterThan(20);
    await a.gateway.cache.fence();
    await b.gateway.cache.fence();
    await new Promise((r) => setTimeout(r, 100));
    for (const query of queries) {
      const fresh = (await ask(uncached, query)).text;
      for (const stack of [a, b]) expect((await ask(stack, query)).text, query).toBe(fresh);
    }
  });
});

describe('Redis stopped mid-load', () => {
  it('fails no request: answers from L1 and execution, and caches again when Redis is back', async () => {
    const redis = await startOwnRedis();
    const stack = await startStack({ databaseUrl: database.url, redis: { url: redis.url, keyPrefix: 'own:' }, gatewayEnv: { CACHE_DEBUG: 'true' } });
    try {
      const queries = ['{ genre(id: "1") { name } }', '{ album(id: "2") { title } }', '{ track(id: "9") { name } }'];
      const failures: string[] = [];
      let answered = 0;
      const until = Date.now() + 2_000;
      const load = async () => {
        while (Date.now() < until) {
          for (const query of queries) {
            const result = await ask(stack, query);
            answered++;
            if (result.status !== 200 || result.text.includes('"errors"')) failures.push(`${result.status} ${result.text}`);
          }
        }
      };
      const cachedWithin = async (ms: number) => {
        const deadline = Date.now() + ms;
        let source = (await ask(stack, '{ genre(id: "11") { name } }')).source;
        while (source !== 'hit-l1' && Date.now() < deadline) source = (await ask(stack, '{ genre(id: "11") { name } }')).source;
        return source;
      };
      expect(await cachedWithin(2_000)).toBe('hit-l1');
      const loads = Promise.all([load(), load(), load()]);
      await new Promise((r) => setTimeout(r, 500));
      await redis.stop();
      await new Promise((r) => setTimeout(r, 300));
      // The bus is lost: what L1 held is dropped and nothing is served from the cache, or stored.
      expect((await ask(stack, '{ genre(id: "11") { name } }')).source).toBe('not-stored');
      await new Promise((r) => setTimeout(r, 500));
      await redis.start();
      await loads;
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(30);
      // Back on the bus: caching again.
      expect(await cachedWithin(5_000)).toBe('hit-l1');
    } finally {
      await stack.close();
      await redis.stop().catch(() => undefined);
    }
  });
});
