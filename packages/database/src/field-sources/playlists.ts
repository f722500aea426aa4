import type { SubgraphFieldSources } from './table-source.js';

/** Where the playlists subgraph's fields come from (`subgraphs/playlists/schema.graphql`). */
export const PLAYLISTS_FIELD_SOURCES: SubgraphFieldSources<'playlists'> = {
  subgraph: 'playlists',
  tables: {
    'playlists.playlist': {
      row: { kind: 'entity', type: 'Playlist', key: 'playlist_id', roots: ['Query.playlist', 'Query.playlists'] },
      columns: { name: ['name'] },
    },
    'playlists.playlist_track': {
      derived: [
        { kind: 'parent', type: 'Playlist', key: 'playlist_id', fields: ['trackCount', 'tracks'] },
        { kind: 'parent', type: 'Track', key: 'track_id', fields: ['playlists'] },
      ],
    },
  },
};
