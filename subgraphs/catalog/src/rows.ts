import type { AlbumTable, ArtistTable, GenreTable, MediaTypeTable, TrackTable } from '@tributary/database';
import type { Connection } from '@tributary/runtime';
import type { Selectable } from 'kysely';

/** Parent types of the catalog's resolvers: rows as Kysely reads them. */
export type ArtistRow = Selectable<ArtistTable>;
export type AlbumRow = Selectable<AlbumTable>;
export type TrackRow = Selectable<TrackTable>;
export type GenreRow = Selectable<GenreTable>;
export type MediaTypeRow = Selectable<MediaTypeTable>;
export type ArtistConnectionParent = Connection<ArtistRow>;
export type AlbumConnectionParent = Connection<AlbumRow>;
export type TrackConnectionParent = Connection<TrackRow>;
