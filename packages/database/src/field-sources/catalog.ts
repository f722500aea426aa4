import type { SubgraphFieldSources } from './table-source.js';

/**
 * Where the catalog subgraph's fields come from (`subgraphs/catalog/schema.graphql`). A field
 * added there without a source here fails `test/field-sources.test.ts` with its coordinate.
 */
export const CATALOG_FIELD_SOURCES: SubgraphFieldSources<'catalog'> = {
  subgraph: 'catalog',
  tables: {
    'catalog.artist': {
      row: { kind: 'entity', type: 'Artist', key: 'artist_id', roots: ['Query.artist', 'Query.artists', 'Query.search'] },
      columns: { name: ['name'] },
      // `Query.artists(nameContains)` and `Query.search` match names.
      derived: [{ kind: 'lists', coordinates: ['Query.artists', 'Query.search'], when: ['name'] }],
    },
    'catalog.album': {
      row: { kind: 'entity', type: 'Album', key: 'album_id', roots: ['Query.album', 'Query.albums', 'Query.search'] },
      columns: { title: ['title'], artist_id: ['artist'] },
      derived: [
        { kind: 'parent', type: 'Artist', key: 'artist_id', fields: ['albums'], when: ['artist_id'] },
        { kind: 'lists', coordinates: ['Query.search'], when: ['title'] },
      ],
    },
    'catalog.genre': {
      row: { kind: 'entity', type: 'Genre', key: 'genre_id', roots: ['Query.genre', 'Query.genres'] },
      columns: { name: ['name'] },
    },
    'catalog.media_type': {
      row: { kind: 'entity', type: 'MediaType', key: 'media_type_id' },
      columns: { name: ['name'] },
    },
    'catalog.track': {
      row: { kind: 'entity', type: 'Track', key: 'track_id', roots: ['Query.track', 'Query.tracks', 'Query.search'] },
      columns: {
        name: ['name'],
        album_id: ['album'],
        media_type_id: ['mediaType'],
        genre_id: ['genre'],
        composer: ['composer'],
        milliseconds: ['milliseconds'],
        bytes: ['bytes'],
        unit_price: ['unitPrice'],
      },
      derived: [
        { kind: 'parent', type: 'Album', key: 'album_id', fields: ['tracks'], when: ['album_id'] },
        // `Query.tracks(genreId)` filters by genre, and so does `Query.topTracks(genreId)` (sales reads it through `sales.track_price`).
        { kind: 'lists', coordinates: ['Query.tracks', 'Query.topTracks'], when: ['genre_id'] },
        // Search matches names: a renamed track may enter or leave any search.
        { kind: 'lists', coordinates: ['Query.search'], when: ['name'] },
      ],
    },
  },
};
