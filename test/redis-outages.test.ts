import { BUS_LOSS_BOUND_MS } from '@tributary/cache';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { type OwnRedis, startOwnRedis } from './support/redis-server.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * Subgraphs and gateway on a redis-server of the test's own, which the test kills, resets
 * (CLIENT KILL) and hangs (SIGSTOP); connections are counted by name with CLIENT LIST.
 */
let database: TestDatabase;
let redis: OwnRedis;
let stack: Stack;
let sql: pg.Client;

/** The process's connections: the gateway's store and bus, and the subgraphs' bus. */
const EXPECTED_CLIENTS = { 'tributary-store': 1, 'tributary-bus-publisher': 2, 'tributary-bus-subscriber': 2 };

async function ask(query: string) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, text: await response.text(), source: response.headers.get('x-tributary-cache') };
}
const base = () => stack.gatewayUrl.replace('/graphql', '');
const readyz = async () => (await fetch(`${base()}/readyz`)).status;
const gatewayMetric = async (name: string, labels: Record<string, string>) => metricValue(await (await fetch(`${base()}/metrics`)).text(), name, labels);
async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
/** Waits for the gateway to be ready again and the connections to settle, then counts them. */
async function settledClients(): Promise<Record<string, number>> {
  expect(await eventually(async () => (await readyz()) === 200, 15_000)).toBe(true);
  await eventually(async () => JSON.stringify(await redis.clients()) === JSON.stringify(EXPECTED_CLIENTS), 5_000);
  await new Promise((r) => setTimeout(r, 500)); // a second, late reconnect would show now
  return redis.clients();
}
async function cached(query: string): Promise<boolean> {
  return eventually(async () => (await ask(query)).source === 'hit-l1', 5_000);
}

beforeAll(async () => {
  database = await cloneTemplateDatabase();
  redis = await startOwnRedis();
  stack = await startStack({ databaseUrl: database.url, redis: { url: redis.url, keyPrefix: 'own:' }, gatewayEnv: { CACHE_DEBUG: 'true' } });
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await stack?.close();
  await redis?.stop().catch(() => undefined);
  await database?.drop();
});

describe('Redis outages of every shape', () => {
  it('leave exactly one connection per client after refused, reset and hung outages, report them in /readyz and /metrics, and SQL writes are heard after', async () => {
    expect(await settledClients()).toEqual(EXPECTED_CLIENTS);
    expect(await gatewayMetric('tributary_connection_up', { connection: 'bus' })).toBe(1);
    const shapes: Record<string, () => Promise<void>> = {
      refused: async () => {
        await redis.stop();
        await new Promise((r) => setTimeout(r, 1_000));
        await redis.start();
      },
      reset: async () => {
        const killer = new (await import('ioredis')).Redis(redis.url, { maxRetriesPerRequest: 0 });
        await killer.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
        await killer.client('KILL', 'TYPE', 'pubsub');
        killer.disconnect();
      },
      // Longer than the hung-connection reconnect (3 s): that path is taken too.
      hung: async () => {
        redis.pause();
        await new Promise((r) => setTimeout(r, 4_000));
        redis.resume();
      },
    };
    const counts: Record<string, Array<Record<string, number>>> = {};
    for (const [shape, outage] of Object.entries(shapes)) {
      counts[shape] = [];
      for (let round = 0; round < 2; round++) {
        const losses = (await gatewayMetric('tributary_connection_losses_total', { connection: 'bus' })) ?? 0;
        const notReady = outage().then(() => undefined);
        // While the bus is down, the gateway says so (and, for refused and hung, says so during the outage).
        if (shape !== 'reset') expect(await eventually(async () => (await readyz()) === 503, 3_000), `${shape} #${round + 1} /readyz 503`).toBe(true);
        await notReady;
        expect(await eventually(async () => ((await gatewayMetric('tributary_connection_losses_total', { connection: 'bus' })) ?? 0) > losses, 3_000), `${shape} #${round + 1} counted`).toBe(true);
        counts[shape]!.push(await settledClients());
        expect(await gatewayMetric('tributary_connection_up', { connection: 'bus' })).toBe(1);
      }
    }
    expect(counts).toEqual({ refused: [EXPECTED_CLIENTS, EXPECTED_CLIENTS], reset: [EXPECTED_CLIENTS, EXPECTED_CLIENTS], hung: [EXPECTED_CLIENTS, EXPECTED_CLIENTS] });

    // After all that, a write that bypasses the API still evicts.
    const query = '{ track(id: "30") { name } }';
    expect(await cached(query)).toBe(true);
    await sql.query("UPDATE catalog.track SET name = 'Heard After Outages' WHERE track_id = 30");
    expect(await eventually(async () => (await ask(query)).text.includes('Heard After Outages'), 1_000)).toBe(true);
  }, 120_000);
});

describe('a hung Redis (SIGSTOP)', () => {
  it(`is a lost bus within ${BUS_LOSS_BOUND_MS} ms: a price updated with SQL at once during the hang is read fresh after that bound, and after SIGCONT too`, async () => {
    const query = '{ track(id: "40") { unitPrice } }';
    expect(await cached(query)).toBe(true);
    const before = JSON.parse((await ask(query)).text).data.track.unitPrice as string;
    const paused = Date.now();
    redis.pause();
    try {
      // The write comes at once; the bus is noticed silent within the bound, and the next read is fresh.
      await sql.query('UPDATE catalog.track SET unit_price = unit_price + 1 WHERE track_id = 40');
      expect(await eventually(() => !stack.gateway.cache.isTrusting, 3_000)).toBe(true);
      const detectedMs = Date.now() - paused;
      console.info(`hung bus detected after ${detectedMs} ms (bound ${BUS_LOSS_BOUND_MS} ms)`);
      // 50 ms: the probe's polling interval, and the slack of a loaded machine's timers.
      expect(detectedMs).toBeLessThanOrEqual(BUS_LOSS_BOUND_MS + 150);
      const during = await ask(query);
      expect(during.source).toBe('not-stored'); // executed, and not stored while the bus is lost
      expect(JSON.parse(during.text).data.track.unitPrice).toBe((Number(before) + 1).toFixed(2));
      expect(await readyz()).toBe(503);
    } finally {
      redis.resume();
    }
    // Back: caching again, and never the old price (L1 was dropped, L2's entry is older than the loss).
    expect(await cached(query)).toBe(true);
    expect(JSON.parse((await ask(query)).text).data.track.unitPrice).toBe((Number(before) + 1).toFixed(2));
  }, 30_000);
});

describe('a Redis that hangs under load', () => {
  it('keeps what waits for it bounded (pending commands per connection) and answers every request', async () => {
    redis.pause();
    const started = Date.now();
    let maxPending = 0;
    let answered = 0;
    const failures: string[] = [];
    let slowest = 0;
    try {
      const until = Date.now() + 4_000;
      const load = async (worker: number) => {
        for (let i = 0; Date.now() < until; i++) {
          // Distinct documents: each a miss that would be looked up and stored in L2.
          const sent = Date.now();
          const result = await ask(`{ w${worker}x${i}: genre(id: "${1 + ((worker + i) % 25)}") { name } }`);
          slowest = Math.max(slowest, Date.now() - sent);
          answered++;
          if (result.status !== 200 || result.text.includes('"errors"')) failures.push(result.text);
        }
      };
      const sample = async () => {
        while (Date.now() < until) {
          const text = await (await fetch(`${base()}/metrics`)).text();
          for (const connection of ['redis-store', 'bus-publisher', 'bus-subscriber'])
            maxPending = Math.max(maxPending, metricValue(text, 'tributary_connection_pending_commands', { connection }) ?? 0);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await Promise.all([...Array.from({ length: 8 }, (_, w) => load(w)), sample()]);
    } finally {
      redis.resume();
    }
    console.info(`hang under load: ${answered} requests in ${Date.now() - started} ms, slowest ${slowest} ms, at most ${maxPending} commands pending on one connection`);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(40);
    expect(maxPending).toBeLessThanOrEqual(1_000 + 1);
    // Fails fast: no request waited for Redis beyond the 250 ms command timeout and the stalled loop's slack.
    expect(slowest).toBeLessThan(2_000);
    expect(await eventually(async () => (await readyz()) === 200, 10_000)).toBe(true);
  }, 30_000);
});
