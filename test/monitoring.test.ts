import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../benchmarks/lib/processes.js';
import { metricNamesOf, sampleNamesOf } from './support/promql.js';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

const PROMETHEUS_DIR = path.join(REPO_ROOT, 'deploy/prometheus');
const DASHBOARD = JSON.parse(readFileSync(path.join(REPO_ROOT, 'deploy/grafana/dashboards/tributary.json'), 'utf8'));
const ALERTS = parse(readFileSync(path.join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ record?: string; alert?: string; expr: string }> }> };
const RULES = ALERTS.groups.flatMap((g) => g.rules);
const RECORDED = new Set(RULES.flatMap((r) => (r.record ? [r.record] : [])));
/** Series Prometheus makes itself for each target, not read from `/metrics`. */
const PROMETHEUS_OWN = new Set(['up']);

type Panel = { id: number; type: string; title: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> };
const PANELS = DASHBOARD.panels as Panel[];
const dashboardExprs = PANELS.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `dashboard panel "${p.title}"`, expr: t.expr })));
const ruleExprs = RULES.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr }));

/** Runs promtool from Debian's `prometheus` package; a missing promtool fails with how to install it. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8', timeout: 60_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      `promtool is not installed: \`apt-get install -y prometheus\` (Debian's package has it; .ci/run installs it when missing)${process.env.CI === 'true' ? '. CI=true: a missing tool is a failure, not a skip' : ''}`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Prometheus configuration (promtool)', () => {
  it('accepts prometheus.yml and the rule file it loads', () => {
    const result = promtool('check', 'config', 'prometheus.yml');
    expect(result.output).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    expect(result.output).toContain(`SUCCESS: ${RULES.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('accepts the alert rules', () => {
    const result = promtool('check', 'rules', 'alerts.yml');
    expect(result.output).toContain(`SUCCESS: ${RULES.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('fires each SLO alert on series that break it and stays silent on series that keep it (alerts.test.yml)', () => {
    const result = promtool('test', 'rules', 'alerts.test.yml');
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('has an alert for each SLO at its threshold', () => {
    const alert = (name: string) => RULES.find((r) => r.alert === name)?.expr;
    const record = (name: string) => RULES.find((r) => r.record === name)?.expr;
    expect(alert('TributaryLatencyP99High')).toBe('tributary:gateway_request_duration_seconds:p99_5m > 0.1');
    expect(record('tributary:gateway_request_duration_seconds:p99_5m')).toContain('histogram_quantile(0.99,');
    expect(alert('TributaryCacheHitRateLow')).toMatch(/^tributary:cache_hit_ratio:15m < 0\.9 /);
    expect(alert('TributarySqlAverageSlow')).toBe('tributary:sql_statement_duration_seconds:avg_5m > 0.05');
    expect(alert('TributaryInvalidationLagHigh')).toBe('tributary:cache_bus_lag_seconds:p99_5m > 0.1');
  });
});

describe('Grafana dashboard', () => {
  it('reads the provisioned Prometheus data source, with unique panel ids', () => {
    const datasource = parse(readFileSync(path.join(REPO_ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8')).datasources[0];
    for (const panel of PANELS.filter((p) => p.type !== 'row')) expect(panel.datasource?.uid, panel.title).toBe(datasource.uid);
    expect(new Set(PANELS.map((p) => p.id)).size).toBe(PANELS.length);
  });

  it('shows requests and latency by operation, hit rate per tier, invalidation lag, SQL per subgraph, refusals, Redis and bus health', () => {
    const shown = (pattern: RegExp) => dashboardExprs.filter(({ expr }) => pattern.test(expr)).length;
    expect(shown(/sum by \(operation\) \(rate\(tributary_gateway_requests_total/)).toBe(1);
    expect(shown(/by \(le, operation\) \(rate\(tributary_gateway_request_duration_seconds_bucket/)).toBe(2);
    expect(shown(/sum by \(tier\) \(rate\(tributary_cache_requests_total\{result="hit"\}/)).toBe(1);
    expect(shown(/tributary_cache_bus_lag_seconds_bucket/)).toBeGreaterThanOrEqual(2);
    expect(shown(/sum by \(subgraph\) \(rate\(tributary_sql_statements_total/)).toBeGreaterThanOrEqual(1);
    expect(shown(/sum by \(subgraph\) \(rate\(tributary_sql_statement_duration_seconds_sum/)).toBe(1);
    expect(shown(/sum by \(code\) \(rate\(tributary_gateway_refusals_total/)).toBe(1);
    for (const health of ['tributary_cache_bus_connected', 'tributary_change_feed_bus_connected', 'tributary_cache_l2_connected', 'tributary_cache_l2_errors_total']) {
      expect(shown(new RegExp(health)), health).toBeGreaterThanOrEqual(1);
    }
  });
});

/**
 * The names in the dashboard and the rules are checked against what a running stack really
 * exports: two gateways over one set of subgraphs, on Postgres and Redis, after traffic that
 * makes every labelled series appear (misses, L1 and L2 hits, a write and its eviction, a refusal).
 */
describe('metrics named by the dashboard and the alerts', () => {
  let database: TestDatabase;
  let first: Stack;
  let second: Stack;
  let samples: Set<string>;

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}monitoring:` };
    first = await startStack({ databaseUrl: database.url, redis });
    second = await startStack({ subgraphs: first.subgraphs, redis });
    const track = '{ track(id: "7") { name composer } }';
    expect((await first.query(track)).body.data.track.composer).toBe('Angus Young, Malcolm Young, Brian Johnson');
    await waitFor(async () => (await metricsOf(first.gatewayUrl)).includes('tributary_cache_stores_total{outcome="stored"'));
    // L2 is written in the background: the second gateway hits it once the write has landed.
    await waitFor(async () => {
      await second.query(track);
      return (await metricsOf(second.gatewayUrl)).includes('tributary_cache_requests_total{tier="l2",result="hit"');
    });
    await first.query(track); // L1 hit
    const update = await first.query('mutation { updateTrack(id: "7", input: { composer: "AC/DC" }) { composer } }', {}, { as: 'employee:3' });
    expect(update.body).toEqual({ data: { updateTrack: { composer: 'AC/DC' } } });
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ');
    expect((await first.query(`{ ${aliases} }`)).body.errors?.[0]?.extensions?.code).toBe('ALIAS_LIMIT_EXCEEDED');
    const urls = [first.gatewayUrl, second.gatewayUrl, ...Object.values(first.subgraphs.urls)];
    samples = new Set((await Promise.all(urls.map(metricsOf))).flatMap((text) => [...sampleNamesOf(text)]));
  }, 60_000);

  afterAll(async () => {
    await second?.close();
    await first?.close();
    await database?.drop();
  });

  it('every metric the dashboard or an alert reads is exported by a gateway or a subgraph', () => {
    const missing = [...dashboardExprs, ...ruleExprs].flatMap(({ where, expr }) =>
      metricNamesOf(expr)
        .filter((name) => !samples.has(name) && !RECORDED.has(name) && !PROMETHEUS_OWN.has(name))
        .map((name) => `${name} (${where})`),
    );
    expect(missing).toEqual([]);
    // The check has teeth: the names it found include the product's own series.
    const named = new Set([...dashboardExprs, ...ruleExprs].flatMap(({ expr }) => metricNamesOf(expr)));
    expect([...named].filter((n) => n.startsWith('tributary_')).length).toBeGreaterThanOrEqual(18);
  });

  it('the health check script passes on ready services and fails, naming the URL, on a closed port', async () => {
    // Asynchronously: the servers it asks live in this process.
    const run = (env: Record<string, string>) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['scripts/healthcheck.mjs'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('close', (status) => resolve({ status, stderr }));
      });
    const subgraphs = Object.values(first.subgraphs.urls).map((url) => url.replace(/\/graphql$/, '/healthz'));
    expect(await run({ HEALTHCHECK_URLS: subgraphs.join(',') })).toEqual({ status: 0, stderr: '' });
    expect(await run({ GATEWAY_PORT: new URL(first.gatewayUrl).port })).toEqual({ status: 0, stderr: '' });
    const closed = await freePort();
    const failed = await run({ GATEWAY_PORT: String(closed) });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe(`unhealthy: http://127.0.0.1:${closed}/readyz: ECONNREFUSED\n`);
  });
});

async function metricsOf(graphqlUrl: string): Promise<string> {
  return (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
