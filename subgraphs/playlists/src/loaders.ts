import type { Database } from '@tributary/database';
import { type LoaderOptions, type LoaderRegistry, type PageRequest, createGroupLoader, createTableLoaders, loaderPerArguments } from '@tributary/runtime';
import { type Kysely, sql } from 'kysely';

/** The playlists subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createPlaylistsLoaders(db: Kysely<Database>, registry: LoaderRegistry, options: LoaderOptions = {}) {
  const { register } = registry;
  const tables = createTableLoaders(db, registry, options);
  return {
    playlist: tables.rowByKey('playlists.playlist', 'playlist_id'),
    /**
     * Entries per playlist (`trackCount`, `tracks.totalCount`), from the counter
     * `playlists.playlist_size` (migration 006). Registered as a reader of
     * `playlists.playlist_track`, the table whose writes change it.
     */
    trackCount: tables.valueByKey('playlists.playlist_size', 'playlist_id', 'track_count', 0, { reads: { 'playlists.playlist_track': 'playlist_id' } }),
    /**
     * One page of each playlist's tracks for the same `(first, after)`, in one statement: a
     * LATERAL subquery per playlist walks the `(playlist_id, track_id)` primary key and stops after
     * `first + 1` rows, so a page costs the same for a playlist of 10 tracks or of 300,000
     * (a `row_number()` window had to number the whole playlist first).
     *
     * select p.playlist_id, t.track_id from unnest($1::int[]) as p(playlist_id)
     *   cross join lateral (select track_id from playlists.playlist_track
     *     where playlist_id = p.playlist_id and track_id > $2 order by track_id limit $3) as t
     */
    tracksPageByPlaylist: register(
      { 'playlists.playlist_track': 'playlist_id' },
      loaderPerArguments(
        (page: PageRequest) =>
          createGroupLoader(
            async (ids) => {
              const { rows } = await sql<{ playlist_id: number; track_id: number }>`
                select p.playlist_id, t.track_id
                from unnest(${ids}::int[]) as p(playlist_id)
                cross join lateral (
                  select track_id from playlists.playlist_track
                  where playlist_id = p.playlist_id and track_id > ${page.afterKey}
                  order by track_id limit ${page.first + 1}
                ) as t
                order by p.playlist_id, t.track_id`.execute(db);
              return rows;
            },
            (row) => row.playlist_id,
            options,
          ),
        (page) => `${page.first}:${page.afterKey}`,
      ),
    ),
    playlistsByTrack: register(
      { 'playlists.playlist_track': 'track_id', 'playlists.playlist': null },
      createGroupLoader(
        (ids) =>
          db
            .selectFrom('playlists.playlist_track as entry')
            .innerJoin('playlists.playlist as playlist', 'playlist.playlist_id', 'entry.playlist_id')
            .select(['entry.track_id', 'playlist.playlist_id', 'playlist.name'])
            .where('entry.track_id', '=', sql<number>`any(${ids})`)
            .orderBy('playlist.playlist_id')
            .execute(),
        (row) => row.track_id,
        options,
      ),
    ),
  };
}

export type PlaylistsLoaders = ReturnType<typeof createPlaylistsLoaders>;
