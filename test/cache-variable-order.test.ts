/**
 * The cache key sorts variable names but keeps each value exactly as sent: where the schema
 * passes a variable's value through unchanged (a custom `JSON` scalar, as many supergraphs have),
 * the order of its keys is part of the answer, and a reordered value must not be answered with
 * another request's bytes.
 */
import { GraphQLScalarType } from 'graphql';
import { afterAll, expect, it } from 'vitest';
import { type CorpusStack, startCorpusStack } from './support/corpus-stack.js';

const JSONScalar = new GraphQLScalarType({ name: 'JSON', serialize: (v) => v, parseValue: (v) => v });

let stack: CorpusStack;
afterAll(async () => {
  await stack?.close();
});

async function send(url: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($value: JSON) { echo(value: $value) }', variables }),
  });
  return { status: response.status, body: await response.text(), source: response.headers.get('x-tributary-cache') };
}

it('answers a JSON-scalar variable with its keys in the order sent, as without the cache', async () => {
  stack = await startCorpusStack({
    name: 'custom scalar passed through',
    minimumStored: 0,
    subgraphs: [
      {
        name: 'echo',
        typeDefs: `
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          scalar JSON
          type Query { echo(value: JSON): JSON }`,
        resolvers: { JSON: JSONScalar, Query: { echo: (_: unknown, { value }: { value: unknown }) => value } },
      },
    ],
    requests: [],
  });
  const uncached = await stack.gateway({ RESPONSE_CACHE: 'off' });
  const cached = await stack.gateway({ CACHE_DEBUG: 'true' });
  const ab = { value: { a: 2, b: 1 } };
  const ba = { value: { b: 1, a: 2 } };
  expect((await send(cached, ab)).source).toBe('miss');
  const reference = await send(uncached, ba);
  expect(reference.body).toBe('{"data":{"echo":{"b":1,"a":2}}}');
  const answer = await send(cached, ba);
  expect({ status: answer.status, body: answer.body }, `answered from ${answer.source}`).toEqual({ status: reference.status, body: reference.body });
});
