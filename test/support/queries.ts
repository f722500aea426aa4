/** Queries and the exact Chinook values they return, shared by the Postgres and embedded suites. */

/** The deep album page: albums with their artist, tracks, genres, media types, playlists and purchase counts. */
export const DEEP_ALBUMS = `query DeepAlbums($first: Int!) {
  albums(first: $first) {
    nodes {
      id title
      artist { name }
      tracks { id name genre { name } mediaType { name } purchaseCount playlists { name } }
    }
  }
}`;

/**
 * The fewest statements this query plan allows: the plan has three fetches (catalog, then sales
 * and playlists with the tracks' representations); each fetch needs one statement per root field
 * and per level of related rows it resolves.
 * - catalog: albums page, artists, tracks of the albums, genres, media types = 5
 * - sales: purchase counts of the tracks = 1
 * - playlists: playlists of the tracks = 1
 */
export const DEEP_ALBUMS_MINIMUM = { catalog: 5, customers: 0, sales: 1, playlists: 1 };

/** The album-4 query of both suites: "Let There Be Rock" by AC/DC with everything around it. */
export const ALBUM_4 = `{
  album(id: "4") {
    id title
    artist { id name albums { title } }
    tracks { id name composer milliseconds bytes unitPrice genre { name } mediaType { name } purchaseCount playlists { id name } }
  }
}`;

const musicPlaylists = [
  { id: '1', name: 'Music' },
  { id: '8', name: 'Music' },
];
const track = (id: string, name: string, milliseconds: number, bytes: number, purchaseCount: number) => ({
  id,
  name,
  composer: 'AC/DC',
  milliseconds,
  bytes,
  unitPrice: '0.99',
  genre: { name: 'Rock' },
  mediaType: { name: 'MPEG audio file' },
  purchaseCount,
  playlists: musicPlaylists,
});

/** What {@link ALBUM_4} returns from an unchanged Chinook. */
export const ALBUM_4_RESULT = {
  album: {
    id: '4',
    title: 'Let There Be Rock',
    artist: { id: '1', name: 'AC/DC', albums: [{ title: 'For Those About To Rock We Salute You' }, { title: 'Let There Be Rock' }] },
    tracks: [
      track('15', 'Go Down', 331180, 10847611, 1),
      track('16', 'Dog Eat Dog', 215196, 7032162, 1),
      track('17', 'Let There Be Rock', 366654, 12021261, 0),
      track('18', 'Bad Boy Boogie', 267728, 8776140, 0),
      track('19', 'Problem Child', 325041, 10617116, 1),
      track('20', 'Overdose', 369319, 12066294, 2),
      track('21', "Hell Ain't A Bad Place To Be", 254380, 8331286, 1),
      track('22', 'Whole Lotta Rosie', 323761, 10547154, 0),
    ],
  },
};
