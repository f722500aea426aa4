/**
 * Who may read a customer's private data depends on the reader's employee row (a manager's
 * title). A title change, a changed key or a DELETE of an employee row evicts every private entry
 * (`private:any`), so that a former manager's still-valid token gets from the cache what a miss
 * gives it: FORBIDDEN. (An INSERT cannot widen what was stored: before it, that principal's reads
 * were refused.)
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { sql } from './support/sql.js';

async function ask(stack: Stack, query: string, subject: string) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(subject)}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, text: await response.text(), source: response.headers.get('x-tributary-cache') };
}

/** Until the change event of a plain SQL write reached the gateway (well within its 100 ms bound). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

let database: TestDatabase;
let cached: Stack;
let uncached: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}deleted-manager:` };
  cached = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { CACHE_DEBUG: 'true' } });
  uncached = await startStack({ databaseUrl: database.url, redis, subgraphs: cached.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off' } });
});
afterAll(async () => {
  await uncached?.close();
  await cached?.close();
  await database?.drop();
});

it("stops serving a manager's private entries once the manager's employee row is deleted, as a miss refuses them", async () => {
  const query = '{ customer(id: "5") { email } }';
  // Employee 8 (IT Staff: no reports, no customers) becomes a manager and reads customer 5's email.
  await sql(database.url, "UPDATE customers.employee SET title = 'IT Manager' WHERE employee_id = 8");
  await settle();
  const manager = await ask(cached, query, 'employee:8');
  expect(manager.text).toBe('{"data":{"customer":{"email":"frantisekw@jetbrains.com"}}}');
  expect((await ask(cached, query, 'employee:8')).source).toBe('hit-l1');

  await sql(database.url, 'DELETE FROM customers.employee WHERE employee_id = 8');
  await settle();
  const refused = await ask(uncached, query, 'employee:8');
  expect(refused.text).toContain('FORBIDDEN');
  const answer = await ask(cached, query, 'employee:8');
  expect({ status: answer.status, text: answer.text }, `answered from ${answer.source}`).toEqual({ status: refused.status, text: refused.text });
});
