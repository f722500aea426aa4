import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../benchmarks/lib/processes.js';
import { waitForPort } from './wait-for-port.js';

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

/** Starts `redis-server` (from the machine's PATH) on a free loopback port, keeping nothing on disk; `args` adds options (`--maxmemory 2mb`). */
export async function startOwnRedis(args: string[] = []): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
    await waitForPort(port, { what: 'redis-server' });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      child?.kill('SIGCONT');
      child?.kill('SIGKILL');
      await waitForPort(port, { what: 'redis-server', open: false });
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
