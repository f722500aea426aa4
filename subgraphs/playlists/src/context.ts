import type { Database } from '@tributary/database';
import type { SubgraphContext } from '@tributary/runtime';
import type { PlaylistsLoaders } from './loaders.js';

/** The playlists subgraph's per-request context. */
export type Context = SubgraphContext<Database, PlaylistsLoaders>;
