import autocannon from 'autocannon';
import { runMixed } from './mixed.js';
import { SCENARIOS } from './scenarios.js';

/** Latency and throughput of one scenario on one database. */
export interface ScaleSample {
  scenario: 'deep' | 'mixed';
  requests: number;
  errors: number;
  /** Response times of every request, ms, sorted. */
  latencies: number[];
  durationS: number;
}

/** Runs `deep` (uncached artist pages) or `mixed` (Zipf track and album pages, ~1 % SQL writes) against `gatewayUrl` for `durationS`. */
export async function runScaleScenario(scenario: 'deep' | 'mixed', gatewayUrl: string, databaseUrl: string, connections: number, durationS: number): Promise<ScaleSample> {
  let result: autocannon.Result;
  let latencies: number[] = [];
  if (scenario === 'mixed') {
    ({ result, latencies } = await runMixed(gatewayUrl, databaseUrl, connections, durationS));
  } else {
    const request = SCENARIOS.find((s) => s.name === 'deep')!.request('tributary-nocache');
    result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url: gatewayUrl, connections, duration: durationS, requests: [request] }, (error, done) => (error ? reject(error) : resolve(done)));
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
    });
  }
  return { scenario, requests: result.requests.total, errors: result.errors + result.non2xx, latencies: [...latencies].sort((a, b) => a - b), durationS };
}

/** Merges samples of the same scenario and database (rounds). */
export function mergeSamples(samples: ScaleSample[]): ScaleSample {
  return {
    scenario: samples[0]!.scenario,
    requests: samples.reduce((a, s) => a + s.requests, 0),
    errors: samples.reduce((a, s) => a + s.errors, 0),
    latencies: samples.flatMap((s) => s.latencies).sort((a, b) => a - b),
    durationS: samples.reduce((a, s) => a + s.durationS, 0),
  };
}

/** The `p`th percentile (0–100) of sorted `values`, ms; 0 when empty. */
export const percentile = (values: number[], p: number) => values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

/**
 * The comparison table as Markdown: per scenario, p50/p95/p99 and req/s at 1× and at `factor`×,
 * and the ratios (`factor`× / 1×; within 2× when the p50 and p95 ratios are at most 2).
 */
export function compareTable(factor: number, pairs: Array<{ one: ScaleSample; many: ScaleSample }>): string {
  const lines = [`| scenario | 1× p50 / p95 / p99 ms | ${factor}× p50 / p95 / p99 ms | 1× req/s | ${factor}× req/s | p50 ratio | p95 ratio | within 2× |`, '|---|---|---|---|---|---|---|---|'];
  for (const { one, many } of pairs) {
    const p = (s: ScaleSample) => [50, 95, 99].map((q) => percentile(s.latencies, q).toFixed(1)).join(' / ');
    const ratio = (q: number) => percentile(many.latencies, q) / Math.max(percentile(one.latencies, q), 0.001);
    const within = ratio(50) <= 2 && ratio(95) <= 2;
    lines.push(
      `| ${one.scenario} | ${p(one)} | ${p(many)} | ${(one.requests / one.durationS).toFixed(0)} | ${(many.requests / many.durationS).toFixed(0)} | ${ratio(50).toFixed(2)} | ${ratio(95).toFixed(2)} | ${within ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}
