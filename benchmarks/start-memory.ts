/**
 * `pnpm bench:start-memory`: how much memory `pnpm start` takes once ready. Runs the README's
 * `pnpm start` (embedded PGlite unless `DATABASE_URL` is set) on free ports in a process group
 * of its own, waits for "Tributary is ready", lets it settle for `--settle` seconds (default 5),
 * then prints the resident set size of every process of the group (`ps -o rss= -g <pgid>`) and
 * their sum, in MB, and stops it. Linux only (reads `ps`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { REPO_ROOT } from '@tributary/database';
import { freePort } from './lib/processes.js';

const READY_TIMEOUT_MS = 180_000;
const settleArg = process.argv.indexOf('--settle');
const settleS = settleArg === -1 ? 5 : Number(process.argv[settleArg + 1]);

const ports = { GATEWAY_PORT: await freePort(), CATALOG_PORT: await freePort(), CUSTOMERS_PORT: await freePort(), SALES_PORT: await freePort(), PLAYLISTS_PORT: await freePort() };
const child = spawn('pnpm', ['start'], {
  cwd: REPO_ROOT,
  detached: true, // its own process group: `ps -g` finds pnpm, the supervisor and the servers
  env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const stopGroup = () => {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.once('SIGINT', () => {
  stopGroup();
  process.exit(130);
});

let output = '';
const readyIn = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`not ready in ${READY_TIMEOUT_MS / 1000} s:\n${output}`)), READY_TIMEOUT_MS);
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const match = /Tributary is ready in ([\d.]+) s/.exec(output);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]!);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.once('exit', (code) => reject(new Error(`pnpm start exited (${code}):\n${output}`)));
}).catch((error: Error) => {
  stopGroup();
  console.error(error.message);
  process.exit(1);
});
await new Promise((r) => setTimeout(r, settleS * 1000));

const rows = execFileSync('ps', ['-o', 'rss=,args=', '-g', String(child.pid)], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line)!)
  .map(([, rss, args]) => ({ rssMb: Math.round(Number(rss) / 1024), command: args!.slice(0, 90) }));
const mode = process.env.DATABASE_URL?.trim() ? 'Postgres (DATABASE_URL)' : 'embedded PGlite';
console.log(`pnpm start, ${mode}${process.env.REDIS_URL?.trim() ? ' + REDIS_URL' : ''}: ready in ${readyIn} s, RSS ${settleS} s after ready`);
for (const row of rows) console.log(`${String(row.rssMb).padStart(6)} MB  ${row.command}`);
console.log(`${String(rows.reduce((sum, row) => sum + row.rssMb, 0)).padStart(6)} MB  total`);
child.removeAllListeners('exit');
stopGroup();
