import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../benchmarks/lib/processes.js';
import { waitForPort } from './wait-for-port.js';

/** A pgbouncer of the test's own, in transaction pooling mode, in front of one Postgres server. */
export interface OwnPgbouncer {
  port: number;
  /** `postgres://<user>@127.0.0.1:<port>/<database>`: `database` on the Postgres server, through pgbouncer. */
  urlFor(database: string): string;
  /** `SHOW <what>` on pgbouncer's admin console (`POOLS`, `STATS`, `CONFIG`), rows as objects. */
  show(what: string): Promise<Array<Record<string, string>>>;
  stop(): Promise<void>;
}

/** The pgbouncer binary: `PGBOUNCER_PATH`, else `pgbouncer` on the PATH (Debian: `/usr/sbin/pgbouncer`). */
export function pgbouncerBinary(): string | undefined {
  if (process.env.PGBOUNCER_PATH) return process.env.PGBOUNCER_PATH;
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * Starts pgbouncer on a free loopback port with a configuration of its own in a temporary folder:
 * every database of `postgresUrl`'s server (`* =`), `pool_mode = transaction`, trust auth for
 * `postgresUrl`'s user, `default_pool_size` server connections per database and user.
 * node-postgres sends `statement_timeout` as a startup parameter, which pgbouncer does not track:
 * it is ignored (`ignore_startup_parameters`) and set by pgbouncer on each server connection
 * instead (`connect_query`), as docs/database/OPTIMIZATION_PLAN.md describes. As root, pgbouncer
 * (which refuses to run as root) runs as `postgres`.
 *
 * @throws when no pgbouncer binary is found (see {@link pgbouncerBinary}) or it does not start.
 */
export async function startOwnPgbouncer(postgresUrl: string, options: { defaultPoolSize?: number; statementTimeoutMs?: number } = {}): Promise<OwnPgbouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error('pgbouncer is not installed (apt-get install pgbouncer, or set PGBOUNCER_PATH); .ci/run installs it');
  const server = new URL(postgresUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tributary-pgbouncer-'));
  await chmod(dir, 0o777);
  const ini = [
    '[databases]',
    `* = host=${server.hostname} port=${server.port || 5432} user=${user} connect_query='SET statement_timeout = ${options.statementTimeoutMs ?? 10_000}'`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    `admin_users = ${user}`,
    'pool_mode = transaction',
    'max_client_conn = 1000',
    `default_pool_size = ${options.defaultPoolSize ?? 40}`,
    'ignore_startup_parameters = extra_float_digits,statement_timeout',
    `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'pgbouncer.ini'), ini);
  await writeFile(path.join(dir, 'userlist.txt'), `"${user}" ""\n`);
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([waitForPort(port, { what: 'pgbouncer', timeoutMs: 10_000 }), exited.then(() => Promise.reject(new Error('pgbouncer exited at start')))]);
  } catch (error) {
    const log = await readFile(path.join(dir, 'pgbouncer.log'), 'utf8').catch(() => '');
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}: ${log.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const urlFor = (database: string) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    urlFor,
    async show(what) {
      const pg = (await import('pg')).default;
      // The admin console speaks the simple query protocol only.
      const client = new pg.Client({ connectionString: urlFor('pgbouncer') });
      await client.connect();
      try {
        const result = await client.query({ text: `SHOW ${what}`, queryMode: 'simple' } as never);
        return (result as unknown as { rows: Array<Record<string, string>> }).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
