import { sha256Hex } from '@tributary/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

let database: TestDatabase;
let stack: Stack;
/** Requests that reached Yoga's plugin chain, by path. */
const reachedYoga: string[] = [];
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_DEBUG: 'true' }, plugins: [{ onRequest: ({ url }) => void reachedYoga.push(url.pathname) }] });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
/** Headers as sent, without those that differ per response by nature (`date`) or say where the answer came from. */
// Debug headers say how the answer was served (hit or miss, entity fetches executed): they differ by design.
const comparable = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name !== 'date' && name !== 'x-tributary-cache' && name !== 'x-tributary-cache-ttl' && name !== 'x-tributary-entity-cache'));

describe('the hit path below Yoga', () => {
  it('answers a warm public hit without Yoga, with the bytes and headers of the miss', async () => {
    const query = { query: 'query HitPathAlbum { album(id: "6") { title artist { name } } }' };
    const before = reachedYoga.length;
    const miss = await post(query);
    const missBody = await miss.text();
    expect(miss.headers.get('x-tributary-cache')).toBe('miss');
    expect(reachedYoga.length).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 20)); // the store follows the response
    const hit = await post(query);
    const hitBody = await hit.text();
    expect(hit.headers.get('x-tributary-cache')).toBe('hit-l1');
    expect(reachedYoga.length).toBe(before + 1); // not through Yoga
    expect(hitBody).toBe(missBody);
    expect(hitBody).toBe('{"data":{"album":{"title":"Jagged Little Pill","artist":{"name":"Alanis Morissette"}}}}');
    expect(comparable(hit)).toEqual(comparable(miss));
    expect(hit.headers.get('x-tributary-cache-ttl')).toMatch(/^\d+$/);
    // The request metrics count it, named as the entry says.
    const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/tributary_gateway_requests_total\{[^}]*operation="HitPathAlbum"[^}]*outcome="success"[^}]*\} 2/);
  });

  it('answers an APQ hash-only hit without Yoga once the hash is registered', async () => {
    const document = 'query HitPathApq($id: ID!) { album(id: $id) { title } }';
    const hash = sha256Hex(document);
    const persistedQuery = { version: 1, sha256Hash: hash };
    expect((await post({ query: document, variables: { id: '4' }, extensions: { persistedQuery } })).headers.get('x-tributary-cache')).toBe('miss');
    await new Promise((r) => setTimeout(r, 20));
    const before = reachedYoga.length;
    const hit = await post({ variables: { id: '4' }, extensions: { persistedQuery } });
    expect(hit.headers.get('x-tributary-cache')).toBe('hit-l1');
    expect(await hit.text()).toBe('{"data":{"album":{"title":"Let There Be Rock"}}}');
    expect(reachedYoga.length).toBe(before);
  });

  it('answers a hit with a bad token 401, as Yoga does', async () => {
    const query = { query: '{ genre(id: "3") { name } }' };
    await post(query);
    await new Promise((r) => setTimeout(r, 20));
    expect((await post(query)).headers.get('x-tributary-cache')).toBe('hit-l1');
    const refused = await post(query, { authorization: 'Bearer not-a-token' });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('leaves to Yoga what it would refuse: a GET without a preflight header, a non-JSON body, unknown parameters', async () => {
    const query = '{ genre(id: "4") { name } }';
    await post({ query });
    await new Promise((r) => setTimeout(r, 20));
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(query)}`);
    expect(get.status).toBe(403);
    const text = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) });
    expect(text.status).not.toBe(200);
    const extra = await post({ query, unexpected: 1 });
    expect(extra.status).toBe(400);
    // And with the preflight header the GET is the same hit.
    const preflighted = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.headers.get('x-tributary-cache')).toBe('hit-l1');
    expect(await preflighted.text()).toBe('{"data":{"genre":{"name":"Alternative & Punk"}}}');
  });
});
