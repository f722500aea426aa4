/**
 * The storefront's requests whose SQL `pnpm bench:explain` explains and `test/scale-plans.test.ts`
 * checks at scale: the deep artist pages, the album list, tracks by genre with top tracks,
 * customers with invoices (as a manager: they need a token), playlists with their tracks, and the
 * documents of the `deep`, `hot`, `nplus1` and `mixed` benchmark scenarios. Every root field that
 * reads a table a scaled copy grows, and every loader, is reached by at least one of them.
 */
export const STOREFRONT_REQUESTS: ReadonlyArray<{ query: string; variables?: Record<string, unknown> }> = [
  { query: '{ artists(first: 10) { nodes { name albums { title tracks { name genre { name } mediaType { name } purchaseCount playlists { name } } } } } }' },
  { query: '{ albums(first: 100) { totalCount nodes { title artist { name } tracks { name } } } }' },
  {
    query:
      '{ tracks(first: 20, genreId: "1") { totalCount nodes { name } } topTracks(first: 10) { name } topTracks2: topTracks(first: 5, genreId: "3") { name } rare: topTracks(first: 5, genreId: "25") { name } }',
  },
  {
    query:
      '{ customers(first: 20, country: "Brazil") { totalCount nodes { email supportRep { firstName customers { id } reports { id } } invoices(first: 5) { totalCount nodes { total lines { track { name } } } } totalSpent } } }',
  },
  { query: '{ playlists { totalCount nodes { name trackCount tracks(first: 20) { totalCount nodes { name } } } } invoice(id: "10") { total } employees { reportsTo { firstName } } }' },
  {
    query:
      '{ artist(id: "1") { name } album(id: "4") { title } track(id: "1") { name } genre(id: "1") { name } genres { name } customer(id: "5") { firstName } employee(id: "2") { title } playlist(id: "1") { name } }',
  },
  {
    query:
      'query AlbumPage($id: ID!) { album(id: $id) { id title artist { id name } tracks { id name composer milliseconds unitPrice genre { id name } mediaType { name } purchaseCount playlists { id name } } } }',
    variables: { id: '4' },
  },
  { query: 'query NPlusOne($n: Int!) { albums(first: $n) { nodes { title tracks { name genre { name } purchaseCount } } } }', variables: { n: 100 } },
  { query: 'query TrackPage($id: ID!) { track(id: $id) { id name unitPrice album { title } } }', variables: { id: '7' } },
];
