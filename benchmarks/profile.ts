/**
 * `pnpm bench:profile`: where the time of the uncached `deep` request goes. Runs the gateway and
 * the subgraphs each with `node --cpu-prof`, loads them with the `deep` scenario
 * (`BENCH_DURATION_S`, default 10 s, 10 connections), and prints, per process, the share of CPU
 * samples by area (GraphQL execution, federation planning and result shaping, HTTP and Yoga,
 * Postgres driver and Kysely, JSON, idle) and the top functions by self time. Systems:
 * `tributary-nocache` over batched subgraphs and `tributary-naive` over row-by-row ones, or those
 * named in `BENCH_PROFILE_SYSTEMS` (comma-separated systems of `pnpm bench`, over batched subgraphs;
 * e.g. `tributary-entity` for a warm entity cache). Needs `DATABASE_URL` (a Chinook database) and `REDIS_URL`.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, startProcess } from './lib/processes.js';
import { SCENARIOS } from './lib/scenarios.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
if (!process.env.DATABASE_URL) throw new Error('pnpm bench:profile needs DATABASE_URL');
const common = {
  DATABASE_URL: process.env.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `tributary-profile:${Date.now()}:`,
  LOG_LEVEL: 'silent',
  INTERNAL_JWT_SECRET: 'bench-internal-secret-of-32-chars!',
};
const deep = SCENARIOS.find((s) => s.name === 'deep')!;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which area a function belongs to, by its file. */
function area(url: string, name: string): string {
  if (name === '(idle)' || name === '(program)') return 'idle / program';
  if (name === '(garbage collector)') return 'garbage collection';
  if (/node_modules\/(\.pnpm\/)?(graphql@|graphql\/)/.test(url) || /@graphql-tools\+executor|graphql-tools\/executor/.test(url)) return 'graphql-js execution, validation';
  if (/@apollo\+(gateway|federation-internals|query-planner)|@apollo\/(gateway|federation-internals|query-planner)/.test(url)) return 'federation: planning, result shaping';
  if (/\/pg@|\/pg-|pg-protocol|kysely/.test(url)) return 'Postgres driver, Kysely';
  if (/graphql-yoga|@whatwg-node|@envelop/.test(url)) return 'Yoga, envelop, fetch API';
  if (/undici|node:internal\/deps\/undici/.test(url)) return 'HTTP client (undici)';
  if (/^node:|internal\//.test(url) || url === '') return 'Node.js runtime (HTTP, streams, JSON)';
  if (/\/work\/|tributary/.test(url) && !/node_modules/.test(url)) return 'Tributary code';
  return 'other libraries';
}

function summarise(file: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    areas.set(area(url, functionName), (areas.get(area(url, functionName)) ?? 0) + us);
    const label = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/work\/main\//, '')}:${lineNumber + 1}`;
    functions.set(label, (functions.get(label) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const lines = [...areas].sort((a, b) => b[1] - a[1]).map(([name, us]) => `  ${pct(us)}  ${name}`);
  lines.push('  top functions by self time:');
  lines.push(
    ...[...functions]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([name, us]) => `  ${pct(us)}  ${name}`),
  );
  return lines.join('\n');
}

const systems: (readonly [string, 'batched' | 'per-item'])[] = process.env.BENCH_PROFILE_SYSTEMS
  ? process.env.BENCH_PROFILE_SYSTEMS.split(',').map((name) => [name, 'batched'] as const)
  : [
      ['tributary-nocache', 'batched'],
      ['tributary-naive', 'per-item'],
    ];
for (const [system, loaders] of systems) {
  const dirs = { subgraphs: mkdtempSync(path.join(tmpdir(), 'prof-sub-')), gateway: mkdtempSync(path.join(tmpdir(), 'prof-gw-')) };
  const ports = { catalog: await freePort(), customers: await freePort(), sales: await freePort(), playlists: await freePort() };
  const subgraphs = await startProcess('benchmarks/lib/subgraphs-main.ts', [], { ...common, BENCH_PORTS: JSON.stringify(ports), BENCH_LOADERS: loaders }, 120_000, [
    '--cpu-prof',
    '--cpu-prof-dir',
    dirs.subgraphs,
  ]);
  const port = await freePort();
  const gateway = await startProcess('benchmarks/lib/system-main.ts', [system], { ...common, BENCH_PORT: String(port), BENCH_SUBGRAPHS: subgraphs.payload }, 60_000, [
    '--cpu-prof',
    '--cpu-prof-dir',
    dirs.gateway,
  ]);
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 20; i++) await (await fetch(url, deep.request(system))).arrayBuffer();
  const result = await autocannon({ url, connections: 10, duration: DURATION_S, requests: [deep.request(system)] });
  await gateway.stop();
  await subgraphs.stop();
  console.log(`\n${system}, deep, ${DURATION_S} s × 10 connections: ${(result.requests.total / DURATION_S).toFixed(1)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  for (const [name, dir] of Object.entries(dirs)) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) {
      console.log(` ${name}: no profile written`);
      continue;
    }
    console.log(` ${name} process:`);
    console.log(summarise(path.join(dir, files[0]!)));
  }
}
