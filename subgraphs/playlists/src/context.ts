import type { Database } from '@tributary/database';
import type { LoaderOptions } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type PlaylistsLoaders, createPlaylistsLoaders } from './loaders.js';

/** The playlists subgraph's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: PlaylistsLoaders;
}

export function createContext(db: Kysely<Database>, options: LoaderOptions): Context {
  return { db, loaders: createPlaylistsLoaders(db, options) };
}
