import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { DEFAULT_LIMITS, costRule, readFrontDoorConfig } from '@tributary/gateway';
import { GraphQLError, Kind, type SelectionSetNode, buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

let database: TestDatabase;
let stack: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

async function post(target: Stack, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(target.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** `{ employee(id: "8") { reportsTo { reportsTo { … firstName } } } }`: exactly `depth` fields deep, cheap. */
function nested(depth: number): string {
  return `{ employee(id: "8") { ${'reportsTo { '.repeat(depth - 2)}firstName${' }'.repeat(depth - 2)} } }`;
}

describe('request limits (defaults)', () => {
  it('pins every default', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxDepth: 16, maxAliases: 30, maxTokens: 2_000, maxRootFields: 20, maxCost: 50_000, maxBodyBytes: 102_400, maxBatch: 10 });
    expect(readFrontDoorConfig({})).toMatchObject({
      persistedOperations: 'allow',
      introspection: true,
      fieldSuggestions: true,
      apqTtlS: 86_400,
      apqL1MaxBytes: 5_242_880,
      redisKeyPrefix: 'tributary:',
      limits: DEFAULT_LIMITS,
    });
    expect(readFrontDoorConfig({ NODE_ENV: 'production' })).toMatchObject({ introspection: false, fieldSuggestions: false });
  });

  it.each([
    ['depth', nested(17), 'DEPTH_LIMIT_EXCEEDED', 'Operation is 17 fields deep; the limit is 16'],
    ['aliases', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: genres { id }`).join(' ')} }`, 'ALIAS_LIMIT_EXCEEDED', 'Document has 31 aliases; the limit is 30'],
    ['root fields', `{ ${Array.from({ length: 21 }, (_, i) => `genre(id: "${i + 1}") { name }`).join(' ')} }`.replace(/genre\(/g, (m) => m), 'ROOT_FIELD_LIMIT_EXCEEDED', null],
    ['tokens', `{ genres { ${'id '.repeat(2_000)} } }`, 'TOKEN_LIMIT_EXCEEDED', 'Document has more than 2000 tokens'],
    [
      'cost',
      '{ albums(first: 100) { nodes { tracks { name playlists { name tracks(first: 100) { nodes { name album { title artist { name albums { tracks { name } } } } } } } } } } }',
      'COST_LIMIT_EXCEEDED',
      null,
    ],
  ])('refuses a document over the %s limit with 400 and its own code, executing nothing', async (_, query, code, message) => {
    const { result, statements } = await stack.countStatements(() => post(stack, { query }));
    expect(result.status).toBe(400);
    expect(result.body.errors.map((e: any) => e.extensions.code)).toContain(code);
    if (message) expect(result.body.errors.map((e: any) => e.message)).toContain(message);
    expect(statements).toBe(0);
  });

  it('accepts a document exactly at the depth limit', async () => {
    const { status, body } = await post(stack, { query: nested(16) });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('counts depth through fragments', async () => {
    const chain = Array.from({ length: 15 }, (_, i) => (i % 2 === 0 ? 'albums' : 'artist'));
    const inner = chain.reduceRight((acc, field) => `${field} { ${acc} }`, chain.length % 2 === 1 ? 'title' : 'name');
    // album → artist (fragment A) → 15 more levels (fragment B) → leaf: 18 deep
    const query = `query { album(id: "1") { ...A } } fragment A on Album { artist { ...B } } fragment B on Artist { ${inner} }`;
    expect((await post(stack, { query })).body.errors[0].extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');
  });

  it('answers a body over 100 KiB with 413', async () => {
    const { status, body } = await post(stack, { query: `{ genres { id } } # ${'x'.repeat(110_000)}` });
    expect(status).toBe(413);
    expect(body.errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('counts a chunked body (no Content-Length) and refuses it past 100 KiB with the same 413', async () => {
    const chunked = async (text: string) => {
      const bytes = new TextEncoder().encode(text);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.subarray(i, i + 16_384));
          controller.close();
        },
      });
      const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      return { status: response.status, body: await response.text() };
    };
    const over = JSON.stringify({ query: `{ genres { id } } # ${'x'.repeat(110_000)}` });
    const declared = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: over });
    expect(await chunked(over)).toEqual({ status: 413, body: await declared.text() });
    expect(await chunked(JSON.stringify({ query: `{ genre(id: "1") { name } } # ${'x'.repeat(90_000)}` }))).toEqual({ status: 200, body: '{"data":{"genre":{"name":"Rock"}}}' });
  });

  it('runs batches of up to 10 operations and refuses larger ones with 413', async () => {
    const two = await post(stack, [{ query: '{ genre(id: "1") { name } }' }, { query: '{ genre(id: "2") { name } }' }]);
    expect(two).toEqual({ status: 200, body: [{ data: { genre: { name: 'Rock' } } }, { data: { genre: { name: 'Jazz' } } }] });
    const eleven = await post(
      stack,
      Array.from({ length: 11 }, () => ({ query: '{ genres { id } }' })),
    );
    expect(eleven.status).toBe(413);
    expect(eleven.body.errors[0]).toEqual({ message: 'Batched request has 11 operations; the limit is 10', extensions: { code: 'BATCH_LIMIT_EXCEEDED' } });
  });

  it('refuses a GET without a preflight header (CSRF) with 403, and serves it with one', async () => {
    const url = `${stack.gatewayUrl}?query=${encodeURIComponent('{ genre(id: "1") { name } }')}`;
    const bare = await fetch(url);
    expect(bare.status).toBe(403);
    expect((await bare.json()).errors[0].extensions.code).toBe('CSRF_PREVENTED');
    expect(await (await fetch(url, { headers: { 'apollo-require-preflight': 'true' } })).json()).toEqual({ data: { genre: { name: 'Rock' } } });
    const form = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ genres { id } }"}' });
    expect(form.status).toBe(403);
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const preflight = (target: Stack, origin: string) =>
      fetch(target.gatewayUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const refused = await preflight(stack, 'http://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-credentials')).toBeNull();
    const shop = await startStack({ databaseUrl: database.url, gatewayEnv: { GATEWAY_CORS_ORIGINS: 'https://shop.example' } });
    try {
      expect((await preflight(shop, 'https://shop.example')).headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect((await preflight(shop, 'http://evil.example')).headers.get('access-control-allow-origin')).not.toBe('http://evil.example');
    } finally {
      await shop.close();
    }
  });

  it('counts every refusal in /metrics by code', async () => {
    const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
    for (const code of [
      'COST_LIMIT_EXCEEDED',
      'DEPTH_LIMIT_EXCEEDED',
      'ALIAS_LIMIT_EXCEEDED',
      'ROOT_FIELD_LIMIT_EXCEEDED',
      'TOKEN_LIMIT_EXCEEDED',
      'REQUEST_ENTITY_TOO_LARGE',
      'BATCH_LIMIT_EXCEEDED',
      'CSRF_PREVENTED',
    ]) {
      expect(metricValue(metrics, 'tributary_gateway_refusals_total', { code }), code).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('the storefront operations', () => {
  const manifest = Object.values(JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema/client/persisted-documents.json'), 'utf8')) as Record<string, string>);

  const apiSchema = buildSchema(readFileSync(path.join(REPO_ROOT, 'schema/api-schema.graphql'), 'utf8'));
  const depthOf = (set: SelectionSetNode | undefined): number => (set ? Math.max(0, ...set.selections.map((s) => (s.kind === Kind.FIELD ? 1 + depthOf(s.selectionSet) : 0))) : 0);

  it('pass every default limit with room to spare (at most half of each)', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(15);
    for (const document of manifest) {
      const ast = parse(document);
      const operation = ast.definitions[0]!;
      if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('expected an operation');
      expect(depthOf(operation.selectionSet), document).toBeLessThanOrEqual(DEFAULT_LIMITS.maxDepth / 2);
      expect(operation.selectionSet.selections.length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRootFields / 2);
      expect((document.match(/[{}()$:!,=[\]]|[_A-Za-z][_0-9A-Za-z]*|"[^"]*"|-?\d+/g) ?? []).length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxTokens / 2);
      expect(Buffer.byteLength(document)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxBodyBytes / 2);
      expect(validate(apiSchema, ast, [costRule(DEFAULT_LIMITS.maxCost / 2, (m) => new GraphQLError(m))]), document).toEqual([]);
    }
  });
});

describe('in production', () => {
  let production: Stack;
  beforeAll(async () => {
    production = await startStack({
      databaseUrl: database.url,
      gatewayEnv: { NODE_ENV: 'production', GATEWAY_JWT_SECRET: 'p'.repeat(40), INTERNAL_JWT_SECRET: 'i'.repeat(40) },
      subgraphEnv: { INTERNAL_JWT_SECRET: 'i'.repeat(40) },
    });
  });
  afterAll(async () => {
    await production?.close();
  });

  it('refuses introspection with INTROSPECTION_DISABLED', async () => {
    const { status, body } = await post(production, { query: '{ __schema { types { name } } }' });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
    expect((await post(production, { query: '{ __type(name: "Track") { name } }' })).body.errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
  });

  it('leaves field suggestions out of validation errors', async () => {
    const { body } = await post(production, { query: '{ genre(id: "1") { nam } }' });
    expect(body.errors[0].message).toBe('Cannot query field "nam" on type "Genre".');
    const dev = await post(stack, { query: '{ genre(id: "1") { nam } }' });
    expect(dev.body.errors[0].message).toBe('Cannot query field "nam" on type "Genre". Did you mean "name"?');
  });

  it('serves GraphiQL only outside production', async () => {
    expect((await fetch(production.gatewayUrl, { headers: { accept: 'text/html' } })).status).not.toBe(200);
    expect((await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } })).status).toBe(200);
  });
});
