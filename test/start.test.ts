import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../benchmarks/lib/processes.js';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALBUM_4, ALBUM_4_RESULT } from './support/queries.js';
import { type TestDatabase, createEmptyDatabase } from './support/test-database.js';

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}; output:\n${output}`)));
  });
}

/** `pnpm start` as a user runs it (the same script), against a real, empty Postgres database. */
describe('pnpm start', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await database?.drop();
  });

  it('migrates and imports an empty database, serves the gateway, and stops gracefully on SIGTERM', async () => {
    const ports = { GATEWAY_PORT: await freePort(), CATALOG_PORT: await freePort(), CUSTOMERS_PORT: await freePort(), SALES_PORT: await freePort(), PLAYLISTS_PORT: await freePort() };
    child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/start.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        REDIS_KEY_PREFIX: `${inject('redisPrefix')}start:`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ready = await waitForOutput(child, /Tributary is ready in [\d.]+ s: GraphiQL at http:\/\/localhost:(\d+)\/graphql/, 90_000);
    expect(ready).toContain(`http://localhost:${ports.GATEWAY_PORT}/graphql`);

    const response = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ALBUM_4 }),
    });
    expect(await response.json()).toEqual({ data: ALBUM_4_RESULT });
    // The response cache hears a write made with plain SQL, whichever mode `pnpm start` chose.
    const ask = async () =>
      (
        (await (
          await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ track(id: "15") { name } }' }),
          })
        ).json()) as any
      ).data.track.name;
    expect(await ask()).toBe('Go Down');
    expect(await ask()).toBe('Go Down');
    const sqlClient = new pg.Client({ connectionString: database.url });
    await sqlClient.connect();
    await sqlClient.query("UPDATE catalog.track SET name = 'Go Down (Live)' WHERE track_id = 15");
    await sqlClient.end();
    const deadline = Date.now() + 1_000;
    let name = await ask();
    while (name !== 'Go Down (Live)' && Date.now() < deadline) name = await ask();
    expect(name).toBe('Go Down (Live)');

    const graphiql = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('<title>Tributary</title>');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/healthz`)).rejects.toThrow();
  }, 120_000);
});

describe('start-up errors name what is wrong', () => {
  it('refuses to start on a port something else serves (it would report that server as ready), naming the variable', async () => {
    const { runScript } = await import('./support/run-script.js');
    const net = await import('node:net');
    const busy = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const result = await runScript('scripts/start.ts', [], { CATALOG_PORT: String(port), GATEWAY_PORT: String(await freePort()) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} (CATALOG_PORT) is in use on 127.0.0.1: stop what uses it, or set CATALOG_PORT to a free port`);
      expect(result.stdout).not.toContain('ready');
    } finally {
      busy.close();
    }
  });

  it('names DATABASE_URL, with the password hidden, when Postgres cannot be reached', async () => {
    const { runSubgraphs } = await import('@tributary/subgraph-host');
    const { silentLogger } = await import('./support/stack.js');
    await expect(
      runSubgraphs({ env: { DATABASE_URL: 'postgres://app:secret@127.0.0.1:1/chinook' }, logger: silentLogger, ports: { catalog: 0, customers: 0, sales: 0, playlists: 0 } }),
    ).rejects.toThrow(/^Cannot use the database at DATABASE_URL=postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/chinook: .*ECONNREFUSED/);
  });

  it('names SUPERGRAPH_PATH when the supergraph cannot be loaded', async () => {
    const { createGateway, readGatewayConfig } = await import('@tributary/gateway');
    const { silentLogger } = await import('./support/stack.js');
    const config = readGatewayConfig({ SUPERGRAPH_PATH: '/nowhere/supergraph.graphql' });
    await expect(createGateway({ config, logger: silentLogger })).rejects.toThrow(/^Cannot load the supergraph from SUPERGRAPH_PATH=\/nowhere\/supergraph\.graphql: ENOENT/);
  });

  it('names the Chinook script and CHINOOK_SQL when it is truncated, and imports nothing', async () => {
    const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { DEFAULT_CHINOOK_SQL, countChinookRows, createDatabase, prepareDatabase, readDatabaseConfig } = await import('@tributary/database');
    const dir = mkdtempSync(path.join(tmpdir(), 'tributary-chinook-'));
    const truncated = path.join(dir, 'chinook.sql');
    const script = readFileSync(DEFAULT_CHINOOK_SQL, 'utf8');
    writeFileSync(truncated, script.slice(0, script.indexOf('INSERT INTO track') + 200));
    const empty = await createEmptyDatabase();
    const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: empty.url }), name: 'test' });
    try {
      await expect(prepareDatabase(handle.db, { CHINOOK_SQL: truncated })).rejects.toThrow(`Chinook import from ${truncated} (CHINOOK_SQL) failed, nothing was imported: `);
      expect(Object.values(await countChinookRows(handle.db)).every((n) => n === 0)).toBe(true);
    } finally {
      await handle.destroy();
      await empty.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
