/**
 * `pnpm bench:scale-measure <url>`: on a scaled copy (`pnpm bench:scale`), the numbers behind two
 * decisions of docs/database/OPTIMIZATION_PLAN.md, each statement run `--runs` times under
 * `EXPLAIN (ANALYZE, FORMAT JSON)` (median execution time, plan shape):
 *
 * 1. The aggregates: what the loaders sent before migration 006 (`COUNT`/`SUM` over the source
 *    tables) against what they send now (the maintained counters), on the same database.
 * 2. Partitioning: the invoice loaders' statements against `sales.invoice` / `sales.invoice_line`
 *    as they are, and against copies partitioned by `invoice_date` (one partition per year; the
 *    lines carry their invoice's date to be partitioned the same way), made in a scratch schema
 *    `scale_measure` that is dropped at the end.
 *
 *   pnpm bench:scale-measure postgres://postgres@127.0.0.1:5432/chinook_100x [--runs 7]
 */
import { Command } from 'commander';
import pg from 'pg';

const program = new Command('pnpm bench:scale-measure').argument('<database>', 'a scaled Chinook database').option('--runs <n>', 'executions per statement', (v) => Number(v), 7);
program.parse();
const runs = program.opts<{ runs: number }>().runs;
const client = new pg.Client({ connectionString: program.args[0] });
await client.connect();

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const shape = (node: PlanNode): string[] => [
  `${node['Node Type']}${node['Index Name'] ? ` (${node['Index Name']})` : node['Relation Name'] ? ` (${node['Relation Name']})` : ''}`,
  ...(node.Plans ?? []).flatMap(shape),
];

/** Median execution time (ms) and plan of `text` over `runs` executions, after one warm-up. */
async function measure(text: string, parameters: unknown[] = []): Promise<{ ms: number; plan: string }> {
  const times: number[] = [];
  let plan = '';
  for (let i = 0; i <= runs; i++) {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, parameters);
    const result = (rows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> })['QUERY PLAN'][0]!;
    if (i > 0) times.push(result['Execution Time']);
    plan = shape(result.Plan).join(' → ');
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, plan };
}

const row = (cells: Array<string | number>) => console.log(`| ${cells.join(' | ')} |`);
const customers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const tracks = (await client.query<{ id: number }>('SELECT track_id AS id FROM catalog.track WHERE album_id IN (1, 2, 3, 4, 5, 1001, 2002) ORDER BY 1')).rows.map((r) => r.id);
const playlists = Array.from({ length: 18 }, (_, i) => i + 1);

console.log(`## Aggregates: before (COUNT/SUM) and after (counters), median of ${runs}\n`);
row(['field', 'before ms', 'before plan', 'after ms', 'after plan']);
row(['---', '---', '---', '---', '---']);
const aggregates: Array<[string, string, unknown[], string, unknown[]]> = [
  [
    `Track.purchaseCount (${tracks.length} tracks)`,
    'SELECT track_id, sum(quantity)::int FROM sales.invoice_line WHERE track_id = any($1) GROUP BY track_id',
    [tracks],
    'SELECT track_id, units FROM sales.track_sales WHERE track_id = any($1)',
    [tracks],
  ],
  [
    'Query.topTracks(first: 10)',
    'SELECT track_id, sum(quantity)::int AS n FROM sales.invoice_line GROUP BY track_id ORDER BY n DESC, track_id LIMIT 10',
    [],
    'SELECT track_id, units FROM sales.track_sales WHERE line_count > 0 ORDER BY units DESC, track_id LIMIT 10',
    [],
  ],
  [
    'Query.topTracks(first: 5, genreId: 3)',
    'SELECT l.track_id, sum(l.quantity)::int AS n FROM sales.invoice_line l JOIN sales.track_price p ON p.track_id = l.track_id WHERE p.genre_id = 3 GROUP BY l.track_id ORDER BY n DESC, l.track_id LIMIT 5',
    [],
    'SELECT s.track_id, s.units FROM sales.track_sales s JOIN sales.track_price p ON p.track_id = s.track_id WHERE s.line_count > 0 AND p.genre_id = 3 ORDER BY s.units DESC, s.track_id LIMIT 5',
    [],
  ],
  [
    'Query.topTracks(first: 5, genreId: 25)',
    'SELECT l.track_id, sum(l.quantity)::int AS n FROM sales.invoice_line l JOIN sales.track_price p ON p.track_id = l.track_id WHERE p.genre_id = 25 GROUP BY l.track_id ORDER BY n DESC, l.track_id LIMIT 5',
    [],
    'SELECT s.track_id, s.units FROM sales.track_sales s JOIN sales.track_price p ON p.track_id = s.track_id WHERE s.line_count > 0 AND p.genre_id = 25 ORDER BY s.units DESC, s.track_id LIMIT 5',
    [],
  ],
  [
    'Customer.totalSpent (20 customers)',
    'SELECT customer_id, sum(total) FROM sales.invoice WHERE customer_id = any($1) GROUP BY customer_id',
    [customers],
    'SELECT customer_id, total_spent FROM sales.customer_sales WHERE customer_id = any($1)',
    [customers],
  ],
  [
    'Customer.invoices.totalCount (20 customers)',
    'SELECT customer_id, count(*)::int FROM sales.invoice WHERE customer_id = any($1) GROUP BY customer_id',
    [customers],
    'SELECT customer_id, invoice_count FROM sales.customer_sales WHERE customer_id = any($1)',
    [customers],
  ],
  [
    'Playlist.trackCount (18 playlists)',
    'SELECT playlist_id, count(*)::int FROM playlists.playlist_track WHERE playlist_id = any($1) GROUP BY playlist_id',
    [playlists],
    'SELECT playlist_id, track_count FROM playlists.playlist_size WHERE playlist_id = any($1)',
    [playlists],
  ],
  ['Query.tracks(genreId: 1).totalCount', 'SELECT count(*)::int FROM catalog.track WHERE genre_id = $1', [1], 'SELECT track_count FROM catalog.genre_size WHERE genre_id = $1', [1]],
  ['Query.albums.totalCount', 'SELECT count(*)::int FROM catalog.album', [], `SELECT row_count FROM catalog.table_size WHERE table_name = 'catalog.album'`, []],
  ['Query.tracks.totalCount', 'SELECT count(*)::int FROM catalog.track', [], `SELECT row_count FROM catalog.table_size WHERE table_name = 'catalog.track'`, []],
];
for (const [field, before, beforeParams, after, afterParams] of aggregates) {
  const b = await measure(before, beforeParams);
  const a = await measure(after, afterParams);
  row([field, b.ms.toFixed(2), b.plan, a.ms.toFixed(2), a.plan]);
}

console.log(`\n## Partitioning of the invoice tables by invoice_date (yearly), median of ${runs}\n`);
await client.query('DROP SCHEMA IF EXISTS scale_measure CASCADE');
await client.query('CREATE SCHEMA scale_measure');
const started = performance.now();
const { rows: years } = await client.query<{ y: number }>(`SELECT DISTINCT extract(year FROM invoice_date)::int AS y FROM sales.invoice ORDER BY 1`);
await client.query(`CREATE TABLE scale_measure.invoice (LIKE sales.invoice INCLUDING DEFAULTS, PRIMARY KEY (invoice_id, invoice_date)) PARTITION BY RANGE (invoice_date)`);
await client.query(
  `CREATE TABLE scale_measure.invoice_line (LIKE sales.invoice_line INCLUDING DEFAULTS, invoice_date TIMESTAMP NOT NULL, PRIMARY KEY (invoice_line_id, invoice_date)) PARTITION BY RANGE (invoice_date)`,
);
for (const { y } of years) {
  await client.query(`CREATE TABLE scale_measure.invoice_${y} PARTITION OF scale_measure.invoice FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01')`);
  await client.query(`CREATE TABLE scale_measure.invoice_line_${y} PARTITION OF scale_measure.invoice_line FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01')`);
}
await client.query(`INSERT INTO scale_measure.invoice SELECT * FROM sales.invoice`);
await client.query(`INSERT INTO scale_measure.invoice_line SELECT l.*, i.invoice_date FROM sales.invoice_line l JOIN sales.invoice i USING (invoice_id)`);
await client.query(`CREATE INDEX ON scale_measure.invoice (customer_id)`);
await client.query(`CREATE INDEX ON scale_measure.invoice_line (invoice_id)`);
await client.query(`CREATE INDEX ON scale_measure.invoice_line (track_id)`);
await client.query(`VACUUM ANALYZE scale_measure.invoice`);
await client.query(`VACUUM ANALYZE scale_measure.invoice_line`);
console.log(`(${years.length} partitions per table, built in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
const invoices = (await client.query<{ id: number }>('SELECT invoice_id AS id FROM sales.invoice WHERE customer_id = any($1) ORDER BY invoice_id LIMIT 25', [[5, 12, 40]])).rows.map((r) => r.id);
const size = async (schema: string) =>
  (
    await client.query<{ mb: string }>(
      `SELECT (sum(pg_total_relation_size(c.oid)) / 1048576.0)::numeric(10,1) AS mb FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname LIKE 'invoice%' AND c.relkind IN ('r', 'p')`,
      [schema],
    )
  ).rows[0]!.mb;
row(['statement', 'unpartitioned ms', 'plan', 'partitioned ms', 'plan']);
row(['---', '---', '---', '---', '---']);
const loaders: Array<[string, string, unknown[]]> = [
  ['invoice by id (25 keys)', 'SELECT * FROM %s.invoice WHERE invoice_id = any($1)', [invoices]],
  ['invoices by customer (5 customers)', 'SELECT * FROM %s.invoice WHERE customer_id = any($1) ORDER BY invoice_id', [[1, 2, 3, 4, 5]]],
  [
    'a page of invoices per customer (first 5)',
    'SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY invoice_id) AS position FROM %s.invoice WHERE customer_id = any($1) AND invoice_id > 0) page WHERE position <= 6 ORDER BY invoice_id',
    [[1, 2, 3, 4, 5]],
  ],
  ['lines by invoice (25 invoices)', 'SELECT * FROM %s.invoice_line WHERE invoice_id = any($1) ORDER BY invoice_line_id', [invoices]],
  // Not a loader: the one kind of statement partitioning by date serves (the partitioned lines carry the date, so they are pruned).
  [
    'lines of one year (a report, not a loader)',
    `SELECT count(*), sum(unit_price * quantity) FROM sales.invoice_line l WHERE l.invoice_id IN (SELECT invoice_id FROM sales.invoice WHERE invoice_date >= '2024-01-01' AND invoice_date < '2025-01-01')`,
    [],
  ],
];
const partitionedYear = `SELECT count(*), sum(unit_price * quantity) FROM scale_measure.invoice_line l WHERE l.invoice_date >= '2024-01-01' AND l.invoice_date < '2025-01-01'`;
for (const [name, text, parameters] of loaders) {
  const plain = await measure(text.replaceAll('%s', 'sales'), parameters);
  const parted = await measure(text.startsWith('SELECT count(*), sum') ? partitionedYear : text.replaceAll('%s', 'scale_measure'), parameters);
  row([name, plain.ms.toFixed(2), plain.plan, parted.ms.toFixed(2), parted.plan]);
}
console.log(`\nsizes (tables and indexes): unpartitioned ${await size('sales')} MB, partitioned ${await size('scale_measure')} MB`);
await client.query('DROP SCHEMA scale_measure CASCADE');
await client.end();
