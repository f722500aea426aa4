import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function post(body: string, accept = 'application/json') {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body });
  return { status: response.status, body: await response.json() };
}

const genre1 = '{"query":"{ genre(id: \\"1\\") { name } }"}';

describe('batch items that are not objects', () => {
  it.each([
    ['[null]', 'null'],
    ['["x"]', 'string'],
    ['[[]]', 'array'],
  ])('answers %s with BAD_REQUEST for the item, and nothing throws', async (body, given) => {
    expect(await post(body)).toEqual({ status: 200, body: [{ errors: [{ message: `Expected each operation of a batch to be an object but given ${given}.`, extensions: { code: 'BAD_REQUEST' } }] }] });
  });

  it('still answers the good items of the same batch', async () => {
    expect((await post(`[1, ${genre1}]`)).body).toEqual([
      { errors: [{ message: 'Expected each operation of a batch to be an object but given number.', extensions: { code: 'BAD_REQUEST' } }] },
      { data: { genre: { name: 'Rock' } } },
    ]);
  });
});

describe.each(['application/json', 'application/graphql-response+json'])('request errors with Accept: %s', (accept) => {
  it('answers a missing required variable with 400 BAD_USER_INPUT, planning nothing', async () => {
    const { result, statements } = await stack.countStatements(() => post(JSON.stringify({ query: 'query ($id: ID!) { album(id: $id) { title } }' }), accept));
    expect(result).toEqual({
      status: 400,
      body: { errors: [{ message: 'Variable "$id" of required type "ID!" was not provided.', locations: [{ line: 1, column: 8 }], extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    expect(statements).toBe(0);
  });

  it('answers a variable of the wrong shape with 400 BAD_USER_INPUT', async () => {
    const { status, body } = await post(
      JSON.stringify({ query: 'query ($id: ID!, $first: Int) { album(id: $id) { title } albums(first: $first) { totalCount } }', variables: { id: {}, first: 'ten' } }),
      accept,
    );
    expect(status).toBe(400);
    expect(body.errors.map((e: { message: string; extensions: unknown }) => [e.message, e.extensions])).toEqual([
      ['Variable "$id" got invalid value {}; ID cannot represent value: {}', { code: 'BAD_USER_INPUT' }],
      ['Variable "$first" got invalid value "ten"; Int cannot represent non-integer value: "ten"', { code: 'BAD_USER_INPUT' }],
    ]);
  });

  it('answers a document that does not validate with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    expect(await post(JSON.stringify({ query: '{ album { title } }' }), accept)).toEqual({
      status: 400,
      body: {
        errors: [
          { message: 'Field "album" argument "id" of type "ID!" is required, but it was not provided.', locations: [{ line: 1, column: 3 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        ],
      },
    });
  });

  it('answers a document that does not parse with 400 GRAPHQL_PARSE_FAILED', async () => {
    expect(await post(JSON.stringify({ query: '{ album(id: "1") { title }' }), accept)).toEqual({
      status: 400,
      body: { errors: [{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 27 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
    });
  });

  it('answers valid variables as before', async () => {
    expect(await post(JSON.stringify({ query: 'query ($id: ID!) { album(id: $id) { title } }', variables: { id: '1' } }), accept)).toEqual({
      status: 200,
      body: { data: { album: { title: 'For Those About To Rock We Salute You' } } },
    });
  });
});
