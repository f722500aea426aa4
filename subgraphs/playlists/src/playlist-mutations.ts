import type { Database } from '@tributary/database';
import { badUserInput, parseTextArgument } from '@tributary/runtime';
import type { Kysely } from 'kysely';
import type { PlaylistRow } from './rows.js';

/** Chinook's `playlist.name` is `VARCHAR(120)`. */
export const MAX_PLAYLIST_NAME_LENGTH = 120;

/**
 * Checks a playlist name: 1 to 120 characters, not only spaces (see `parseTextArgument`).
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming `name`.
 */
export function validatePlaylistName(name: string): string {
  return parseTextArgument(name, 'name', { max: MAX_PLAYLIST_NAME_LENGTH, required: true });
}

/** `createPlaylist`: a new, empty playlist. */
export async function createPlaylist(db: Kysely<Database>, name: string): Promise<PlaylistRow> {
  return db
    .insertInto('playlists.playlist')
    .values({ name: validatePlaylistName(name) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `renamePlaylist`: `null` when no playlist has that id. */
export async function renamePlaylist(db: Kysely<Database>, playlistId: number, name: string): Promise<PlaylistRow | null> {
  const row = await db
    .updateTable('playlists.playlist')
    .set({ name: validatePlaylistName(name) })
    .where('playlist_id', '=', playlistId)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/**
 * `addTrackToPlaylist`: adds the track once (adding it again changes nothing). `null` when no
 * playlist has that id.
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming `trackId` when no track has that id (checked
 * through the read-only view `playlists.track_ref`).
 */
export async function addTrackToPlaylist(db: Kysely<Database>, playlistId: number, trackId: number): Promise<PlaylistRow | null> {
  return db.transaction().execute(async (trx) => {
    const playlist = await trx.selectFrom('playlists.playlist').selectAll().where('playlist_id', '=', playlistId).forUpdate().executeTakeFirst();
    if (!playlist) return null;
    const track = await trx.selectFrom('playlists.track_ref').select('track_id').where('track_id', '=', trackId).executeTakeFirst();
    if (!track) throw badUserInput('trackId', `no track has id ${trackId}`);
    // RETURNING names the changed keys: the request's loaders forget only playlist `playlistId`
    // and track `trackId` (see createWriteRecorder).
    await trx
      .insertInto('playlists.playlist_track')
      .values({ playlist_id: playlistId, track_id: trackId })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .execute();
    return playlist;
  });
}

/** `removeTrackFromPlaylist`: removing a track that is not there changes nothing. `null` when no playlist has that id. */
export async function removeTrackFromPlaylist(db: Kysely<Database>, playlistId: number, trackId: number): Promise<PlaylistRow | null> {
  return db.transaction().execute(async (trx) => {
    const playlist = await trx.selectFrom('playlists.playlist').selectAll().where('playlist_id', '=', playlistId).forUpdate().executeTakeFirst();
    if (!playlist) return null;
    await trx.deleteFrom('playlists.playlist_track').where('playlist_id', '=', playlistId).where('track_id', '=', trackId).returningAll().execute();
    return playlist;
  });
}
