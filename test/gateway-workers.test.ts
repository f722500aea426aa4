import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../benchmarks/lib/processes.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/** Sum of a metric's samples (all label sets) in Prometheus text. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').at(-1));
  return sum;
}

/**
 * One POST on a connection of its own (no keep-alive: a killed worker takes only the request it
 * holds). A connection the primary was handing to the worker as it died may never be answered:
 * after 20 s it counts as failed (it was in flight on that worker).
 */
function post(port: number, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.setTimeout(20_000, () => request.destroy(Object.assign(new Error('no answer in 20 s'), { code: 'TIMEOUT' })));
    request.end(body);
  });
}

const until = async (what: string, condition: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

let database: TestDatabase;
let child: ChildProcess;
let port: number;
let output = '';
const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
/** The primary's cluster workers (its other children, such as tsx's esbuild service, are not). */
const workerPids = () =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('start-all.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));

beforeAll(async () => {
  database = await cloneTemplateDatabase();
  port = await freePort();
  const ports = { CATALOG_PORT: await freePort(), CUSTOMERS_PORT: await freePort(), SALES_PORT: await freePort(), PLAYLISTS_PORT: await freePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    GATEWAY_WORKERS: '2',
    GATEWAY_PORT: String(port),
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    LOG_LEVEL: 'info',
  };
  delete env.REDIS_URL; // single-instance mode: the primary relays its bus to the workers
  child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/start-all.ts')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await until(
    '2 gateway workers listening',
    async () => {
      if (child.exitCode !== null) throw new Error(`start-all exited:\n${output}`);
      return output.includes('2 gateway workers listening');
    },
    120_000,
  );
}, 150_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await database?.drop();
});

describe('GATEWAY_WORKERS=2 without REDIS_URL (subgraphs and bus in the primary)', () => {
  it('serves on one port from two workers, each with its own L1, and a plain SQL write evicts in both', async () => {
    expect(workerPids()).toHaveLength(2);
    const body = JSON.stringify({ query: '{ track(id: "20") { name } }' });
    // Each worker misses once and stores; round-robin hands connections to both.
    await until(
      "the entry in both workers' L1",
      async () => {
        expect((await post(port, body)).text).toBe('{"data":{"track":{"name":"Overdose"}}}');
        return metricSum(await metrics(), 'tributary_cache_l1_entries') === 2;
      },
      30_000,
    );
    expect(metricSum(await metrics(), 'tributary_cache_stores_total')).toBeGreaterThanOrEqual(2);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.track SET name = 'Overdose (Live)' WHERE track_id = 20");
    await client.end();
    // The change feed (in the primary) → its bus → IPC → both workers: both L1 entries go.
    // (The 100 ms budget is measured by the bus-lag histogram; under load the wait here is longer.)
    await until('eviction in both workers', async () => metricSum(await metrics(), 'tributary_cache_l1_entries') === 0, 10_000);
    const text = await metrics();
    expect(metricSum(text, 'tributary_cache_evictions_total')).toBe(2);
    for (let i = 0; i < 4; i++) expect((await post(port, body)).text).toBe('{"data":{"track":{"name":"Overdose (Live)"}}}');
  }, 60_000);

  it('replaces a killed worker, counts it in /metrics, and loses no request beyond those it held', async () => {
    const body = JSON.stringify({ query: '{ album(id: "3") { title } }' });
    const expected = '{"data":{"album":{"title":"Restless and Wild"}}}';
    const [victim] = workerPids();
    const concurrency = 4;
    let ok = 0;
    let failed = 0;
    let killedAt = 0;
    const loadUntil = Date.now() + 4_000;
    const loops = Array.from({ length: concurrency }, async () => {
      while (Date.now() < loadUntil) {
        try {
          const response = await post(port, body);
          expect(response.status).toBe(200);
          expect(response.text).toBe(expected);
          ok++;
        } catch (error) {
          if ((error as { code?: string }).code === undefined) throw error;
          failed++;
        }
        if (!killedAt && ok >= 20) {
          killedAt = Date.now();
          process.kill(victim!, 'SIGKILL');
        }
      }
    });
    await Promise.all(loops);
    expect(killedAt).toBeGreaterThan(0);
    // Each loop holds one request at a time: at most one per loop was on the killed worker.
    expect(failed).toBeLessThanOrEqual(concurrency);
    expect(ok).toBeGreaterThan(20);
    await until(
      'a replacement listening',
      async () => {
        const text = await metrics();
        return metricSum(text, 'tributary_gateway_workers') === 2 && workerPids().length === 2;
      },
      100_000,
    );
    const text = await metrics();
    expect(metricSum(text, 'tributary_gateway_worker_restarts_total')).toBe(1);
    expect(workerPids()).not.toContain(victim);
  }, 120_000);

  it('drains every worker on SIGTERM: a request in flight completes, then the primary exits 0', async () => {
    const pids = workerPids();
    const inFlight = post(port, JSON.stringify({ query: '{ artists(first: 50) { nodes { name albums { title tracks { name } } } } }' }));
    await new Promise((r) => setTimeout(r, 30));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).data.artists.nodes).toHaveLength(50);
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});
