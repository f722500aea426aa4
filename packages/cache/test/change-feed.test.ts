import { type ChangeEvent, createChangeFeed, createChangeMap, createInProcessBus, eventFromTag, tagsOf } from '@tributary/cache';
import { CHANGE_CHANNEL, CHINOOK_FIELD_SOURCES, type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

const changeEventsOf = createChangeMap(CHINOOK_FIELD_SOURCES);

describe('change events from row changes', () => {
  it('names exactly the fields whose columns changed', () => {
    const old = { track_id: 3, name: 'Fast As a Shark', unit_price: '0.99', genre_id: 1, album_id: 3 };
    expect(changeEventsOf({ table: 'catalog.track', op: 'UPDATE', old, new: { ...old, unit_price: '1.29' } })).toEqual([{ kind: 'update', type: 'Track', id: '3', fields: ['unitPrice'] }]);
    expect(changeEventsOf({ table: 'catalog.track', op: 'UPDATE', old, new: { ...old } })).toEqual([]);
    expect(changeEventsOf({ table: 'catalog.track', op: 'UPDATE', old, new: { ...old, genre_id: 2, album_id: 4 } })).toEqual([
      { kind: 'update', type: 'Track', id: '3', fields: ['genre', 'album'] },
      { kind: 'update', type: 'Album', id: '3', fields: ['tracks'] },
      { kind: 'update', type: 'Album', id: '4', fields: ['tracks'] },
      { kind: 'lists', coordinates: ['Query.tracks', 'Query.topTracks'] },
    ]);
  });

  it('derives purchase counts, top tracks, invoices and totals from a purchase', () => {
    expect(changeEventsOf({ table: 'sales.invoice', op: 'INSERT', old: null, new: { invoice_id: 413, customer_id: 12, total: '2.97' } })).toEqual([
      { kind: 'create', type: 'Invoice', id: '413' },
      { kind: 'update', type: 'Customer', id: '12', fields: ['invoices', 'totalSpent'] },
    ]);
    expect(changeEventsOf({ table: 'sales.invoice_line', op: 'INSERT', old: null, new: { invoice_line_id: 2241, invoice_id: 413, track_id: 2, quantity: 2, unit_price: '1.49' } })).toEqual([
      { kind: 'update', type: 'Invoice', id: '413', fields: ['lines'] },
      { kind: 'update', type: 'Track', id: '2', fields: ['purchaseCount'] },
      { kind: 'lists', coordinates: ['Query.topTracks'] },
    ]);
  });

  it('turns events into the tags they evict', () => {
    const lists = (type: string) => (type === 'Playlist' ? ['Query.playlists', 'Query.playlist'] : []);
    expect(tagsOf({ kind: 'update', type: 'Track', id: '3', fields: ['unitPrice', 'name'] }, lists)).toEqual(['Track:3.unitPrice', 'Track:3.name', 'any:Track']);
    expect(tagsOf({ kind: 'create', type: 'Playlist', id: '19' }, lists)).toEqual(['Playlist:19', 'any:Playlist', 'Query.playlists', 'Query.playlist']);
    expect(tagsOf({ kind: 'lists', coordinates: ['Query.topTracks'] }, lists)).toEqual(['Query.topTracks']);
    // An operator's tag is an `operator` event (counted as such), evicting what the tag names.
    for (const tag of ['Track:42.unitPrice', 'Track:42', 'Track', 'Query.topTracks']) expect(eventFromTag(tag)).toEqual({ kind: 'operator', tag });
    const trackLists = (type: string) => (type === 'Track' ? ['Query.tracks', 'Query.topTracks'] : []);
    expect(tagsOf(eventFromTag('Track:42.unitPrice'), trackLists)).toEqual(['Track:42.unitPrice', 'any:Track']);
    expect(tagsOf(eventFromTag('Track:42'), trackLists)).toEqual(['Track:42', 'any:Track', 'Query.tracks', 'Query.topTracks']);
    expect(tagsOf(eventFromTag('Track'), trackLists)).toEqual(['type:Track', 'any:Track']);
    expect(tagsOf(eventFromTag('Query.topTracks'), trackLists)).toEqual(['Query.topTracks']);
    expect(tagsOf({ kind: 'access' }, trackLists)).toEqual(['private:any']);
    expect(() => eventFromTag('track 42')).toThrow('not a cache tag: "track 42"; expected Type:id.field, Type:id, Type or Parent.field');
  });
});

describe('change feed over real Postgres', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const events: ChangeEvent[] = [];
  let feed: Awaited<ReturnType<typeof createChangeFeed>>;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test' });
    const bus = createInProcessBus();
    bus.subscribe((event) => events.push(event));
    feed = await createChangeFeed({ database: handle, channel: CHANGE_CHANNEL, changeMap: changeEventsOf, bus });
  });
  afterAll(async () => {
    await feed?.close();
    await handle?.destroy();
    await database?.drop();
  });

  it('reports a write that bypasses the API (plain SQL from another connection) once it commits', async () => {
    events.length = 0;
    const psql = new pg.Client({ connectionString: database.url });
    await psql.connect();
    await psql.query('BEGIN');
    await psql.query("UPDATE catalog.track SET name = 'Fast As A Shark' WHERE track_id = 3");
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]); // nothing before commit
    await psql.query('COMMIT');
    await psql.query('BEGIN; UPDATE catalog.track SET unit_price = 5 WHERE track_id = 4; ROLLBACK');
    await psql.end();
    await feed.fence();
    expect(events.map(({ at: _at, ...e }) => e)).toEqual([
      { kind: 'update', type: 'Track', id: '3', fields: ['name'] },
      { kind: 'lists', coordinates: ['Query.search'] },
    ]);
    expect(events[0]!.at).toBeGreaterThan(Date.now() - 5_000);
  });

  it('fences: every change committed before the fence is published when it resolves', async () => {
    events.length = 0;
    await handle.db.insertInto('playlists.playlist_track').values({ playlist_id: 18, track_id: 1 }).execute();
    await handle.db.insertInto('playlists.playlist').values({ name: 'Fenced' }).execute();
    await feed.fence();
    expect(events.map(({ at: _at, ...e }) => e)).toEqual([
      { kind: 'update', type: 'Playlist', id: '18', fields: ['trackCount', 'tracks'] },
      { kind: 'update', type: 'Track', id: '1', fields: ['playlists'] },
      { kind: 'create', type: 'Playlist', id: '19' },
    ]);
  });

  it('counts and logs a fence that gives up (a bus that does not take the events), and still resolves', async () => {
    const stalled = createInProcessBus();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const publish = stalled.publish.bind(stalled);
    stalled.publish = async (event) => (event.kind === 'flush' ? publish(event) : held.then(() => publish(event)));
    const warnings: string[] = [];
    let timeouts = 0;
    const stalledFeed = await createChangeFeed({
      database: handle,
      channel: CHANGE_CHANNEL,
      changeMap: changeEventsOf,
      bus: stalled,
      logger: { warn: (_o, msg) => void warnings.push(msg) },
      onFenceTimeout: () => void timeouts++,
    });
    try {
      await handle.db.updateTable('catalog.genre').set({ name: 'Fence' }).where('genre_id', '=', 2).execute();
      const started = Date.now();
      await stalledFeed.fence(200);
      await stalledFeed.fence(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      expect(timeouts).toBe(2);
      // Logged once per interval, counted every time.
      expect(warnings.filter((w) => w.startsWith('mutation fence timed out'))).toHaveLength(1);
    } finally {
      release();
      await stalledFeed.close();
    }
  });

  it('reports nothing for the Chinook import (it sets tributary.skip_change_events)', async () => {
    events.length = 0;
    await handle.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('tributary.skip_change_events', 'on', true)`.execute(trx);
      await trx.updateTable('catalog.genre').set({ name: 'Rock!' }).where('genre_id', '=', 1).execute();
    });
    await feed.fence();
    expect(events).toEqual([]);
  });
});
