import { likePattern, DecimalScalar, parseIdArgument, parsePageRequest, parseTextArgument, countRows, forbidden, loadByRepresentation, keysetPage } from '@tributary/runtime';
import type { Resolvers } from '../generated/resolvers-types.js';
import { genreSize, tableSize } from './counts.js';
import { updateTrack } from './update-track.js';

/** The catalog subgraph's resolvers: every entity and one-to-many field goes through a loader. */
export const resolvers: Resolvers = {
  Decimal: DecimalScalar,
  Query: {
    search: async (_, args, { db }) => {
      const { first } = parsePageRequest({ first: args.first, after: null }, 'Query.search');
      const pattern = likePattern(parseTextArgument(args.text, 'text', { required: true, max: 120 }));
      const [artists, albums, tracks] = await Promise.all([
        db.selectFrom('catalog.artist').selectAll().where('name', 'ilike', pattern).orderBy('artist_id').limit(first).execute(),
        db.selectFrom('catalog.album').selectAll().where('title', 'ilike', pattern).orderBy('album_id').limit(first).execute(),
        db.selectFrom('catalog.track').selectAll().where('name', 'ilike', pattern).orderBy('track_id').limit(first).execute(),
      ]);
      return [...artists, ...albums, ...tracks].slice(0, first);
    },
    artist: (_, { id }, { loaders }) => loaders.artist.load(parseIdArgument(id, 'id')),
    album: (_, { id }, { loaders }) => loaders.album.load(parseIdArgument(id, 'id')),
    track: (_, { id }, { loaders }) => loaders.track.load(parseIdArgument(id, 'id')),
    genre: (_, { id }, { loaders }) => loaders.genre.load(parseIdArgument(id, 'id')),
    genres: (_, __, { db }) => db.selectFrom('catalog.genre').selectAll().orderBy('genre_id').execute(),
    artists: async (_, args, { db }) => {
      const page = parsePageRequest(args, 'Query.artists');
      let filtered = db.selectFrom('catalog.artist');
      if (args.nameContains) filtered = filtered.where('name', 'ilike', likePattern(parseTextArgument(args.nameContains, 'nameContains', { max: 120 })));
      // A name filter counts its matches; the whole list's count is the counter.
      return keysetPage(filtered, 'artist_id', page, () => (args.nameContains ? countRows(filtered) : tableSize(db, 'catalog.artist')));
    },
    albums: async (_, args, { db }) => {
      const page = parsePageRequest(args, 'Query.albums');
      const all = db.selectFrom('catalog.album');
      return keysetPage(all, 'album_id', page, () => tableSize(db, 'catalog.album'));
    },
    tracks: async (_, args, { db }) => {
      const page = parsePageRequest(args, 'Query.tracks');
      let filtered = db.selectFrom('catalog.track');
      const genreId = args.genreId !== null && args.genreId !== undefined ? parseIdArgument(args.genreId, 'genreId') : undefined;
      if (genreId !== undefined) filtered = filtered.where('genre_id', '=', genreId);
      // Counters (migration 006), not a scan of the tracks.
      return keysetPage(filtered, 'track_id', page, () => (genreId === undefined ? tableSize(db, 'catalog.track') : genreSize(db, genreId)));
    },
  },
  Mutation: {
    updateTrack: (_, { id, input }, { db, principal }) => {
      if (principal.kind !== 'employee') throw forbidden('updateTrack is for employees');
      return updateTrack(db, parseIdArgument(id, 'id'), input);
    },
  },
  SearchResult: {
    // Rows carry no type name: a track row has `track_id`, an album row `album_id`, an artist row neither.
    __resolveType: (row) => ('track_id' in row ? 'Track' : 'album_id' in row ? 'Album' : 'Artist'),
  },
  Artist: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.artist),
    id: (row) => String(row.artist_id),
    albums: (row, _, { loaders }) => loaders.albumsByArtist.load(row.artist_id),
  },
  Album: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.album),
    id: (row) => String(row.album_id),
    artist: async (row, _, { loaders }) => {
      const artist = await loaders.artist.load(row.artist_id);
      if (!artist) throw new Error(`album ${row.album_id} refers to missing artist ${row.artist_id}`);
      return artist;
    },
    tracks: (row, _, { loaders }) => loaders.tracksByAlbum.load(row.album_id),
  },
  Track: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.track),
    id: (row) => String(row.track_id),
    album: (row, _, { loaders }) => (row.album_id === null ? null : loaders.album.load(row.album_id)),
    genre: (row, _, { loaders }) => (row.genre_id === null ? null : loaders.genre.load(row.genre_id)),
    mediaType: async (row, _, { loaders }) => {
      const mediaType = await loaders.mediaType.load(row.media_type_id);
      if (!mediaType) throw new Error(`track ${row.track_id} refers to missing media type ${row.media_type_id}`);
      return mediaType;
    },
    unitPrice: (row) => row.unit_price,
  },
  Genre: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.genre),
    id: (row) => String(row.genre_id),
  },
  MediaType: {
    id: (row) => String(row.media_type_id),
  },
};
