import { sha256Hex } from '../persisted/sha256.js';
import { variablesKey } from './cache-key.js';
import type { FetchAnalysis } from './entity-fetch.js';

/** Canonical representations longer than this (characters) are hashed into the key instead of written into it. */
export const MAX_INLINE_REPRESENTATION_CHARS = 256;

/** The key of fetches without variables besides `representations`, per analysis (one per fetch and supergraph version). */
const plainFetchKeys = new WeakMap<FetchAnalysis, { version: string; subgraph: string; key: string }>();

/**
 * The entity-cache key shared by the items of one fetch: SHA-256 (hex) of the supergraph version,
 * the subgraph, the fetch's normalised selection hash and its variables other than
 * `representations` ({@link variablesKey}). A fetch without such variables (most entity fetches)
 * gets it from a memo per {@link FetchAnalysis}: no hashing per request.
 *
 * @example
 * fetchKey('v1', 'sales', analysis, { representations: [...] }) // '3f0c…' (64 hex), the same at every request
 */
export function fetchKey(version: string, subgraph: string, analysis: FetchAnalysis, variables: Record<string, unknown>): string {
  let plain = true;
  for (const name in variables) {
    if (name !== 'representations' && variables[name] !== undefined) {
      plain = false;
      break;
    }
  }
  if (plain) {
    const known = plainFetchKeys.get(analysis);
    if (known && known.version === version && known.subgraph === subgraph) return known.key;
  }
  const { representations: _r, ...others } = variables;
  const key = sha256Hex(`${version}\n${subgraph}\n${analysis.selectionHash}\n${variablesKey(others)}`);
  if (plain) plainFetchKeys.set(analysis, { version, subgraph, key });
  return key;
}

/**
 * The key of one representation of an entity fetch (without scope): the fetch's key and the
 * representation in canonical form ({@link variablesKey}: keys sorted), written out when short
 * (no hashing per representation), else its SHA-256.
 *
 * @example
 * representationKey('3f0c…', { id: '42', __typename: 'Track' }) // '3f0c…:{"__typename":"Track","id":"42"}'
 */
export function representationKey(fetch: string, representation: unknown): string {
  return keyOf(fetch, typenameAndId(representation) ?? variablesKey(representation));
}

/** The keys of one representation: without scope ({@link representationKey}) and in the public scope (`public:<key>`). */
export interface RepresentationKeys {
  key: string;
  public: string;
}

/** Interned keys kept per generation of {@link representationKeys} (two generations: at most twice this many). */
export const INTERNED_REPRESENTATION_KEYS = 20_000;

/** `{ __typename, id }` representations' keys by fetch key, then `__typename`, then id: this generation's and the previous one's. */
let current = new Map<string, Map<string, Map<string, RepresentationKeys>>>();
let previous = new Map<string, Map<string, Map<string, RepresentationKeys>>>();
let currentSize = 0;

/**
 * {@link representationKey} and its public-scope form, the same string objects at every request
 * for a `{ __typename, id }` representation seen lately whose key is written out, not hashed (two generations of
 * {@link INTERNED_REPRESENTATION_KEYS}): the L1 lookup of a key whose hash V8 has computed
 * once costs a few tens of nanoseconds, where building and hashing the ~110 characters again
 * costs ten times that, per representation of every entity fetch.
 *
 * @example
 * representationKeys('3f0c…', { __typename: 'Track', id: '42' })
 * // { key: '3f0c…:{"__typename":"Track","id":"42"}', public: 'public:3f0c…:{"__typename":"Track","id":"42"}' }
 */
export function representationKeys(fetch: string, representation: unknown): RepresentationKeys {
  if (!isTypenameAndId(representation)) {
    const key = representationKey(fetch, representation);
    return { key, public: `public:${key}` };
  }
  const { __typename, id } = representation;
  // A key this long is hashed anyway: interning it would keep the whole id (up to the body limit) for a 64-hex key.
  if (__typename.length + id.length > MAX_INLINE_REPRESENTATION_CHARS) return newKeys(fetch, __typename, id);
  const known = current.get(fetch)?.get(__typename)?.get(id);
  if (known) return known;
  const keys = previous.get(fetch)?.get(__typename)?.get(id) ?? newKeys(fetch, __typename, id);
  if (currentSize >= INTERNED_REPRESENTATION_KEYS) {
    previous = current;
    current = new Map();
    currentSize = 0;
  }
  let byType = current.get(fetch);
  if (!byType) current.set(fetch, (byType = new Map()));
  let byId = byType.get(__typename);
  if (!byId) byType.set(__typename, (byId = new Map()));
  byId.set(id, keys);
  currentSize++;
  return keys;
}

function newKeys(fetch: string, typename: string, id: string): RepresentationKeys {
  const key = keyOf(fetch, canonicalTypenameAndId(typename, id));
  return { key, public: `public:${key}` };
}

function keyOf(fetch: string, canonical: string): string {
  return canonical.length <= MAX_INLINE_REPRESENTATION_CHARS ? `${fetch}:${canonical}` : `${fetch}#${sha256Hex(canonical)}`;
}

/** Plain data: an object literal, or `Object.create(null)` (as the gateway builds representations). */
function isPlain(object: object): boolean {
  const prototype = Object.getPrototypeOf(object);
  return prototype === Object.prototype || prototype === null;
}

/** Whether a representation is the commonest kind: plain, with exactly `__typename` and `id`, both strings. */
function isTypenameAndId(representation: unknown): representation is { __typename: string; id: string } {
  if (representation === null || typeof representation !== 'object') return false;
  const { __typename, id } = representation as { __typename?: unknown; id?: unknown };
  if (typeof __typename !== 'string' || typeof id !== 'string') return false;
  let names = 0;
  for (const _ in representation) names++;
  return names === 2 && isPlain(representation);
}

/** The canonical text of a `{ __typename, id }` representation with string values (as `variablesKey` writes it), else undefined. */
function typenameAndId(representation: unknown): string | undefined {
  return isTypenameAndId(representation) ? canonicalTypenameAndId(representation.__typename, representation.id) : undefined;
}

/** `{"__typename":…,"id":…}`, as `variablesKey` writes such a representation (names in order). */
function canonicalTypenameAndId(typename: string, id: string): string {
  return `{"__typename":${JSON.stringify(typename)},"id":${JSON.stringify(id)}}`;
}
