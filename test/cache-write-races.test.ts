import { createServer, type Server } from 'node:http';
import { closeGracefully, listen } from '@tributary/runtime';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { sql } from './support/sql.js';

/**
 * Never stale, never foreign, when a write lands while a read is in flight (a gate holds one of
 * its subgraph fetches until the write's event has arrived): an answer that read a field before
 * a plain SQL write changed it is not stored; nor is one that read a customer's private data
 * before their support rep changed (that event evicts `private:any`), else the former rep keeps
 * getting what a miss now refuses.
 */

/** An HTTP proxy in front of a subgraph that holds requests while closed. */
async function startGate(target: string) {
  let open: Promise<void> = Promise.resolve();
  let release = () => {};
  let onArrival: (() => void) | undefined;
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    onArrival?.();
    await open;
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
    const answer = await fetch(target, { method: request.method, headers, body: Buffer.concat(chunks) });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    /** Holds the next requests; resolves `arrived` when one reaches the gate. */
    close(): { arrived: Promise<void> } {
      open = new Promise((resolve) => (release = resolve));
      return { arrived: new Promise((resolve) => (onArrival = resolve)) };
    },
    open() {
      onArrival = undefined;
      release();
    },
    stop: () => closeGracefully(server),
  };
}

async function ask(stack: Stack, query: string, subject?: string) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(subject ? { authorization: `Bearer ${await tokenFor(subject)}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { text: await response.text(), source: response.headers.get('x-tributary-cache') };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let uncached: Stack;
let cached: Stack;
let gate: Awaited<ReturnType<typeof startGate>>;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}private-race:` };
  uncached = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { RESPONSE_CACHE: 'off' } });
  gate = await startGate(uncached.subgraphs.urls.sales!);
  const subgraphs = { ...uncached.subgraphs, urls: { ...uncached.subgraphs.urls, sales: gate.url } };
  cached = await startStack({ databaseUrl: database.url, redis, subgraphs, gatewayEnv: { CACHE_DEBUG: 'true' } });
});
afterAll(async () => {
  await cached?.close();
  await gate?.stop();
  await uncached?.close();
  await database?.drop();
});

it('does not store a private answer whose reader lost access while it executed (the support rep changed)', async () => {
  // Customer 5's support rep is employee 4; the sales fetch (public) runs beside the customers one.
  const query = '{ customer(id: "5") { email } topTracks(first: 1) { id } }';
  const { arrived } = gate.close();
  const inFlight = ask(cached, query, 'employee:4');
  await arrived;
  await pause(100); // the customers fetch has read the email as employee 4's customer
  await sql(database.url, 'UPDATE customers.customer SET support_rep_id = 3 WHERE customer_id = 5');
  await pause(300); // its event (private:any) has reached the gateway
  gate.open();
  const first = await inFlight;
  expect(first.text).toContain('frantisekw@jetbrains.com');
  expect(first.source, 'stored although its reader lost access before it was stored').toBe('not-stored');

  const reference = await ask(uncached, query, 'employee:4');
  expect(reference.text).toContain('FORBIDDEN');
  const again = await ask(cached, query, 'employee:4');
  expect(again.text, `answered from ${again.source}`).toBe(reference.text);
});

it('does not store a public answer that read a field a plain SQL write changed while it executed', async () => {
  // Another sales fetch than the test above's, which the entity cache now holds (it would never reach the gate).
  const query = '{ track(id: "1") { name } topTracks(first: 2) { id } }';
  const { arrived } = gate.close();
  const inFlight = ask(cached, query);
  await arrived;
  await pause(100); // the catalog fetch has read the old name
  await sql(database.url, "UPDATE catalog.track SET name = 'For Those About To Rock (Live)' WHERE track_id = 1");
  await pause(300);
  gate.open();
  const first = await inFlight;
  expect(first.text).toContain('"name":"For Those About To Rock (We Salute You)"');
  expect(first.source).toBe('not-stored');
  const again = await ask(cached, query);
  expect(again.text).toBe((await ask(uncached, query)).text);
  expect(again.text).toContain('(Live)');
});
