/**
 * `pnpm bench:check`: compares the ratios to apollo-gateway in `benchmarks/results/latest.json`
 * with the committed `benchmarks/results/baseline.json`, and fails (exit 1) when a system's
 * throughput ratio in a scenario fell by more than `--tolerance` (default 0.3, i.e. 30 %).
 * Ratios, not absolute numbers, so that a slower or busier machine does not fail it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { Command } from 'commander';
import type { BenchResult } from './lib/report.js';

const program = new Command('pnpm bench:check')
  .option('--tolerance <fraction>', 'allowed drop of a ratio', (v) => Number(v), 0.3)
  .option('--latest <file>', 'results to check', path.join(REPO_ROOT, 'benchmarks/results/latest.json'))
  .option('--baseline <file>', 'committed baseline', path.join(REPO_ROOT, 'benchmarks/results/baseline.json'));
program.parse();
const { tolerance, latest: latestFile, baseline: baselineFile } = program.opts<{ tolerance: number; latest: string; baseline: string }>();
for (const file of [latestFile, baselineFile]) if (!existsSync(file)) program.error(`error: ${file} does not exist (run pnpm bench first)`);
const latest = JSON.parse(readFileSync(latestFile, 'utf8')) as BenchResult;
const baseline = JSON.parse(readFileSync(baselineFile, 'utf8')) as BenchResult;
if (latest.settings.quick) program.error('error: latest.json is a --quick run; its timings are not comparable');

let regressions = 0;
for (const base of baseline.rows) {
  if (base.ratioToApolloGateway === null || base.system === 'apollo-gateway') continue;
  const now = latest.rows.find((r) => r.system === base.system && r.scenario === base.scenario);
  if (!now || now.ratioToApolloGateway === null) {
    process.stdout.write(`? ${base.system} × ${base.scenario}: not in latest.json\n`);
    continue;
  }
  const floor = base.ratioToApolloGateway * (1 - tolerance);
  const ok = now.ratioToApolloGateway >= floor;
  if (!ok) regressions++;
  process.stdout.write(
    `${ok ? 'ok' : 'REGRESSION'} ${base.system} × ${base.scenario}: ×${now.ratioToApolloGateway.toFixed(2)} (baseline ×${base.ratioToApolloGateway.toFixed(2)}, floor ×${floor.toFixed(2)})\n`,
  );
}
if (regressions > 0) {
  process.stdout.write(`${regressions} regression(s) beyond ${(tolerance * 100).toFixed(0)} %\n`);
  process.exit(1);
}
process.stdout.write(`no regression beyond ${(tolerance * 100).toFixed(0)} %\n`);
