import { type SubgraphDefinition, loadSchemaFile } from '@tributary/subgraph-runtime';
import { type Context, createContext } from './context.js';
import { resolvers } from './resolvers.js';

/** The playlists subgraph: Playlist; Track.playlists. */
export const playlistsSubgraph: SubgraphDefinition<Context> = {
  name: 'playlists',
  typeDefs: loadSchemaFile(new URL('../schema.graphql', import.meta.url)),
  resolvers,
  createContext,
};

export { createPlaylistsLoaders } from './loaders.js';
