/**
 * `pnpm start`: the four subgraphs and the gateway. With `REDIS_URL`, two processes that meet on
 * the Redis invalidation bus (subgraphs first: they migrate and import an empty database);
 * without it, one process with an in-process bus (single-instance mode). Prints the GraphiQL URL
 * once `/readyz` answers 200 and forwards SIGINT/SIGTERM, so that everything drains gracefully.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// This supervisor stays small (about 60 MB RSS instead of 200): it imports the two leaf modules it
// needs, not the packages' index files, which would load Kysely, PGlite, Yoga and graphql-js.
import net from 'node:net';
import { readHost, readPort } from '@tributary/runtime/read-port';
import { DEFAULT_GATEWAY_PORT, SUBGRAPHS } from '@tributary/runtime/subgraph-manifest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** How long to wait for `/readyz`, in ms (an embedded import takes several seconds). */
const READY_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 250;

let gatewayPort: number;
let ports: Array<[variable: string, port: number]>;
let host: string;
try {
  gatewayPort = readPort(process.env, 'GATEWAY_PORT', DEFAULT_GATEWAY_PORT);
  ports = [['GATEWAY_PORT', gatewayPort], ...SUBGRAPHS.map((s): [string, number] => [s.portEnv, readPort(process.env, s.portEnv, s.defaultPort)])];
  host = readHost(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

// A port that something else already serves would answer our readiness poll (another checkout's
// gateway on 4000 says "ready" for us): refuse to start, naming the variable to change.
for (const [variable, port] of ports) {
  const problem = await new Promise<string | undefined>((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? 'is in use' : `cannot be listened on (${error.code ?? error.message})`));
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
  if (problem) {
    console.error(`Port ${port} (${variable}) ${problem} on ${host}: stop what uses it, or set ${variable} to a free port`);
    process.exit(1);
  }
}

const started = performance.now();
const children: ChildProcess[] = [];
let stopping = false;

function run(script: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, script)], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${script} exited (${signal ?? code}); stopping`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

function stop(code: number): void {
  stopping = true;
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let left = alive.length;
  for (const child of alive) {
    child.once('exit', () => --left === 0 && process.exit(code));
    child.kill('SIGTERM');
  }
}

process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

if (process.env.REDIS_URL?.trim() || process.env.REDIS_CLUSTER_NODES?.trim()) {
  run('scripts/start-subgraphs.ts');
  run('gateway/src/main.ts');
} else {
  run('scripts/start-all.ts');
}

const readyz = `http://127.0.0.1:${gatewayPort}/readyz`;
while (!stopping) {
  const ok = await fetch(readyz).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    const what = process.env.NODE_ENV === 'production' ? 'GraphQL' : 'GraphiQL';
    console.log(`\nTributary is ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${what} at http://localhost:${gatewayPort}/graphql\n`);
    break;
  }
  if (performance.now() - started > READY_TIMEOUT_MS) {
    console.error(`Not ready after ${READY_TIMEOUT_MS / 1000} s (${readyz}); stopping`);
    stop(1);
    break;
  }
  await new Promise((r) => setTimeout(r, READY_POLL_MS));
}
