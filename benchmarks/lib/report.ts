import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vega from 'vega';

/** One measured system × scenario (each field as `pnpm bench` documents it). */
export interface ResultRow {
  system: string;
  scenario: string;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  /** Share of requests answered from the response cache (tributary-l1*, tributary-l1l2; for `mixed-long`, after its warm-up), or of subgraph fetches served wholly by the entity cache (tributary-entity, tributary-entity-whole); for `mixed-wide`, after its warm-up, of requests answered from the response cache or with every fetch from the entity cache (any Tributary system); else null. */
  cacheHitRate: number | null;
  /** SQL statements per request, counted by the subgraphs; null for systems without SQL. */
  sqlPerRequest: number | null;
  /** Stale reads counted (the `mixed` and `mixed-long` scenarios); 0 elsewhere. */
  staleReads: number;
  gatewayRssMb: number;
  /**
   * CPU time the system's process (with its workers) spent per request during the load, in µs:
   * less sensitive than req/s to other work on a shared machine. Null for `mixed*` rows and rows
   * that completed no request; absent in older results.
   */
  gatewayCpuUsPerRequest?: number | null;
  /** requests/s of this row ÷ apollo-gateway's in the same scenario and run; null without it. */
  ratioToApolloGateway: number | null;
}

/** What `pnpm bench` writes: the run's settings and rows. */
export interface BenchResult {
  startedAt: string;
  machine: { cpus: number; node: string; platform: string };
  settings: { durationS: number; connections: number; quick: boolean };
  rows: ResultRow[];
}

/** Writes `<dir>/<timestamp>.json`, `latest.json`, `latest.md` and the SVG charts. */
export async function writeReport(dir: string, result: BenchResult): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const files = [path.join(dir, `${stamp}.json`), path.join(dir, 'latest.json'), path.join(dir, 'latest.md'), path.join(dir, 'latency.svg'), path.join(dir, 'throughput.svg')];
  writeFileSync(files[0]!, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(files[1]!, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(files[2]!, markdownTable(result));
  writeFileSync(files[3]!, await chart(latencySpec(result)));
  writeFileSync(files[4]!, await chart(throughputSpec(result)));
  return files;
}

/** The results as a markdown table, one row per system and scenario. */
export function markdownTable(result: BenchResult): string {
  const head =
    '| system | scenario | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | non-2xx | cache hit rate | SQL/request | stale | RSS MB | × apollo-gateway |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n';
  const fmt = (n: number | null, digits = 1) => (n === null ? '–' : n.toFixed(digits));
  const rows = result.rows
    .map(
      (r) =>
        `| ${r.system} | ${r.scenario} | ${r.requestsPerSecond.toFixed(0)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${fmt(r.latencyMs.p99)} | ${fmt(r.latencyMs.max)} | ${r.errors} | ${r.non2xx} | ${r.cacheHitRate === null ? '–' : `${(r.cacheHitRate * 100).toFixed(1)}%`} | ${fmt(r.sqlPerRequest, 2)} | ${r.staleReads} | ${r.gatewayRssMb.toFixed(0)} | ${fmt(r.ratioToApolloGateway, 2)} |`,
    )
    .join('\n');
  return `Run ${result.startedAt}, ${result.settings.durationS} s × ${result.settings.connections} connections per row${result.settings.quick ? ' (quick: structure only, not for comparing)' : ''}; ${result.machine.cpus} CPUs, Node ${result.machine.node}.\n\n${head}${rows}\n`;
}

function latencySpec(result: BenchResult): vega.Spec {
  const values = result.rows.flatMap((r) => (['p50', 'p95', 'p99'] as const).map((p) => ({ row: `${r.scenario} · ${r.system}`, percentile: p, ms: r.latencyMs[p] })));
  return barSpec('Latency percentiles (ms) per system and scenario', values, 'row', 'ms', 'percentile');
}

function throughputSpec(result: BenchResult): vega.Spec {
  const values = result.rows.map((r) => ({ row: `${r.scenario} · ${r.system}`, series: r.scenario, rps: r.requestsPerSecond }));
  return barSpec('Throughput (requests/s) per system and scenario', values, 'row', 'rps', 'series');
}

/** A grouped horizontal bar chart in plain Vega (rows on the y axis, one bar per series). */
function barSpec(title: string, values: object[], row: string, measure: string, series: string): vega.Spec {
  const rows = new Set(values.map((v) => (v as Record<string, string>)[row])).size;
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    title,
    width: 560,
    height: Math.max(120, rows * 36),
    padding: 8,
    data: [{ name: 'table', values }],
    scales: [
      { name: 'y', type: 'band', domain: { data: 'table', field: row }, range: 'height', padding: 0.2 },
      { name: 'x', type: 'linear', domain: { data: 'table', field: measure }, range: 'width', nice: true, zero: true },
      { name: 'color', type: 'ordinal', domain: { data: 'table', field: series }, range: 'category' },
    ],
    axes: [
      { orient: 'left', scale: 'y', labelLimit: 260 },
      { orient: 'bottom', scale: 'x', title: measure, grid: true },
    ],
    legends: [{ fill: 'color', title: series }],
    marks: [
      {
        type: 'group',
        from: { facet: { data: 'table', name: 'facet', groupby: row } },
        encode: { enter: { y: { scale: 'y', field: row } } },
        signals: [{ name: 'height', update: "bandwidth('y')" }],
        scales: [{ name: 'inner', type: 'band', range: 'height', domain: { data: 'facet', field: series } }],
        marks: [
          {
            type: 'rect',
            from: { data: 'facet' },
            encode: {
              enter: {
                y: { scale: 'inner', field: series },
                height: { scale: 'inner', band: 1 },
                x: { scale: 'x', value: 0 },
                x2: { scale: 'x', field: measure },
                fill: { scale: 'color', field: series },
              },
            },
          },
        ],
      },
    ],
  } as vega.Spec;
}

async function chart(spec: vega.Spec): Promise<string> {
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  return view.toSVG();
}
