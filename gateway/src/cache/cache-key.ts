import { type Principal, principalSubject } from '@tributary/subgraph-runtime';
import { sha256Hex } from '../persisted/sha256.js';

/** JSON with object keys sorted at every depth, so that `{a,b}` and `{b,a}` give one key. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The cache key of a request without its scope: SHA-256 of the document's hash (a persisted
 * hash, or the SHA-256 of the document text, which is the same for one document), the operation
 * name and the variables in canonical order.
 *
 * @example
 * requestKey('5d9…', 'AlbumPage', { id: '4' }) === requestKey('5d9…', 'AlbumPage', { id: '4' })
 */
export function requestKey(documentHash: string, operationName: string | null | undefined, variables: unknown): string {
  return sha256Hex(`${documentHash}\n${operationName ?? ''}\n${canonicalJson(variables ?? {})}`);
}

/** A key in the public scope (`public:<key>`) or a principal's (`customer:5:<key>`). */
export function scopedKey(key: string, scope: 'public' | Principal): string {
  return scope === 'public' ? `public:${key}` : `${principalSubject(scope)}:${key}`;
}
