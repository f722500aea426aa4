import { DATABASE_READINESS_TIMEOUT_MS } from '@tributary/runtime';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/** Issue 8 §5: readiness includes each subgraph's database, with a bound. */
describe('readiness with a starved database pool', () => {
  let database: TestDatabase;
  let stack: Stack;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    stack = await startStack({ databaseUrl: database.url, subgraphEnv: { DATABASE_POOL_SIZE: '2' } });
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  const readyzOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/readyz');
  const get = async (url: string) => {
    const started = performance.now();
    const response = await fetch(url);
    return { status: response.status, body: await response.json(), ms: performance.now() - started };
  };

  /** Holds every connection of the catalog's pool (size 2) in an open transaction until `release`. */
  async function starveCatalogPool() {
    const db = stack.subgraphs.databases.catalog!.db;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = 0;
    let allHeld!: () => void;
    const held = new Promise<void>((resolve) => (allHeld = resolve));
    const transactions = [1, 2].map(() =>
      db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        if (++holding === 2) allHeld();
        await released;
      }),
    );
    await held;
    return async () => {
      release();
      await Promise.all(transactions);
    };
  }

  it('answers 503 from the starved subgraph and the gateway within the bound, and 200 again after release', async () => {
    const gateway = readyzOf(stack.gatewayUrl);
    const catalog = readyzOf(stack.subgraphs.urls.catalog!);
    expect(await get(gateway)).toMatchObject({ status: 200, body: { status: 'ready' } });
    for (const url of Object.values(stack.subgraphs.urls)) expect(await get(readyzOf(url))).toMatchObject({ status: 200, body: { status: 'ready' } });

    const release = await starveCatalogPool();
    try {
      const starved = await get(catalog);
      expect(starved.status).toBe(503);
      expect(starved.body).toEqual({ status: 'not ready', reason: `database: no answer to select 1 within ${DATABASE_READINESS_TIMEOUT_MS} ms` });
      expect(starved.ms).toBeGreaterThanOrEqual(DATABASE_READINESS_TIMEOUT_MS - 50);
      expect(starved.ms).toBeLessThan(DATABASE_READINESS_TIMEOUT_MS + 900);
      // The other subgraphs have their own pools: they stay ready.
      expect(await get(readyzOf(stack.subgraphs.urls.sales!))).toMatchObject({ status: 200 });
      const notReady = await get(gateway);
      expect(notReady.status).toBe(503);
      expect(notReady.body).toEqual({
        status: 'not ready',
        reason: `subgraphs not ready: catalog not ready (database: no answer to select 1 within ${DATABASE_READINESS_TIMEOUT_MS} ms)`,
      });
    } finally {
      await release();
    }
    expect(await get(catalog)).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await get(gateway)).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect((await stack.query('{ genre(id: "1") { name } }')).body).toEqual({ data: { genre: { name: 'Rock' } } });
  });

  it('shares one select 1 between concurrent probes of a starved pool, so that probes do not pile up', async () => {
    const catalog = readyzOf(stack.subgraphs.urls.catalog!);
    const before = stack.subgraphs.databases.catalog!.stats.statements;
    const release = await starveCatalogPool();
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(catalog)));
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    await release();
    expect(await get(catalog)).toMatchObject({ status: 200 });
    // 2 held transactions (begin, select 1, commit each) + 1 shared probe + 1 probe after release
    expect(stack.subgraphs.databases.catalog!.stats.statements - before).toBe(8);
  });
});
