import { type Principal, countRows, forbidden, loadByRepresentation, parseIdArgument, parsePageRequest, toChinookKey, keysetPage, toConnection } from '@tributary/runtime';
import type { Resolvers } from '../generated/resolvers-types.js';

/** Playlist mutations need a customer or an employee. */
function requireAuthenticated(principal: Principal, mutation: string): void {
  if (principal.kind === 'anonymous') throw forbidden(`${mutation} needs an authenticated principal`);
}
import { addTrackToPlaylist, createPlaylist, removeTrackFromPlaylist, renamePlaylist } from './playlist-mutations.js';

/** The playlists subgraph's resolvers. */
export const resolvers: Resolvers = {
  Query: {
    playlist: (_, { id }, { loaders }) => loaders.playlist.load(parseIdArgument(id, 'id')),
    playlists: async (_, args, { db }) => {
      const page = parsePageRequest(args, 'Query.playlists');
      const all = db.selectFrom('playlists.playlist');
      return keysetPage(all, 'playlist_id', page, () => countRows(all));
    },
  },
  Mutation: {
    createPlaylist: (_, { name }, { db, principal }) => {
      requireAuthenticated(principal, 'createPlaylist');
      return createPlaylist(db, name);
    },
    renamePlaylist: (_, { id, name }, { db, principal }) => {
      requireAuthenticated(principal, 'renamePlaylist');
      return renamePlaylist(db, parseIdArgument(id, 'id'), name);
    },
    addTrackToPlaylist: (_, { playlistId, trackId }, { db, principal }) => {
      requireAuthenticated(principal, 'addTrackToPlaylist');
      return addTrackToPlaylist(db, parseIdArgument(playlistId, 'playlistId'), parseIdArgument(trackId, 'trackId'));
    },
    removeTrackFromPlaylist: (_, { playlistId, trackId }, { db, principal }) => {
      requireAuthenticated(principal, 'removeTrackFromPlaylist');
      return removeTrackFromPlaylist(db, parseIdArgument(playlistId, 'playlistId'), parseIdArgument(trackId, 'trackId'));
    },
  },
  Playlist: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.playlist),
    id: (row) => String(row.playlist_id),
    trackCount: (row, _, { loaders }) => loaders.trackCount.load(row.playlist_id),
    tracks: async (row, args, { loaders }) => {
      const page = parsePageRequest(args, `Playlist:${row.playlist_id}.tracks`);
      const rows = await loaders.tracksPageByPlaylist(page).load(row.playlist_id);
      return toConnection(
        rows,
        page,
        (r) => r.track_id,
        () => loaders.trackCount.load(row.playlist_id),
      );
    },
  },
  Track: {
    __resolveReference: (ref) => {
      const key = toChinookKey(ref.id);
      return key === null ? null : { track_id: key };
    },
    id: (ref) => String(ref.track_id),
    playlists: (ref, _, { loaders }) => loaders.playlistsByTrack.load(ref.track_id),
  },
};
