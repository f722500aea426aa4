import type { PersistedOperationsMode } from '../front-door-config.js';
import { sha256Hex } from './sha256.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The parameters of a GraphQL request that decide how it is persisted (Yoga's params, plus `documentId`). */
export interface PersistedParams {
  query?: unknown;
  extensions?: unknown;
  /** A trusted document's id, `sha256:<hex>` or `<hex>` (POST body, or GET query string). */
  documentId?: unknown;
}

/**
 * What the persisted-operation rules make of a request, decided in one place for the executing
 * path ({@link usePersistedOperations}) and the cache's hit path, so that a hit is never served
 * to a request that the executing path would refuse:
 * - `refuse`: answered with this error, nothing executed;
 * - `document`: the request carries its document (`hash` is its SHA-256); `register` when APQ
 *   should remember it;
 * - `hash`: only a hash; `trusted` is the manifest's document, else the APQ store must know it
 *   (`allow` mode), else `PERSISTED_QUERY_NOT_FOUND`;
 * - `none`: neither document nor hash (Yoga answers "Must provide query string").
 */
export type PersistedDecision =
  | { kind: 'refuse'; code: string; message: string; status: number }
  | { kind: 'document'; query: string; hash: string; register: boolean }
  | { kind: 'hash'; hash: string; trusted: string | undefined }
  | { kind: 'none' };

/**
 * Decides a request by Apollo's APQ protocol (`extensions.persistedQuery = { version: 1,
 * sha256Hash }`) and trusted documents (that extension, or `documentId`) under `mode`.
 */
export function decidePersisted(params: PersistedParams, mode: PersistedOperationsMode, trusted: ReadonlyMap<string, string>): PersistedDecision {
  const extension = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  const rawHash = typeof params.documentId === 'string' ? params.documentId.replace(/^sha256:/, '') : extension?.sha256Hash;
  if (extension && extension.version !== 1) return refuse('PERSISTED_QUERY_VERSION_NOT_SUPPORTED', 'Persisted query version not supported; use version 1', 400);
  const hash = typeof rawHash === 'string' ? rawHash.toLowerCase() : undefined;
  const query = typeof params.query === 'string' ? params.query : undefined;
  if (query !== undefined) {
    const queryHash = sha256Hex(query);
    if (hash !== undefined && mode !== 'off' && queryHash !== hash) return refuse('PERSISTED_QUERY_MISMATCH', 'Provided sha256Hash does not match the query', 400);
    if (mode === 'only' && !trusted.has(queryHash)) return refuse('PERSISTED_QUERY_NOT_ALLOWED', 'Only persisted operations are allowed', 400);
    return { kind: 'document', query, hash: queryHash, register: mode === 'allow' && hash !== undefined && !trusted.has(hash) };
  }
  if (rawHash === undefined) return { kind: 'none' };
  if (mode === 'off') return refuse('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported', 200);
  const valid = hash !== undefined && SHA256_HEX.test(hash);
  const document = valid ? trusted.get(hash) : undefined;
  if (document === undefined && (mode === 'only' || !valid)) {
    return mode === 'only' ? refuse('PERSISTED_QUERY_NOT_ALLOWED', 'Only persisted operations are allowed', 400) : notFound();
  }
  return { kind: 'hash', hash: hash!, trusted: document };
}

/** The answer to a hash that no manifest and no APQ store knows (Apollo Client then sends the document). */
export function notFound(): PersistedDecision & { kind: 'refuse' } {
  return refuse('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', 200);
}

function refuse(code: string, message: string, status: number): PersistedDecision & { kind: 'refuse' } {
  return { kind: 'refuse', code, message, status };
}

/**
 * `documentId` of a request: Yoga's params carry it for POST bodies (`extraParamNames`), but
 * its GET parser reads only the four standard parameters, so for GET it comes from the URL.
 */
export function documentIdOf(params: { documentId?: unknown }, request: Request): unknown {
  if (params.documentId !== undefined || request.method !== 'GET') return params.documentId;
  const search = request.url.indexOf('?');
  return search < 0 ? undefined : (new URLSearchParams(request.url.slice(search + 1)).get('documentId') ?? undefined);
}
