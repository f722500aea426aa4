import { sha256Hex } from '@tributary/gateway';

/** One request shape that autocannon repeats. */
export interface BenchRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** A load scenario: the request, what to send once before measuring, and what it needs. */
export interface Scenario {
  name: string;
  description: string;
  /** The request measured. */
  request(system: string): BenchRequest;
  /** Requests sent once before measuring (APQ registration, cache priming). */
  prime?(system: string): BenchRequest[];
}

const json = { 'content-type': 'application/json' };
/** Uncached scenarios ask for a fresh execution from systems that cache. */
const fresh = { ...json, 'cache-control': 'no-cache' };

const DEEP = `query Deep { artists(first: 10) { nodes { name albums { title tracks { name genre { name } mediaType { name } purchaseCount playlists { name } } } } } }`;
const ALBUM_PAGE = `query AlbumPage($id: ID!) { album(id: $id) { id title artist { id name } tracks { id name composer milliseconds unitPrice genre { id name } mediaType { name } purchaseCount playlists { id name } } } }`;
const NPLUS1 = `query NPlusOne($n: Int!) { albums(first: $n) { nodes { title tracks { name genre { name } purchaseCount } } } }`;

/** Systems without automatic persisted queries out of the box get the document itself. */
const withoutApq = (system: string) => system.startsWith('hive-gateway') || system === 'yoga-envelop-cache';

/** The album page as a persisted query: hash only, after one registration. */
const hot: Scenario = {
  name: 'hot',
  description: 'a persisted album page (APQ hash only; the document for systems without APQ) requested again and again',
  request: (system) =>
    withoutApq(system)
      ? { method: 'POST', headers: json, body: JSON.stringify({ query: ALBUM_PAGE, variables: { id: '4' } }) }
      : { method: 'POST', headers: json, body: JSON.stringify({ variables: { id: '4' }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(ALBUM_PAGE) } } }) },
  prime: (system) =>
    withoutApq(system)
      ? []
      : [{ method: 'POST', headers: json, body: JSON.stringify({ query: ALBUM_PAGE, variables: { id: '4' }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(ALBUM_PAGE) } } }) }],
};

/** Every scenario, by name; `nplus1-<n>` for list sizes 1, 10 and 100 albums. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'deep',
    description: 'artists → albums → tracks → genre, media type, playlists, purchase counts; uncached',
    request: () => ({ method: 'POST', headers: fresh, body: JSON.stringify({ query: DEEP }) }),
  },
  hot,
  ...[1, 10, 100].map<Scenario>((n) => ({
    name: `nplus1-${n}`,
    description: `${n} albums with their tracks, genres and purchase counts; uncached`,
    request: () => ({ method: 'POST', headers: fresh, body: JSON.stringify({ query: NPLUS1, variables: { n } }) }),
  })),
];

/** The exact bytes the `bare` ceiling serves for `hot`. */
export const HOT_BODY_QUERY = { query: ALBUM_PAGE, variables: { id: '4' } };
