import { type ChangeEvent, createChangeFeed, createChangeMap, createInProcessBus } from '@tributary/cache';
import { CHANGE_CHANNEL, CHINOOK_FIELD_SOURCES, type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { lsnAtLeast } from '@tributary/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../test/support/services.js';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

/** The primary's WAL insert position now. */
const insertLsn = (url: string) => withClient(url, async (c) => (await c.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!.lsn);

describe('change feed with DATABASE_READ_URL: events stamped with WAL positions', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let feed: Awaited<ReturnType<typeof createChangeFeed>>;
  const events: ChangeEvent[] = [];
  let before: string;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    before = await insertLsn(database.directUrl);
    // Any URL turns stamping on; the replica's role is tested in test/read-replicas.test.ts.
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url, DATABASE_READ_URL: database.directUrl }), name: 'lsn' });
    const bus = createInProcessBus();
    bus.subscribe((event) => events.push(event));
    feed = await createChangeFeed({ database: handle, channel: CHANGE_CHANNEL, changeMap: createChangeMap(CHINOOK_FIELD_SOURCES), bus });
    await feed.fence();
  });
  afterAll(async () => {
    await feed?.close();
    await handle?.destroy();
    await database?.drop();
  });

  it('stamps the start flush, and each write with a position at or past its commit', async () => {
    expect(events[0]).toMatchObject({ kind: 'flush' });
    expect(lsnAtLeast(events[0]!.lsn!, before)).toBe(true);
    events.length = 0;
    // Inside the transaction, after its write: a position before its commit record.
    const uncommitted = await withClient(database.directUrl, async (c) => {
      await c.query('BEGIN');
      await c.query('UPDATE catalog.track SET unit_price = 1.09 WHERE track_id = 11');
      const { rows } = await c.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      await c.query('COMMIT');
      return rows[0]!.lsn;
    });
    await feed.fence();
    expect(events.map(({ at: _at, lsn: _lsn, ...e }) => e)).toEqual([{ kind: 'update', type: 'Track', id: '11', fields: ['unitPrice'] }]);
    expect(events[0]!.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // Past the commit: strictly after every position the transaction saw before committing.
    expect(lsnAtLeast(events[0]!.lsn!, uncommitted) && events[0]!.lsn !== uncommitted).toBe(true);
    // Not later than a position read after the fence came back, which followed the notification.
    expect(lsnAtLeast(await insertLsn(database.directUrl), events[0]!.lsn!)).toBe(true);
  });

  it('has the primary report its write position and the replica pool its replay position (null on a primary)', async () => {
    expect(await handle.read!.replayLsn()).toBeNull();
    expect(lsnAtLeast(await handle.writeLsn!(), before)).toBe(true);
  });
});
