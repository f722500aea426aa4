import type { Database } from '@tributary/database';
import { type LoaderOptions, type LoaderRegistry, createGroupLoader, createRowLoader } from '@tributary/runtime';
import { type Kysely, sql } from 'kysely';

/**
 * The catalog's DataLoaders, made per request. Each batch is one statement:
 * `select * from "catalog"."track" where "track_id" = any($1)` with all the batch's keys.
 */
export function createCatalogLoaders(db: Kysely<Database>, registry: LoaderRegistry, options: LoaderOptions = {}) {
  const { register } = registry;
  return {
    artist: register(
      { 'catalog.artist': 'artist_id' },
      createRowLoader(
        (ids) => db.selectFrom('catalog.artist').selectAll().where('artist_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.artist_id,
        options,
      ),
    ),
    album: register(
      { 'catalog.album': 'album_id' },
      createRowLoader(
        (ids) => db.selectFrom('catalog.album').selectAll().where('album_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.album_id,
        options,
      ),
    ),
    track: register(
      { 'catalog.track': 'track_id' },
      createRowLoader(
        (ids) => db.selectFrom('catalog.track').selectAll().where('track_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.track_id,
        options,
      ),
    ),
    genre: register(
      { 'catalog.genre': 'genre_id' },
      createRowLoader(
        (ids) => db.selectFrom('catalog.genre').selectAll().where('genre_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.genre_id,
        options,
      ),
    ),
    mediaType: register(
      { 'catalog.media_type': 'media_type_id' },
      createRowLoader(
        (ids) => db.selectFrom('catalog.media_type').selectAll().where('media_type_id', '=', sql<number>`any(${ids})`).execute(),
        (row) => row.media_type_id,
        options,
      ),
    ),
    albumsByArtist: register(
      { 'catalog.album': 'artist_id' },
      createGroupLoader(
        (ids) => db.selectFrom('catalog.album').selectAll().where('artist_id', '=', sql<number>`any(${ids})`).orderBy('album_id').execute(),
        (row) => row.artist_id,
        options,
      ),
    ),
    tracksByAlbum: register(
      { 'catalog.track': 'album_id' },
      createGroupLoader(
        (ids) => db.selectFrom('catalog.track').selectAll().where('album_id', '=', sql<number>`any(${ids})`).orderBy('track_id').execute(),
        (row) => row.album_id,
        options,
      ),
    ),
  };
}

export type CatalogLoaders = ReturnType<typeof createCatalogLoaders>;
