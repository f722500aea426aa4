import { sha256Hex } from '@tributary/gateway';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';
import { CORPUS } from './support/federation-corpus.js';
import { REDIS_URL } from './support/services.js';

/**
 * A warm cache answers every HTTP request exactly as the gateway without a cache does: requests
 * that Yoga reads differently from the cache's lookup (parameters, content types) are refused or
 * answered alike, from L1 and from L2 on another instance.
 */

/** A raw HTTP request to `/graphql`. */
interface Probe {
  method?: 'GET' | 'POST';
  search?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** What a client sees: status, media type and body bytes (plus where the answer came from). */
async function send(url: string, probe: Probe) {
  const target = new URL(url);
  for (const [name, value] of Object.entries(probe.search ?? {})) target.searchParams.set(name, value);
  const method = probe.method ?? 'POST';
  const response = await fetch(target, {
    method,
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...probe.headers },
    body: method === 'POST' ? probe.body : undefined,
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text(), source: response.headers.get('x-tributary-cache') };
}

const QUERY = '{ products { id } }';
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

let stack: CorpusStack;
let uncached: string;
let a: string;
let b: string;
beforeAll(async () => {
  stack = await startCorpusStack(CORPUS[0]!);
  const redis = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}parity:`, CACHE_DEBUG: 'true' };
  uncached = await stack.gateway({ RESPONSE_CACHE: 'off' });
  a = await stack.gateway(redis);
  b = await stack.gateway(redis);
  // Warm: the query stored by `a` (L1 and L2); a GET of it has the same key.
  const post: Probe = { body: JSON.stringify({ query: QUERY }) };
  expect((await send(a, post)).source).toBe('miss');
  expect((await send(a, post)).source).toBe('hit-l1');
  await new Promise((resolve) => setTimeout(resolve, 50)); // the L2 write is not awaited by the response
  expect((await send(b, post)).source).toBe('hit-l2');
  expect((await send(a, { method: 'GET', search: { query: QUERY }, headers: PREFLIGHT })).source).toBe('hit-l1');
});
afterAll(async () => {
  await stack?.close();
});

/** Sends `probe` without the cache, then to both warm instances; each answer must equal the uncached one. */
async function expectUncachedAnswer(probe: Probe, expected: { status: number }) {
  const reference = await send(uncached, probe);
  expect(reference.status).toBe(expected.status);
  for (const url of [a, b]) {
    const { source, ...seen } = await send(url, probe);
    const { source: _none, ...want } = reference;
    expect(seen, `answered from ${source}`).toEqual(want);
  }
}

describe('a warm cache answers as the gateway without a cache', () => {
  it('refuses an empty operationName (400 OPERATION_RESOLUTION_FAILURE), which names no operation', async () => {
    await expectUncachedAnswer({ body: JSON.stringify({ query: QUERY, operationName: '' }) }, { status: 400 });
  });

  it.each(['Application/JSON', 'application/graphql-response+json', 'application/json ; charset=utf-8', 'application/jsonp'])(
    'answers 415 to a POST whose content type Yoga does not read as JSON (%j)',
    async (contentType) => {
      await expectUncachedAnswer({ headers: { 'content-type': contentType }, body: JSON.stringify({ query: QUERY }) }, { status: 415 });
    },
  );

  it.each(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8', 'application/json, text/plain', 'application/graphql+json'])(
    'answers a POST whose content type Yoga reads as JSON (%j)',
    async (contentType) => {
      await expectUncachedAnswer({ headers: { 'content-type': contentType }, body: JSON.stringify({ query: QUERY }) }, { status: 200 });
    },
  );

  it.each([
    ['extensions', '"x"'],
    ['extensions', '[]'],
    ['extensions', '7'],
    ['variables', '[]'],
    ['variables', '"x"'],
  ])('refuses a GET whose %s is not a JSON object (400), as Yoga does (%s)', async (name, value) => {
    await expectUncachedAnswer({ method: 'GET', search: { query: QUERY, [name]: value }, headers: PREFLIGHT }, { status: 400 });
  });

  it.each([
    ['extensions', '{}'],
    ['extensions', 'null'],
    ['variables', 'null'],
    ['variables', '{}'],
  ])('answers a GET whose %s is an object or null (%s)', async (name, value) => {
    await expectUncachedAnswer({ method: 'GET', search: { query: QUERY, [name]: value }, headers: PREFLIGHT }, { status: 200 });
  });

  it.each([
    ['L1', () => a, '{ products { id sku } }'],
    ['L2', () => b, '{ products { id title } }'],
  ])('registers an APQ document sent with its hash when the answer is a hit (%s), so that the hash alone then runs', async (_tier, instance, query) => {
    const hash = { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } };
    // Stored by `a` from a plain request (a client that does not use APQ, or a CDN warm-up).
    expect((await send(a, { body: JSON.stringify({ query }) })).source).toBe('miss');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the L2 write is not awaited
    // Apollo's persisted-query link: hash alone, PERSISTED_QUERY_NOT_FOUND, then document and hash.
    for (const url of [uncached, instance()]) {
      const unknown = await send(url, { body: JSON.stringify({ extensions: hash }) });
      expect(unknown.body).toContain('PERSISTED_QUERY_NOT_FOUND');
      const registering = await send(url, { body: JSON.stringify({ query, extensions: hash }) });
      expect(registering.status).toBe(200);
    }
    // Registered: the hash alone runs, with the cache as without it.
    await expectUncachedAnswer({ body: JSON.stringify({ extensions: hash }) }, { status: 200 });
  });

  it('answers 304 only for the representation the ETag names: a JSON ETag does not validate a graphql-response+json answer', async () => {
    const get = (accept: string, etag?: string): Probe => ({
      method: 'GET',
      search: { query: QUERY },
      headers: { ...PREFLIGHT, accept, ...(etag ? { 'if-none-match': etag } : {}) },
    });
    const json = await fetch(`${a}?query=${encodeURIComponent(QUERY)}`, { headers: { ...PREFLIGHT, accept: 'application/json' } });
    await json.text();
    const etag = json.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    // A browser's HTTP cache revalidates its stored JSON answer for a request that asks for the other media type.
    await expectUncachedAnswer(get('application/graphql-response+json', etag), { status: 200 });
    // The same representation is still validated.
    expect((await send(a, get('application/json', etag))).status).toBe(304);
  });
});
