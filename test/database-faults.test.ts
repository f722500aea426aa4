import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * A lock taken by the test on one table (`catalog.genre`), in this test's own database: the
 * catalog's statements on that table wait for it. What must hold: the gateway giving up (or the
 * client going away) frees the subgraph's connections at once; a statement or pool timeout
 * reaches the client as `DATABASE_UNAVAILABLE` at the field's path; and an outage is logged once
 * per cause, not once per request.
 */
let database: TestDatabase;
let locker: pg.Client | undefined;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
});
afterEach(async () => {
  await locker?.end();
  locker = undefined;
});
afterAll(async () => {
  await database?.drop();
});

async function lockGenres(): Promise<void> {
  locker = new pg.Client({ connectionString: database.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE catalog.genre IN ACCESS EXCLUSIVE MODE');
}

/** Catalog statements waiting for a lock right now. */
async function waitingStatements(): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tributary-catalog' AND wait_event_type = 'Lock'");
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A pino logger that keeps its lines (JSON objects) in `lines`. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('a statement whose request was abandoned', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Pool of 3, gateway gives up after 400 ms; Postgres would wait 10 s (statement_timeout).
    stack = await startStack({ databaseUrl: database.url, gatewayEnv: { GATEWAY_SUBGRAPH_TIMEOUT_MS: '400' }, subgraphEnv: { DATABASE_POOL_SIZE: '3' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is cancelled when the gateway gives up, so the pool serves other requests at once', async () => {
    await lockGenres();
    const blocked = await Promise.all(Array.from({ length: 6 }, () => stack.query('{ genres { name } }')));
    for (const { body } of blocked) {
      expect(body).toEqual({ data: null, errors: [{ message: 'Subgraph "catalog" is unavailable: no answer within 400 ms', path: ['genres'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
    }
    expect(await eventually(waitingStatements, (n) => n === 0, 1_000)).toBe(0);
    // 6 abandoned requests on a pool of 3: the catalog still answers, well before the pool's
    // connect timeout (5 s) or Postgres's statement_timeout (10 s) would have freed a connection.
    const started = performance.now();
    expect((await stack.query('{ album(id: "1") { title } }')).body).toEqual({ data: { album: { title: 'For Those About To Rock We Salute You' } } });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('a statement whose client went away', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Defaults: the gateway would wait 10 s for the subgraph, Postgres 10 s for the lock.
    stack = await startStack({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is cancelled when the client goes away', async () => {
    await lockGenres();
    const client = new AbortController();
    const request = fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ genres { id } }' }),
      signal: client.signal,
    }).catch((error: Error) => error.name);
    expect(await eventually(waitingStatements, (n) => n === 1, 2_000)).toBe(1);
    client.abort();
    expect(await request).toBe('AbortError');
    expect(await eventually(waitingStatements, (n) => n === 0, 1_000)).toBe(0);
  });
});

describe('database failures as clients see them', () => {
  let stack: Stack;
  let startedAt = 0;
  const capture = capturingLogger();
  beforeAll(async () => {
    startedAt = Date.now();
    stack = await startStack({
      databaseUrl: database.url,
      logger: capture.logger,
      subgraphEnv: { DATABASE_STATEMENT_TIMEOUT_MS: '1500', DATABASE_POOL_SIZE: '2', DATABASE_CONNECT_TIMEOUT_MS: '500' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('gives DATABASE_UNAVAILABLE at the field for a statement timeout, the rest intact', async () => {
    await lockGenres();
    const { status, body } = await stack.query('{ genre(id: "1") { name } album(id: "1") { title } }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { genre: null, album: { title: 'For Those About To Rock We Salute You' } },
      errors: [{ message: 'Database unavailable: statement timed out or was cancelled', path: ['genre'], extensions: { code: 'DATABASE_UNAVAILABLE' } }],
    });
  });

  it("reports a failed entity field at the field's path", async () => {
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE sales.track_sales IN ACCESS EXCLUSIVE MODE');
    // Track.purchaseCount (Int!) comes from the sales subgraph through an entity fetch (it reads
    // the maintained counter sales.track_sales).
    expect((await stack.query('{ track(id: "3") { name purchaseCount } }')).body).toEqual({
      data: { track: null },
      errors: [{ message: 'Database unavailable: statement timed out or was cancelled', path: ['track', 'purchaseCount'], extensions: { code: 'DATABASE_UNAVAILABLE' } }],
    });
  });

  it("reports an entity that cannot be loaded at the entity's own path (no single field failed)", async () => {
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE catalog.track IN ACCESS EXCLUSIVE MODE');
    // topTracks comes from sales as Track references; the catalog loads each (__resolveReference).
    // Track.name cannot be resolved for either; topTracks is [Track!]!, so null reaches the root.
    expect((await stack.query('{ topTracks(first: 2) { id name } }')).body).toEqual({
      data: null,
      errors: [0, 1].map((i) => ({ message: 'Database unavailable: statement timed out or was cancelled', path: ['topTracks', i], extensions: { code: 'DATABASE_UNAVAILABLE' } })),
    });
  });

  it('gives DATABASE_UNAVAILABLE for a pool that has no connection free in time', async () => {
    await lockGenres();
    // Two statements hold the pool's two connections (waiting for the lock, 1.5 s); the third waits 500 ms for one.
    const holding = [stack.query('{ genre(id: "1") { name } }'), stack.query('{ genre(id: "2") { name } }')];
    expect(await eventually(waitingStatements, (n) => n === 2, 1_000)).toBe(2);
    const third = await stack.query('{ album(id: "7") { title } }'); // not cached yet
    await Promise.all(holding);
    expect(third.body).toEqual({
      data: { album: null },
      errors: [{ message: 'Database unavailable: no database connection free in time', path: ['album'], extensions: { code: 'DATABASE_UNAVAILABLE' } }],
    });
  });

  it('logs an outage once per cause per 10 s at warn, and counts every failure in /metrics', async () => {
    await lockGenres();
    const requests = 6;
    for (let i = 0; i < requests; i++) await stack.query(`{ genre(id: "${(i % 20) + 1}") { name } }`);
    // Since this stack started (the tests above included): per cause, one line at the subgraph
    // (the SQL error) and one at the gateway (the subgraph's error) each 10 s, not one per failure.
    const elapsedIntervals = Math.floor((Date.now() - startedAt) / 10_000) + 1;
    const causes = new Set(capture.lines.filter((l) => l.code === 'DATABASE_UNAVAILABLE').map((l) => `${l.subgraph ?? 'gateway'} ${l.msg}`));
    const databaseLines = capture.lines.filter((l) => l.code === 'DATABASE_UNAVAILABLE');
    expect(databaseLines.length).toBeGreaterThanOrEqual(2);
    expect(databaseLines.length).toBeLessThanOrEqual(causes.size * elapsedIntervals);
    expect(databaseLines.every((l) => l.level === 40)).toBe(true);
    expect(capture.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(JSON.stringify(capture.lines)).not.toContain('"stack"');
    const subgraphMetrics = await (await fetch(stack.subgraphs.urls.catalog!.replace('/graphql', '/metrics'))).text();
    const gatewayMetrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
    // Counted since the start of this stack: the two tests before this one failed 1 + 2 statements.
    expect(metricValue(subgraphMetrics, 'tributary_errors_total', { code: 'DATABASE_UNAVAILABLE' })).toBeGreaterThanOrEqual(requests);
    expect(metricValue(gatewayMetrics, 'tributary_errors_total', { code: 'DATABASE_UNAVAILABLE' })).toBeGreaterThanOrEqual(requests);
  });
});

describe('a subgraph outage', () => {
  it('is logged once per cause at warn, with every failure counted in /metrics', async () => {
    const capture = capturingLogger();
    const stack = await startStack({ databaseUrl: database.url, logger: capture.logger });
    try {
      await stack.subgraphs.subgraphs.find((s) => s.name === 'playlists')!.close();
      capture.lines.length = 0;
      const startedAt = Date.now();
      const requests = 200;
      const answers = await Promise.all(Array.from({ length: requests }, (_, i) => stack.query(`{ playlist(id: "${(i % 18) + 1}") { name } }`)));
      expect(answers.every((a) => a.body.errors?.[0]?.extensions?.code === 'SUBGRAPH_UNAVAILABLE')).toBe(true);
      // An entity fetch to the stopped subgraph: the error is at each requested field's path.
      expect((await stack.query('{ track(id: "1") { name playlists { name } } }')).body).toEqual({
        data: { track: null },
        errors: [{ message: 'Subgraph "playlists" is unavailable: connection refused', path: ['track', 'playlists'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }],
      });
      // One line per 10 s begun (one, unless the machine is slow), the first with count 1, and
      // together the lines count no more failures than there were.
      const outageLines = capture.lines.filter((l) => l.code === 'SUBGRAPH_UNAVAILABLE');
      expect(outageLines.length).toBeLessThanOrEqual(Math.floor((Date.now() - startedAt) / 10_000) + 1);
      expect(outageLines[0]).toEqual(expect.objectContaining({ level: 40, count: 1, msg: 'Subgraph "playlists" is unavailable: connection refused' }));
      expect(outageLines.reduce((sum, l) => sum + (l.count as number), 0)).toBeLessThanOrEqual(requests + 1);
      expect(capture.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
      const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
      expect(metricValue(metrics, 'tributary_errors_total', { code: 'SUBGRAPH_UNAVAILABLE' })).toBe(requests + 1);
    } finally {
      await stack.close();
    }
  });
});
