import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COVERAGE_TTL_MS } from '@tributary/cache';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

async function ask(stack: Stack, query: string) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { text: await response.text(), source: response.headers.get('x-tributary-cache') };
}

let database: TestDatabase;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('an instance starting next to a warm L2', () => {
  const stacks: Stack[] = [];
  const redis = () => ({ url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}coverage:` });
  afterAll(async () => {
    for (const stack of stacks.reverse()) await stack.close();
  });

  it('uses entries stored before it started while another instance listened without a gap', async () => {
    const a = await startStack({ databaseUrl: database.url, redis: redis(), gatewayEnv: { CACHE_DEBUG: 'true' } });
    stacks.push(a);
    const query = '{ album(id: "9") { title tracks { name } } }';
    expect((await ask(a, query)).source).toBe('miss');
    const storedBy = Date.now();
    await new Promise((r) => setTimeout(r, 50)); // the L2 write follows the response
    const b = await startStack({ databaseUrl: database.url, redis: redis(), subgraphs: a.subgraphs, gatewayEnv: { CACHE_DEBUG: 'true' } });
    stacks.push(b);
    await b.gateway.cache.coverageChecked;
    expect(b.gateway.cache.l2TrustedAfter).toBeLessThan(storedBy);
    const hit = await ask(b, query);
    expect(hit.source).toBe('hit-l2');
    expect(hit.text).toBe((await ask(a, query)).text);
  });

  it('refuses entries stored before a gap in which nobody listened (a write then went unheard)', async () => {
    const a = stacks[0]!;
    const query = '{ track(id: "30") { name } }';
    expect((await ask(a, query)).text).toBe('{"data":{"track":{"name":"Amazing"}}}');
    await new Promise((r) => setTimeout(r, 50));
    for (const stack of stacks) await stack.gateway.stop(); // nobody listens now (the subgraphs still run)
    await new Promise((r) => setTimeout(r, COVERAGE_TTL_MS * 2));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.track SET name = 'Amazing (Live)' WHERE track_id = 30");
    await client.end();
    await new Promise((r) => setTimeout(r, 500)); // the change feed published it; no gateway heard it
    const c = await startStack({ databaseUrl: database.url, redis: redis(), subgraphs: a.subgraphs, gatewayEnv: { CACHE_DEBUG: 'true' } });
    stacks.push(c);
    await c.gateway.cache.coverageChecked;
    const answer = await ask(c, query);
    expect(answer.source).toBe('miss');
    expect(answer.text).toBe('{"data":{"track":{"name":"Amazing (Live)"}}}');
  });
});
