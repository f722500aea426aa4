import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../benchmarks/lib/processes.js';

/** A real redis-server of the test's own, on a free port, that the test may kill and restart. */
export interface OwnRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}


async function waitForPort(port: number, open: boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (isOpen === open) return;
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not ${open ? 'start' : 'stop'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `redis-server` (from the machine's PATH) on a free loopback port, keeping nothing on disk. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForPort(port, true);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      child?.kill('SIGKILL');
      await waitForPort(port, false);
    },
  };
}
