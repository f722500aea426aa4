import { Kind, type SelectionSetNode, parse, print, visit } from 'graphql';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';
import { CORPUS, type CorpusRequest } from './support/federation-corpus.js';
import { REDIS_URL } from './support/services.js';
import { tokenFor } from './support/stack.js';

/**
 * Field cells (root fetches kept per entity and field, `gateway/src/cache/root-cells.ts`) never
 * change an answer, over every federation shape of the corpus: after each request of the corpus
 * has been asked once, documents that ask the same data in another form (selections in reverse
 * order; aliased; scalar fields selected twice; one field fewer; `__typename` everywhere) are not
 * cached whole anywhere, so the entity cache answers their root fetches, and the representations of
 * their entity fetches, from cells where it can:
 * from L2 on another instance, then from L1. Each answer equals, byte for byte, that of a gateway without caches.
 */

/** Another form of a document: each selection set transformed by `change`. */
function variant(query: string, change: (set: SelectionSetNode) => SelectionSetNode): string {
  return print(visit(parse(query), { SelectionSet: { leave: (set: SelectionSetNode) => change(set) } }));
}

const VARIANTS: Array<[string, (set: SelectionSetNode) => SelectionSetNode]> = [
  ['reversed', (set) => ({ ...set, selections: [...set.selections].reverse() })],
  [
    'aliased',
    (set) => ({
      ...set,
      selections: set.selections.map((s) => (s.kind === Kind.FIELD && !s.alias && !s.name.value.startsWith('__') ? { ...s, alias: { kind: Kind.NAME, value: `${s.name.value}_a` } } : s)),
    }),
  ],
  ['leaves twice', (set) => ({ ...set, selections: set.selections.flatMap((s) => (s.kind === Kind.FIELD && !s.selectionSet ? [s, s] : [s])) })],
  ['one field fewer', (set) => (set.selections.length > 1 ? { ...set, selections: set.selections.slice(0, -1) } : set)],
  [
    '__typename everywhere',
    (set) =>
      set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias)
        ? set
        : { ...set, selections: [...set.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] },
  ],
];

async function send(url: string, request: CorpusRequest): Promise<{ text: string; status: number; entities: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.as) headers.authorization = `Bearer ${await tokenFor(request.as)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }) });
  return { status: response.status, text: await response.text(), entities: response.headers.get('x-tributary-entity-cache') };
}

/** Root fetches (`assembled`) or representations of entity fetches (`entity-assembled`) an instance answered from cells. */
async function assembled(url: string, outcome: 'assembled' | 'entity-assembled'): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith('tributary_entity_cache_cells_total{') && line.includes(`outcome="${outcome}"`)) sum += Number(line.split(' ').at(-1));
  return sum;
}

const stacks: CorpusStack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});

/** Root fetches answered from cells, per shape: summed and checked at the end (interfaces and unions are never kept in cells). */
const assembledByShape = new Map<string, number>();
/** Representations of entity fetches answered from their entities' cells, per shape. */
const entitiesAssembledByShape = new Map<string, number>();

describe.each(CORPUS.map((shape, index) => ({ shape, index })))('field cells never change an answer: $shape.name', ({ shape, index }) => {
  it('answers other forms of each request byte for byte as without caches, from L2 cells on another instance and from L1 cells', async () => {
    const stack = await startCorpusStack(shape);
    stacks.push(stack);
    const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `${inject('redisPrefix')}cells${index}:`, CACHE_DEBUG: 'true', RESPONSE_CACHE: 'off' };
    const first = await stack.gateway(env);
    const second = await stack.gateway(env);
    const differences: string[] = [];
    for (const request of shape.requests) {
      await send(first, request);
      for (const [name, change] of VARIANTS) {
        const other = { ...request, query: variant(request.query, change) };
        const expected = await send(uncached, other);
        const fromL2 = await send(second, other);
        const fromL1 = await send(first, other);
        for (const [tier, seen] of [
          ['other instance', fromL2],
          ['same instance', fromL1],
        ] as const) {
          if (seen.status !== expected.status || seen.text !== expected.text)
            differences.push(`${other.query} (${name}, ${tier}, ${seen.entities}):\n  without caches: ${expected.text}\n  with cells:     ${seen.text}`);
        }
      }
    }
    expect(differences).toEqual([]);
    assembledByShape.set(shape.name, (await assembled(first, 'assembled')) + (await assembled(second, 'assembled')));
    entitiesAssembledByShape.set(shape.name, (await assembled(first, 'entity-assembled')) + (await assembled(second, 'entity-assembled')));
  }, 120_000);
});

describe('field cells over the corpus', () => {
  it('answered root fetches from cells in the shapes with object entities (so the comparison above is worth something)', () => {
    expect(assembledByShape.size).toBe(CORPUS.length);
    const total = [...assembledByShape.values()].reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify([...assembledByShape])).toBeGreaterThan(20);
  });

  it("answered representations of entity fetches from their entities' cells, in several shapes", () => {
    const total = [...entitiesAssembledByShape.values()].reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify([...entitiesAssembledByShape])).toBeGreaterThan(15);
    expect([...entitiesAssembledByShape.values()].filter((n) => n > 0).length, JSON.stringify([...entitiesAssembledByShape])).toBeGreaterThanOrEqual(3);
  });
});
