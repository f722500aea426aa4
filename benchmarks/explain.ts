/**
 * `pnpm bench:explain`: every distinct statement the subgraphs send for the storefront's
 * requests (`lib/storefront-requests.ts`), with `EXPLAIN (ANALYZE, BUFFERS)` on `DATABASE_URL`: plan shape (scan types, index
 * names), execution time, and shared buffers hit/read. Run it on Chinook and on a 100× copy
 * (`pnpm bench:scale`). Statements are captured from the subgraphs' own Kysely log while the
 * requests run through a gateway, so the SQL and parameters are exactly the loaders'.
 */
import { createInProcessBus } from '@tributary/cache';
import { createGateway, readGatewayConfig, readJwtConfig, signClientToken } from '@tributary/gateway';
import pg from 'pg';
import { pino } from 'pino';
import { runSubgraphs } from '@tributary/subgraph-host';
import { STOREFRONT_REQUESTS } from './lib/storefront-requests.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('pnpm bench:explain needs DATABASE_URL');
const logger = pino({ level: 'silent' });
const bus = createInProcessBus();
const subgraphs = await runSubgraphs({ env: { DATABASE_URL: url }, logger, ports: { catalog: 0, customers: 0, sales: 0, playlists: 0 }, host: '127.0.0.1', bus, prepare: false });
const gateway = await createGateway({ config: { ...readGatewayConfig({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' }), subgraphUrls: subgraphs.urls }, logger, bus });
const port = await gateway.listen(0, '127.0.0.1');
const statements = new Map<string, { subgraph: string; parameters: readonly unknown[] }>();
for (const [name, handle] of Object.entries(subgraphs.databases)) {
  handle.stats.onStatement((sql, parameters) => {
    if (!statements.has(sql) && /^\s*select/i.test(sql)) statements.set(sql, { subgraph: name, parameters });
  });
}
const token = await signClientToken({ kind: 'employee', id: 1 }, readJwtConfig({}));
for (const request of STOREFRONT_REQUESTS) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}
await gateway.stop();
await subgraphs.close();
await bus.close();

const client = new pg.Client({ connectionString: url });
await client.connect();
console.log(`${statements.size} distinct statements on ${new URL(url).pathname.slice(1)}\n`);
for (const [sql, { subgraph, parameters }] of statements) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, [...parameters]);
  const plan = (rows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> })['QUERY PLAN'][0]!;
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(`${node['Node Type']}${node['Index Name'] ? ` (${node['Index Name']})` : node['Relation Name'] ? ` (${node['Relation Name']})` : ''}`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  const keys = parameters.find(Array.isArray) as unknown[] | undefined;
  console.log(`[${subgraph}] ${sql.replace(/\s+/g, ' ').slice(0, 160)}${keys ? `   (${keys.length} keys)` : ''}`);
  console.log(`  ${plan['Execution Time'].toFixed(2)} ms; buffers hit ${plan.Plan['Shared Hit Blocks'] ?? 0}, read ${plan.Plan['Shared Read Blocks'] ?? 0}; ${nodes.join(' → ')}\n`);
}
await client.end();

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}
