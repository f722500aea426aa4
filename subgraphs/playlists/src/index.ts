import type { Database } from '@tributary/database';
import { defineSubgraph } from '@tributary/runtime';
import { type PlaylistsLoaders, createPlaylistsLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The playlists subgraph: Playlist; Track.playlists. */
export const playlistsSubgraph = defineSubgraph<Database, PlaylistsLoaders>({
  name: 'playlists',
  schema: new URL('../schema.graphql', import.meta.url),
  resolvers,
  createLoaders: createPlaylistsLoaders,
});

export { createPlaylistsLoaders } from './loaders.js';
