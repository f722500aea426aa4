import type { PlaylistTable } from '@tributary/database';
import type { Connection } from '@tributary/runtime';
import type { Selectable } from 'kysely';

/** Parent types of the playlists subgraph's resolvers. */
export type PlaylistRow = Selectable<PlaylistTable>;
/** A track that playlists only knows by key (its fields live in the catalog). */
export interface TrackRef {
  track_id: number;
}
export type TrackConnectionParent = Connection<TrackRef>;
export type PlaylistConnectionParent = Connection<PlaylistRow>;
