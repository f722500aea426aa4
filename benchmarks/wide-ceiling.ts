/**
 * `pnpm bench:wide-ceiling`: the best hit rates any cache could reach on `mixed-wide`'s request
 * stream, with an unbounded cache and no writes (counts, not timings: the same on any machine):
 * - keyed by document and variables (the response cache), or by a root fetch's selection and
 *   variables (root fetches cached whole): the share of requests that repeat an earlier one;
 * - field cells (`ENTITY_CACHE_FIELDS`): the share whose root field was read before with the same
 *   arguments and each of whose tracks had each selected field read before, by any document.
 *   `topTracks` is taken as a fixed list (its order by sales is not read here); album pages list
 *   their tracks as the project's Chinook copy does.
 * Windows ending at 2,000 … 220,000 requests: `pnpm bench`'s mixed-wide measures the 8 s after a
 * 20 s warm-up, requests 5,000–7,000 at 250 req/s, 16,000–23,000 at 800 req/s, 22,000–31,000 at
 * 1,100 req/s; after `--mixed-wide-warmup 100` at 2,000 req/s, requests 200,000–216,000.
 *
 *   pnpm bench:wide-ceiling
 */
import { readFileSync } from 'node:fs';
import { CHINOOK_ROW_COUNTS, DEFAULT_CHINOOK_SQL, parseChinookInserts } from '@tributary/database';
import { createWideRequests } from './lib/wide-requests.js';

/** Request counts at which a window ends. */
const WINDOW_ENDS = [2_000, 5_000, 7_000, 10_000, 16_000, 23_000, 40_000, 60_000, 100_000, 150_000, 200_000, 220_000];
/** The extras that the catalog does not resolve (sales, playlists): a catalog root fetch leaves them out. */
const NOT_CATALOG = /purchaseCount|playlists \{ name \}/g;

/** Album id → its track ids, in the order the script inserts tracks (their ids). */
function albumTracks(): Map<number, number[]> {
  const albums = new Map<number, number[]>();
  let track = 0;
  for (const insert of parseChinookInserts(readFileSync(DEFAULT_CHINOOK_SQL, 'utf8'))) {
    if (insert.table !== 'track') continue;
    // Each row starts with the quoted name, then album_id: `(N'For Those About To Rock', 1, …)`.
    for (const row of insert.sql.matchAll(/\(\s*N?'(?:[^']|'')*'\s*,\s*(\d+)/g)) {
      track++;
      const album = Number(row[1]);
      albums.set(album, [...(albums.get(album) ?? []), track]);
    }
  }
  if (track !== CHINOOK_ROW_COUNTS.track) throw new Error(`read ${track} tracks from the Chinook script, expected ${CHINOOK_ROW_COUNTS.track}`);
  return albums;
}

/** What one request reads: its root field with arguments, and the fields it selects on each of its tracks. */
function reads(body: string, albums: Map<number, number[]>): { root: string; fields: string[] } {
  const { query, variables } = JSON.parse(body) as { query: string; variables: { id?: string; first?: number; after?: string | null } };
  const selected = /unitPrice ([^}]*?)(?: album \{| \} \})/.exec(query)?.[1] ?? '';
  const extras = [
    'unitPrice',
    ...selected
      .replace(/ \{ name \}/g, '')
      .split(' ')
      .filter(Boolean),
  ];
  let root: string;
  let tracks: number[];
  if (query.startsWith('query WideAlbum(')) {
    root = `album(${variables.id})`;
    tracks = albums.get(Number(variables.id)) ?? [];
  } else if (query.startsWith('query WideTrack(')) {
    root = `track(${variables.id})`;
    tracks = [Number(variables.id)];
    extras.push('album');
  } else if (query.startsWith('query WideTracks(')) {
    // The cursor is `encodeCursor('Query.tracks', key)`: base64url of `Query.tracks:<key>`.
    const after = variables.after ? Number(Buffer.from(variables.after, 'base64url').toString('utf8').split(':').pop()) : 0;
    root = `tracks(${variables.first}, ${after})`;
    tracks = Array.from({ length: variables.first! }, (_, k) => after + 1 + k);
  } else {
    root = `topTracks(${variables.first})`;
    tracks = Array.from({ length: variables.first! }, (_, k) => k + 1);
  }
  return { root, fields: tracks.flatMap((t) => extras.map((f) => `${t}.${f}`)) };
}

const albums = albumTracks();
const next = createWideRequests();
const requests = new Set<string>();
const rootFetches = new Set<string>();
const roots = new Set<string>();
const fields = new Set<string>();
let start = 0;
let repeated = { requests: 0, rootFetches: 0, cells: 0 };
for (let i = 1; i <= WINDOW_ENDS.at(-1)!; i++) {
  const body = next();
  const { query, variables } = JSON.parse(body) as { query: string; variables: unknown };
  const rootFetch = `${query.replace(NOT_CATALOG, '').replace(/\s+/g, ' ')}\n${JSON.stringify(variables)}`;
  const read = reads(body, albums);
  if (requests.has(body)) repeated.requests++;
  if (rootFetches.has(rootFetch)) repeated.rootFetches++;
  if (roots.has(read.root) && read.fields.every((f) => fields.has(f))) repeated.cells++;
  requests.add(body);
  rootFetches.add(rootFetch);
  roots.add(read.root);
  for (const f of read.fields) fields.add(f);
  if (WINDOW_ENDS.includes(i)) {
    const n = i - start;
    const pct = (k: number) => `${((100 * k) / n).toFixed(1)} %`;
    console.log(
      `requests ${start + 1}–${i}: same request seen before ${pct(repeated.requests)}, same catalog root fetch seen before ${pct(repeated.rootFetches)}, answerable from field cells ${pct(repeated.cells)} (distinct requests so far ${requests.size})`,
    );
    start = i;
    repeated = { requests: 0, rootFetches: 0, cells: 0 };
  }
}
