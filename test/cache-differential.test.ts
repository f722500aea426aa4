import { afterAll, describe, expect, inject, it } from 'vitest';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';
import { CORPUS, type CorpusRequest } from './support/federation-corpus.js';
import { REDIS_URL } from './support/services.js';
import { tokenFor } from './support/stack.js';

/** What a client sees of an answer: status, media type and the exact body bytes. */
interface Seen {
  status: number;
  contentType: string | null;
  body: string;
  /** `x-tributary-cache` (debug): `miss`, `hit-l1`, `hit-l2`, `not-stored`, or null. */
  source: string | null;
  /** `x-tributary-entity-cache` (debug): `fetches=<from cache>/<all>, representations=<from cache>/<all>`, or null. */
  entities: string | null;
}

const ACCEPTS = [undefined, 'application/graphql-response+json', 'application/graphql-response+json, application/json'];

async function send(url: string, request: CorpusRequest, accept: string | undefined): Promise<Seen> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (accept) headers.accept = accept;
  if (request.as) headers.authorization = `Bearer ${await tokenFor(request.as)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }) });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
    source: response.headers.get('x-tributary-cache'),
    entities: response.headers.get('x-tributary-entity-cache'),
  };
}

const stacks: CorpusStack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});

describe.each(CORPUS.map((shape, index) => ({ shape, index })))('the cache never changes an answer: $shape.name', ({ shape, index }) => {
  it('answers every request byte for byte as without the caches: as a miss, an L1 hit and an L2 hit on another instance; with the entity cache alone likewise', async () => {
    const stack = await startCorpusStack(shape);
    stacks.push(stack);
    const redis = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}corpus${index}:`, CACHE_DEBUG: 'true' };
    const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    const a = await stack.gateway(redis);
    const b = await stack.gateway(redis);
    // The entity cache alone (response cache off): its own L2, shared by two instances.
    const entityOnly = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}corpus${index}-entity:`, CACHE_DEBUG: 'true', RESPONSE_CACHE: 'off' };
    const e1 = await stack.gateway(entityOnly);
    const e2 = await stack.gateway(entityOnly);
    /** Queries whose every subgraph fetch the entity cache answered on the second ask. */
    const servedByEntities = new Set<string>();
    const differences: string[] = [];
    /** Private entries by query, with the principals that stored them. */
    const privateOwners = new Map<string, Set<string>>();
    const stored = new Set<string>();
    for (const accept of ACCEPTS) {
      for (const request of shape.requests) {
        const expected = await send(uncached, request, accept);
        const miss = await send(a, request, accept);
        const l1 = await send(a, request, accept);
        const l2 = await send(b, request, accept);
        const entityMiss = await send(e1, request, accept);
        const entityHit = await send(e1, request, accept);
        const entityL2 = await send(e2, request, accept);
        const who = `${request.query}${request.operationName ? ` (${request.operationName})` : ''} as ${request.as ?? 'anonymous'} (accept ${accept ?? 'none'})`;
        const tiers = [
          ['first', miss],
          ['second', l1],
          ['other instance', l2],
          ['entity cache, first', entityMiss],
          ['entity cache, second', entityHit],
          ['entity cache, other instance', entityL2],
        ] as const;
        for (const [tier, seen] of tiers) {
          const { source: _source, entities: _entities, ...client } = seen;
          const { source: _none, entities: _no, ...reference } = expected;
          if (JSON.stringify(client) !== JSON.stringify(reference))
            differences.push(`${who}, ${tier} (${seen.source}):\n  without cache: ${JSON.stringify(reference)}\n  with cache:    ${JSON.stringify(client)}`);
        }
        // Never foreign: what principals stored privately is a hit for none but them.
        const owners = privateOwners.get(request.query);
        if (owners && !owners.has(request.as ?? 'anonymous')) expect(miss.source, `${who} was answered from another principal's entry`).not.toMatch(/^hit/);
        if (l1.source === 'hit-l1' && request.as && isPrivate(request.query)) privateOwners.set(request.query, new Set([...(owners ?? []), request.as]));
        if (l1.source === 'hit-l1') stored.add(request.query);
        // What was stored on the first instance is shared through L2.
        if (l1.source === 'hit-l1' && miss.source === 'miss') expect(l2.source, `${who} on the other instance`).toBe('hit-l2');
        const served = /^fetches=(\d+)\/(\d+)/.exec(entityHit.entities ?? '');
        if (served && served[1] === served[2]) servedByEntities.add(request.query);
      }
    }
    expect(differences).toEqual([]);
    // Worth something only if the entity cache answered: most queries' fetches all came from it.
    expect(servedByEntities.size, `served by entities: ${[...servedByEntities].join(' | ')}`).toBeGreaterThanOrEqual(shape.minimumServedByEntities ?? 0);
    // The comparison is worth something only if the cache answered: most requests are stored.
    expect(stored.size, `stored: ${[...stored].join(' | ')}`).toBeGreaterThanOrEqual(shape.minimumStored);
  }, 120_000); // six gateways, each request sent six times under three Accept headers
});

/** Requests of the corpus that read private data (their entries must be scoped to the principal). */
function isPrivate(query: string): boolean {
  return /secret|email|rating|nodes\(/.test(query);
}

describe('what the corpus stores', () => {
  it("bounds an entry by its subgraphs' Cache-Control: max-age shortens it, no-store forbids it", async () => {
    for (const [header, expected] of [
      ['public, max-age=7', (seen: Seen, ttl: number) => seen.source === 'hit-l1' && ttl <= 7 && ttl >= 5],
      ['no-store', (seen: Seen) => seen.source === 'not-stored'],
      ['private, max-age=60', (seen: Seen) => seen.source === 'not-stored'], // private data read anonymously
    ] as const) {
      const shape = { ...CORPUS[0]!, subgraphs: CORPUS[0]!.subgraphs.map((s) => ({ ...s, cacheControl: header })) };
      const stack = await startCorpusStack(shape);
      stacks.push(stack);
      const gateway = await stack.gateway({ CACHE_DEBUG: 'true' });
      const request = { query: '{ products { id } }' };
      await send(gateway, request, undefined);
      const response = await fetch(gateway, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      const seen = { status: response.status, contentType: response.headers.get('content-type'), body: await response.text(), source: response.headers.get('x-tributary-cache'), entities: null };
      expect(expected(seen, Number(response.headers.get('x-tributary-cache-ttl'))), `${header}: ${seen.source} ttl ${response.headers.get('x-tributary-cache-ttl')}`).toBe(true);
    }
  });

  it('stores private answers under their principal only, and never an answer that read a maxAge 0 type', async () => {
    const stack = await startCorpusStack(CORPUS[0]!);
    stacks.push(stack);
    const gateway = await stack.gateway({ REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}corpus-store:`, CACHE_DEBUG: 'true' });
    const secret = { query: '{ node(id: "s1") { ... on Secret { secret } } }' };
    expect((await send(gateway, { ...secret, as: 'customer:5' }, undefined)).source).toBe('miss');
    expect((await send(gateway, { ...secret, as: 'customer:5' }, undefined)).source).toBe('hit-l1');
    // Read anonymously, private data is answered but never stored; customer 6 gets no hit either.
    const anonymous = await send(gateway, secret, undefined);
    expect([anonymous.source, (await send(gateway, secret, undefined)).source]).toEqual(['not-stored', 'not-stored']);
    expect((await send(gateway, { ...secret, as: 'customer:6' }, undefined)).source).toBe('miss');
    const quote = { query: '{ node(id: "q1") { ... on Quote { text } } }' };
    expect((await send(gateway, quote, undefined)).source).toBe('not-stored');
    expect((await send(gateway, quote, undefined)).source).toBe('not-stored');
    // A public answer read through an interface is stored and shared.
    const book = { query: '{ node(id: "p1") { ... on Book { title } } }' };
    expect((await send(gateway, book, undefined)).source).toBe('miss');
    expect((await send(gateway, { ...book, as: 'customer:6' }, undefined)).source).toBe('hit-l1');
  });

  it('does not store answers with completion errors, nor those whose tagged fetch failed on an added key', async () => {
    const stack = await startCorpusStack(CORPUS[1]!);
    stacks.push(stack);
    const gateway = await stack.gateway({ REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}corpus-errors:`, CACHE_DEBUG: 'true' });
    const missing = await send(gateway, { query: '{ reviews { body author { name } } }' }, undefined);
    expect(missing.body).toContain('valueCompletion');
    expect(missing.source).toBe('not-stored');
    const gadgets = await send(gateway, { query: '{ gadgets { name } }' }, undefined);
    expect(gadgets.body).toBe('{"data":{"gadgets":[{"name":"nameless"},{"name":"named"}]}}');
    expect(gadgets.source).toBe('not-stored');
  });
});
