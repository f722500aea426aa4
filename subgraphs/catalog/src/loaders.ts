import type { Database } from '@tributary/database';
import { type LoaderOptions, createGroupLoader, createRowLoader } from '@tributary/subgraph-runtime';
import { type Kysely, sql } from 'kysely';

/**
 * The catalog's DataLoaders, made per request. Each batch is one statement:
 * `select * from "catalog"."track" where "track_id" = any($1)` with all the batch's keys.
 */
export function createCatalogLoaders(db: Kysely<Database>, options: LoaderOptions = {}) {
  return {
    artist: createRowLoader(
      (ids) => db.selectFrom('catalog.artist').selectAll().where('artist_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.artist_id,
      options,
    ),
    album: createRowLoader(
      (ids) => db.selectFrom('catalog.album').selectAll().where('album_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.album_id,
      options,
    ),
    track: createRowLoader(
      (ids) => db.selectFrom('catalog.track').selectAll().where('track_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.track_id,
      options,
    ),
    genre: createRowLoader(
      (ids) => db.selectFrom('catalog.genre').selectAll().where('genre_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.genre_id,
      options,
    ),
    mediaType: createRowLoader(
      (ids) => db.selectFrom('catalog.media_type').selectAll().where('media_type_id', '=', sql<number>`any(${ids})`).execute(),
      (row) => row.media_type_id,
      options,
    ),
    albumsByArtist: createGroupLoader(
      (ids) => db.selectFrom('catalog.album').selectAll().where('artist_id', '=', sql<number>`any(${ids})`).orderBy('album_id').execute(),
      (row) => row.artist_id,
      options,
    ),
    tracksByAlbum: createGroupLoader(
      (ids) => db.selectFrom('catalog.track').selectAll().where('album_id', '=', sql<number>`any(${ids})`).orderBy('track_id').execute(),
      (row) => row.album_id,
      options,
    ),
  };
}

export type CatalogLoaders = ReturnType<typeof createCatalogLoaders>;
