import type { Database } from '@tributary/database';
import {
  type LoaderOptions,
  type PageRequest,
  createGroupLoader,
  createRowLoader,
  createValueLoader,
  loaderPerArguments,
} from '@tributary/subgraph-runtime';
import { type Kysely, sql } from 'kysely';

/** The playlists subgraph's DataLoaders, made per request; one `= any($1)` statement per batch. */
export function createPlaylistsLoaders(db: Kysely<Database>, options: LoaderOptions = {}) {
  return {
    playlist: createRowLoader(
      (ids) => db.selectFrom('playlists.playlist').selectAll().where('playlist_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.playlist_id,
      options,
    ),
    trackCount: createValueLoader(
      (ids) =>
        db
          .selectFrom('playlists.playlist_track')
          .select(['playlist_id as key', sql<number>`count(*)::int`.as('value')])
          .where('playlist_id', '=', sql<number>`any(${ids})`)
          .groupBy('playlist_id')
          .execute(),
      0,
      options,
    ),
    /** One page of each playlist's tracks for the same `(first, after)`, in one statement. */
    tracksPageByPlaylist: loaderPerArguments(
      (page: PageRequest) =>
        createGroupLoader(
          (ids) =>
            db
              .selectFrom((eb) =>
                eb
                  .selectFrom('playlists.playlist_track')
                  .select(['playlist_id', 'track_id', sql<number>`row_number() over (partition by playlist_id order by track_id)`.as('position')])
                  .where('playlist_id', '=', sql<number>`any(${ids})`)
                  .where('track_id', '>', page.afterKey)
                  .as('page'),
              )
              .select(['playlist_id', 'track_id'])
              .where('position', '<=', page.first + 1)
              .orderBy('playlist_id')
              .orderBy('track_id')
              .execute(),
          (row) => row.playlist_id,
          options,
        ),
      (page) => `${page.first}:${page.afterKey}`,
    ),
    playlistsByTrack: createGroupLoader(
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
  };
}

export type PlaylistsLoaders = ReturnType<typeof createPlaylistsLoaders>;
