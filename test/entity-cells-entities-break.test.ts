import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';
import { CACHE_CONTROL, type CorpusRequest, type CorpusShape, type CorpusSubgraph } from './support/federation-corpus.js';
import { metricValue } from './support/metrics.js';
import { REDIS_URL } from './support/services.js';
import { sql } from './support/sql.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { untilFresh } from './support/until-fresh.js';

/**
 * Entity fetches read and keep field cells (`planEntityCells`, `assembleEntities`): adversarial
 * shapes. Each case warms the cells with some requests on one instance, then asks a probe whose
 * entity fetch is not cached for its selection, on a second instance (L2 cells) and on the first
 * (L1 cells); every answer must equal, byte for byte, a gateway without caches.
 */

/** The federation links and `@cacheControl`, as the corpus's subgraphs declare them. */
const FEDERATION = CACHE_CONTROL;

/** A subgraph that names items by id only (`picks(ids:)`): the gateway fetches them by reference from `inv`. */
const FRONT: CorpusSubgraph = {
  name: 'front',
  typeDefs: `${FEDERATION}
    type Query { picks(ids: [ID!]!): [Item] }
    type Item @key(fields: "id", resolvable: false) { id: ID! }`,
  resolvers: { Query: { picks: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })) } },
};

interface Item {
  id: string;
  name: string;
  archived?: boolean;
  referenceFails?: boolean;
}
const ITEMS: Item[] = [
  { id: '1', name: 'one' },
  { id: '2', name: 'two' },
  { id: '3', name: 'archived', archived: true },
  { id: '4', name: 'locked', referenceFails: true },
];

/**
 * `inv` owns `Item`; its reference resolver answers null for an archived item and fails for a
 * locked one, while its root field `allItems` lists every item. `front` names items by id only.
 */
const REFS: CorpusShape = {
  name: 'entity cells: reference resolution',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'inv',
      typeDefs: `${FEDERATION}
        type Query { allItems: [Item!]! @cacheControl(maxAge: 3600) item(id: ID!): Item }
        type Item @key(fields: "id") { id: ID! name: String code: String }`,
      resolvers: {
        Query: { allItems: () => ITEMS, item: (_: unknown, { id }: { id: string }) => ITEMS.find((i) => i.id === id) ?? null },
        Item: {
          code: (item: Item) => `#${item.id}`,
          __resolveReference: (ref: { id: string }) => {
            const item = ITEMS.find((i) => i.id === ref.id);
            if (item?.referenceFails) throw new Error(`item ${ref.id} cannot be referenced`);
            return item && !item.archived ? item : null;
          },
        },
      },
    },
    FRONT,
  ],
  requests: [],
};

/**
 * `inv` resolves a representation by its canonical id (`"01"` is item 1) and answers with the
 * canonical id, but `label` says which id the item was reached by: the answer to `"01"` is not
 * what `"1"` (or a root field) answers for item 1.
 */
const CANONICAL: CorpusShape = {
  name: 'entity cells: representations resolved to another id',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'inv',
      typeDefs: `${FEDERATION}
        type Query { item(id: ID!): Item }
        type Item @key(fields: "id") { id: ID! name: String label: String }`,
      resolvers: {
        Query: { item: (_: unknown, { id }: { id: string }) => ITEMS.find((i) => i.id === id) ?? null },
        Item: {
          __resolveReference: (ref: { id: string }) => {
            const item = ITEMS.find((i) => i.id === String(Number(ref.id)));
            return item ? { ...item, via: ref.id } : null;
          },
          label: (item: Item & { via?: string }) => `${item.name} via ${item.via ?? 'root'}`,
        },
      },
    },
    FRONT,
  ],
  requests: [],
};

const NUMBERS = [
  { id: 1, name: 'int one', next: 2 },
  { id: 2, name: 'int two', next: null },
];
/** `Num` is keyed by an `Int` id (representations carry numbers, cells are `Num:1`); `Word`, keyed by a `String` id, has the same ids as strings. */
const INTS: CorpusShape = {
  name: 'entity cells: Int ids beside String ids',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'inv',
      typeDefs: `${FEDERATION}
        type Query { num(id: Int!): Num word(id: String!): Word }
        type Num @key(fields: "id") { id: Int! name: String next: Num }
        type Word @key(fields: "id") { id: String! name: String }`,
      resolvers: {
        Query: { num: (_: unknown, { id }: { id: number }) => NUMBERS.find((n) => n.id === id) ?? null, word: (_: unknown, { id }: { id: string }) => ({ id, name: `word ${id}` }) },
        Num: { __resolveReference: (ref: { id: number }) => NUMBERS.find((n) => n.id === ref.id) ?? null, next: (n: { next: number | null }) => NUMBERS.find((x) => x.id === n.next) ?? null },
        Word: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `word ${ref.id}` }) },
      },
    },
    {
      name: 'front',
      typeDefs: `${FEDERATION}
        type Query { nums: [Num!]! words: [Word!]! }
        type Num @key(fields: "id", resolvable: false) { id: Int! }
        type Word @key(fields: "id", resolvable: false) { id: String! }`,
      resolvers: { Query: { nums: () => [{ id: 2 }, { id: 1 }], words: () => [{ id: '1' }, { id: '2' }] } },
    },
  ],
  requests: [],
};

const MEDIA = [
  { __typename: 'Book', id: 'm1', title: 'Dune', pages: 412 },
  { __typename: 'Movie', id: 'm2', title: 'Alien', minutes: 117 },
];
/** An entity interface (`Media`, implemented by `Book` and `Movie`) that `reviews` sees as one `@interfaceObject`. */
const IFACE: CorpusShape = {
  name: 'entity cells: @interfaceObject',
  minimumStored: 0,
  subgraphs: [
    {
      name: 'media',
      typeDefs: `${FEDERATION}
        type Query { media(id: ID!): Media }
        interface Media @key(fields: "id") { id: ID! title: String }
        type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
        type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }`,
      resolvers: {
        Query: { media: (_: unknown, { id }: { id: string }) => MEDIA.find((m) => m.id === id) ?? null },
        Media: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) ?? null, __resolveType: (m: { __typename: string }) => m.__typename },
        Book: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) ?? null },
        Movie: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) ?? null },
      },
    },
    {
      name: 'reviews',
      typeDefs: `${FEDERATION}
        type Query { topMedia: [Media!]! }
        type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int reviews: [String!]! }`,
      resolvers: {
        Query: { topMedia: () => [{ id: 'm2' }, { id: 'm1' }] },
        Media: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
          stars: (m: { id: string }) => (m.id === 'm1' ? 5 : 3),
          reviews: (m: { id: string }) => [`great ${m.id}`],
        },
      },
    },
  ],
  requests: [],
};

interface Case {
  shape: CorpusShape;
  name: string;
  warm: CorpusRequest[];
  probe: CorpusRequest;
  /** Representations the probe's entity fetches must take from cells on each instance (L2 on the second, L1 on the first). */
  assembled?: number;
}

const CASES: Case[] = [
  {
    shape: REFS,
    name: 'an entity its reference resolver answers null for, that a root field lists',
    warm: [{ query: '{ allItems { id name } }' }],
    probe: { query: '{ picks(ids: ["1", "3"]) { id name } }' },
  },
  {
    shape: REFS,
    name: 'an entity its reference resolver fails for, that a root field lists',
    warm: [{ query: '{ allItems { id name } }' }],
    probe: { query: '{ picks(ids: ["2", "4"]) { id name } }' },
  },
  {
    shape: CANONICAL,
    name: "a representation the subgraph answers with another id: its answer is not that id's",
    warm: [{ query: '{ picks(ids: ["01"]) { id label } }' }],
    probe: { query: '{ picks(ids: ["1"]) { label } }' },
  },
  {
    shape: INTS,
    name: 'Int ids: root and entity cells answer representations that carry numbers, beside the String ids of another type',
    // Root cells of the names, then an entity fetch of other fields (the subgraph resolves each by reference).
    warm: [{ query: '{ num(id: 1) { id name next { id name } } word(id: "2") { id name } }' }, { query: '{ nums { next { id } } words { name } }' }],
    probe: { query: '{ nums { name next { name } } words { wordName: name } }' },
    assembled: 4,
  },
  {
    shape: IFACE,
    name: '@interfaceObject: root cells of the interface object answer its entity fetch, once one resolved it',
    warm: [{ query: '{ topMedia { id stars } }' }, { query: '{ media(id: "m1") { id title } }' }, { query: '{ media(id: "m1") { reviews } }' }],
    probe: { query: '{ media(id: "m1") { title ... on Book { pages } stars } }' },
    assembled: 1,
  },
];

async function send(url: string, request: CorpusRequest): Promise<{ text: string; status: number; entities: string | null; ttl: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.as) headers.authorization = `Bearer ${await tokenFor(request.as)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }) });
  return { status: response.status, text: await response.text(), entities: response.headers.get('x-tributary-entity-cache'), ttl: response.headers.get('x-tributary-cache-ttl') };
}

/** Representations of entity fetches an instance answered from cells. */
async function entityAssembled(url: string): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith('tributary_entity_cache_cells_total{') && line.includes('outcome="entity-assembled"')) sum += Number(line.split(' ').at(-1));
  return sum;
}

const stacks = new Map<CorpusShape, CorpusStack>();
afterAll(async () => {
  await Promise.all([...stacks.values()].map((s) => s.close()));
});

async function stackOf(shape: CorpusShape): Promise<CorpusStack> {
  let stack = stacks.get(shape);
  if (!stack) stacks.set(shape, (stack = await startCorpusStack(shape)));
  return stack;
}

describe('entity fetches over field cells, adversarial shapes', () => {
  let index = 0;
  it.each(CASES)(
    '$name',
    async ({ shape, warm, probe, assembled }) => {
      const stack = await stackOf(shape);
      const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
      const env = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}breakec${index++}:`, CACHE_DEBUG: 'true', RESPONSE_CACHE: 'off' };
      const first = await stack.gateway(env);
      const second = await stack.gateway(env);
      for (const request of warm) expect((await send(first, request)).text).toBe((await send(uncached, request)).text);
      const expected = await send(uncached, probe);
      const before = { l2: await entityAssembled(second), l1: await entityAssembled(first) };
      const fromL2 = await send(second, probe);
      const fromL1 = await send(first, probe);
      expect({ l2: fromL2.text, l1: fromL1.text }).toEqual({ l2: expected.text, l1: expected.text });
      if (assembled !== undefined) expect({ l2: (await entityAssembled(second)) - before.l2, l1: (await entityAssembled(first)) - before.l1 }).toEqual({ l2: assembled, l1: assembled });
    },
    60_000,
  );
});

describe('the TTL of an entity answer from cells', () => {
  it('is no longer than its own fetch would give it, though a root field hinted maxAge 3600 kept the cells', async () => {
    const stack = await stackOf(REFS);
    const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}breakecttl:`, CACHE_DEBUG: 'true' };
    const cells = await stack.gateway(env);
    const whole = await stack.gateway({ ...env, ENTITY_CACHE_FIELDS: 'off', REDIS_KEY_PREFIX: `${inject('redisPrefix')}breakecttlwhole:` });
    await send(cells, { query: '{ allItems { id name } }' });
    await send(cells, { query: '{ picks(ids: ["1", "2"]) { code } }' });
    const probe = { query: '{ picks(ids: ["1", "2"]) { id name } }' };
    const before = await entityAssembled(cells);
    const expected = (await send(uncached, probe)).text;
    expect((await send(cells, probe)).text).toBe(expected);
    expect((await entityAssembled(cells)) - before).toBe(2);
    // The response cache's entry: its TTL is what the entity answers in it had left.
    const fromCells = await send(cells, probe);
    expect(fromCells.text).toBe(expected);
    await send(whole, probe);
    const fromSubgraph = await send(whole, probe);
    expect(Number(fromSubgraph.ttl)).toBeGreaterThan(290);
    expect(Number(fromCells.ttl)).toBeGreaterThan(290);
    expect(Number(fromCells.ttl)).toBeLessThanOrEqual(300);
  });
});

describe('Chinook: concurrent price writes while two instances read the same tracks through root and entity fetches', () => {
  let database: TestDatabase;
  let uncached: Stack;
  let first: Stack;
  let second: Stack;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}breakec-chinook:` };
    uncached = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' } });
    const env = { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' };
    first = await startStack({ databaseUrl: database.url, redis, subgraphs: uncached.subgraphs, gatewayEnv: env });
    second = await startStack({ databaseUrl: database.url, redis, subgraphs: uncached.subgraphs, gatewayEnv: env });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await uncached?.close();
    await database?.drop();
  });

  const ask = async (stack: Stack, query: string, variables?: Record<string, unknown>) =>
    (await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).text();
  const catalogCells = async (stack: Stack, outcome: string) =>
    metricValue(await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text(), 'tributary_entity_cache_cells_total', { subgraph: 'catalog', outcome }) ?? 0;

  it('after the last write is heard, no document on either instance shows an old price', async () => {
    const ids = (JSON.parse(await ask(uncached, '{ topTracks(first: 6) { id } }')) as { data: { topTracks: Array<{ id: string }> } }).data.topTracks.map((t) => t.id);
    expect(ids).toHaveLength(6);
    const album = (JSON.parse(await ask(uncached, 'query($id: ID!) { track(id: $id) { album { id } } }', { id: ids[0] })) as { data: { track: { album: { id: string } } } }).data.track.album.id;
    // Entity fetches (sales root, catalog _entities) in several selections, and catalog root fetches, over the same tracks.
    const documents: Array<[string, Record<string, unknown>?]> = [
      ['{ topTracks(first: 6) { id unitPrice } }'],
      ['{ topTracks(first: 6) { unitPrice name } }'],
      ['{ topTracks(first: 6) { name milliseconds unitPrice } }'],
      ...ids.map((id): [string, Record<string, unknown>] => ['query($id: ID!) { track(id: $id) { unitPrice name } }', { id }]),
      ['query($id: ID!) { album(id: $id) { tracks { id unitPrice } } }', { id: album }],
    ];
    const assembledBefore = (await catalogCells(first, 'entity-assembled')) + (await catalogCells(second, 'entity-assembled'));
    let writing = true;
    let round = 0;
    const writer = (async () => {
      while (writing) {
        round++;
        const price = (1 + round / 100).toFixed(2);
        await sql(database.url, 'UPDATE catalog.track SET unit_price = $1 WHERE track_id = ANY($2::int[])', [price, ids.slice(round % 3).map(Number)]);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const readers = [first, second].map(async (stack) => {
      const until = Date.now() + 2_500;
      while (Date.now() < until) await Promise.all(documents.map(([query, variables]) => ask(stack, query, variables)));
    });
    await Promise.all(readers);
    writing = false;
    await writer;
    // The last write, then one more to all six tracks that every instance must hear.
    const last = '7.77';
    const since = Date.now();
    await sql(database.url, 'UPDATE catalog.track SET unit_price = $1 WHERE track_id = ANY($2::int[])', [last, ids.map(Number)]);
    for (const stack of [first, second]) {
      const { answer } = await untilFresh(
        () => ask(stack, documents[0]![0]),
        (text) => (text.match(/"7\.77"/g) ?? []).length === 6,
        since,
        3_000,
      );
      expect(answer).toBe(await ask(uncached, documents[0]![0]));
    }
    for (const stack of [second, first]) for (const [query, variables] of documents) expect(await ask(stack, query, variables), query).toBe(await ask(uncached, query, variables));
    // Representations were answered from cells along the way.
    expect((await catalogCells(first, 'entity-assembled')) + (await catalogCells(second, 'entity-assembled'))).toBeGreaterThan(assembledBefore);
    expect(round).toBeGreaterThan(20);
  }, 60_000);
});

const MANY = 3_000;
/** One entity fetch of 3,000 representations. */
const HUGE: CorpusShape = {
  name: 'entity cells: thousands of representations',
  minimumStored: 0,
  requests: [],
  subgraphs: [
    {
      name: 'inv',
      typeDefs: `${FEDERATION} type Query { x: Int } type Item @key(fields: "id") { id: ID! a: String b: String c: Int }`,
      resolvers: { Item: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, a: `a${ref.id}`, b: `b${ref.id}`, c: Number(ref.id) }) } },
    },
    {
      name: 'front',
      typeDefs: `${FEDERATION} type Query { many: [Item!]! } type Item @key(fields: "id", resolvable: false) { id: ID! }`,
      resolvers: { Query: { many: () => Array.from({ length: MANY }, (_, i) => ({ id: String(i) })) } },
    },
  ],
};

describe('an entity fetch of thousands of representations', () => {
  it('is cached per selection only, as a root fetch past the bound: no cell written or read', async () => {
    const stack = await stackOf(HUGE);
    const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}breakechuge:`, RESPONSE_CACHE: 'off' };
    const first = await stack.gateway(env);
    const second = await stack.gateway(env);
    const stored = async (url: string) =>
      metricValue(await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text(), 'tributary_entity_cache_cells_total', { subgraph: 'inv', outcome: 'stored' }) ?? 0;
    const warm = '{ many { a b } }';
    expect((await send(first, { query: warm })).text).toBe((await send(uncached, { query: warm })).text);
    const probe = { query: '{ many { c a } }' };
    const expected = (await send(uncached, probe)).text;
    expect((await send(second, probe)).text).toBe(expected);
    expect((await send(first, probe)).text).toBe(expected);
    expect({ stored: (await stored(first)) + (await stored(second)), assembled: (await entityAssembled(first)) + (await entityAssembled(second)) }).toEqual({ stored: 0, assembled: 0 });
  }, 60_000);
});
