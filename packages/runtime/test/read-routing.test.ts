import net from 'node:net';
import { type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { createReadRouting } from '@tributary/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

/**
 * Read routing when the replica is down: a TCP front the test starts in place of the replica
 * either drops every connection (down) or passes it to the real Postgres (back). While down,
 * reads go to the primary and the replica is tried again only after a wait, not per request.
 */
describe('createReadRouting with a replica that is down', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let server: net.Server;
  let healthy = false;
  let connections = 0;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    server = net.createServer((socket) => {
      connections++;
      if (!healthy) return void socket.destroy();
      const upstream = net.connect(5432, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const readUrl = new URL(database.url);
    readUrl.port = String(port);
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url, DATABASE_READ_URL: readUrl.toString(), DATABASE_CONNECT_TIMEOUT_MS: '2000' }), name: 'routing' });
  });
  afterAll(async () => {
    await handle?.destroy();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  it('sends reads to the primary and tries the replica once per wait, then reads it again when it is back', async () => {
    const errors: Error[] = [];
    const routing = createReadRouting(
      handle.db,
      handle.read!,
      async () => '0/0',
      (error) => errors.push(error),
      { baseMs: 1_000, capMs: 1_000 },
    );
    const request = () => new Request('http://subgraph/graphql', { method: 'POST' });
    const before = connections;
    for (let i = 0; i < 20; i++) expect((await routing.sourceFor(request())).db).toBe(handle.db);
    // One failed position query: the other 19 did not try the replica (the wait is 0.5 to 1 s, jittered).
    expect(errors).toHaveLength(1);
    expect(connections - before).toBe(1);

    // Past the wait, the replica is tried again: still down, one more attempt.
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await routing.sourceFor(request())).db).toBe(handle.db);
    expect(errors).toHaveLength(2);

    // Back: after the wait, reads go to it (the "replica" here is a primary, not in recovery: no position).
    healthy = true;
    await new Promise((r) => setTimeout(r, 1_050));
    const source = await routing.sourceFor(request());
    expect(source.db).toBe(handle.read!.db);
    expect(source.readLsn).toBeUndefined();
    expect((await routing.sourceFor(request())).db).toBe(handle.read!.db);
    expect(errors).toHaveLength(2);
  });
});
