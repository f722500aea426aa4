import type { Database } from '@tributary/database';
import { type LoaderOptions, type LoaderRegistry, createTableLoaders } from '@tributary/runtime';
import type { Kysely } from 'kysely';

/**
 * The catalog's DataLoaders, made per request. Each batch is one statement:
 * `select * from "catalog"."track" where "track_id" = any($1)` with all the batch's keys.
 */
export function createCatalogLoaders(db: Kysely<Database>, registry: LoaderRegistry, options: LoaderOptions = {}) {
  const tables = createTableLoaders(db, registry, options);
  return {
    artist: tables.rowByKey('catalog.artist', 'artist_id'),
    album: tables.rowByKey('catalog.album', 'album_id'),
    track: tables.rowByKey('catalog.track', 'track_id'),
    genre: tables.rowByKey('catalog.genre', 'genre_id'),
    mediaType: tables.rowByKey('catalog.media_type', 'media_type_id'),
    albumsByArtist: tables.rowsByKey('catalog.album', 'artist_id', 'album_id'),
    tracksByAlbum: tables.rowsByKey('catalog.track', 'album_id', 'track_id'),
  };
}

export type CatalogLoaders = ReturnType<typeof createCatalogLoaders>;
