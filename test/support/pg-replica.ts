import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../benchmarks/lib/processes.js';
import { withClient as admin } from './services.js';

/** Where Debian's Postgres 15 server binaries are (`postgresql-15`). */
export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** A streaming replica of the test Postgres, of the test's own. */
export interface OwnReplica {
  port: number;
  /** The replica's URL for database `name` (a database made on the primary replicates over). */
  urlOf(name: string): string;
  /** Waits until database `name` exists on the replica and answers (its `CREATE DATABASE` replayed). */
  waitForDatabase(name: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Lets replication connections from 127.0.0.1 in (trust, as every other local connection of the
 * test server): appends `host replication all 127.0.0.1/32 trust` to the server's `hba_file` and
 * reloads, when no rule of that file names `replication`. Needs a superuser and a writable
 * `pg_hba.conf` (the test runs as root beside the server; `.ci/run` does the same). Touches
 * nothing else: ordinary connections keep their rules.
 */
export async function allowReplication(primaryUrl: string): Promise<void> {
  await admin(primaryUrl, async (client) => {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND error IS NULL`);
    if (rows[0]!.n > 0) return;
    const file = (await client.query<{ hba_file: string }>('SHOW hba_file')).rows[0]!.hba_file;
    writeFileSync(file, '\n# Streaming replicas of the tests (test/support/pg-replica.ts)\nhost replication all 127.0.0.1/32 trust\n', { flag: 'a' });
    await client.query('SELECT pg_reload_conf()');
  });
}

/** Settings a hot standby must hold at least at the primary's values, else it refuses to start. */
const STANDBY_MINIMUMS = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction'];

/**
 * Makes a streaming replica of the Postgres at `primaryUrl` with `pg_basebackup -R` (a real
 * physical copy, then WAL streamed over a replication connection) in a temporary directory
 * owned by the `postgres` OS user, and starts it as that user (the server refuses root; the test
 * process must be root to switch to it) on a
 * free loopback port with `recovery_min_apply_delay` (ms; 0 for none). Debian keeps the
 * server's configuration outside its data directory, so the copy gets a small one of its own.
 *
 * @throws when pg_basebackup or the server fail (their output in the message).
 */
export async function startOwnReplica(primaryUrl: string, options: { applyDelayMs?: number } = {}): Promise<OwnReplica> {
  await allowReplication(primaryUrl);
  const minimums = await admin(primaryUrl, async (client) => {
    const { rows } = await client.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name = ANY($1)`, [STANDBY_MINIMUMS]);
    return rows.map((row) => `${row.name} = ${row.setting}`);
  });
  const primary = new URL(primaryUrl);
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-replica-'));
  const owner = execFileSync('id', ['-u', 'postgres']).toString().trim();
  const group = execFileSync('id', ['-g', 'postgres']).toString().trim();
  chownSync(dir, Number(owner), Number(group));
  const data = path.join(dir, 'data');
  // As the postgres user (Postgres refuses root): Node switches the child's uid and gid itself.
  const asPostgres = { uid: Number(owner), gid: Number(group), env: { ...process.env, HOME: dir } };
  try {
    const args = ['-h', primary.hostname, '-p', primary.port || '5432', '-U', primary.username || 'postgres', '-D', data, '-X', 'stream', '-R', '-c', 'fast'];
    execFileSync(path.join(POSTGRES_BIN, 'pg_basebackup'), args, { ...asPostgres, stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg_basebackup failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message)}`);
  }
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dir}'`,
    `hba_file = '${path.join(data, 'pg_hba.conf')}'`,
    `ident_file = '${path.join(data, 'pg_ident.conf')}'`,
    'hot_standby = on',
    `recovery_min_apply_delay = '${options.applyDelayMs ?? 0}ms'`,
    'fsync = off',
    'logging_collector = off',
    ...minimums,
  ];
  const files: Record<string, string> = {
    'postgresql.conf': `${conf.join('\n')}\n`,
    'pg_hba.conf': 'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    'pg_ident.conf': '',
  };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(data, name), text);
    chownSync(path.join(data, name), Number(owner), Number(group));
  }
  let output = '';
  const args = ['-D', data, '-c', `config_file=${path.join(data, 'postgresql.conf')}`];
  const child: ChildProcess = spawn(path.join(POSTGRES_BIN, 'postgres'), args, { ...asPostgres, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-4_000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const urlOf = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  const stop = async () => {
    // Fast shutdown; a server still running after 10 s is killed. Its files go only once it has exited.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 10_000).unref());
      if ((await Promise.race([exited, late])) === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const waitForDatabase = async (name: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await admin(urlOf(name), (client) => client.query('SELECT 1'));
        return;
      } catch (error) {
        if (child.exitCode !== null) throw new Error(`replica exited: ${output}`);
        if (Date.now() > deadline) throw new Error(`database ${name} not on the replica within ${timeoutMs} ms: ${(error as Error).message}; ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  try {
    await waitForDatabase('postgres');
    const recovering = await admin(urlOf('postgres'), (client) => client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'));
    if (!recovering.rows[0]!.r) throw new Error('the copy is not in recovery: not a replica');
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, urlOf, waitForDatabase, stop };
}
