import { type Database, type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { type LoaderRegistry, createGroupLoader, createLoaderRegistry, createRowLoader, createValueLoader, createWriteRecorder, loaderPerArguments } from '@tributary/runtime';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from '../../../test/support/test-database.js';

describe('loaders of a request forget what its writes changed', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test' });
  });
  afterAll(async () => {
    await handle.destroy();
    await database.drop();
  });

  /** A request: its registry, its recording database, and loaders that log their batches. */
  function request() {
    const registry = createLoaderRegistry();
    const db: Kysely<Database> = handle.db.withPlugin(createWriteRecorder(registry));
    const batches: Record<string, number[][]> = { trackCount: [], playlistsByTrack: [], track: [], tracksByAlbum: [], genre: [] };
    const logged = (name: string, ids: number[]) => batches[name]!.push(ids);
    const loaders = {
      trackCount: registry.register(
        { 'playlists.playlist_track': 'playlist_id' },
        createValueLoader((ids) => {
          logged('trackCount', ids);
          return db
            .selectFrom('playlists.playlist_track')
            .select(['playlist_id as key', sql<number>`count(*)::int`.as('value')])
            .where('playlist_id', '=', sql<number>`any(${ids})`)
            .groupBy('playlist_id')
            .execute();
        }, 0),
      ),
      playlistsByTrack: registry.register(
        { 'playlists.playlist_track': 'track_id', 'playlists.playlist': null },
        createGroupLoader(
          (ids) => {
            logged('playlistsByTrack', ids);
            return db
              .selectFrom('playlists.playlist_track as entry')
              .innerJoin('playlists.playlist as playlist', 'playlist.playlist_id', 'entry.playlist_id')
              .select(['entry.track_id', 'playlist.name'])
              .where('entry.track_id', '=', sql<number>`any(${ids})`)
              .orderBy('playlist.playlist_id')
              .execute();
          },
          (row) => row.track_id,
        ),
      ),
      track: registry.register(
        { 'catalog.track': 'track_id' },
        createRowLoader(
          (ids) => {
            logged('track', ids);
            return db.selectFrom('catalog.track').selectAll().where('track_id', '=', sql<number>`any(${ids})`).execute();
          },
          (row) => row.track_id,
        ),
      ),
      tracksByAlbum: registry.register(
        { 'catalog.track': 'album_id' },
        createGroupLoader(
          (ids) => {
            logged('tracksByAlbum', ids);
            return db.selectFrom('catalog.track').select(['track_id', 'album_id', 'name']).where('album_id', '=', sql<number>`any(${ids})`).orderBy('track_id').execute();
          },
          (row) => row.album_id,
        ),
      ),
      genre: registry.register(
        { 'catalog.genre': 'genre_id' },
        createRowLoader(
          (ids) => {
            logged('genre', ids);
            return db.selectFrom('catalog.genre').selectAll().where('genre_id', '=', sql<number>`any(${ids})`).execute();
          },
          (row) => row.genre_id,
        ),
      ),
    };
    /** Loads every key of every loader (one batch each), as a query that read them all would. */
    const loadAll = () =>
      Promise.all([
        loaders.trackCount.loadMany([2, 4]),
        loaders.playlistsByTrack.loadMany([10, 20]),
        loaders.track.loadMany([4, 5]),
        loaders.tracksByAlbum.loadMany([3, 4]),
        loaders.genre.loadMany([1, 2]),
      ]);
    return { registry, db, loaders, batches, loadAll };
  }

  let r: ReturnType<typeof request>;
  beforeEach(async () => {
    r = request();
    await r.loadAll();
  });
  /** The batches each loader made after the first `loadAll`. */
  const reloaded = () => Object.fromEntries(Object.entries(r.batches).map(([name, batches]) => [name, batches.slice(1)]));

  it('an INSERT … RETURNING forgets only the keys of the rows it returned', async () => {
    await r.db.insertInto('playlists.playlist_track').values({ playlist_id: 4, track_id: 10 }).returningAll().execute();
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [[4]], playlistsByTrack: [[10]], track: [], tracksByAlbum: [], genre: [] });
    expect(await r.loaders.trackCount.load(4)).toBe(1);
    expect((await r.loaders.playlistsByTrack.load(10)).map((p) => p.name)).toEqual(['Music', 'Audiobooks', 'Music']);
  });

  it('a write without RETURNING forgets everything the loaders of its table hold, and no other table', async () => {
    await r.db.deleteFrom('playlists.playlist_track').where('playlist_id', '=', 4).where('track_id', '=', 10).execute();
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [[2, 4]], playlistsByTrack: [[10, 20]], track: [], tracksByAlbum: [], genre: [] });
    expect(await r.loaders.trackCount.load(4)).toBe(0);
  });

  it('an UPDATE … RETURNING forgets the returned keys, except where it assigned the key column', async () => {
    await r.db.updateTable('catalog.track').set({ name: 'Dawn' }).where('track_id', '=', 5).returningAll().execute();
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [], playlistsByTrack: [], track: [[5]], tracksByAlbum: [[3]], genre: [] });

    // Moving track 5 to album 4: its old album (3) is not in RETURNING, so every album is forgotten.
    await r.db.updateTable('catalog.track').set({ album_id: 4 }).where('track_id', '=', 5).returningAll().execute();
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [], playlistsByTrack: [], track: [[5], [5]], tracksByAlbum: [[3], [3, 4]], genre: [] });
    expect((await r.loaders.tracksByAlbum.load(3)).map((t) => t.track_id)).toEqual([3, 4]);
    expect((await r.loaders.tracksByAlbum.load(4)).map((t) => t.track_id)).toEqual([5, 15, 16, 17, 18, 19, 20, 21, 22]);
    await r.db.updateTable('catalog.track').set({ album_id: 3 }).where('track_id', '=', 5).execute();
  });

  it('a loader keyed by something its table does not hold (a join) forgets everything', async () => {
    await r.db.updateTable('playlists.playlist').set({ name: 'Books' }).where('playlist_id', '=', 4).returningAll().execute();
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [], playlistsByTrack: [[10, 20]], track: [], tracksByAlbum: [], genre: [] });
    await r.db.updateTable('playlists.playlist').set({ name: 'Audiobooks' }).where('playlist_id', '=', 4).execute();
  });

  it('writes inside a transaction, and inside WITH, are heard too', async () => {
    await r.db.transaction().execute(async (trx) => {
      await trx.updateTable('catalog.genre').set({ name: 'Rock!' }).where('genre_id', '=', 1).returningAll().execute();
    });
    await r.loadAll();
    expect(reloaded().genre).toEqual([[1]]);
    await r.db
      .with('gone', (db) => db.deleteFrom('catalog.genre').where('genre_id', '=', 99999).returningAll())
      .selectFrom('gone')
      .selectAll()
      .execute();
    await r.loadAll();
    expect(reloaded().genre).toEqual([[1], [1, 2]]);
    expect((await r.loaders.genre.load(1))?.name).toBe('Rock!');
  });

  it('raw SQL that writes forgets every loader; raw SQL that reads forgets none', async () => {
    await sql`select track_id from catalog.track where track_id = ${5} for update`.execute(r.db);
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [], playlistsByTrack: [], track: [], tracksByAlbum: [], genre: [] });
    await sql`update catalog.genre set name = name where genre_id = ${2}`.execute(r.db);
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [[2, 4]], playlistsByTrack: [[10, 20]], track: [[4, 5]], tracksByAlbum: [[3, 4]], genre: [[1, 2]] });
  });

  it('reads and writes that change no row forget nothing', async () => {
    await r.db.selectFrom('catalog.track').selectAll().where('track_id', '=', 5).execute();
    await r.db.updateTable('catalog.track').set({ name: 'x' }).where('track_id', '=', 99999).returningAll().execute();
    await r.loadAll();
    expect(reloaded()).toEqual({ trackCount: [], playlistsByTrack: [], track: [], tracksByAlbum: [], genre: [] });
  });
});

describe('loader registry contract', () => {
  /** A loader that records what it was told to forget. */
  const spy = () => {
    const calls: Array<number | 'all'> = [];
    return { calls, clear: (key: number) => calls.push(key), clearAll: () => calls.push('all') };
  };
  let registry: LoaderRegistry;
  beforeEach(() => {
    registry = createLoaderRegistry();
  });

  it('a row without the key column, or with a key that is not a whole number, forgets the loader whole', () => {
    const loader = registry.register({ 't.x': 'k' }, spy());
    registry.changed({ table: 't.x', rows: [{ k: 1 }, { other: 2 }] });
    registry.changed({ table: 't.x', rows: [{ k: 'abc' }] });
    registry.changed({ table: 't.x', rows: [{ k: '7' }, { k: null }] });
    expect(loader.calls).toEqual(['all', 'all', 7]);
  });

  it('a change of a table nobody reads touches nothing; clearAll reaches every loader once', () => {
    const one = registry.register({ 't.x': 'k', 't.y': 'k' }, spy());
    const two = registry.register({ 't.y': null }, spy());
    registry.changed({ table: 't.z' });
    expect([one.calls, two.calls]).toEqual([[], []]);
    registry.clearAll();
    expect([one.calls, two.calls]).toEqual([['all'], ['all']]);
  });

  it('a loader per arguments forgets a key in every loader of its family', async () => {
    const made: Array<ReturnType<typeof spy>> = [];
    const family = registry.register(
      { 't.x': 'k' },
      loaderPerArguments((_page: number) => {
        const loader = spy();
        made.push(loader);
        return loader;
      }, String),
    );
    family(1);
    family(2);
    family(1);
    registry.changed({ table: 't.x', rows: [{ k: 9 }] });
    expect(made.map((l) => l.calls)).toEqual([[9], [9]]);
  });
});
