import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { sha256Hex } from '@tributary/gateway';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

const MANIFEST = path.join(REPO_ROOT, 'schema/client/persisted-documents.json');
const trusted = Object.entries(JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>);
const [genresKey, genresDocument] = trusted.find(([, doc]) => doc.startsWith('query Genres'))!;

/** What a client gets: status, error code (if any), where it came from (debug header). */
async function send(stack: Stack, init: { body?: unknown; get?: Record<string, string>; headers?: Record<string, string> }) {
  const url = new URL(stack.gatewayUrl);
  for (const [name, value] of Object.entries(init.get ?? {})) url.searchParams.set(name, value);
  const response = await fetch(url, {
    method: init.get ? 'GET' : 'POST',
    headers: { ...(init.get ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.get ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  return { status: response.status, code: json?.errors?.[0]?.extensions?.code as string | undefined, source: response.headers.get('x-tributary-cache'), json };
}

const QUERY = '{ genres { id } }';
const DEEP = '{ album(id: "1") { tracks { album { tracks { album { title } } } } } }';
const INTROSPECTION = '{ __schema { queryType { name } } }';
const persisted = (hash: string, version = 1) => ({ persistedQuery: { version, sha256Hash: hash } });

let database: TestDatabase;
/** Stores answers (default settings). */
let a: Stack;
/** Same settings as `a`, its own L1: what `a` stored reaches it through L2. */
let c: Stack;
/** Other settings over the same Redis prefix: only persisted operations, depth 3, no introspection. */
let strict: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}refusals:` };
  a = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { CACHE_DEBUG: 'true' } });
  c = await startStack({ databaseUrl: database.url, redis, subgraphs: a.subgraphs, gatewayEnv: { CACHE_DEBUG: 'true' } });
  strict = await startStack({
    databaseUrl: database.url,
    redis,
    subgraphs: a.subgraphs,
    gatewayEnv: { CACHE_DEBUG: 'true', PERSISTED_OPERATIONS: 'only', GATEWAY_MAX_DEPTH: '3', GATEWAY_INTROSPECTION: 'false' },
  });
  // Warm: each document stored by `a` (L1 and L2).
  for (const query of [QUERY, DEEP, INTROSPECTION]) {
    expect((await send(a, { body: { query } })).source).toBe('miss');
    expect((await send(a, { body: { query } })).source).toBe('hit-l1');
  }
});
afterAll(async () => {
  await strict?.close();
  await c?.close();
  await a?.close();
  await database?.drop();
});

describe('a warm cache refuses what a miss would refuse', () => {
  it('serves the warm entries from L1 on the instance that stored them and from L2 on another', async () => {
    expect((await send(a, { body: { query: QUERY } })).source).toBe('hit-l1');
    expect((await send(c, { body: { query: DEEP } })).source).toBe('hit-l2');
  });

  describe.each([
    ['L1', () => a],
    ['L2', () => c],
  ])('from %s', (_tier, stack) => {
    it('refuses a sha256Hash that does not match the document (PERSISTED_QUERY_MISMATCH, 400)', async () => {
      const answer = await send(stack(), { body: { query: QUERY, extensions: persisted('0'.repeat(64)) } });
      expect([answer.status, answer.code, answer.source]).toEqual([400, 'PERSISTED_QUERY_MISMATCH', null]);
    });

    it('refuses a persisted-query version other than 1', async () => {
      const answer = await send(stack(), { body: { query: QUERY, extensions: persisted(sha256Hex(QUERY), 7) } });
      expect([answer.status, answer.code]).toEqual([400, 'PERSISTED_QUERY_VERSION_NOT_SUPPORTED']);
    });

    it('answers PERSISTED_QUERY_NOT_FOUND to a hash that was cached but never registered as APQ', async () => {
      const answer = await send(stack(), { body: { extensions: persisted(sha256Hex(DEEP)) } });
      expect([answer.status, answer.code]).toEqual([200, 'PERSISTED_QUERY_NOT_FOUND']);
    });

    it('refuses a GET without a CSRF preflight header (403) and a bad token (401)', async () => {
      const get = await send(stack(), { get: { query: QUERY } });
      expect([get.status, get.code]).toEqual([403, 'CSRF_PREVENTED']);
      const token = await send(stack(), { body: { query: QUERY }, headers: { authorization: 'Bearer not-a-token' } });
      expect([token.status, token.code]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('refuses a body with an unexpected parameter, or variables that are not an object (400)', async () => {
      const extra = await send(stack(), { body: { query: QUERY, debug: true } });
      expect([extra.status, extra.code]).toEqual([400, 'BAD_REQUEST']);
      const variables = await send(stack(), { body: { query: QUERY, variables: '{}' } });
      expect(variables.status).toBe(400);
    });

    it('answers the media type that Accept asks for, as the uncached path does', async () => {
      const response = await fetch(stack().gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(response.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
      expect(response.headers.get('x-tributary-cache')).toMatch(/^hit-/);
    });
  });

  it('never serves an entry to an instance whose settings refuse the request: persisted mode, depth, introspection', async () => {
    const notAllowed = await send(strict, { body: { query: QUERY } });
    expect([notAllowed.status, notAllowed.code, notAllowed.source]).toEqual([400, 'PERSISTED_QUERY_NOT_ALLOWED', null]);
    // A trusted document that is too deep for this instance is refused here, stored elsewhere or not.
    const deep = await send(strict, { body: { query: DEEP } });
    expect(deep.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('applies limits and introspection per instance, whatever another instance stored', async () => {
    const depthOnly = await startStack({
      databaseUrl: database.url,
      redis: { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}refusals:` },
      subgraphs: a.subgraphs,
      gatewayEnv: { CACHE_DEBUG: 'true', GATEWAY_MAX_DEPTH: '3', GATEWAY_INTROSPECTION: 'false' },
    });
    try {
      expect((await send(depthOnly, { body: { query: DEEP } })).code).toBe('DEPTH_LIMIT_EXCEEDED');
      expect((await send(depthOnly, { body: { query: INTROSPECTION } })).code).toBe('INTROSPECTION_DISABLED');
      expect((await send(depthOnly, { body: { query: QUERY } })).source).toBe('miss'); // its own key space
    } finally {
      await depthOnly.close();
    }
  });

  it('counts hits under their operation name in the request metrics', async () => {
    const named = 'query GenreName { genre(id: "2") { name } }';
    for (let i = 0; i < 3; i++) await send(a, { body: { query: named } });
    expect((await send(a, { body: { query: named } })).source).toBe('hit-l1');
    const metrics = await (await fetch(a.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metricValue(metrics, 'tributary_gateway_requests_total', { operation: 'GenreName', outcome: 'success' })).toBe(4);
  });

  it('runs trusted documents by documentId over GET, as a miss and as a hit', async () => {
    const get = { documentId: genresKey! };
    const headers = { 'apollo-require-preflight': 'true' };
    const miss = await send(strict, { get, headers });
    expect([miss.status, miss.source]).toEqual([200, 'miss']);
    expect(miss.json.data.genres).toHaveLength(25);
    const hit = await send(strict, { get, headers });
    expect([hit.status, hit.source, hit.json]).toEqual([200, 'hit-l1', miss.json]);
    expect(genresDocument).toContain('genres');
  });
});
