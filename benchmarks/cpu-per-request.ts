/**
 * `pnpm bench:cpu`: the gateway's CPU time per request (user + system of it and its workers, from `/proc`),
 * the number that stays comparable when other work shares the cores (wall-clock throughput does
 * not). Starts the batched subgraphs once, then each system in turn (the same processes as
 * `pnpm bench`), warms it with 20 requests (for `mixed-wide`, `--warmup` seconds of its loop),
 * loads it for `--duration` seconds at 10 connections and prints req/s, p50/p99 and CPU ms per
 * request. Linux only. Needs `DATABASE_URL` (a Chinook database; `mixed-wide` writes prices).
 *
 *   DATABASE_URL=… pnpm bench:cpu --scenario deep --system apollo-gateway,tributary-entity --duration 8
 */
import autocannon from 'autocannon';
import { Command } from 'commander';
import { runMixed } from './lib/mixed.js';
import { freePort, startProcess } from './lib/processes.js';
import { SCENARIOS } from './lib/scenarios.js';

const program = new Command('pnpm bench:cpu')
  .option('--scenario <name>', `one of ${SCENARIOS.map((s) => s.name).join(', ')}, mixed-wide`, 'deep')
  .option('--system <names>', 'comma-separated systems of pnpm bench', 'apollo-gateway,tributary-entity')
  .option('--duration <seconds>', 'seconds measured per system', (v) => Number(v), 8)
  .option('--warmup <seconds>', 'mixed-wide: seconds of its loop before measuring', (v) => Number(v), 20);
program.parse();
const opts = program.opts<{ scenario: string; system: string; duration: number; warmup: number }>();
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('pnpm bench:cpu needs DATABASE_URL (a Chinook database)');
const wide = opts.scenario === 'mixed-wide';
const scenario = SCENARIOS.find((s) => s.name === opts.scenario);
if (!wide && !scenario) program.error(`unknown scenario ${opts.scenario}`);
const common = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `tributary-bench-cpu:${Date.now()}:`,
  LOG_LEVEL: 'silent',
  INTERNAL_JWT_SECRET: 'bench-internal-secret-of-32-chars!',
};

const ports = { catalog: await freePort(), customers: await freePort(), sales: await freePort(), playlists: await freePort() };
const subgraphs = await startProcess('benchmarks/lib/subgraphs-main.ts', [], { ...common, BENCH_PORTS: JSON.stringify(ports), BENCH_LOADERS: 'batched' });
try {
  for (const system of opts.system.split(',')) {
    const port = await freePort();
    const gateway = await startProcess('benchmarks/lib/system-main.ts', [system], { ...common, BENCH_PORT: String(port), BENCH_SUBGRAPHS: subgraphs.payload });
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      let requests: number;
      let latencies: number[];
      // mixed-wide: taken when its warm-up ends (the first call of `hits`; the second, at the end, keeps it).
      let before: number | undefined;
      if (wide) {
        const measured = await runMixed(url, databaseUrl, 10, opts.warmup + opts.duration, 'wide', { afterS: opts.warmup, hits: async () => ((before ??= gateway.cpuMs()), 0) });
        requests = measured.warm?.responses ?? 0;
        latencies = measured.warm?.latencies ?? [];
      } else {
        for (let i = 0; i < 20; i++) await (await fetch(url, scenario!.request(system))).arrayBuffer();
        before = gateway.cpuMs();
        latencies = [];
        const result = await new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon({ url, connections: 10, duration: opts.duration, requests: [scenario!.request(system)] }, (error, done) => (error ? reject(error) : resolve(done)));
          instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
        });
        requests = result.requests.total;
      }
      const used = gateway.cpuMs() - before!;
      latencies.sort((a, b) => a - b);
      const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(1) ?? '–';
      console.log(
        `${system} × ${opts.scenario}: ${(requests / opts.duration).toFixed(1)} req/s, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, gateway CPU ${(used / Math.max(1, requests)).toFixed(2)} ms/request`,
      );
    } finally {
      await gateway.stop();
    }
  }
} finally {
  await subgraphs.stop();
}
