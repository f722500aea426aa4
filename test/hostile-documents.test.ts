import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * Small documents whose fragments spread each other twice per level: 2^levels paths through a
 * document of a few hundred bytes. A limit that walks each path (instead of each fragment once)
 * takes 2^40 steps at 40 levels: hours. Every one must be refused in milliseconds while the
 * gateway keeps answering other requests.
 */
const LEVELS = 40;

function chain(levels: number, fragment: (i: number, next: string) => string, leaf: string, root = '...F0', type = 'Query'): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on ${type} { ${fragment(i, `F${i + 1}`)} }`);
  return `query Bomb { ${root} } ${fragments.join(' ')} fragment F${levels} on ${type} { ${leaf} }`;
}

const HOSTILE: Array<[string, string, string]> = [
  ['the fragment chain of issue 9 (__typename leaf)', chain(LEVELS, (_, next) => `...${next} ...${next}`, '__typename'), 'COST_LIMIT_EXCEEDED'],
  ['the chain spread through inline fragments', chain(LEVELS, (_, next) => `... on Query { ...${next} } ... { ...${next} }`, '__typename'), 'COST_LIMIT_EXCEEDED'],
  ['the chain ending in a root field', chain(LEVELS, (_, next) => `...${next} ...${next}`, 'genre(id: "1") { name }'), 'ROOT_FIELD_LIMIT_EXCEEDED'],
  ['nested fields with fragment fan-out (depth)', chain(LEVELS, (_, next) => `artist { albums { ...${next} ...${next} } }`, 'title', 'album(id: "1") { ...F0 }', 'Album'), 'DEPTH_LIMIT_EXCEEDED'],
  ['nested fields with fragment fan-out (cost)', chain(7, (_, next) => `artist { albums { ...${next} ...${next} } }`, 'title', 'album(id: "1") { ...F0 }', 'Album'), 'COST_LIMIT_EXCEEDED'],
  ['aliased fields in each fragment of the chain', chain(LEVELS, (i, next) => `a${i}: __typename ...${next} ...${next}`, '__typename'), 'ALIAS_LIMIT_EXCEEDED'],
  ['the same field repeated (quadratic field merging)', `{ ${'genres { id } '.repeat(490)} }`, 'ROOT_FIELD_LIMIT_EXCEEDED'],
];

async function post(url: string, query: string): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: await response.json(), ms: performance.now() - started };
}

let database: TestDatabase;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe.each([
  ['production', { NODE_ENV: 'production', GATEWAY_JWT_SECRET: 'p'.repeat(40), INTERNAL_JWT_SECRET: 'i'.repeat(40) }, { INTERNAL_JWT_SECRET: 'i'.repeat(40) }],
  ['development', {}, {}],
])('hostile documents (%s mode)', (_, gatewayEnv, subgraphEnv) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ databaseUrl: database.url, gatewayEnv, subgraphEnv });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(HOSTILE)('refuses %s in milliseconds with 400 and its code', async (_, query, code) => {
    expect(Buffer.byteLength(query)).toBeLessThan(8_000);
    await post(stack.gatewayUrl, query); // first call: modules warm
    const { status, body, ms } = await post(stack.gatewayUrl, `${query} # a new text: no cached parse or validation`);
    expect(status).toBe(400);
    expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain(code);
    expect(body.data).toBeUndefined();
    expect(ms).toBeLessThan(500);
  });

  it('leaves a fragment cycle to validation, without looping', async () => {
    const { status, body, ms } = await post(stack.gatewayUrl, '{ ...A } fragment A on Query { genres { id } ...B } fragment B on Query { ...A ...B }');
    expect(status).toBe(400);
    expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(ms).toBeLessThan(500);
  });

  it('keeps answering a simple request while hostile documents arrive', async () => {
    const hostile = HOSTILE.flatMap(([, query]) => [post(stack.gatewayUrl, `${query} `), post(stack.gatewayUrl, `${query}  `)]);
    const simple = await post(stack.gatewayUrl, '{ genre(id: "1") { name } }');
    const refusals = await Promise.all(hostile);
    expect(simple.status).toBe(200);
    expect(simple.body).toEqual({ data: { genre: { name: 'Rock' } } });
    expect(simple.ms).toBeLessThan(2_000);
    expect(refusals.map((r) => r.status)).toEqual(hostile.map(() => 400));
  });

  it('answers a fragment fan-out under the limits, with the value graphql-js gives', async () => {
    // 2^12 = 4,096 __typename selections, under the cost limit: planned and executed, quickly.
    const { status, body, ms } = await post(
      stack.gatewayUrl,
      chain(12, (_, next) => `...${next} ...${next}`, '__typename', '...F0 genre(id: "2") { name }'),
    );
    expect({ status, body }).toEqual({ status: 200, body: { data: { __typename: 'Query', genre: { name: 'Jazz' } } } });
    expect(ms).toBeLessThan(2_000);
  });
});
