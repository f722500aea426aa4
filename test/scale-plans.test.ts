import { ANONYMOUS, createLoaderRegistry, parsePageRequest } from '@tributary/runtime';
import { SUBGRAPH_DEFINITIONS } from '@tributary/subgraph-host';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleChinook } from '../benchmarks/lib/scale.js';
import { STOREFRONT_REQUESTS } from '../benchmarks/lib/storefront-requests.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * The scale of the copy. 10× here (35,030 tracks, 22,400 invoice lines, 87,150 playlist entries;
 * about 10 s to build on the shared 2-core machine); `SCALE_PLANS_FACTOR=100` checks the 100×
 * copy of `pnpm bench:scale` (about a minute more).
 */
const FACTOR = Number(process.env.SCALE_PLANS_FACTOR ?? 10);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
interface Captured {
  subgraph: string;
  origin: string;
  sql: string;
  parameters: readonly unknown[];
}

/** `Seq Scan (catalog.track)`, `Index Scan (catalog.track track_pkey)`, … for each node of a plan that reads a relation. */
function scansOf(node: PlanNode, out: Array<{ type: string; table: string; index?: string }> = []) {
  if (node['Relation Name']) out.push({ type: node['Node Type'], table: `${node.Schema}.${node['Relation Name']}`, index: node['Index Name'] });
  for (const child of node.Plans ?? []) scansOf(child, out);
  return out;
}

/**
 * Issue 14, part 5: on a scaled copy of Chinook, every statement the subgraphs send reads each
 * table that the copy grows through an index (Index Scan, Index Only Scan, or Bitmap Heap Scan
 * over a Bitmap Index Scan), never a sequential scan; a table that stays at its Chinook size (one
 * or two pages: genres, employees, playlists, the counters per customer and genre) may be scanned
 * whole, but only where an index would serve the statement once it grows (`enable_seqscan = off`
 * then plans it with one). The statements are captured from the database handles while (1) every
 * loader that each subgraph's `createLoaders` makes is called with a batch of keys (a new loader
 * is checked without listing it here) and (2) the storefront's requests run through the gateway
 * (root lists, counts, `topTracks`).
 */
describe(`at ${FACTOR}× Chinook, every loader statement is an index scan`, () => {
  let database: TestDatabase;
  let stack: Stack;
  let client: pg.Client;
  const captured = new Map<string, Captured>();
  let origin = '';
  /** Tables with more than twice their Chinook rows in the copy. */
  let grown: Set<string>;

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const before = await rowCounts(client);
    const scaled = await scaleChinook(database.url, FACTOR);
    expect(scaled.tracks).toBe(3503 * FACTOR);
    const after = await rowCounts(client);
    grown = new Set([...after].filter(([table, n]) => n > 2 * (before.get(table) ?? 0)).map(([table]) => table));
    stack = await startStack({ databaseUrl: database.url });
    for (const [subgraph, handle] of Object.entries(stack.subgraphs.databases)) {
      handle.stats.onStatement((sql, parameters) => {
        if (/^\s*select/i.test(sql) && !captured.has(sql)) captured.set(sql, { subgraph, origin, sql, parameters });
      });
    }
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
    await client?.end();
    await database?.drop();
  });

  it('the copy grows the tables the loaders read, and their counters', () => {
    expect([...grown].sort()).toEqual(['catalog.album', 'catalog.artist', 'catalog.track', 'playlists.playlist_track', 'sales.invoice', 'sales.invoice_line', 'sales.track_sales']);
  });

  it('captures every loader of every subgraph, called with a batch of keys', async () => {
    const keys = [...Array.from({ length: 20 }, (_, i) => i + 1), 10_001, 10_002, 20_003];
    const called: string[] = [];
    for (const [name, definition] of Object.entries(SUBGRAPH_DEFINITIONS)) {
      // The loaders exactly as a request's context makes them.
      const context = definition.createContext({ db: stack.subgraphs.databases[name]!.db, loaderOptions: {}, loaderRegistry: createLoaderRegistry(), principal: ANONYMOUS }) as {
        loaders: Record<string, unknown>;
      };
      const loaders = context.loaders;
      for (const [loaderName, value] of Object.entries(loaders)) {
        origin = `loader ${name}.${loaderName}`;
        const loader =
          typeof value === 'function'
            ? (value as (page: unknown) => { loadMany(keys: number[]): Promise<unknown> })(parsePageRequest({ first: 5 }, 'Query.test'))
            : (value as { loadMany(keys: number[]): Promise<unknown> });
        const count = captured.size;
        await loader.loadMany(keys);
        // A loader whose statement was already captured adds nothing; every loader adds one here.
        expect(captured.size, `${origin} sent no new statement`).toBe(count + 1);
        called.push(`${name}.${loaderName}`);
      }
    }
    expect(called.length).toBeGreaterThan(15);
  });

  it('captures the storefront requests through the gateway', async () => {
    for (const [i, request] of STOREFRONT_REQUESTS.entries()) {
      origin = `request ${i}`;
      const response = await stack.query(request.query, request.variables, { as: 'employee:1' });
      expect(response.body.errors, origin).toBeUndefined();
    }
    expect(captured.size).toBeGreaterThan(25);
  });

  it('plans each captured statement with indexes on the grown tables', async () => {
    const problems: string[] = [];
    const explain = async (statement: Captured) => {
      const { rows } = await client.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${statement.sql}`, [...statement.parameters]);
      return scansOf((rows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]!.Plan);
    };
    const sequential = (scans: Array<{ type: string; table: string }>) => scans.filter((s) => s.type === 'Seq Scan');
    for (const statement of captured.values()) {
      const label = `${statement.origin} [${statement.subgraph}] ${statement.sql.replace(/\s+/g, ' ').slice(0, 140)}`;
      const scans = await explain(statement);
      for (const scan of sequential(scans)) if (grown.has(scan.table)) problems.push(`${label}: Seq Scan on ${scan.table}, which the copy grew`);
      if (sequential(scans).length === 0) continue;
      await client.query('SET enable_seqscan = off');
      try {
        for (const scan of sequential(await explain(statement))) problems.push(`${label}: no index can serve it on ${scan.table}`);
      } finally {
        await client.query('RESET enable_seqscan');
      }
    }
    expect(problems).toEqual([]);
    expect(captured.size).toBeGreaterThan(25);
  });
});

/** Rows per table of the subgraphs' schemas. */
async function rowCounts(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ table: string }>(
    `SELECT table_schema || '.' || table_name AS table FROM information_schema.tables WHERE table_schema IN ('catalog', 'customers', 'sales', 'playlists') AND table_type = 'BASE TABLE'`,
  );
  const counts = new Map<string, number>();
  for (const { table } of rows) counts.set(table, Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n));
  return counts;
}
