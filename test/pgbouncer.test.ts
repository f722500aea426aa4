import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEEP_ALBUMS, DEEP_ALBUMS_MINIMUM } from './support/queries.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { withClient as admin } from './support/services.js';

/**
 * Issue 14, part 2 (project `pgbouncer`): the subgraphs' pools go through pgbouncer in
 * transaction pooling mode, the change feed's LISTEN goes to Postgres directly.
 */
let database: TestDatabase;
let stack: Stack;

beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_DEBUG: 'true' } });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

describe('subgraphs behind pgbouncer (transaction pooling)', () => {
  it('connects the pools through pgbouncer and the LISTEN connection directly', async () => {
    const port = inject('pgbouncerPort');
    expect(port).toBeGreaterThan(0);
    expect(new URL(database.url).port).toBe(String(port));
    await stack.query('{ album(id: "1") { title } }');
    // pgbouncer's own clients: the subgraphs' pools (application_name is tracked by pgbouncer).
    const clients = await admin(
      database.url.replace(/\/[^/]+$/, '/pgbouncer'),
      async (c) => (await c.query({ text: 'SHOW CLIENTS', queryMode: 'simple' } as never)) as unknown as { rows: Array<{ database: string; application_name: string }> },
    );
    const names = new Set(clients.rows.filter((r) => r.database === database.name).map((r) => r.application_name));
    expect(names.has('tributary-catalog')).toBe(true);
    expect(names.has('tributary-change-feed')).toBe(false);
    // Postgres's view: the change feed LISTENs on a connection of its own, not pgbouncer's.
    const listening = await admin(
      database.directUrl,
      async (c) => (await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tributary-change-feed'", [database.name])).rows[0].n,
    );
    expect(listening).toBe(1);
  });

  it('costs the same statements as on Postgres directly: one per plan level', async () => {
    for (const first of [5, 100]) {
      const { result, bySubgraph } = await stack.countStatements(() => stack.query(DEEP_ALBUMS, { first }, { headers: { 'cache-control': 'no-cache' } }));
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data.albums.nodes).toHaveLength(first);
      expect(bySubgraph).toEqual(DEEP_ALBUMS_MINIMUM);
    }
  });

  it('hears a plain SQL write made through pgbouncer, and the next read has it', async () => {
    const query = '{ track(id: "3") { name } }';
    await stack.query(query);
    expect((await stack.query(query)).headers.get('x-tributary-cache')).toBe('hit-l1');
    await admin(database.url, (c) => c.query("UPDATE catalog.track SET name = 'Fast As a Shark (pgbouncer)' WHERE track_id = 3"));
    const deadline = Date.now() + 2_000;
    let body = (await stack.query(query)).body;
    while (body.data?.track?.name !== 'Fast As a Shark (pgbouncer)' && Date.now() < deadline) body = (await stack.query(query)).body;
    expect(body).toEqual({ data: { track: { name: 'Fast As a Shark (pgbouncer)' } } });
  });

  it('runs a mutation (a transaction) through pgbouncer and reads it back at once', async () => {
    const result = await stack.query('mutation { updateTrack(id: "4", input: { unitPrice: "1.49" }) { id unitPrice } }', undefined, { as: 'employee:3' });
    expect(result.body).toEqual({ data: { updateTrack: { id: '4', unitPrice: '1.49' } } });
    expect((await stack.query('{ track(id: "4") { unitPrice } }')).body).toEqual({ data: { track: { unitPrice: '1.49' } } });
  });
});
