import type { ChangeEvent } from '@tributary/cache';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { type OwnReplica, startOwnReplica } from './support/pg-replica.js';
import { POSTGRES_ADMIN_URL, REDIS_URL, withClient } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

// Issue 14 §3: subgraph reads on a streaming replica (pg_basebackup, recovery_min_apply_delay
// 500 ms) of the test Postgres, the cache never storing what a lagging replica read.
const APPLY_DELAY_MS = 500;

let replica: OwnReplica;
let database: TestDatabase;
let stack: Stack;
/** A second gateway over the same subgraphs and Redis: read-your-writes across gateways. */
let second: Stack;
let primary: pg.Client;

beforeAll(async () => {
  replica = await startOwnReplica(POSTGRES_ADMIN_URL, { applyDelayMs: APPLY_DELAY_MS });
  database = await cloneTemplateDatabase();
  await replica.waitForDatabase(database.name);
  stack = await startStack({
    databaseUrl: database.directUrl,
    subgraphEnv: { DATABASE_READ_URL: replica.urlOf(database.name) },
    redis: { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}replicas:` },
    gatewayEnv: { CACHE_DEBUG: 'true' },
  });
  second = await startStack({
    databaseUrl: database.directUrl,
    subgraphs: stack.subgraphs,
    redis: { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}replicas:` },
    gatewayEnv: { CACHE_DEBUG: 'true' },
  });
  primary = new pg.Client({ connectionString: database.directUrl });
  await primary.connect();
  // A gateway that just started stores no replica read until it hears a position (at most 1 s),
  // and then none from a replica that has not replayed up to it (the 500 ms delay).
  const heard = await nextEvent((event) => event.kind === 'fence' && event.lsn !== undefined);
  await stack.gateway.cache.fence();
  while (position(await replayed()) < position(heard.lsn!)) await new Promise((r) => setTimeout(r, 50));
}, 90_000);
afterAll(async () => {
  await primary?.end();
  await second?.close();
  await stack?.close();
  await database?.drop();
  await replica?.stop();
});

/** Resolves with the first event on the subgraphs' bus that `matches`. */
function nextEvent(matches: (event: ChangeEvent) => boolean): Promise<ChangeEvent> {
  return new Promise((resolve) => {
    const unsubscribe = stack.subgraphs.bus.subscribe((event) => {
      if (!matches(event)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

/** Runs `work` on a connection to the test's database on the replica. */
function onReplica<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(replica.urlOf(database.name), work);
}

async function replayed(): Promise<string> {
  return onReplica(async (c) => (await c.query<{ lsn: string }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows[0]!.lsn);
}

const position = (lsn: string) => {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
};

describe('read replicas', () => {
  it('reads go to the replica, which reports its replay position to the gateway', async () => {
    const before = await stack.countStatements(() => stack.query(`{ genre(id: "1") { name } }`));
    expect(before.result.body.data).toEqual({ genre: { name: 'Rock' } });
    const { rows } = await primary.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'tributary-catalog-read'`);
    expect(rows[0]!.n).toBe(0);
    const reading = await onReplica((c) => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'tributary-catalog-read'`));
    expect(reading.rows[0]!.n).toBeGreaterThan(0);
    // One statement for the replica's position, one for the genre.
    expect(before.bySubgraph.catalog).toBe(2);
  });

  it('a price updated with SQL on the primary: after its event, no cached answer has the old price; the new one is cached once the replica has it', async () => {
    const query = `{ track(id: "7") { id name unitPrice } }`;
    expect((await stack.query(query)).body.data.track.unitPrice).toBe('0.99');
    const cachedOld = await stack.query(query);
    expect(cachedOld.headers.get('x-tributary-cache')).toBe('hit-l1');
    const behindBefore = metricValue(await (await fetch(new URL('/metrics', stack.gatewayUrl))).text(), 'tributary_cache_stores_total', { outcome: 'replica-behind' }) ?? 0;

    const heard = nextEvent((event) => event.kind === 'update' && event.type === 'Track' && event.id === '7');
    await primary.query(`UPDATE catalog.track SET unit_price = 1.39 WHERE track_id = 7`);
    const event = await heard;
    expect(event.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // Every event published so far has been applied by the gateway.
    await stack.gateway.cache.fence();

    const answers: Array<{ price: string; cache: string | null; reason: string | null; replayed: string }> = [];
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body, headers } = await stack.query(query);
      answers.push({ price: body.data.track.unitPrice, cache: headers.get('x-tributary-cache'), reason: headers.get('x-tributary-cache-reason'), replayed: await replayed() });
      const last = answers.at(-1)!;
      if (last.cache === 'hit-l1' && last.price === '1.39') break;
      if (Date.now() > deadline) throw new Error(`the new price was never cached: ${JSON.stringify(answers.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // The replica was behind at first: the old price was served, and not stored.
    const old = answers.filter((a) => a.price === '0.99');
    expect(old.length).toBeGreaterThan(0);
    for (const answer of old) expect(answer).toMatchObject({ cache: 'not-stored', reason: 'replica-behind' });
    // No cached answer with the old price after the event; the first answer stored has the new price.
    expect(answers.filter((a) => a.cache?.startsWith('hit') && a.price !== '1.39')).toEqual([]);
    const firstStored = answers.findIndex((a) => a.cache === 'miss');
    expect(answers[firstStored]!.price).toBe('1.39');
    expect(position(answers[firstStored]!.replayed) >= position(event.lsn!)).toBe(true);
    const metrics = await (await fetch(new URL('/metrics', stack.gatewayUrl))).text();
    expect(metricValue(metrics, 'tributary_cache_stores_total', { outcome: 'replica-behind' })! - behindBefore).toBe(old.length);
    // The entity cache refused the same reads.
    expect(metricValue(metrics, 'tributary_entity_cache_stores_total', { subgraph: 'catalog', type: 'Query', outcome: 'replica-behind' })).toBeGreaterThanOrEqual(old.length);
  });

  it("read-your-writes: the author of a mutation reads it at once (the primary), through any gateway, while others still read the replica's old price", async () => {
    const mutation = `mutation { updateTrack(id: "9", input: { unitPrice: "1.49" }) { id unitPrice } }`;
    expect((await stack.query(`{ track(id: "9") { unitPrice } }`, undefined, { as: 'employee:3' })).body.data.track.unitPrice).toBe('0.99');
    // Replay paused: the replica is certainly behind the mutation, whatever the machine's load.
    await onReplica((c) => c.query('SELECT pg_wal_replay_pause()'));
    try {
      const written = await stack.query(mutation, undefined, { as: 'employee:3' });
      expect(written.body).toEqual({ data: { updateTrack: { id: '9', unitPrice: '1.49' } } });
      const own = await stack.query(`{ track(id: "9") { unitPrice } }`, undefined, { as: 'employee:3' });
      expect(own.body.data.track.unitPrice).toBe('1.49');
      // Read on the primary: stored (nothing it read was behind).
      expect(own.headers.get('x-tributary-cache')).toBe('miss');
      expect((await stack.query(`{ track(id: "9") { unitPrice } }`, undefined, { as: 'employee:3' })).headers.get('x-tributary-cache')).toBe('hit-l1');
      // Through another gateway too: it heard the author's write position on the bus (a fence of
      // its own proves that what was published before has arrived), so the author reads the primary.
      await second.gateway.cache.fence();
      const elsewhere = await second.query(`{ track(id: "9") { unitPrice name } }`, undefined, { as: 'employee:3' });
      expect(elsewhere.body.data.track.unitPrice).toBe('1.49');
      expect(elsewhere.headers.get('x-tributary-cache')).toBe('miss');
      // Someone else reads the replica: its old price, served but not stored. (Their selection
      // adds a field the author never read, so no cached entry or field cell can answer it.)
      const other = await stack.query(`{ track(id: "9") { id unitPrice bytes } }`);
      expect(other.body.data.track).toEqual({ id: '9', unitPrice: '0.99', bytes: 6_599_424 });
      expect(other.headers.get('x-tributary-cache-reason')).toBe('replica-behind');
    } finally {
      await onReplica((c) => c.query('SELECT pg_wal_replay_resume()'));
    }
  });
});
