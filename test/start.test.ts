import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALBUM_4, ALBUM_4_RESULT } from './support/queries.js';
import { type TestDatabase, createEmptyDatabase } from './support/test-database.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
      env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
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
    const graphiql = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('<title>Tributary</title>');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/healthz`)).rejects.toThrow();
  }, 120_000);
});
