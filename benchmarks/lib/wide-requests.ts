import { encodeCursor } from '@tributary/runtime';
import { createZipf } from './zipf.js';

/** Extra track fields the documents of `mixed-wide` vary over (each combination is another document). */
const TRACK_EXTRAS = ['name', 'composer', 'milliseconds', 'bytes', 'genre { name }', 'purchaseCount', 'playlists { name }', 'mediaType { name }'];
/** Page sizes of the list documents. */
const PAGE_SIZES = [5, 10, 20, 50];

/** The extras of variant `v` (a bitmask over {@link TRACK_EXTRAS}, at most three of them). */
function extras(v: number): string {
  return TRACK_EXTRAS.filter((_, i) => (v >> i) & 1).join(' ');
}

/**
 * The requests of `mixed-wide`: Zipf-distributed pages over many documents and page sizes, so
 * that whole responses rarely repeat while the entities inside them do. Documents: album pages,
 * track pages, track lists (`tracks(first, after)`) and `topTracks(first)`, each in 32 field
 * variants; every one shows `id` and `unitPrice` of the tracks it lists (for the stale check).
 * Deterministic for a seed.
 *
 * @returns a function giving the next request body (JSON text).
 */
export function createWideRequests(seed = 13): () => string {
  const variants = Array.from({ length: 256 }, (_, v) => v)
    .filter((v) => v.toString(2).replace(/0/g, '').length <= 3)
    .slice(0, 32);
  const variant = createZipf(variants.length, 1, seed);
  const album = createZipf(347, 1, seed + 1);
  const track = createZipf(3503, 1, seed + 2);
  const offset = createZipf(3400, 1.1, seed + 3);
  const size = createZipf(PAGE_SIZES.length, 1, seed + 4);
  const kind = createZipf(4, 0.5, seed + 5);
  return () => {
    const fields = extras(variants[variant() - 1]!);
    switch (kind()) {
      case 1:
        return JSON.stringify({ query: `query WideAlbum($id: ID!) { album(id: $id) { id title tracks { id unitPrice ${fields} } } }`, variables: { id: String(album()) } });
      case 2:
        return JSON.stringify({ query: `query WideTrack($id: ID!) { track(id: $id) { id unitPrice ${fields} album { title } } }`, variables: { id: String(track()) } });
      case 3: {
        const after = offset() - 1;
        return JSON.stringify({
          query: `query WideTracks($first: Int!, $after: String) { tracks(first: $first, after: $after) { nodes { id unitPrice ${fields} } } }`,
          variables: { first: PAGE_SIZES[size() - 1], after: after > 0 ? encodeCursor('Query.tracks', after) : null },
        });
      }
      default:
        return JSON.stringify({ query: `query WideTop($first: Int!) { topTracks(first: $first) { id unitPrice ${fields} } }`, variables: { first: PAGE_SIZES[size() - 1] } });
    }
  };
}
