import { createBusFromEnv } from '@tributary/cache';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CACHE_CONTROL, type CorpusRequest, type CorpusSubgraph } from './support/federation-corpus.js';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';
import { metricValue } from './support/metrics.js';
import { REDIS_URL } from './support/services.js';
import { tokenFor } from './support/stack.js';

/**
 * Entity fetches over field cells, second adversarial pass: federation shapes the first pass
 * (`entity-cells-entities-break.test.ts`) left out, the response cache on top, and subgraphs that
 * answer `Cache-Control: private` for some entities only. Every answer must equal, byte for byte,
 * a gateway without caches.
 */

/** The federation links and `@cacheControl`, as the corpus's subgraphs declare them. */
const FEDERATION = CACHE_CONTROL;

/** Serves `subgraphs` as a corpus shape of its own (their plugins and request counts included). */
function serve(subgraphs: CorpusSubgraph[]): Promise<CorpusStack> {
  return startCorpusStack({ name: 'entity cells, second pass', subgraphs, requests: [], minimumStored: 0 });
}

interface Answer {
  text: string;
  status: number;
  headers: Headers;
}

async function send(url: string, request: CorpusRequest, extra: Record<string, string> = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
  if (request.as) headers.authorization = `Bearer ${await tokenFor(request.as)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }) });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function cellsMetric(url: string, subgraph: string, outcome: string): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  return metricValue(text, 'tributary_entity_cache_cells_total', { subgraph, outcome }) ?? 0;
}

/** The subject of the internal identity a subgraph received (the JWT's `sub`, read without checking: test subgraphs only). */
function subjectOf(request: Request): string {
  const token = request.headers.get('x-tributary-identity') ?? '';
  const payload = token.split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string }).sub : 'none';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stacks: CorpusStack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});
let prefixes = 0;
const prefix = () => `${inject('redisPrefix')}breakec2-${prefixes++}:`;

describe('a subgraph that answers Cache-Control: private for some entities only', () => {
  /**
   * `inv` answers `Cache-Control: private` to any request that resolves the secret item `s` (whose
   * `note` names the principal asking), and slowly (400 ms), so that a second fetch that also
   * needs `s` waits for the first one's (coalescing).
   */
  const secretRequests = new WeakSet<Request>();
  const SUBGRAPHS: CorpusSubgraph[] = [
    {
      name: 'inv',
      typeDefs: `${FEDERATION}
        type Query { inv: Int }
        type Item @key(fields: "id") { id: ID! name: String note: String }`,
      resolvers: {
        Item: {
          __resolveReference: async (ref: { id: string }, context: { request: Request }) => {
            if (ref.id === 's') {
              secretRequests.add(context.request);
              await sleep(400);
            }
            return { id: ref.id, name: `item ${ref.id}` };
          },
          note: (item: { id: string }, _: unknown, context: unknown) => (item.id === 's' ? `secret for ${subjectOf((context as { request: Request }).request)}` : 'public'),
        },
      },
      plugins: [{ onResponse: ({ request, response }) => void (secretRequests.has(request) && response.headers.set('cache-control', 'private')) }],
    },
    {
      name: 'front',
      typeDefs: `${FEDERATION}
        type Query { picks(ids: [ID!]!): [Item] }
        type Item @key(fields: "id", resolvable: false) { id: ID! }`,
      resolvers: { Query: { picks: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })) } },
    },
  ];

  it("a fetch that waited for another principal's private answer and sent for it again answers private: the response cache never shares it", async () => {
    const stack = await serve(SUBGRAPHS);
    stacks.push(stack);
    const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    const cached = await stack.gateway({ REDIS_URL, REDIS_KEY_PREFIX: prefix(), CACHE_DEBUG: 'true' });
    const query = '{ picks(ids: ["p", "s"]) { id name note } }';
    // customer:1 sends for `s` alone; customer:2, 100 ms later, for `p` (its own) and `s` (waiting for customer:1's fetch).
    const first = send(cached, { query: '{ picks(ids: ["s"]) { id name note } }', as: 'customer:1' });
    await sleep(100);
    const second = await send(cached, { query, as: 'customer:2' });
    await first;
    expect(second.text).toBe((await send(uncached, { query, as: 'customer:2' })).text);
    expect(second.text).toContain('secret for customer:2');
    // Another principal asks the same document: never customer:2's secret.
    const third = await send(cached, { query, as: 'customer:3' });
    expect(third.text).toBe((await send(uncached, { query, as: 'customer:3' })).text);
    expect(second.headers.get('cache-control')).toMatch(/^private/);
    expect(third.headers.get('x-tributary-cache')).toBe('miss');
  }, 30_000);
});

interface Product {
  id: string;
  sku: string;
  weight: number;
}
const PRODUCTS: Product[] = [
  { id: 'p1', sku: 'sku-1', weight: 10 },
  { id: 'p2', sku: 'sku-2', weight: 25 },
];
const productBy = (ref: { id?: string; sku?: string }) => PRODUCTS.find((p) => (ref.id !== undefined ? p.id === ref.id : p.sku === ref.sku)) ?? null;
const STOCKS = [
  { id: 'k1', region: 'EU', qty: 3 },
  { id: 'k1', region: 'US', qty: 7 },
];

/**
 * One supergraph of the shapes left: `products` owns `Product` with two keys (`id`, `sku`);
 * `shipping` `@requires` its weight (for a field with an argument); `reviews` `@provides` its
 * name along `Review.product` (with a value of its own, so that cells mixed across paths would
 * show); `pricing` `@override`s its price (the old owner answers another price); `legacy` is a
 * Fed-1 subgraph (`extend type … @external id`); `skus` knows products by `sku` only; `Stock` has a
 * compound key `id region` (two stocks share an id).
 */
const SHAPES: CorpusSubgraph[] = [
  {
    name: 'products',
    typeDefs: `${FEDERATION}
      type Query { top: [Product!]! product(id: ID!): Product }
      type Product @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! name: String @shareable weight: Int price: Int }`,
    resolvers: {
      Query: { top: () => PRODUCTS, product: (_: unknown, { id }: { id: string }) => productBy({ id }) },
      Product: { __resolveReference: productBy, name: (p: Product) => `P-name-${p.id}`, price: () => 1 },
    },
  },
  {
    name: 'shipping',
    typeDefs: `${FEDERATION}
      type Query { stockCount: Int }
      type Product @key(fields: "id") { id: ID! weight: Int @external est(zone: String): Int @requires(fields: "weight") inStock: Boolean carrier: String }
      type Stock @key(fields: "id region") { id: ID! region: String! eta: String }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: { id: string; weight?: number }) => ({ ...ref }),
        est: (p: { weight?: number }, { zone }: { zone?: string }) => (p.weight ?? -1) * (zone === 'EU' ? 2 : 3),
        inStock: (p: { id: string }) => p.id === 'p1',
        carrier: (p: { id: string }) => `carrier-${p.id}`,
      },
      Stock: { __resolveReference: (ref: { id: string; region: string }) => ref, eta: (s: { id: string; region: string }) => `${s.id} in ${s.region === 'EU' ? 2 : 9} days` },
    },
  },
  {
    name: 'reviews',
    typeDefs: `${FEDERATION}
      type Query { reviews: [Review!]! }
      type Review { id: ID! body: String product: Product @provides(fields: "name") }
      type Product @key(fields: "id") { id: ID! name: String @external reviewCount: Int stars: Int }`,
    resolvers: {
      Query: { reviews: () => [{ id: 'r1', body: 'good', product: { id: 'p1', name: 'R-name-p1' } }] },
      Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }), reviewCount: (p: { id: string }) => (p.id === 'p1' ? 1 : 0), stars: (p: { id: string }) => (p.id === 'p1' ? 5 : 2) },
    },
  },
  {
    name: 'pricing',
    typeDefs: `${FEDERATION}
      type Query { currency: String }
      type Product @key(fields: "id") { id: ID! price: Int @override(from: "products") discount: Int }`,
    resolvers: { Product: { __resolveReference: (ref: { id: string }) => ref, price: (p: { id: string }) => (p.id === 'p1' ? 100 : 200), discount: (p: { id: string }) => (p.id === 'p1' ? 5 : 0) } },
  },
  {
    name: 'legacy',
    typeDefs: `
      extend type Query { legacyCount: Int }
      extend type Product @key(fields: "id") { id: ID! @external legacyCode: String legacyName: String }`,
    resolvers: { Product: { __resolveReference: (ref: { id: string }) => ref, legacyCode: (p: { id: string }) => `L-${p.id}`, legacyName: (p: { id: string }) => `legacy ${p.id}` } },
  },
  {
    name: 'skus',
    typeDefs: `${FEDERATION}
      type Query { bySku: [Product!]! stocks: [Stock!]! }
      type Product @key(fields: "sku") { sku: String! rating: Int }
      type Stock @key(fields: "id region") { id: ID! region: String! qty: Int }`,
    resolvers: {
      Query: { bySku: () => [{ sku: 'sku-2' }, { sku: 'sku-1' }], stocks: () => STOCKS },
      Product: { __resolveReference: (ref: { sku: string }) => ref, rating: (p: { sku: string }) => (p.sku === 'sku-1' ? 4 : 3) },
      Stock: { __resolveReference: (ref: { id: string; region: string }) => STOCKS.find((s) => s.id === ref.id && s.region === ref.region) ?? null },
    },
  },
];

interface ShapeCase {
  name: string;
  warm: CorpusRequest[];
  /** Each probe, with the representations its entity fetches must take from cells (summed over subgraphs), if known. */
  probes: Array<{ request: CorpusRequest; assembled?: number }>;
}

const SHAPE_CASES: ShapeCase[] = [
  {
    name: '@requires (on a field with an argument): representations that carry the required field never read or keep cells; the others do',
    warm: [{ query: '{ top { inStock } }' }, { query: '{ top { carrier } }' }],
    probes: [
      { request: { query: '{ top { est(zone: "EU") inStock carrier } }' }, assembled: 0 },
      { request: { query: '{ top { est(zone: "US") } }' }, assembled: 0 },
      { request: { query: '{ top { carrier inStock } }' }, assembled: 2 },
    ],
  },
  {
    name: '@provides: the provided name (its own value) along the path, the entity cells of the same subgraph beside it',
    warm: [{ query: '{ top { stars } }' }, { query: '{ top { reviewCount } }' }, { query: '{ reviews { product { id reviewCount } } }' }],
    probes: [
      { request: { query: '{ reviews { body product { name reviewCount stars } } }' } },
      { request: { query: '{ top { name reviewCount stars } }' }, assembled: 2 },
      { request: { query: '{ reviews { product { id name } } top { name stars } }' } },
    ],
  },
  {
    name: "@override: the new owner's price, never the old owner's, from cells too",
    warm: [{ query: '{ top { price } }' }, { query: '{ top { discount } }' }, { query: '{ product(id: "p2") { name weight } }' }],
    probes: [{ request: { query: '{ top { discount price } }' }, assembled: 2 }, { request: { query: '{ product(id: "p2") { price name weight } }' } }],
  },
  {
    name: 'a Fed-1 subgraph (extend type, @external id) keeps and reads cells like any other',
    warm: [{ query: '{ top { legacyCode } }' }, { query: '{ top { legacyName } }' }],
    probes: [{ request: { query: '{ top { legacyName legacyCode } }' }, assembled: 2 }],
  },
  {
    name: 'two keys: plans by sku carry no id (cached per selection only), plans by id beside them read cells',
    warm: [{ query: '{ bySku { name } }' }, { query: '{ top { inStock } }' }, { query: '{ top { carrier } }' }],
    probes: [
      { request: { query: '{ bySku { sku rating name weight } }' }, assembled: 0 },
      { request: { query: '{ bySku { rating carrier inStock } }' }, assembled: 2 },
      { request: { query: '{ product(id: "p1") { rating sku } }' }, assembled: 0 },
    ],
  },
  {
    name: 'a compound key (id region) with two stocks of one id: never one record',
    warm: [{ query: '{ stocks { id region eta } }' }],
    probes: [
      { request: { query: '{ stocks { qty eta } }' }, assembled: 0 },
      { request: { query: '{ stocks { eta region } }' }, assembled: 0 },
    ],
  },
];

describe('entity fetches over field cells: federation shapes', () => {
  let stack: CorpusStack | undefined;
  let uncached: string;
  it.each(SHAPE_CASES)(
    '$name',
    async ({ warm, probes }) => {
      if (!stack) {
        stack = await serve(SHAPES);
        stacks.push(stack);
        uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
      }
      const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix(), CACHE_DEBUG: 'true', RESPONSE_CACHE: 'off' };
      const first = await stack.gateway(env);
      const second = await stack.gateway(env);
      const names = SHAPES.map((s) => s.name);
      const assembledOn = async (url: string) => (await Promise.all(names.map((name) => cellsMetric(url, name, 'entity-assembled')))).reduce((a, b) => a + b, 0);
      for (const request of warm) expect((await send(first, request)).text, request.query).toBe((await send(uncached, request)).text);
      for (const { request, assembled } of probes) {
        const expected = (await send(uncached, request)).text;
        expect(expected).not.toContain('"errors"');
        const before = { l2: await assembledOn(second), l1: await assembledOn(first) };
        const fromL2 = await send(second, request);
        const fromL1 = await send(first, request);
        expect({ l2: fromL2.text, l1: fromL1.text }, request.query).toEqual({ l2: expected, l1: expected });
        if (assembled !== undefined) expect({ l2: (await assembledOn(second)) - before.l2, l1: (await assembledOn(first)) - before.l1 }, request.query).toEqual({ l2: assembled, l1: assembled });
      }
    },
    60_000,
  );
});

interface Shelved {
  id: string;
  name: string;
}
/** `inv`'s items: a test deletes one (and publishes the `delete` event its change feed would). */
const SHELF: Shelved[] = [
  { id: 'a', name: 'apple' },
  { id: 'd', name: 'doomed' },
];
/**
 * `inv` owns `Item` (its `vault` is of a `PRIVATE` type, naming the principal asking); `front`
 * lists items by id. `Item` is reached only through entity fetches.
 */
const DELETES: CorpusSubgraph[] = [
  {
    name: 'inv',
    typeDefs: `${FEDERATION}
      type Query { count: Int }
      type Item @key(fields: "id") { id: ID! name: String code: String vault: Vault }
      type Vault @cacheControl(scope: PRIVATE) { owner: String }`,
    resolvers: {
      Item: {
        __resolveReference: (ref: { id: string }) => SHELF.find((i) => i.id === ref.id) ?? null,
        code: (item: Shelved) => `#${item.id}`,
        vault: (_: Shelved, __: unknown, context: unknown) => ({ owner: subjectOf((context as { request: Request }).request) }),
      },
    },
  },
  {
    name: 'front',
    typeDefs: `${FEDERATION}
      type Query { picks(ids: [ID!]!): [Item] }
      type Item @key(fields: "id", resolvable: false) { id: ID! }`,
    resolvers: { Query: { picks: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })) } },
  },
];

describe('entity fetches over field cells: deletes, private types, the response cache on top', () => {
  let stack: CorpusStack;
  let uncached: string;
  const setUp = async () => {
    if (!stack) {
      stack = await serve(DELETES);
      stacks.push(stack);
      uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    }
  };

  it('an entity deleted after an entity fetch resolved it is no longer answered from its cells, on either instance', async () => {
    await setUp();
    const keyPrefix = prefix();
    const env = { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, CACHE_DEBUG: 'true', RESPONSE_CACHE: 'off' };
    const first = await stack.gateway(env);
    const second = await stack.gateway(env);
    await send(first, { query: '{ picks(ids: ["a", "d"]) { name } }' });
    await send(first, { query: '{ picks(ids: ["a", "d"]) { code } }' });
    const probe = { query: '{ picks(ids: ["a", "d"]) { code name } }' };
    const before = await cellsMetric(second, 'inv', 'entity-assembled');
    expect((await send(second, probe)).text).toBe((await send(uncached, probe)).text);
    expect((await cellsMetric(second, 'inv', 'entity-assembled')) - before).toBe(2);
    // Deleted: the row goes, and its change feed's event.
    const doomed = SHELF.splice(1, 1);
    const bus = createBusFromEnv({ REDIS_URL, REDIS_KEY_PREFIX: keyPrefix });
    try {
      let heard = 0;
      const stop = bus.subscribe((event) => void (event.kind === 'delete' && heard++));
      await bus.publish({ kind: 'delete', type: 'Item', id: 'd' });
      for (let i = 0; i < 100 && heard === 0; i++) await sleep(10);
      stop();
      await sleep(100);
      const other = { query: '{ picks(ids: ["d", "a"]) { name code } }' };
      for (const request of [probe, other]) {
        const expected = (await send(uncached, request)).text;
        expect(expected).toContain('null');
        expect({ second: (await send(second, request)).text, first: (await send(first, request)).text }, request.query).toEqual({ second: expected, first: expected });
      }
    } finally {
      SHELF.splice(1, 0, ...doomed);
      await bus.close();
    }
  });

  it('a PRIVATE type reached only through entity fetches: each principal its own, beside public cells', async () => {
    await setUp();
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix(), CACHE_DEBUG: 'true' };
    const first = await stack.gateway(env);
    const second = await stack.gateway(env);
    await send(first, { query: '{ picks(ids: ["a"]) { name } }', as: 'customer:1' });
    await send(first, { query: '{ picks(ids: ["a"]) { code vault { owner } } }', as: 'customer:1' });
    await send(first, { query: '{ picks(ids: ["a"]) { name vault { owner } } }', as: 'customer:1' });
    for (const url of [second, first])
      for (const as of ['customer:2', 'customer:1']) {
        const request = { query: '{ picks(ids: ["a"]) { name code vault { owner } } }', as };
        expect((await send(url, request)).text, `${as} on ${url}`).toBe((await send(uncached, request)).text);
      }
  });

  it('a response built from cells: the same bytes, ETag and 304, and a TTL no longer, as one built from the subgraph', async () => {
    await setUp();
    const env = { REDIS_URL, CACHE_DEBUG: 'true' };
    const cells = await stack.gateway({ ...env, REDIS_KEY_PREFIX: prefix() });
    const whole = await stack.gateway({ ...env, REDIS_KEY_PREFIX: prefix(), ENTITY_CACHE_FIELDS: 'off' });
    for (const url of [cells, whole]) {
      await send(url, { query: '{ picks(ids: ["a", "d"]) { name } }' });
      await send(url, { query: '{ picks(ids: ["a", "d"]) { code } }' });
    }
    const probe = { query: '{ picks(ids: ["d", "a"]) { name code } }' };
    const expected = (await send(uncached, probe)).text;
    const before = await cellsMetric(cells, 'inv', 'entity-assembled');
    const fromCells = await send(cells, probe);
    const fromSubgraph = await send(whole, probe);
    expect((await cellsMetric(cells, 'inv', 'entity-assembled')) - before).toBe(2);
    expect({ cells: fromCells.text, subgraph: fromSubgraph.text }).toEqual({ cells: expected, subgraph: expected });
    expect({ cells: fromCells.headers.get('x-tributary-entity-cache'), subgraph: fromSubgraph.headers.get('x-tributary-entity-cache') }).toEqual({
      cells: 'fetches=1/2, representations=2/2',
      subgraph: 'fetches=0/2, representations=0/2',
    });
    expect(fromCells.headers.get('etag')).toBe(fromSubgraph.headers.get('etag'));
    const ttl = { cells: Number(fromCells.headers.get('x-tributary-cache-ttl')), subgraph: Number(fromSubgraph.headers.get('x-tributary-cache-ttl')) };
    expect(ttl.cells).toBeGreaterThan(290);
    expect(ttl.cells).toBeLessThanOrEqual(ttl.subgraph);
    expect(fromCells.headers.get('cache-control')?.replace(/\d+/, 'N')).toBe(fromSubgraph.headers.get('cache-control')?.replace(/\d+/, 'N'));
    // The stored response: a hit with the same ETag, and 304 for it.
    const hit = await send(cells, probe);
    expect({ text: hit.text, etag: hit.headers.get('etag'), cache: hit.headers.get('x-tributary-cache') }).toEqual({ text: expected, etag: fromCells.headers.get('etag'), cache: 'hit-l1' });
    const notModified = await fetch(cells, { method: 'POST', headers: { 'content-type': 'application/json', 'if-none-match': hit.headers.get('etag')! }, body: JSON.stringify(probe) });
    expect(notModified.status).toBe(304);
  });
});
