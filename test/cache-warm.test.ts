import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from '@tributary/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

const GENRES = 'query WarmGenres { genres { id name } }';
const TRACK = 'query WarmTrack($id: ID!) { track(id: $id) { name } }';

let database: TestDatabase;
let stack: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-warm-'));
  const manifest = path.join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ [`sha256:${sha256Hex(GENRES)}`]: GENRES, [`sha256:${sha256Hex(TRACK)}`]: TRACK }));
  stack = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_WARM: 'manifest', CACHE_DEBUG: 'true', PERSISTED_OPERATIONS_MANIFESTS: manifest } });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

const stored = async () => metricValue(await stack.gateway.registry.metrics(), 'tributary_cache_stores_total', { outcome: 'stored' }) ?? 0;
const until = async (what: string, condition: () => Promise<boolean>) => {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within 20 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const byHash = (query: string, operationName?: string) =>
  fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(operationName ? { operationName } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } } }),
  });

describe('CACHE_WARM=manifest', () => {
  it("executes the manifest's variable-free queries at start: the first client request by hash is a hit", async () => {
    // Two entries: as clients send it (with `operationName`, the cache key holds it) and without.
    await until('the warm-up stored', async () => (await stored()) === 2);
    expect((await byHash(GENRES, 'WarmGenres')).headers.get('x-tributary-cache')).toBe('hit-l1');
    const response = await byHash(GENRES);
    expect(response.headers.get('x-tributary-cache')).toBe('hit-l1');
    const body = (await response.json()) as { data: { genres: Array<{ id: string; name: string }> } };
    expect(body.data.genres).toHaveLength(25);
    expect(body.data.genres[0]).toEqual({ id: '1', name: 'Rock' });
    // The query with a variable was not executed (nothing to give it): stores stayed at 2.
    expect(await stored()).toBe(2);
  });

  it('warms again after a flush', async () => {
    const before = await stored();
    await stack.subgraphs.bus.publish({ kind: 'flush', reason: 'test' });
    await until('the warm-up after the flush stored', async () => (await stored()) === before + 2);
    expect((await byHash(GENRES)).headers.get('x-tributary-cache')).toBe('hit-l1');
    expect((await byHash(GENRES, 'WarmGenres')).headers.get('x-tributary-cache')).toBe('hit-l1');
  });
});
