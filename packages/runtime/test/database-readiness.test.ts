import net from 'node:net';
import { type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { DATABASE_READINESS_TIMEOUT_MS, createDatabaseReadiness } from '@tributary/runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

describe('createDatabaseReadiness', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  const handles: DatabaseHandle[] = [];
  const servers: net.Server[] = [];
  afterEach(async () => {
    // Servers first: a hung connection attempt ends when its socket closes, then pools close at once.
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    await Promise.all(handles.splice(0).map((h) => h.destroy()));
  });
  const open = async (url: string) => {
    const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_MS: '5000' }), name: 'test' });
    handles.push(handle);
    return handle;
  };
  /** A TCP server on a free port that accepts connections and never answers (a hung database). */
  const silentServer = async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    server.on('close', () => sockets.forEach((s) => s.destroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const close = server.close.bind(server);
    server.close = ((cb?: (err?: Error) => void) => {
      sockets.forEach((s) => s.destroy());
      return close(cb);
    }) as typeof server.close;
    return (server.address() as net.AddressInfo).port;
  };

  it('waits 1 s by default', () => {
    expect(DATABASE_READINESS_TIMEOUT_MS).toBe(1_000);
  });

  it('passes with one select 1 when the database answers', async () => {
    const handle = await open(database.url);
    const before = handle.stats.statements;
    await expect(createDatabaseReadiness(handle.db).check()).resolves.toBeUndefined();
    expect(handle.stats.statements - before).toBe(1);
  });

  it('fails at the bound when the database accepts but never answers', async () => {
    const handle = await open(`postgres://postgres@127.0.0.1:${await silentServer()}/x`);
    const started = performance.now();
    await expect(createDatabaseReadiness(handle.db, 300).check()).rejects.toThrow('database: no answer to select 1 within 300 ms');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('fails at once, naming the cause, when nothing listens', async () => {
    const port = await silentServer();
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const handle = await open(`postgres://postgres@127.0.0.1:${port}/x`);
    await expect(createDatabaseReadiness(handle.db, 2_000).check()).rejects.toThrow(/^database: .*ECONNREFUSED/);
  });
});
