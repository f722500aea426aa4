import { GraphQLScalarType, Kind } from 'graphql';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';
import type { CorpusRequest, CorpusShape } from './support/federation-corpus.js';
import { REDIS_URL } from './support/services.js';
import { tokenFor } from './support/stack.js';

/**
 * Field cells (`gateway/src/cache/root-cells.ts`) against adversarial inputs: each case warms the
 * cells with some requests, then asks a probe that is not cached whole, on a second instance (L2
 * cells) and on the first (L1 cells); every answer must equal, byte for byte, a gateway without caches.
 */

const CACHE_CONTROL = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires", "@interfaceObject"])
`;

const items = [
  { id: '1', sku: 'a', name: 'one', meta: { k: 1 } },
  { id: '2', sku: 'b', name: 'two', meta: null },
];

const SHAPE: CorpusShape = {
  name: 'break cells',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'inv',
      typeDefs: `${CACHE_CONTROL}
        scalar JSON
        type Query { item(id: ID!): Item items: [Item!]! }
        type Item @key(fields: "id") { id: ID! sku: String! name: String meta: JSON inner: Inner }
        type Inner { label: String }`,
      resolvers: {
        Query: { item: (_: unknown, { id }: { id: string }) => items.find((i) => i.id === id) ?? null, items: () => items },
        Item: { __resolveReference: (ref: { id: string }) => items.find((i) => i.id === ref.id) ?? null, inner: (i: { name: string }) => ({ label: i.name }) },
      },
    },
  ],
  requests: [],
};

/** A `BigInt` argument: literals past 2^53 are distinct values to the subgraph. And `Raw`, a scalar whose literal's kind matters. */
const SCALARS: CorpusShape = {
  name: 'break cells: argument literals',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'nums',
      typeDefs: `${CACHE_CONTROL}
        scalar BigInt
        scalar Raw
        type Query { big(n: BigInt!): Num raw(v: Raw): Num }
        type Num @key(fields: "id") { id: ID! name: String }`,
      resolvers: {
        BigInt: new GraphQLScalarType({
          name: 'BigInt',
          serialize: (v) => String(v),
          parseValue: (v) => BigInt(v as string | number).toString(),
          parseLiteral: (ast) => (ast.kind === Kind.INT || ast.kind === Kind.STRING ? BigInt(ast.value).toString() : null),
        }),
        Raw: new GraphQLScalarType({
          name: 'Raw',
          serialize: (v) => v,
          parseValue: (v) => `value:${JSON.stringify(v)}`,
          parseLiteral: (ast) => `${ast.kind}:${'value' in ast ? ast.value : ''}`,
        }),
        Query: {
          big: (_: unknown, { n }: { n: string }) => ({ id: n, name: `number ${n}` }),
          raw: (_: unknown, { v }: { v: string }) => ({ id: v, name: `raw ${v}` }),
        },
        Num: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `number ${ref.id}` }) },
      } as never,
    },
  ],
  requests: [],
};

interface Case {
  shape?: CorpusShape;
  name: string;
  warm: CorpusRequest[];
  probe: CorpusRequest;
}

const CASES: Case[] = [
  { name: '__proto__ alias on a leaf', warm: [{ query: '{ item(id: "1") { id name } }' }], probe: { query: '{ item(id: "1") { __proto__: name } }' } },
  { name: '__proto__ alias on an inline object', warm: [{ query: '{ item(id: "1") { id name } }' }, { query: '{ item(id: "1") { __proto__: inner { label } } }' }], probe: { query: '{ item(id: "1") { name __proto__: inner { label } } }' } },
  { name: '__proto__ alias on a root entity field', warm: [{ query: '{ item(id: "1") { id name } }' }], probe: { query: '{ __proto__: item(id: "1") { name } }' } },
  {
    name: 'a variable named __proto__ with a default',
    warm: [{ query: 'query($__proto__: ID = "1") { item(id: $__proto__) { id name } }' }],
    probe: { query: 'query($__proto__: ID = "2") { item(id: $__proto__) { name } }' },
  },
  {
    shape: SCALARS,
    name: 'BigInt literals that are one double apart',
    warm: [{ query: '{ big(n: 9007199254740993) { id name } }' }],
    probe: { query: '{ big(n: 9007199254740992) { name } }' },
  },
  {
    shape: SCALARS,
    name: 'a custom scalar given an enum literal, then a string literal',
    warm: [{ query: '{ raw(v: RED) { id name } }' }],
    probe: { query: '{ raw(v: "RED") { name } }' },
  },
  {
    shape: SCALARS,
    name: 'a custom scalar given an Int literal, then a Float literal',
    warm: [{ query: '{ raw(v: 1) { id name } }' }],
    probe: { query: '{ raw(v: 1.0) { name } }' },
  },
];

async function send(url: string, request: CorpusRequest): Promise<{ text: string; status: number; entities: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.as) headers.authorization = `Bearer ${await tokenFor(request.as)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }) });
  return { status: response.status, text: await response.text(), entities: response.headers.get('x-tributary-entity-cache') };
}

const stacks = new Map<CorpusShape, CorpusStack>();
afterAll(async () => {
  await Promise.all([...stacks.values()].map((s) => s.close()));
});

describe('field cells, adversarial inputs', () => {
  let index = 0;
  it.each(CASES)('$name', async ({ shape = SHAPE, warm, probe }) => {
    let stack = stacks.get(shape);
    if (!stack) stacks.set(shape, (stack = await startCorpusStack(shape)));
    const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}break${index++}:`, CACHE_DEBUG: 'true', RESPONSE_CACHE: 'off' };
    const first = await stack.gateway(env);
    const second = await stack.gateway(env);
    for (const request of warm) expect((await send(first, request)).text).toBe((await send(uncached, request)).text);
    const expected = await send(uncached, probe);
    const fromL2 = await send(second, probe);
    const fromL1 = await send(first, probe);
    if (process.env.DEBUG_CELLS) console.log(probe.query, expected.text, fromL1.text, fromL2.entities, fromL1.entities);
    expect({ l2: fromL2.text, l1: fromL1.text }).toEqual({ l2: expected.text, l1: expected.text });

  }, 60_000);
});
