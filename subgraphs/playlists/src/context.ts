import type { Database } from '@tributary/database';
import type { Principal, SubgraphRequestContext } from '@tributary/subgraph-runtime';
import type { Kysely } from 'kysely';
import { type PlaylistsLoaders, createPlaylistsLoaders } from './loaders.js';

/** The playlists subgraph's per-request context. */
export interface Context {
  db: Kysely<Database>;
  loaders: PlaylistsLoaders;
  /** Who is calling, as the gateway verified it. */
  principal: Principal;
}

/** The context of one request: its own loaders, registered so that its writes clear them. */
export function createContext({ db, loaderOptions, loaderRegistry, principal }: SubgraphRequestContext): Context {
  return { db, loaders: createPlaylistsLoaders(db, loaderRegistry, loaderOptions), principal };
}
