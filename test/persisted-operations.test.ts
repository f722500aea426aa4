import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { ManifestError, loadManifests, sha256Hex } from '@tributary/gateway';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { metricValue } from './support/metrics.js';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

const QUERY = '{ genre(id: "3") { name } }';
const HASH = sha256Hex(QUERY);
const MANIFEST = path.join(REPO_ROOT, 'schema/client/persisted-documents.json');
const trusted = Object.entries(JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>);
const [genresKey, genresDocument] = trusted.find(([, doc]) => doc.startsWith('query Genres'))!;
const genresHash = genresKey.replace('sha256:', '');

let database: TestDatabase;
let redis: Redis;
const prefix = `${inject('redisPrefix')}po:`;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`); // test clean-up only; the product never uses KEYS
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await database?.drop();
});

/** POSTs a raw GraphQL-over-HTTP body. */
async function post(stack: Stack, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('automatic persisted queries (allow mode, Redis shared by two gateways)', () => {
  let one: Stack;
  let two: Stack;
  beforeAll(async () => {
    const gatewayEnv = { REDIS_URL, REDIS_KEY_PREFIX: prefix };
    one = await startStack({ databaseUrl: database.url, gatewayEnv });
    two = await startStack({ databaseUrl: database.url, gatewayEnv });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, then registers and serves it on both instances', async () => {
    expect(await post(one, { extensions: persisted(HASH) })).toEqual({
      status: 200,
      body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
    });
    expect(await post(one, { query: QUERY, extensions: persisted(HASH) })).toEqual({ status: 200, body: { data: { genre: { name: 'Metal' } } } });
    expect(await redis.get(`${prefix}apq:${HASH}`)).toBe(QUERY);
    const ttl = await redis.ttl(`${prefix}apq:${HASH}`);
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
    expect(await post(one, { extensions: persisted(HASH) })).toEqual({ status: 200, body: { data: { genre: { name: 'Metal' } } } });
    expect(await post(two, { extensions: persisted(HASH) })).toEqual({ status: 200, body: { data: { genre: { name: 'Metal' } } } });
  });

  it('serves a registered hash over GET', async () => {
    const url = `${one.gatewayUrl}?extensions=${encodeURIComponent(JSON.stringify(persisted(HASH)))}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await response.json()).toEqual({ data: { genre: { name: 'Metal' } } });
  });

  it('refuses a hash that does not match the query: nothing executed, nothing stored in either tier', async () => {
    const query = '{ genre(id: "4") { name } }';
    const wrongHash = sha256Hex('something else');
    const { result, statements } = await one.countStatements(() => post(one, { query, extensions: persisted(wrongHash) }));
    expect(result).toEqual({ status: 400, body: { errors: [{ message: 'Provided sha256Hash does not match the query', extensions: { code: 'PERSISTED_QUERY_MISMATCH' } }] } });
    expect(statements).toBe(0);
    expect(await redis.exists(`${prefix}apq:${wrongHash}`)).toBe(0);
    expect((await post(one, { extensions: persisted(wrongHash) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const metrics = await (await fetch(one.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metricValue(metrics, 'tributary_gateway_refusals_total', { code: 'PERSISTED_QUERY_MISMATCH' })).toBe(1);
  });

  it('does not register a document that fails validation', async () => {
    const invalid = '{ genre(id: "1") { nope } }';
    const hash = sha256Hex(invalid);
    expect((await post(one, { query: invalid, extensions: persisted(hash) })).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await redis.exists(`${prefix}apq:${hash}`)).toBe(0);
  });

  it('runs trusted manifest documents by hash or by documentId without registration', async () => {
    const expected = { status: 200, body: { data: { genres: expect.arrayContaining([{ id: '1', name: 'Rock' }]) } } };
    expect(await post(one, { extensions: persisted(genresHash) })).toEqual(expected);
    expect(await post(one, { documentId: genresKey })).toEqual(expected);
  });
});

describe('APQ with Redis unreachable', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ databaseUrl: database.url, gatewayEnv: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: prefix } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('degrades to not-found and the in-process tier, never a 500', async () => {
    const query = '{ genre(id: "5") { name } }';
    const hash = sha256Hex(query);
    expect(await post(stack, { extensions: persisted(hash) })).toEqual({ status: 200, body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
    expect(await post(stack, { query, extensions: persisted(hash) })).toEqual({ status: 200, body: { data: { genre: { name: 'Rock And Roll' } } } });
    expect(await post(stack, { extensions: persisted(hash) })).toEqual({ status: 200, body: { data: { genre: { name: 'Rock And Roll' } } } });
    // Not silent: each failed Redis read and write is counted (and logged once per cause).
    const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metricValue(metrics, 'tributary_errors_total', { code: 'APQ_STORE_UNAVAILABLE' })).toBeGreaterThanOrEqual(2);
  });
});

describe('PERSISTED_OPERATIONS=only', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ databaseUrl: database.url, gatewayEnv: { PERSISTED_OPERATIONS: 'only' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("accepts the manifest's operations, by hash or by their exact text", async () => {
    expect((await post(stack, { extensions: persisted(genresHash) })).body.data.genres).toHaveLength(25);
    expect((await post(stack, { query: genresDocument })).body.data.genres).toHaveLength(25);
    const [albumKey] = trusted.find(([, doc]) => doc.startsWith('query AlbumPage'))!;
    const album = await post(stack, { documentId: albumKey, variables: { id: '4' } });
    expect(album.body.data.album.title).toBe('Let There Be Rock');
  });

  it('refuses every other document with 400 PERSISTED_QUERY_NOT_ALLOWED, counted in /metrics', async () => {
    const { result, statements } = await stack.countStatements(() => post(stack, { query: QUERY }));
    expect(result).toEqual({ status: 400, body: { errors: [{ message: 'Only persisted operations are allowed', extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }] } });
    expect(statements).toBe(0);
    expect((await post(stack, { query: QUERY, extensions: persisted(HASH) })).status).toBe(400);
    expect((await post(stack, { extensions: persisted(HASH) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metricValue(metrics, 'tributary_gateway_refusals_total', { code: 'PERSISTED_QUERY_NOT_ALLOWED' })).toBe(3);
  });
});

describe('PERSISTED_OPERATIONS=off', () => {
  it('answers a hash without a document with PERSISTED_QUERY_NOT_SUPPORTED and runs plain documents', async () => {
    const stack = await startStack({ databaseUrl: database.url, gatewayEnv: { PERSISTED_OPERATIONS: 'off' } });
    try {
      expect((await post(stack, { extensions: persisted(HASH) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
      expect((await post(stack, { query: QUERY, extensions: persisted(sha256Hex('x')) })).body).toEqual({ data: { genre: { name: 'Metal' } } });
    } finally {
      await stack.close();
    }
  });
});

describe('loadManifests', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads graphql-codegen's and Apollo's manifest formats", () => {
    const apollo = path.join(dir, 'apollo.json');
    writeFileSync(apollo, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: HASH, name: 'G', type: 'query', body: QUERY }] }));
    const documents = loadManifests([MANIFEST, apollo]);
    expect(documents.size).toBe(trusted.length + 1);
    expect(documents.get(HASH)).toBe(QUERY);
    expect(documents.get(genresHash)).toBe(genresDocument);
  });

  it('refuses an entry whose hash is not its document’s, and unknown formats, naming the file', () => {
    const wrong = path.join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ [sha256Hex('other')]: QUERY }));
    expect(() => loadManifests([wrong])).toThrow(ManifestError);
    expect(() => loadManifests([wrong])).toThrow(`persisted operations manifest ${wrong}: entry ${sha256Hex('other')} is not the SHA-256 of its document`);
    const list = path.join(dir, 'list.json');
    writeFileSync(list, '[1, 2]');
    expect(() => loadManifests([list])).toThrow(/expected \{ "<sha256>": "<document>" \} or an apollo-persisted-query-manifest/);
  });
});
