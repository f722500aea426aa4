import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { freePort } from '../../benchmarks/lib/processes.js';

/** A real redis-server of the test's own, on a free port, that the test may kill and restart. */
export interface OwnRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP: the server hangs (connections stay open, nothing is answered). */
  pause(): void;
  /** SIGCONT after {@link pause}. */
  resume(): void;
  /** Connections open now, by client name (`CLIENT LIST`), not counting the one asking. */
  clients(): Promise<Record<string, number>>;
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

/** Starts `redis-server` (from the machine's PATH) on a free loopback port, keeping nothing on disk; `args` adds options (`--maxmemory 2mb`). */
export async function startOwnRedis(args: string[] = []): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
    await waitForPort(port, true);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      child?.kill('SIGCONT');
      child?.kill('SIGKILL');
      await waitForPort(port, false);
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async clients() {
      const admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, commandTimeout: 2_000 });
      try {
        await admin.connect();
        const list = (await admin.client('LIST')) as string;
        const counts: Record<string, number> = {};
        for (const line of list.trim().split('\n')) {
          if (/ cmd=client\|list /.test(line)) continue;
          const name = /(?:^| )name=(\S*)/.exec(line)?.[1] || '(unnamed)';
          counts[name] = (counts[name] ?? 0) + 1;
        }
        return counts;
      } finally {
        admin.disconnect();
      }
    },
  };
}
