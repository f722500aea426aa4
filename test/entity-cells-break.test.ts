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

const aa = [
  { id: 1, code: 'c1', name: 'A one', b: '1' },
  { id: 2, code: 'c2', name: 'A two', b: null },
];
const bb = [{ id: '1', name: 'B one', a: 2 }];
/** Two entity types whose ids print alike (`A:1` an Int, `B:"1"` a String), several keys, lists of lists with nulls, inline objects holding entities, input objects. */
const RICH: CorpusShape = {
  name: 'break cells: ids, keys, lists, inputs',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'rich',
      typeDefs: `${CACHE_CONTROL}
        input Range { from: Int = 0 to: Int }
        enum Dir { UP DOWN }
        type Query { a(id: Int!): A b(id: String!): B grid: [[A]]! wrap: Wrap as(range: Range, dir: Dir = UP): [A!]! }
        type A @key(fields: "id") @key(fields: "code") { id: Int! code: String! name: String b: B }
        type B @key(fields: "id") { id: String! name: String a: A }
        type Wrap { items: [A]! note: String }`,
      resolvers: {
        Query: {
          a: (_: unknown, { id }: { id: number }) => aa.find((x) => x.id === id) ?? null,
          b: (_: unknown, { id }: { id: string }) => bb.find((x) => x.id === id) ?? null,
          grid: () => [[aa[0], null], [], [aa[1]]],
          wrap: () => ({ items: [aa[1], null, aa[0]], note: 'n' }),
          as: (_: unknown, { range, dir }: { range?: { from: number; to?: number }; dir: string }) => {
            const list = aa.slice(range?.from ?? 0, range?.to ?? undefined);
            return dir === 'DOWN' ? [...list].reverse() : list;
          },
        },
        A: {
          __resolveReference: (ref: { id?: number; code?: string }) => aa.find((x) => x.id === ref.id || x.code === ref.code) ?? null,
          b: (a: { b: string | null }) => bb.find((x) => x.id === a.b) ?? null,
        },
        B: { __resolveReference: (ref: { id: string }) => bb.find((x) => x.id === ref.id) ?? null, a: (b: { a: number }) => aa.find((x) => x.id === b.a) ?? null },
      },
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
  {
    name: '__proto__ alias on an inline object',
    warm: [{ query: '{ item(id: "1") { id name } }' }, { query: '{ item(id: "1") { __proto__: inner { label } } }' }],
    probe: { query: '{ item(id: "1") { name __proto__: inner { label } } }' },
  },
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
  { shape: RICH, name: 'Int id 1 and String id "1" of two types', warm: [{ query: '{ a(id: 1) { id name } b(id: "1") { id name } }' }], probe: { query: '{ b(id: "1") { name } a(id: 1) { name } }' } },
  { shape: RICH, name: 'entities through each other', warm: [{ query: '{ a(id: 1) { id name b { id name a { id name } } } }' }], probe: { query: '{ a(id: 1) { b { a { b { name } name } } } }' } },
  { shape: RICH, name: 'lists of lists with nulls and empty rows', warm: [{ query: '{ grid { id name } }' }], probe: { query: '{ grid { name } }' } },
  { shape: RICH, name: 'an inline object holding a list of entities with a null', warm: [{ query: '{ wrap { note items { id name } } }' }], probe: { query: '{ wrap { items { name } } }' } },
  {
    shape: RICH,
    name: 'input object with a field default, enum default, variables',
    warm: [{ query: 'query($t: Int) { as(range: { to: $t }) { id name } }', variables: { t: 1 } }, { query: '{ as(dir: DOWN) { id name } }' }],
    probe: { query: 'query($t: Int, $d: Dir) { as(range: { to: $t }, dir: $d) { name } }', variables: { d: 'DOWN' } },
  },
  {
    shape: RICH,
    name: 'input object variable omitted against an explicit null',
    warm: [{ query: 'query($r: Range) { as(range: $r) { id name } }', variables: { r: null } }],
    probe: { query: 'query($r: Range) { as(range: $r) { name } }' },
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
  it.each(CASES)(
    '$name',
    async ({ shape = SHAPE, warm, probe }) => {
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
      expect({ l2: fromL2.text, l1: fromL1.text }).toEqual({ l2: expected.text, l1: expected.text });
    },
    60_000,
  );
});
