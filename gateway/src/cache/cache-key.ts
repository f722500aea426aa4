import { type Principal, principalSubject } from '@tributary/runtime';
import { sha256Hex } from '../persisted/sha256.js';

/**
 * The variables as a key: variable names in sorted order, each value exactly as sent. Values are
 * not reordered: a custom scalar (`JSON`) can pass a value through to the answer, where the
 * order of its keys is part of the bytes; input objects are coerced in their type's field order,
 * so for them a reordering only costs a separate entry, never a different answer.
 *
 * @example
 * variablesKey({ b: 1, a: { y: 1, x: 2 } }) // '{"a":{"y":1,"x":2},"b":1}'
 */
export function variablesKey(variables: unknown): string {
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return JSON.stringify(variables ?? {}) ?? '{}';
  // Names already in order (`{"__typename":…,"id":…}`, as representations come): `JSON.stringify`
  // writes them in that order and skips undefined values, so the text is the same without a sort.
  if (namesInOrder(variables as Record<string, unknown>)) return JSON.stringify(variables);
  const entries = Object.entries(variables as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}

/** Whether a plain object's own names come in sorted order (no value a function or symbol) (then `JSON.stringify` writes them sorted). */
function namesInOrder(object: Record<string, unknown>): boolean {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) return false; // `Object.create(null)`: the gateway's representations
  let previous: string | undefined;
  for (const name in object) {
    if (previous !== undefined && !(previous < name)) return false;
    const value = object[name];
    if (typeof value === 'function' || typeof value === 'symbol') return false;
    previous = name;
  }
  return true;
}

/**
 * The cache key of a request without its scope: SHA-256 of the document's hash (a persisted
 * hash, or the SHA-256 of the document text, which is the same for one document), the operation
 * name and the variables ({@link variablesKey}).
 *
 * @example
 * requestKey('5d9…', 'AlbumPage', { id: '4', first: 2 }) === requestKey('5d9…', 'AlbumPage', { first: 2, id: '4' })
 */
export function requestKey(documentHash: string, operationName: string | null | undefined, variables: unknown): string {
  return sha256Hex(`${documentHash}\n${operationName ?? ''}\n${variablesKey(variables)}`);
}

/** A key in the public scope (`public:<key>`) or a principal's (`customer:5:<key>`). */
export function scopedKey(key: string, scope: 'public' | Principal): string {
  return scope === 'public' ? `public:${key}` : `${principalSubject(scope)}:${key}`;
}
