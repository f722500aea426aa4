/**
 * `pnpm bench:faults`: the figures of Redis faults, measured on this machine. Faults go only into
 * a redis-server the script starts itself (never the shared one).
 *  1. Staleness window with a hung Redis: a price cached on the gateway, Redis SIGSTOPped, the
 *     price updated with SQL at once, the gateway polled every 10 ms until it answers the new
 *     price (`BENCH_STALE_ROUNDS`, default 5).
 *  2. Gateway RSS while Redis hangs under load: the gateway in its own process, Redis SIGSTOPped
 *     for `BENCH_HANG_S` (default 60) s while 16 clients send distinct anonymous documents; RSS
 *     sampled every 5 s.
 *  3. Redis bytes per live entry: `BENCH_L2_DOCS` (default 100,000) distinct documents reading
 *     all genres (51 tags each) stored through the L2 store with a TTL of `BENCH_L2_TTL_S`
 *     (default 30) s; `used_memory` over live entries, and the members of `Genre:1.name`.
 * `BENCH_PARTS` (default `1,2,3`) picks the parts. Needs `DATABASE_URL` (a Chinook database;
 * track 1's price is written to).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRedisStore } from '@tributary/cache';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { runSubgraphs } from '@tributary/subgraph-host';
import { freePort, startProcess } from './lib/processes.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('pnpm bench:faults needs DATABASE_URL (a Chinook database)');
const STALE_ROUNDS = Number(process.env.BENCH_STALE_ROUNDS ?? 5);
const HANG_S = Number(process.env.BENCH_HANG_S ?? 60);
const L2_DOCS = Number(process.env.BENCH_L2_DOCS ?? 100_000);
const L2_TTL_S = Number(process.env.BENCH_L2_TTL_S ?? 30);
const PARTS = new Set((process.env.BENCH_PARTS ?? '1,2,3').split(',').map(Number));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const redisPort = await freePort();
const redisServer: ChildProcess = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const redisUrl = `redis://127.0.0.1:${redisPort}`;
const admin = new Redis(redisUrl, { retryStrategy: () => 50 });
admin.on('error', () => undefined); // refused until redis-server listens
await new Promise((resolve) => admin.once('ready', resolve));
const common = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: 'bench-faults:', INTERNAL_JWT_SECRET: 'bench-internal-secret-of-32-chars!' };
const subgraphs = await runSubgraphs({ env: { ...process.env, ...common }, logger: pino({ level: 'silent' }), ports: { catalog: 0, customers: 0, sales: 0, playlists: 0 }, host: '127.0.0.1' });
const gatewayPort = await freePort();
const gateway = await startProcess('benchmarks/lib/system-main.ts', ['tributary-l1l2'], { ...common, BENCH_PORT: String(gatewayPort), BENCH_SUBGRAPHS: JSON.stringify(subgraphs.urls) });
const url = `http://127.0.0.1:${gatewayPort}/graphql`;
const ask = async (query: string) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).text();
const sql = new pg.Client({ connectionString: databaseUrl });
await sql.connect();

try {
  // 1. Staleness window.
  if (PARTS.has(1)) {
    const PRICE = '{ track(id: "1") { unitPrice } }';
    const windows: number[] = [];
    for (let round = 0; round < STALE_ROUNDS; round++) {
      for (let i = 0; i < 5; i++) await ask(PRICE); // cached (L1)
      await sleep(200);
      const price = (JSON.parse(await ask(PRICE)) as { data: { track: { unitPrice: string } } }).data.track.unitPrice;
      const next = (Number(price) + 0.01).toFixed(2);
      redisServer.kill('SIGSTOP');
      await sql.query('UPDATE catalog.track SET unit_price = $1 WHERE track_id = 1', [next]);
      const updated = Date.now();
      while (!(await ask(PRICE)).includes(`"${next}"`)) await sleep(10);
      windows.push(Date.now() - updated);
      redisServer.kill('SIGCONT');
      await sleep(3_000); // the bus comes back and the cache is trusted again
    }
    console.log(`1. staleness with a hung Redis (SIGSTOP, then SQL update): ${windows.join(', ')} ms (max ${Math.max(...windows)} ms)`);
  }

  // 2. RSS during a hang under load.
  if (PARTS.has(2)) {
    for (let i = 0; i < 200; i++) await ask(`{ warm${i}: genre(id: "${1 + (i % 25)}") { name } }`);
    const rss: string[] = [`start ${gateway.rssMb().toFixed(0)} MB`];
    let sent = 0;
    let failed = 0;
    redisServer.kill('SIGSTOP');
    const until = Date.now() + HANG_S * 1_000;
    const client = async (worker: number) => {
      while (Date.now() < until) {
        const body = await ask(`{ c${worker}n${sent++}: genres { id name } }`).catch(() => 'error');
        if (!body.startsWith('{"data"') || body.includes('"errors"')) failed++;
      }
    };
    const sampler = async () => {
      let max = 0;
      for (let s = 5; Date.now() < until; s += 5) {
        await sleep(5_000);
        const now = gateway.rssMb();
        max = Math.max(max, now);
        rss.push(`${s} s ${now.toFixed(0)} MB`);
      }
      return max;
    };
    const [max] = await Promise.all([sampler(), ...Array.from({ length: 16 }, (_, w) => client(w))]);
    redisServer.kill('SIGCONT');
    console.log(`2. gateway RSS during a ${HANG_S} s Redis hang, 16 clients, ${sent} distinct documents (${failed} failed): max ${max!.toFixed(0)} MB; ${rss.join(', ')}`);
  }

  // 3. Redis bytes per live entry.
  if (PARTS.has(3)) {
    await admin.flushall();
    const baseline = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    const store = createRedisStore({ redis: admin, keyPrefix: 'bench-l2:' });
    const tags = [...Array.from({ length: 25 }, (_, g) => `Genre:${g + 1}.name`), ...Array.from({ length: 25 }, (_, g) => `Genre:${g + 1}`), 'Query.genres'];
    const body = await ask('{ genres { id name } }');
    const started = Date.now();
    for (let i = 0; i < L2_DOCS; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, L2_DOCS - i) }, (_, j) =>
          store.set(`doc-${i + j}`, { body: body.replace('genres', `g${i + j}`), etag: '"x"', tags, scope: 'public', storedAt: Date.now(), readAt: Date.now(), ttlMs: L2_TTL_S * 1_000 }),
        ),
      );
    }
    const storeS = (Date.now() - started) / 1_000;
    let live = 0;
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', 'bench-l2:rc:0:e:*', 'COUNT', 5_000);
      cursor = next;
      live += keys.length;
    } while (cursor !== '0');
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]) - baseline;
    const members = await admin.zcard('bench-l2:rc:0:z:Genre:1.name');
    const setBytes = Number(await admin.memory('USAGE', 'bench-l2:rc:0:z:Genre:1.name'));
    console.log(
      `3. L2 after ${L2_DOCS} documents (51 tags each, TTL ${L2_TTL_S} s, stored in ${storeS.toFixed(0)} s): ${live} live entries, Genre:1.name ${members} members (${(setBytes / 1e6).toFixed(1)} MB), used_memory +${(used / 1e6).toFixed(0)} MB = ${(used / Math.max(1, live)).toFixed(0)} bytes per live entry (body ${body.length} bytes)`,
    );
  }
} finally {
  redisServer.kill('SIGCONT');
  await sql.end();
  await gateway.stop();
  await subgraphs.close();
  admin.disconnect();
  redisServer.kill('SIGKILL');
}
