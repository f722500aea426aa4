import { type ChangeEvent, type ChangeFeed, createChangeFeed, createChangeMap, createInProcessBus } from '@tributary/cache';
import { CHANGE_CHANNEL, CHINOOK_FIELD_SOURCES, type DatabaseHandle, LISTEN_APPLICATION_NAME, createDatabase, readDatabaseConfig } from '@tributary/database';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@tributary/runtime';
import { metricValue } from '../../../test/support/metrics.js';
import { POSTGRES_ADMIN_URL } from '../../../test/support/services.js';
import { type TcpProxy, startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

/**
 * The change feed's LISTEN connection and the subgraph pool go through a proxy of the test's
 * own in front of the shared Postgres; each outage shape is made at the proxy or, for
 * `pg_terminate_backend`, on this test's database only.
 */
describe('the change feed through repeated Postgres outages', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let handle: DatabaseHandle;
  let feed: ChangeFeed;
  let admin: pg.Client;
  const events: ChangeEvent[] = [];
  const states: boolean[] = [];
  const poolSize = 3;
  const registry = createRegistry('outages');

  const connections = async (applicationName: string) =>
    Number((await admin.query('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [database.name, applicationName])).rows[0].n);
  const eventually = async (probe: () => Promise<boolean> | boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  };
  /** Waits until the feed listens again and its connection count settles, then returns it. */
  const settledFeedConnections = async () => {
    expect(await eventually(() => states.at(-1) === true, 15_000)).toBe(true);
    await eventually(async () => (await connections(LISTEN_APPLICATION_NAME)) === 1, 3_000);
    await new Promise((r) => setTimeout(r, 300)); // a second, late reconnect would show now
    return connections(LISTEN_APPLICATION_NAME);
  };
  /** A write that bypasses the API, on a connection of its own: the feed must report it. */
  const heardAfterWrite = async (price: string) => {
    events.length = 0;
    await admin.query('UPDATE catalog.track SET unit_price = $1 WHERE track_id = 7', [price]);
    await feed.fence(5_000);
    return events.filter((e) => e.kind === 'update' && e.type === 'Track' && e.id === '7');
  };

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    proxy = await startTcpProxy(Number(new URL(POSTGRES_ADMIN_URL).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    handle = await createDatabase({
      config: readDatabaseConfig({ DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: String(poolSize), DATABASE_CONNECT_TIMEOUT_MS: '1000' }),
      name: 'outages',
      registry,
    });
    const bus = createInProcessBus();
    bus.subscribe((event) => events.push(event));
    feed = await createChangeFeed({ database: handle, channel: CHANGE_CHANNEL, changeMap: createChangeMap(CHINOOK_FIELD_SOURCES), bus, onListening: (listening) => states.push(listening) });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await feed?.close();
    await handle?.destroy();
    await admin?.end();
    await proxy?.close();
    await database?.drop();
  });

  it('keeps exactly one LISTEN connection after refused, reset, terminated and hung outages, three times each, and hears a SQL write after each', async () => {
    expect(await connections(LISTEN_APPLICATION_NAME)).toBe(1);
    const shapes: Record<string, () => Promise<void>> = {
      // The server stops: every connection is cut and new ones are refused for 1.5 s.
      refused: async () => {
        await proxy.setMode('refuse');
        await new Promise((r) => setTimeout(r, 1_500));
        await proxy.setMode('forward');
      },
      // The network resets every connection (RST).
      reset: async () => {
        expect(proxy.reset()).toBeGreaterThanOrEqual(1);
      },
      // The shape: backends terminated (as a shutdown does) while new connections are refused for 2 s.
      terminated: async () => {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [database.name, LISTEN_APPLICATION_NAME]);
        await proxy.setMode('refuse');
        await new Promise((r) => setTimeout(r, 2_000));
        await proxy.setMode('forward');
      },
      // Nothing passes for 5 s, and nothing is reset: only the heartbeat (1 s, answered within 3 s) can tell.
      hung: async () => {
        await proxy.setMode('hang');
        await new Promise((r) => setTimeout(r, 5_000));
        await proxy.setMode('forward');
      },
    };
    const counts: Record<string, number[]> = {};
    for (const [shape, outage] of Object.entries(shapes)) {
      counts[shape] = [];
      for (let round = 0; round < 3; round++) {
        const lossesBefore = states.filter((s) => !s).length;
        await outage();
        // Each outage was noticed (state went down) and the feed came back.
        expect(await eventually(() => states.filter((s) => !s).length > lossesBefore, 5_000), `${shape} #${round + 1} noticed`).toBe(true);
        counts[shape]!.push(await settledFeedConnections());
        expect(await heardAfterWrite(`${round + 1}.${shape.length}9`), `${shape} #${round + 1}`).toHaveLength(1);
      }
    }
    expect(counts).toEqual({ refused: [1, 1, 1], reset: [1, 1, 1], terminated: [1, 1, 1], hung: [1, 1, 1] });
    // The pool never holds more than its size, and serves again.
    expect(await connections('tributary-outages')).toBeLessThanOrEqual(poolSize);
    const row = await handle.db.selectFrom('catalog.track').select('unit_price').where('track_id', '=', 7).executeTakeFirstOrThrow();
    expect(row.unit_price).toBe('3.49');
    const open = metricValue(await registry.metrics(), 'tributary_db_pool_connections', { subgraph: 'outages', state: 'open' });
    expect(open).toBeGreaterThanOrEqual(1);
    expect(open).toBeLessThanOrEqual(poolSize);
  }, 120_000);
});
