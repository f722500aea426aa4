import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/** The exact answer bytes, the cache's account of it, and the SQL it cost. */
async function ask(stack: Stack, query: string, as?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as) headers.authorization = `Bearer ${await tokenFor(as)}`;
  const { result, statements } = await stack.countStatements(async () => {
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { text: await response.text(), source: response.headers.get('x-tributary-cache') };
  });
  return { ...result, statements };
}

let database: TestDatabase;
let cached: Stack;
let uncached: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  cached = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_DEBUG: 'true' } });
  uncached = await startStack({ databaseUrl: database.url, subgraphs: cached.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off' } });
});
afterAll(async () => {
  await uncached?.close();
  await cached?.close();
  await database?.drop();
});

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(text);
  await client.end();
  await cached.subgraphs.changeFeed.fence();
  await cached.gateway.cache.fence();
}

const SEARCH = '{ search(text: "Restless", first: 5) { __typename ... on Track { id name unitPrice } ... on Album { id title } ... on Artist { id artist: name } } }';

describe('Query.search: a union of artists, albums and tracks', () => {
  it('answers as without the cache, then from L1, and evicts on a price change of a found track only', async () => {
    const expected = await ask(uncached, SEARCH);
    expect(JSON.parse(expected.text)).toEqual({
      data: {
        search: [
          { __typename: 'Album', id: '3', title: 'Restless and Wild' },
          { __typename: 'Track', id: '4', name: 'Restless and Wild', unitPrice: '0.99' },
        ],
      },
    });
    expect((await ask(cached, SEARCH)).text).toBe(expected.text);
    const hit = await ask(cached, SEARCH);
    expect([hit.source, hit.statements, hit.text]).toEqual(['hit-l1', 0, expected.text]);
    await sql('UPDATE catalog.track SET unit_price = 1.99 WHERE track_id = 5');
    expect((await ask(cached, SEARCH)).source).toBe('hit-l1');
    await sql('UPDATE catalog.track SET unit_price = 1.49 WHERE track_id = 4');
    const after = await ask(cached, SEARCH);
    expect(after.source).toBe('miss');
    expect(after.text).toContain('"unitPrice":"1.49"');
    expect(after.text).toBe((await ask(uncached, SEARCH)).text);
  });

  it('evicts a search when a rename makes another track match it', async () => {
    await ask(cached, SEARCH);
    expect((await ask(cached, SEARCH)).source).toBe('hit-l1');
    await sql("UPDATE catalog.track SET name = 'Restless Heart' WHERE track_id = 6");
    const after = await ask(cached, SEARCH);
    expect(after.source).toBe('miss');
    expect(JSON.parse(after.text).data.search.map((r: { id: string }) => r.id)).toEqual(['3', '4', '6']);
  });
});

describe('Query.people: an interface over customers (private last names) and employees', () => {
  const WICHTERLOVA = '{ people(nameContains: "Franti") { __typename id firstName lastName } }';
  const PEACOCK = '{ people(nameContains: "Peacock") { __typename firstName lastName ... on Employee { title } } }';

  it('stores a customer reading their own private data under their principal only', async () => {
    const own = await ask(cached, WICHTERLOVA, 'customer:5');
    expect(own.text).toBe('{"data":{"people":[{"__typename":"Customer","id":"5","firstName":"František","lastName":"Wichterlová"}]}}');
    expect(own.text).toBe((await ask(uncached, WICHTERLOVA, 'customer:5')).text);
    expect((await ask(cached, WICHTERLOVA, 'customer:5')).source).toBe('hit-l1');
    // Customer 6 and anonymous callers never get customer 5's answer.
    for (const as of ['customer:6', undefined]) {
      const other = await ask(cached, WICHTERLOVA, as);
      expect(other.source).toBe('not-stored');
      expect(JSON.parse(other.text).errors[0].extensions.code).toBe('FORBIDDEN');
      expect(JSON.parse(other.text).data.people[0].lastName).toBeNull();
    }
  });

  it('shares an employee answer publicly, and never stores one that read a maxAge 0 field', async () => {
    const first = await ask(cached, PEACOCK);
    expect(first.text).toBe('{"data":{"people":[{"__typename":"Employee","firstName":"Jane","lastName":"Peacock","title":"Sales Support Agent"}]}}');
    expect((await ask(cached, PEACOCK, 'customer:6')).source).toBe('hit-l1');
    const years = '{ people(nameContains: "Peacock") { ... on Employee { yearsOfService } } }';
    const answer = await ask(cached, years);
    expect(answer.text).toBe((await ask(uncached, years)).text);
    expect(JSON.parse(answer.text).data.people[0].yearsOfService).toBeGreaterThanOrEqual(24);
    expect([answer.source, (await ask(cached, years)).source]).toEqual(['not-stored', 'not-stored']);
  });

  it("never matches a customer's private last name, for anyone", async () => {
    for (const as of [undefined, 'customer:6', 'customer:5']) {
      expect((await ask(cached, '{ people(nameContains: "Wichterl") { id } }', as)).text).toBe('{"data":{"people":[]}}');
    }
  });

  it('evicts a people list when a name change makes someone match', async () => {
    await ask(cached, PEACOCK);
    expect((await ask(cached, PEACOCK)).source).toBe('hit-l1');
    await sql("UPDATE customers.customer SET first_name = 'Peacock' WHERE customer_id = 6");
    const after = await ask(cached, PEACOCK, 'employee:1');
    expect(after.source).toBe('miss');
    expect(JSON.parse(after.text).data.people).toHaveLength(2);
  });
});
