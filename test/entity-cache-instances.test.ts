import { createServer, type Server } from 'node:http';
import { closeGracefully, listen } from '@tributary/runtime';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { startOwnRedis } from './support/redis-server.js';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { sql } from './support/sql.js';

/**
 * The entity cache never stale across instances and races, and never failing a request when
 * Redis goes away (issue 12). Every gateway here runs with the response cache off, so that each
 * request executes its plan through the entity cache.
 */

async function ask(stack: Stack, query: string) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, text: await response.text(), entities: response.headers.get('x-tributary-entity-cache') };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An HTTP proxy in front of a subgraph that, while closed, holds the subgraph's answers (already read) before passing them on. */
async function startAnswerGate(target: string) {
  let open: Promise<void> = Promise.resolve();
  let release = () => {};
  let onAnswered: (() => void) | undefined;
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
    const answer = await fetch(target, { method: request.method, headers, body: Buffer.concat(chunks) });
    const body = Buffer.from(await answer.arrayBuffer());
    onAnswered?.();
    await open;
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(body);
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    /** Holds the next answers; `answered` resolves when the subgraph has answered one. */
    close(): { answered: Promise<void> } {
      open = new Promise((resolve) => (release = resolve));
      return { answered: new Promise((resolve) => (onAnswered = resolve)) };
    },
    open() {
      onAnswered = undefined;
      release();
    },
    stop: () => closeGracefully(server),
  };
}

let database: TestDatabase;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('a read racing a write', () => {
  let uncached: Stack;
  let gated: Stack;
  let gate: Awaited<ReturnType<typeof startAnswerGate>>;
  beforeAll(async () => {
    const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}entity-race:` };
    uncached = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' } });
    gate = await startAnswerGate(uncached.subgraphs.urls.catalog!);
    gated = await startStack({
      databaseUrl: database.url,
      redis,
      subgraphs: { ...uncached.subgraphs, urls: { ...uncached.subgraphs.urls, catalog: gate.url } },
      gatewayEnv: { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' },
    });
  });
  afterAll(async () => {
    await gated?.close();
    await gate?.stop();
    await uncached?.close();
  });

  it('does not store a fetch that read a field before a plain SQL write changed it and whose event arrived first', async () => {
    const query = '{ track(id: "2") { name } }';
    const { answered } = gate.close();
    const inFlight = ask(gated, query);
    await answered; // catalog has read the old name; its answer is held
    await sql(database.url, "UPDATE catalog.track SET name = 'Balls to the Wall (Live)' WHERE track_id = 2");
    await pause(300); // the write's event has reached the gateway
    gate.open();
    const first = await inFlight;
    expect(first.text).toBe('{"data":{"track":{"name":"Balls to the Wall"}}}');
    const metrics = await (await fetch(gated.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
    expect(metricValue(metrics, 'tributary_entity_cache_stores_total', { subgraph: 'catalog', type: 'Query', outcome: 'stale' })).toBe(1);
    const again = await ask(gated, query);
    expect(again.text).toBe('{"data":{"track":{"name":"Balls to the Wall (Live)"}}}');
    expect(again.entities).toBe('fetches=0/1, representations=0/0');
  });
});

describe('two gateway instances, entity cache only, Redis between them', () => {
  let a: Stack;
  let b: Stack;
  let uncached: Stack;
  beforeAll(async () => {
    const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}entity-two:` };
    a = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' } });
    b = await startStack({ databaseUrl: database.url, redis, subgraphs: a.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' } });
    uncached = await startStack({ databaseUrl: database.url, redis, subgraphs: a.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' } });
  });
  afterAll(async () => {
    await uncached?.close();
    await b?.close();
    await a?.close();
  });

  it('serves entities stored by one instance from L2 on the other', async () => {
    const query = '{ album(id: "7") { title tracks { name purchaseCount } } }';
    const miss = await ask(a, query);
    expect(miss.entities).toMatch(/^fetches=0\/2, representations=0\/\d+$/);
    await pause(50); // L2 writes are not awaited by the response
    const shared = await ask(b, query);
    expect(shared.text).toBe(miss.text);
    expect(shared.entities).toMatch(/^fetches=2\/2, representations=(\d+)\/\1$/);
  });

  it('never keeps a stale entity: after concurrent writes and reads on both, every answer equals a fresh execution', async () => {
    const queries = [1, 2, 3, 4, 5].map((id) => `{ track(id: "${id}") { name unitPrice } }`);
    queries.push(
      '{ album(id: "1") { tracks { id name unitPrice purchaseCount } } }',
      '{ topTracks(first: 10) { id name unitPrice } }',
      '{ tracks(first: 5) { nodes { id name unitPrice playlists { name } } } }',
      '{ topTracks(first: 10) { id name } }',
      // Other selections of the same entities: answered from field cells (written by the queries above).
      '{ album(id: "1") { tracks { unitPrice name } } }',
      '{ track(id: "3") { unitPrice } }',
    );
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
    const failures: string[] = [];
    const reader = async (stack: Stack) => {
      while (Date.now() < until) {
        for (const query of queries) {
          const answer = await ask(stack, query);
          if (answer.status !== 200 || answer.text.includes('"errors"')) failures.push(answer.text);
        }
      }
    };
    await Promise.all([writer(), reader(a), reader(b), reader(a), reader(b)]);
    await client.end();
    expect(failures).toEqual([]);
    expect(writes).toBeGreaterThan(20);
    await a.gateway.cache.fence();
    await b.gateway.cache.fence();
    await pause(100);
    for (const query of queries) {
      const fresh = (await ask(uncached, query)).text;
      for (const stack of [a, b]) expect((await ask(stack, query)).text, query).toBe(fresh);
    }
    // And the entity cache was answering meanwhile, not bypassed.
    const metrics = await (await fetch(a.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
    expect(metricValue(metrics, 'tributary_entity_cache_requests_total', { subgraph: 'catalog', type: 'Track', tier: 'l1', result: 'hit' })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'tributary_entity_cache_cells_total', { subgraph: 'catalog', outcome: 'assembled' })).toBeGreaterThan(0);
  });
});

describe('Redis stopped mid-load', () => {
  it('fails no request: the entity cache runs on L1 and execution, and uses Redis again when it is back', async () => {
    const redis = await startOwnRedis();
    const stack = await startStack({ databaseUrl: database.url, redis: { url: redis.url, keyPrefix: 'own:' }, gatewayEnv: { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' } });
    try {
      const queries = ['{ genre(id: "1") { name } }', '{ album(id: "2") { title tracks { name purchaseCount } } }', '{ track(id: "9") { name playlists { name } } }'];
      const failures: string[] = [];
      let answered = 0;
      let redisDown = false;
      let answeredWhileDown = 0;
      const until = Date.now() + 2_000;
      const load = async () => {
        while (Date.now() < until) {
          for (const query of queries) {
            const result = await ask(stack, query);
            answered++;
            if (redisDown) answeredWhileDown++;
            if (result.status !== 200 || result.text.includes('"errors"')) failures.push(`${result.status} ${result.text}`);
          }
        }
      };
      const servedWithin = async (ms: number) => {
        const deadline = Date.now() + ms;
        let seen = (await ask(stack, '{ genre(id: "11") { name } }')).entities;
        while (seen !== 'fetches=1/1, representations=0/0' && Date.now() < deadline) seen = (await ask(stack, '{ genre(id: "11") { name } }')).entities;
        return seen;
      };
      expect(await servedWithin(2_000)).toBe('fetches=1/1, representations=0/0');
      const loads = Promise.all([load(), load(), load()]);
      await pause(500);
      await redis.stop();
      redisDown = true;
      await pause(300);
      // The bus is lost: the entity cache holds nothing it cannot trust, and every fetch goes out.
      expect((await ask(stack, '{ genre(id: "11") { name } }')).entities).toBe('fetches=0/1, representations=0/0');
      await pause(500);
      redisDown = false;
      await redis.start();
      await loads;
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(answeredWhileDown);
      expect(answeredWhileDown, 'requests answered while Redis was down').toBeGreaterThan(3);
      expect(await servedWithin(5_000)).toBe('fetches=1/1, representations=0/0');
    } finally {
      await stack.close();
      await redis.stop().catch(() => undefined);
    }
  });
});
