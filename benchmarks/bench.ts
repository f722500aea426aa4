/**
 * `pnpm bench`: every system against every scenario, same subgraphs, data and query, loaded by
 * autocannon from this process (each system runs in a process of its own). Writes
 * `benchmarks/results/<timestamp>.json`, `latest.json`, `latest.md`, `latency.svg`,
 * `throughput.svg`. Uses `DATABASE_URL` when set, else makes (and drops) a fresh database on the
 * local Postgres; Redis at `REDIS_URL` (default redis://127.0.0.1:6379).
 *
 *   pnpm bench [--quick] [--scenario deep,hot] [--system tributary-l1,apollo-gateway] [--duration 10] [--connections 10] [--mixed-long-duration 60]
 */
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, createDatabase, prepareDatabase, readDatabaseConfig } from '@tributary/database';
import { createBusFromEnv } from '@tributary/cache';
import autocannon from 'autocannon';
import { Command } from 'commander';
import pg from 'pg';
import { type BenchResult, type ResultRow, writeReport } from './lib/report.js';
import { freePort, startProcess, type Started } from './lib/processes.js';
import { runMixed } from './lib/mixed.js';
import { counterGrowth, readCacheCounters } from './lib/counters.js';
import { HOT_BODY_QUERY, SCENARIOS, type Scenario } from './lib/scenarios.js';

/** Header fields of Tributary's cached answer that the bare ceiling sends too (node adds `date`, `connection`, `keep-alive`, `content-length` to both). */
const HOT_HEAD_FIELDS = ['etag', 'cache-control', 'x-tributary-cache-ttl', 'content-type'];

/** `mixed` is driven by its own loop (dynamic requests, writes, stale checks). */
const MIXED: Scenario = {
  name: 'mixed',
  description: 'Zipf track and album pages over all ids, ~1 % writes (SQL), sampled responses checked against the database',
  request: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ track(id: "1") { id name unitPrice album { title } } }' }) }),
};
/** `mixed-wide`: the same loop over many documents and page sizes (whole responses rarely repeat, entities do). */
const MIXED_WIDE: Scenario = {
  name: 'mixed-wide',
  description:
    'Zipf album, track, list and top-track pages over 32 field variants and 4 page sizes, ~1 % writes (SQL), sampled responses checked against the database; after a warm-up (`--mixed-wide-warmup`, the same for every system) that its numbers leave out',
  request: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ tracks(first: 5) { nodes { id unitPrice name } } }' }) }),
};
/** Seconds of `mixed-long` by default (`--mixed-long-duration`), whatever `--duration` says; its first third is warm-up, not counted in its hit rate. */
const DEFAULT_MIXED_LONG_S = 60;
/** `mixed` for a minute from a cold cache (the system restarted, the shared tier flushed): the hit rate once warm. */
const MIXED_LONG: Scenario = {
  ...MIXED,
  name: 'mixed-long',
  description: `mixed for ${DEFAULT_MIXED_LONG_S} s from a cold cache; hit rate after the first third`,
};
/** Seconds of `mixed-wide` run before its measured `--duration` by default (`--mixed-wide-warmup`): left out of its throughput, latencies and hit rate, for every system. */
const DEFAULT_MIXED_WIDE_WARMUP_S = 20;
const ALL_SCENARIOS = [...SCENARIOS, MIXED, MIXED_WIDE, MIXED_LONG];
const isMixed = (scenario: string) => scenario.startsWith('mixed');

/** Every system, in report order; `needs` says what it must have to run. */
const SYSTEMS = [
  'apollo-gateway',
  'hive-gateway',
  'hive-gateway-cache',
  'yoga-envelop-cache',
  'tributary-naive',
  'tributary-nocache',
  'tributary-entity',
  'tributary-entity-whole',
  'tributary-l1',
  'tributary-l1l2',
  'tributary-l1-workers2',
  'bare',
] as const;
type System = (typeof SYSTEMS)[number];
/** What each system is not run for (the bare server serves one body: the hot album page). */
const SKIP: Partial<Record<System, (scenario: string) => string | undefined>> = {
  bare: (s) => (s === 'hot' ? undefined : 'the bare ceiling serves only the hot response'),
  'tributary-entity-whole': (s) => (s === 'mixed-wide' ? undefined : 'root fetches cached whole vs in field cells is compared on mixed-wide'),
  'tributary-naive': (s) => (isMixed(s) ? 'row-by-row loading is measured by the uncached scenarios' : undefined),
  'tributary-l1-workers2': (s) => (s === 'hot' || isMixed(s) ? undefined : 'GATEWAY_WORKERS=2 vs 1 is compared on the cached scenarios'),
  // It ignores `Cache-Control: no-cache`: its uncached rows would be cache hits.
  'yoga-envelop-cache': (s) => (s === 'hot' || isMixed(s) ? undefined : 'measured where caches are compared: hot, mixed, mixed-long'),
};

const program = new Command('pnpm bench')
  .option('--quick', 'every selected scenario briefly (structure and SQL invariants, not timings)')
  .option('--scenario <names>', `comma-separated: ${ALL_SCENARIOS.map((s) => s.name).join(', ')}`)
  .option('--system <names>', `comma-separated: ${SYSTEMS.join(', ')}`)
  .option('--duration <seconds>', 'seconds per row', (v) => Number(v))
  .option('--mixed-long-duration <seconds>', 'seconds of mixed-long (from cold; hit rate after the first third)', (v) => Number(v), DEFAULT_MIXED_LONG_S)
  .option('--mixed-wide-warmup <seconds>', 'seconds of mixed-wide before its measured --duration (left out of its numbers)', (v) => Number(v), DEFAULT_MIXED_WIDE_WARMUP_S)
  .option('--connections <n>', 'concurrent connections', (v) => Number(v), 10)
  .option('--cache-counters', "mixed-wide: log how much each of the entity cache's counters grew in the measured part (after the warm-up)")
  .option('--out <dir>', 'results folder (default benchmarks/results, or benchmarks/results/quick for --quick)');
program.parse();
const opts = program.opts<{
  cacheCounters?: boolean;
  mixedLongDuration: number;
  mixedWideWarmup: number;
  quick?: boolean;
  scenario?: string;
  system?: string;
  duration?: number;
  connections: number;
  out?: string;
}>();
// A quick run never replaces the committed results and charts that docs/benchmarks.md shows.
const outDir = opts.out ?? path.join(REPO_ROOT, opts.quick ? 'benchmarks/results/quick' : 'benchmarks/results');
const durationS = opts.duration ?? (opts.quick ? 2 : 10);
const MIXED_LONG_S = opts.mixedLongDuration;
const MIXED_LONG_WARMUP_S = MIXED_LONG_S / 3;
const pick = <T extends { toString(): string }>(all: readonly T[], list: string | undefined, name: (t: T) => string) => {
  if (!list) return [...all];
  const wanted = list.split(',').map((s) => s.trim());
  for (const w of wanted) if (!all.some((a) => name(a) === w)) program.error(`error: unknown ${name === String ? 'system' : 'name'} "${w}"`);
  return all.filter((a) => wanted.includes(name(a)));
};
const systems = pick(SYSTEMS, opts.system, String) as System[];
const scenarios = pick(ALL_SCENARIOS, opts.scenario, (s) => s.name);
const log = (line: string) => process.stderr.write(`${line}\n`);

// The database: given, or a fresh one with Chinook.
let databaseUrl = process.env.DATABASE_URL;
let dropDatabase: (() => Promise<void>) | undefined;
if (!databaseUrl) {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const name = `tributary_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  databaseUrl = `postgres://postgres@127.0.0.1:5432/${name}`;
  const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: databaseUrl }), name: 'bench' });
  await prepareDatabase(handle.db);
  await handle.destroy();
  dropDatabase = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  log(`database ${name} created and imported`);
}
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `tributary-bench:${Date.now()}:`;
const common = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, LOG_LEVEL: 'silent', INTERNAL_JWT_SECRET: 'bench-internal-secret-of-32-chars!' };

async function subgraphsProcess(loaders: 'batched' | 'per-item'): Promise<{ process: Started; urls: Record<string, string> }> {
  const ports = { catalog: await freePort(), customers: await freePort(), sales: await freePort(), playlists: await freePort() };
  const started = await startProcess('benchmarks/lib/subgraphs-main.ts', [], { ...common, BENCH_PORTS: JSON.stringify(ports), BENCH_LOADERS: loaders });
  return { process: started, urls: JSON.parse(started.payload) };
}

const metricSum = async (url: string, name: string, labels: Record<string, string> = {}) => {
  const text = await (await fetch(url)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(' ').at(-1));
  }
  return sum;
};

const batched = systems.some((s) => s !== 'tributary-naive' && s !== 'bare') ? await subgraphsProcess('batched') : undefined;
const naive = systems.includes('tributary-naive') ? await subgraphsProcess('per-item') : undefined;
const rows: ResultRow[] = [];
const startedAt = new Date().toISOString();

async function measure(system: System, gatewayUrl: string, subgraphUrls: Record<string, string> | undefined, scenario: Scenario, gateway: Started): Promise<ResultRow> {
  for (const prime of scenario.prime?.(system) ?? []) await fetch(gatewayUrl, prime);
  const request = scenario.request(system);
  // Fills a cache where there is one, and proves the system answers this scenario correctly.
  const probe = await fetch(gatewayUrl, request);
  const probeBody = (await probe.json()) as { data?: unknown; errors?: unknown };
  if (probe.status !== 200 || probeBody.errors || !probeBody.data) throw new Error(`${system} × ${scenario.name} answered ${probe.status} ${JSON.stringify(probeBody).slice(0, 300)}`);
  const sqlUrls = subgraphUrls ? Object.values(subgraphUrls).map((u) => u.replace('/graphql', '/metrics')) : [];
  const sql = async () => (await Promise.all(sqlUrls.map((u) => metricSum(u, 'tributary_sql_statements_total')))).reduce((a, b) => a + b, 0);
  const metricsUrl = gatewayUrl.replace('/graphql', '/metrics');
  const isTributary = system.startsWith('tributary');
  const hits = async () => (isTributary ? await metricSum(metricsUrl, 'tributary_cache_requests_total', { result: 'hit' }) : 0);
  // Combined: answered from the response cache, or executed with every subgraph fetch from the entity cache.
  // With --cache-counters, the entity cache's counters when the warm-up ends (read there, as the hits are).
  let countersWarm: Map<string, number> | undefined;
  const combinedHits = async () => {
    if (opts.cacheCounters && isTributary && !countersWarm) countersWarm = await readCacheCounters(metricsUrl);
    return isTributary ? (await hits()) + (await metricSum(metricsUrl, 'tributary_entity_cache_executions_total', { served: 'entities' })) : 0;
  };
  const hitsBefore = await hits();
  // The entity cache's share: subgraph fetches answered wholly from it, of all fetches of the plans.
  const fetches = async () =>
    isTributary
      ? { avoided: await metricSum(metricsUrl, 'tributary_entity_cache_fetches_total', { outcome: 'avoided' }), all: await metricSum(metricsUrl, 'tributary_entity_cache_fetches_total') }
      : { avoided: 0, all: 0 };
  const fetchesBefore = await fetches();
  let latencies: number[] = [];
  let staleReads = 0;
  let result: autocannon.Result;
  let warmHitRate: number | undefined;
  let cpuBefore: number | undefined;
  const rowDurationS = scenario.name === 'mixed-long' ? MIXED_LONG_S : durationS;
  let measuredResponses: number | undefined;
  if (isMixed(scenario.name)) {
    // mixed-wide: a warm-up of the same length for every system, then `durationS` measured (throughput, latencies, combined hit rate).
    const wideWarmupS = scenario.name === 'mixed-wide' && !opts.quick ? opts.mixedWideWarmup : 0;
    const warmup = scenario.name === 'mixed-long' && isTributary ? { afterS: MIXED_LONG_WARMUP_S, hits } : wideWarmupS > 0 ? { afterS: wideWarmupS, hits: combinedHits } : undefined;
    const mixed = await runMixed(gatewayUrl, databaseUrl!, opts.connections, rowDurationS + wideWarmupS, scenario.name === 'mixed-wide' ? 'wide' : 'mixed', warmup);
    ({ result, latencies, staleReads, warmHitRate } = mixed);
    if (countersWarm) for (const line of counterGrowth(countersWarm, await readCacheCounters(metricsUrl))) log(`    ${line}`);
    if (wideWarmupS > 0 && mixed.warm) {
      latencies = mixed.warm.latencies;
      measuredResponses = mixed.warm.responses;
      if (!isTributary) warmHitRate = undefined;
    }
    const warmS = scenario.name === 'mixed-long' ? MIXED_LONG_WARMUP_S : wideWarmupS;
    log(
      `  ${scenario.name}: ${mixed.writes} writes, ${mixed.sampled} responses judged, ${mixed.staleReads} stale${warmHitRate === undefined ? '' : `, ${scenario.name === 'mixed-wide' ? 'combined ' : ''}hit rate after ${warmS.toFixed(0)} s ${(warmHitRate * 100).toFixed(1)} %`}`,
    );
  } else {
    cpuBefore = gateway.cpuMs();
    result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url: gatewayUrl, connections: opts.connections, duration: durationS, requests: [request] }, (error, done) => (error ? reject(error) : resolve(done)));
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
    });
  }
  const total = measuredResponses ?? result.requests.total;
  const cpuUsPerRequest = cpuBefore !== undefined && total > 0 ? ((gateway.cpuMs() - cpuBefore) * 1000) / total : null;
  const hitsAfter = await hits();
  const fetchesAfter = await fetches();
  const entityFetches = fetchesAfter.all - fetchesBefore.all;
  // SQL per request, exactly: 5 sequential requests once the load's requests still in flight
  // (autocannon stops sending, the gateway finishes them) have settled.
  let settled = await sql();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await sql();
    if (now === settled) break;
    settled = now;
  }
  const sqlBefore = settled;
  for (let i = 0; i < 5; i++) await (await fetch(gatewayUrl, request)).arrayBuffer();
  const sqlPerRequest = subgraphUrls ? ((await sql()) - sqlBefore) / 5 : null;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    system,
    scenario: scenario.name,
    requestsPerSecond: total / rowDurationS,
    latencyMs: { p50: at(50), p95: at(95), p99: at(99), max: latencies.at(-1) ?? 0 },
    errors: result.errors,
    non2xx: result.non2xx,
    // Responses from the response cache (for `mixed-long`, after its warm-up); for `mixed-wide`, after its warm-up, the combined rate
    // (response hits and executions with every fetch from the entity cache); for `tributary-entity*` elsewhere, subgraph fetches served wholly by the entity cache.
    cacheHitRate:
      warmHitRate ??
      (system.startsWith('tributary-l1')
        ? total
          ? Math.min(1, (hitsAfter - hitsBefore) / total)
          : 0
        : system.startsWith('tributary-entity')
          ? entityFetches > 0
            ? (fetchesAfter.avoided - fetchesBefore.avoided) / entityFetches
            : 0
          : null),
    sqlPerRequest,
    staleReads,
    gatewayRssMb: gateway.rssMb(),
    gatewayCpuUsPerRequest: cpuUsPerRequest,
    ratioToApolloGateway: null,
  };
}

try {
  for (const system of systems) {
    const subgraphUrls = system === 'tributary-naive' ? naive?.urls : system === 'bare' ? undefined : batched?.urls;
    const port = await freePort();
    let body: string | undefined;
    let head: Record<string, string> | undefined;
    if (system === 'bare' && batched) {
      // The same bytes Tributary answers the hot album page with from its cache: body and head.
      ({ body, head } = await hotHit());
    }
    const start = () =>
      startProcess('benchmarks/lib/system-main.ts', [system], {
        ...common,
        BENCH_PORT: String(port),
        BENCH_SUBGRAPHS: JSON.stringify(subgraphUrls ?? {}),
        BENCH_BODY: body ?? '',
        BENCH_HEAD: head ? JSON.stringify(head) : '',
      });
    let gateway = await start();
    const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
    try {
      for (const scenario of scenarios) {
        const skip = SKIP[system]?.(scenario.name);
        if (skip) {
          log(`- ${system} × ${scenario.name}: skipped (${skip})`);
          continue;
        }
        if (scenario.name === 'mixed-long') {
          // From cold: a new process (empty in-process caches; yoga-envelop-cache takes a new
          // Redis prefix at each start) and, for Tributary, its shared tier flushed.
          await gateway.stop();
          gateway = await start();
          if (system.startsWith('tributary')) await flushSharedTier();
        }
        log(`- ${system} × ${scenario.name}: ${scenario.name === 'mixed-long' ? MIXED_LONG_S : durationS} s × ${opts.connections} connections …`);
        const row = await measure(system, gatewayUrl, subgraphUrls, scenario, gateway);
        rows.push(row);
        log(
          `  ${row.requestsPerSecond.toFixed(0)} req/s, p50 ${row.latencyMs.p50.toFixed(1)} ms, p99 ${row.latencyMs.p99.toFixed(1)} ms, SQL/request ${row.sqlPerRequest?.toFixed(2) ?? '–'}, errors ${row.errors + row.non2xx}${row.gatewayCpuUsPerRequest == null ? '' : `, gateway CPU ${row.gatewayCpuUsPerRequest.toFixed(0)} µs/request`}`,
        );
      }
    } finally {
      await gateway.stop();
    }
  }
  for (const row of rows) {
    const apollo = rows.find((r) => r.system === 'apollo-gateway' && r.scenario === row.scenario);
    row.ratioToApolloGateway = apollo && apollo.requestsPerSecond > 0 ? row.requestsPerSecond / apollo.requestsPerSecond : null;
  }
  const result: BenchResult = {
    startedAt,
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    settings: { durationS, connections: opts.connections, quick: Boolean(opts.quick) },
    rows,
  };
  const files = await writeReport(outDir, result);
  log(`wrote ${files.map((f) => path.relative(REPO_ROOT, f)).join(', ')}`);
} finally {
  await batched?.process.stop();
  await naive?.process.stop();
  await dropDatabase?.();
}

/** Publishes a flush on the benchmark's Redis bus: every Tributary instance drops L1 and moves L2 to a new epoch. */
async function flushSharedTier(): Promise<void> {
  const bus = createBusFromEnv({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix });
  try {
    await bus.publish({ kind: 'flush', reason: 'bench: mixed-long starts cold', at: Date.now() });
  } finally {
    await bus.close();
  }
}

/**
 * The hot album page as Tributary answers it from its cache (a throwaway `tributary-l1` on the
 * batched subgraphs, asked twice): the body and the head fields of {@link HOT_HEAD_FIELDS}, so
 * that `bare` sends the same bytes.
 */
async function hotHit(): Promise<{ body: string; head: Record<string, string> }> {
  const port = await freePort();
  const started = await startProcess('benchmarks/lib/system-main.ts', ['tributary-l1'], { ...common, BENCH_PORT: String(port), BENCH_SUBGRAPHS: JSON.stringify(batched!.urls) });
  try {
    const ask = () => fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(HOT_BODY_QUERY) });
    await (await ask()).text();
    await new Promise((r) => setTimeout(r, 100)); // the store follows the response
    const hit = await ask();
    const body = await hit.text();
    const head = Object.fromEntries(HOT_HEAD_FIELDS.flatMap((name) => (hit.headers.has(name) ? [[name, hit.headers.get(name)!]] : [])));
    return { body, head };
  } finally {
    await started.stop();
  }
}
