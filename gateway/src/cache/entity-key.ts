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
  const canonical = typenameAndId(representation) ?? variablesKey(representation);
  return canonical.length <= MAX_INLINE_REPRESENTATION_CHARS ? `${fetch}:${canonical}` : `${fetch}#${sha256Hex(canonical)}`;
}

/** Plain data: an object literal, or `Object.create(null)` (as the gateway builds representations). */
function isPlain(object: object): boolean {
  const prototype = Object.getPrototypeOf(object);
  return prototype === Object.prototype || prototype === null;
}

/** The canonical text of the commonest representation, `{ __typename, id }` with string values (as `variablesKey` writes it), else undefined. */
function typenameAndId(representation: unknown): string | undefined {
  if (representation === null || typeof representation !== 'object') return undefined;
  const { __typename, id } = representation as { __typename?: unknown; id?: unknown };
  if (typeof __typename !== 'string' || typeof id !== 'string') return undefined;
  let names = 0;
  for (const _ in representation) names++;
  return names === 2 && isPlain(representation) ? `{"__typename":${JSON.stringify(__typename)},"id":${JSON.stringify(id)}}` : undefined;
}
