/**
 * `pnpm bench:scale`: Chinook at 100× (`lib/scale.ts`), and how the storefront's latency holds up.
 *
 *   pnpm bench:scale postgres://postgres@127.0.0.1:5432/chinook_100x   # scales that Chinook database in place
 *   pnpm bench:scale --compare [--factor 100] [--duration 20] [--connections 10] [--rounds 2]
 *
 * `--compare` makes two databases on the local Postgres (`POSTGRES_ADMIN_URL`, default
 * postgres://postgres@127.0.0.1:5432/postgres): Chinook, and a copy of it scaled `--factor` times;
 * starts subgraphs and an uncached Tributary gateway (`tributary-nocache`, so every request reaches
 * Postgres) on each, and runs `deep` and `mixed` (`pnpm bench`'s scenarios) on both in the same run,
 * alternating 1× and N× for `--rounds` rounds of `duration / rounds` seconds each. It prints the
 * latencies and the N×/1× ratios (Markdown), writes them to `benchmarks/results/scale-latest.json`
 * (`--out`), and drops both databases. The issue's bar: p50 and p95 within 2×.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, createDatabase, prepareDatabase, readDatabaseConfig } from '@tributary/database';
import { Command } from 'commander';
import pg from 'pg';
import { freePort, startProcess, type Started } from './lib/processes.js';
import { scaleChinook } from './lib/scale.js';
import { type ScaleSample, compareTable, mergeSamples, percentile, runScaleScenario } from './lib/scale-compare.js';

const program = new Command('pnpm bench:scale')
  .argument('[database]', 'URL of a Chinook database to scale in place (default DATABASE_URL)')
  .option('--compare', 'measure deep and mixed on Chinook and on a scaled copy, in one run')
  .option('--factor <n>', 'scale factor, 2 to 100', (v) => Number(v), 100)
  .option('--duration <seconds>', 'seconds per scenario and database (--compare)', (v) => Number(v), 20)
  .option('--connections <n>', 'concurrent connections (--compare)', (v) => Number(v), 10)
  .option('--rounds <n>', 'alternations of 1× and N× per scenario (--compare)', (v) => Number(v), 2)
  .option('--out <file>', 'results file (--compare)', path.join(REPO_ROOT, 'benchmarks/results/scale-latest.json'));
program.parse();
const opts = program.opts<{ compare?: boolean; factor: number; duration: number; connections: number; rounds: number; out: string }>();
const log = (line: string) => process.stderr.write(`${line}\n`);

if (!opts.compare) {
  const url = program.args[0] ?? process.env.DATABASE_URL ?? program.error('usage: pnpm bench:scale <postgres url of a Chinook database to scale>, or pnpm bench:scale --compare');
  const result = await scaleChinook(url, opts.factor);
  console.log(`scaled ${result.factor}× in ${(result.durationMs / 1000).toFixed(1)} s: ${result.tracks} tracks, ${result.invoiceLines} invoice lines, ${result.playlistEntries} playlist entries`);
} else {
  await compare();
}

async function compare(): Promise<void> {
  const adminUrl = process.env.POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const stamp = Date.now();
  const names = { one: `tributary_scale_1x_${stamp}`, many: `tributary_scale_${opts.factor}x_${stamp}` };
  const urlOf = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const started: Started[] = [];
  try {
    await admin.query(`CREATE DATABASE ${names.one}`);
    const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: urlOf(names.one) }), name: 'bench' });
    await prepareDatabase(handle.db);
    await handle.destroy();
    await admin.query(`CREATE DATABASE ${names.many} TEMPLATE ${names.one}`);
    const scaled = await scaleChinook(urlOf(names.many), opts.factor);
    log(`${names.many}: ${scaled.tracks} tracks, ${scaled.invoiceLines} invoice lines, ${scaled.playlistEntries} playlist entries (${(scaled.durationMs / 1000).toFixed(1)} s)`);
    // The same settled state for Chinook: VACUUM ANALYZE as after the scaling.
    const one = new pg.Client({ connectionString: urlOf(names.one) });
    await one.connect();
    await one.query('VACUUM ANALYZE');
    await one.end();

    const common = { LOG_LEVEL: 'silent', INTERNAL_JWT_SECRET: 'bench-internal-secret-of-32-chars!' };
    const systems: Record<'one' | 'many', { gatewayUrl: string; databaseUrl: string }> = {} as never;
    for (const which of ['one', 'many'] as const) {
      const databaseUrl = urlOf(names[which]);
      const ports = { catalog: await freePort(), customers: await freePort(), sales: await freePort(), playlists: await freePort() };
      const subgraphs = await startProcess('benchmarks/lib/subgraphs-main.ts', [], { ...common, DATABASE_URL: databaseUrl, BENCH_PORTS: JSON.stringify(ports), BENCH_LOADERS: 'batched' });
      started.push(subgraphs);
      const port = await freePort();
      started.push(await startProcess('benchmarks/lib/system-main.ts', ['tributary-nocache'], { ...common, DATABASE_URL: databaseUrl, BENCH_PORT: String(port), BENCH_SUBGRAPHS: subgraphs.payload }));
      systems[which] = { gatewayUrl: `http://127.0.0.1:${port}/graphql`, databaseUrl };
    }

    const slice = opts.duration / opts.rounds;
    const pairs: Array<{ one: ScaleSample; many: ScaleSample }> = [];
    for (const scenario of ['deep', 'mixed'] as const) {
      const samples: Record<'one' | 'many', ScaleSample[]> = { one: [], many: [] };
      // Warm both (plans, buffers, JIT) before measuring.
      for (const which of ['one', 'many'] as const) await runScaleScenario(scenario, systems[which].gatewayUrl, systems[which].databaseUrl, opts.connections, 2);
      for (let round = 0; round < opts.rounds; round++) {
        const order = round % 2 === 0 ? (['one', 'many'] as const) : (['many', 'one'] as const);
        for (const which of order) {
          log(`- ${scenario} at ${which === 'one' ? '1' : opts.factor}×, round ${round + 1}/${opts.rounds}: ${slice} s × ${opts.connections} connections …`);
          const sample = await runScaleScenario(scenario, systems[which].gatewayUrl, systems[which].databaseUrl, opts.connections, slice);
          log(`  p50 ${percentile(sample.latencies, 50).toFixed(1)} ms, p95 ${percentile(sample.latencies, 95).toFixed(1)} ms, ${sample.requests} requests, ${sample.errors} errors`);
          samples[which].push(sample);
        }
      }
      pairs.push({ one: mergeSamples(samples.one), many: mergeSamples(samples.many) });
    }
    const table = compareTable(opts.factor, pairs);
    console.log(table);
    const errors = pairs.reduce((a, p) => a + p.one.errors + p.many.errors, 0);
    await mkdir(path.dirname(opts.out), { recursive: true });
    await writeFile(
      opts.out,
      `${JSON.stringify(
        {
          startedAt: new Date(stamp).toISOString(),
          machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg() },
          settings: { factor: opts.factor, durationS: opts.duration, connections: opts.connections, rounds: opts.rounds, system: 'tributary-nocache' },
          rows: pairs.map(({ one, many }) => ({
            scenario: one.scenario,
            ...Object.fromEntries(
              (
                [
                  ['1x', one],
                  [`${opts.factor}x`, many],
                ] as const
              ).map(([k, s]) => [
                k,
                { p50: percentile(s.latencies, 50), p95: percentile(s.latencies, 95), p99: percentile(s.latencies, 99), requestsPerSecond: s.requests / s.durationS, errors: s.errors },
              ]),
            ),
            p50Ratio: percentile(many.latencies, 50) / Math.max(percentile(one.latencies, 50), 0.001),
            p95Ratio: percentile(many.latencies, 95) / Math.max(percentile(one.latencies, 95), 0.001),
          })),
        },
        null,
        2,
      )}\n`,
    );
    log(`wrote ${path.relative(REPO_ROOT, opts.out)}`);
    if (errors > 0) {
      log(`${errors} requests failed`);
      process.exitCode = 1;
    }
  } finally {
    for (const s of started.reverse()) await s.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${names.many} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${names.one} WITH (FORCE)`);
    await admin.end();
  }
}
