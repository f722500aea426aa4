import { createHash } from 'node:crypto';
import { type CacheEntry, type LruStore, type ResponseCacheStore, remainingSeconds } from '@tributary/cache';
import { ANONYMOUS, type Principal } from '@tributary/subgraph-runtime';
import { type DocumentNode, type ExecutionResult, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { sha256Hex } from '../persisted/sha256.js';
import type { ResponseCacheConfig } from './cache-config.js';
import type { CacheInvalidator } from './cache-invalidator.js';
import { requestKey, scopedKey } from './cache-key.js';
import type { CacheMetrics } from './cache-metrics.js';
import type { CachePolicy } from './cache-policy.js';
import { CSRF_HEADERS } from '../limits/use-csrf-guard.js';
import { type ResponseReads, addEntityIds, readResponse } from './response-tags.js';

/** Options of {@link useResponseCache}. */
export interface ResponseCacheOptions {
  config: ResponseCacheConfig;
  l1: LruStore;
  /** The shared tier; absent without `REDIS_URL`. */
  l2?: ResponseCacheStore;
  invalidator: CacheInvalidator;
  metrics: CacheMetrics;
  policy: () => CachePolicy;
  /** The verified principal of each request (filled by the identity plugin, which runs first). */
  principals: WeakMap<Request, Principal>;
  /** Requests with a larger body skip the cache (the body limit refuses them later). */
  maxBodyBytes: number;
  onError: (error: Error) => void;
}

interface RequestState {
  base: string;
  /** Yoga read the request differently, or the document is not cacheable: never store. */
  uncacheable?: boolean;
  principal: Principal;
  startedAt: number;
  mutation?: boolean;
  document?: DocumentNode;
  reads?: ResponseReads;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The whole-response cache, two tiers (PRODUCT.md, "Cache semantics").
 *
 * Hit path, in `onRequest` before anything GraphQL: the request's key (document hash,
 * operation name, canonical variables), looked up in the principal's scope then the public
 * one, L1 then L2; a hit answers the stored bytes with `ETag`, `Cache-Control` (remaining TTL;
 * `private` for private entries) and 304 on `If-None-Match`. No parse, validation or plan.
 * A request with `Cache-Control: no-cache` skips the lookup (and still refreshes the entry).
 *
 * Miss path: the document gets `_trid: id` on every entity (removed again before anyone sees
 * it), the result is walked for its tags, scope and TTL (`@cacheControl`), and a response
 * without errors, with a TTL above 0, whose tags were not invalidated while it executed, is
 * stored in both tiers. The bytes sent are the bytes stored. Mutations are never cached; their
 * response waits for the invalidation fence, so their author reads the new values.
 */
export function useResponseCache(options: ResponseCacheOptions): Plugin {
  const { config, l1, l2, invalidator, metrics } = options;
  const states = new WeakMap<Request, RequestState>();

  const keyOf = (params: KeyParams) => requestKey(`${options.policy().version}:${params.documentHash}`, params.operationName, params.variables);
  const respond = (entry: CacheEntry, request: Request, tier: string, fetchAPI: { Response: typeof Response }) => {
    const headers = cacheHeaders(entry, config.debug ? tier : undefined);
    if (matchesEtag(request, entry.etag)) return new fetchAPI.Response(null, { status: 304, headers });
    return new fetchAPI.Response(entry.body, { status: 200, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } });
  };

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/graphql' || (request.method !== 'GET' && request.method !== 'POST')) return;
      let state: RequestState;
      try {
        const params = await requestParams(request, url, options.maxBodyBytes);
        if (!params) return;
        const principal = options.principals.get(request) ?? ANONYMOUS;
        state = { base: keyOf(params), principal, startedAt: invalidator.startedAt() };
      } catch {
        return; // anything odd (variables nested past the stack): Yoga decides, uncached
      }
      states.set(request, state);
      // `Cache-Control: no-cache` from the client: answer from a fresh execution (and store it).
      // A request that CSRF prevention would refuse is left to it.
      if (!invalidator.isTrusting || /no-cache/i.test(request.headers.get('cache-control') ?? '') || !preflighted(request)) return;
      const principal = state.principal;
      const keys = principal.kind === 'anonymous' ? [scopedKey(state.base, 'public')] : [scopedKey(state.base, principal), scopedKey(state.base, 'public')];
      for (const key of keys) {
        const entry = await l1.get(key);
        if (entry) {
          metrics.lookups.inc({ tier: 'l1', result: 'hit' });
          return endResponse(respond(entry, request, 'hit-l1', fetchAPI));
        }
      }
      metrics.lookups.inc({ tier: 'l1', result: 'miss' });
      if (!l2) return;
      for (const key of keys) {
        const entry = await l2.get(key).catch((error: Error) => void options.onError(error));
        if (entry && invalidator.isFresh(entry.readAt, entry.tags)) {
          metrics.lookups.inc({ tier: 'l2', result: 'hit' });
          await l1.set(key, entry);
          return endResponse(respond(entry, request, 'hit-l2', fetchAPI));
        }
      }
      metrics.lookups.inc({ tier: 'l2', result: 'miss' });
    },

    onParams({ request, params }) {
      // Store only what Yoga read exactly as the lookup did: a request that parses one way here
      // and another way there (content types, URL fragments, empty queries) must not put one
      // answer under another request's key.
      const state = states.get(request);
      if (!state) return;
      try {
        const yoga = keyParamsOf(params as ParamsLike);
        if (!yoga || keyOf(yoga) !== state.base) state.uncacheable = true;
      } catch {
        state.uncacheable = true;
      }
    },

    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const state = request && states.get(request);
      if (!state) return undefined;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'mutation') {
        state.mutation = true;
        return undefined;
      }
      const withIds = operation?.operation === 'query' && !state.uncacheable ? addEntityIds(args.document, args.schema) : null;
      if (!withIds) {
        state.uncacheable = true;
        return undefined;
      }
      // The federation plugin, later in the list, plans and executes `args.document`.
      (args as { document: DocumentNode }).document = withIds;
      state.document = withIds;
      return {
        onExecuteDone({ result }) {
          const single = result as ExecutionResult;
          if (!single || typeof single !== 'object' || !('data' in single) || !single.data) return;
          state.reads = readResponse(single.data as Record<string, unknown>, state.document!, args.operationName, args.schema, options.policy());
        },
      };
    },

    async onResultProcess({ request, result, setResultProcessor }) {
      const state = states.get(request);
      if (!state) return;
      if (state.mutation) {
        await invalidator.fence();
        return;
      }
      if (!state.reads || state.uncacheable || Array.isArray(result)) return;
      const single = result as ExecutionResult;
      const maxAgeS = state.reads.maxAgeS ?? config.defaultMaxAgeS;
      const scope = state.reads.private ? 'private' : 'public';
      if (single.errors?.length || maxAgeS <= 0 || (scope === 'private' && state.principal.kind === 'anonymous')) {
        metrics.stores.inc({ outcome: 'uncacheable' });
        return;
      }
      const body = JSON.stringify(single);
      const entry: CacheEntry = { body, etag: etagOf(body), tags: [...state.reads.tags], scope, storedAt: Date.now(), readAt: state.startedAt, ttlMs: maxAgeS * 1000 };
      if (invalidator.isFresh(state.startedAt, entry.tags)) {
        const key = scopedKey(state.base, scope === 'public' ? 'public' : state.principal);
        await l1.set(key, entry);
        void l2?.set(key, entry).catch((error: Error) => options.onError(error));
        metrics.stores.inc({ outcome: 'stored' });
      } else {
        metrics.stores.inc({ outcome: 'stale' });
      }
      setResultProcessor(
        (_result, fetchAPI) => {
          const miss = new fetchAPI.Response(body, { status: 200, headers: { ...cacheHeaders(entry, config.debug ? 'miss' : undefined), 'content-type': 'application/json; charset=utf-8' } });
          return matchesEtag(request, entry.etag) ? new fetchAPI.Response(null, { status: 304, headers: cacheHeaders(entry) }) : miss;
        },
        'application/json',
      );
    },
  };
}

/**
 * `ETag`, `Cache-Control` (and, in debug, where the answer came from) for an entry. HTTP caches
 * cannot hear invalidations, so they must revalidate every time (`max-age=0, must-revalidate`),
 * which costs them a 304 from the hit path; the entry's remaining TTL travels as
 * `x-tributary-cache-ttl` (seconds) for those who want to know it.
 */
function cacheHeaders(entry: CacheEntry, debug?: string): Record<string, string> {
  const headers: Record<string, string> = {
    etag: entry.etag,
    'cache-control': `${entry.scope}, max-age=0, must-revalidate`,
    'x-tributary-cache-ttl': String(remainingSeconds(entry, Date.now())),
  };
  if (debug) headers['x-tributary-cache'] = debug;
  return headers;
}

/** `If-None-Match` per RFC 9110 §13.1.2: `*`, a list, weak comparison. */
function matchesEtag(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/** What CSRF prevention lets through without a preflight header: JSON bodies only. */
function preflighted(request: Request): boolean {
  if (CSRF_HEADERS.some((h) => request.headers.has(h))) return true;
  const type = firstMediaType(request);
  return request.method === 'POST' && (type === 'application/json' || type === 'application/graphql-response+json');
}

function firstMediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A strong ETag: the body's SHA-256, base64url. */
function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/** What the cache key is made of. */
interface KeyParams {
  documentHash: string;
  operationName?: string;
  variables?: unknown;
}

interface ParamsLike {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

/**
 * What the cache key needs from the request, read without disturbing Yoga (the body of a clone),
 * or `undefined` when the request is not a single, plainly cacheable GraphQL request: a POST
 * must be `application/json` with a `Content-Length` within the body limit (a chunked body is
 * not read here, so that no size limit is bypassed).
 */
async function requestParams(request: Request, url: URL, maxBodyBytes: number): Promise<KeyParams | undefined> {
  let params: ParamsLike;
  if (request.method === 'GET') {
    const search = url.searchParams;
    params = {
      query: search.get('query') ?? undefined,
      operationName: search.get('operationName') ?? undefined,
      variables: search.has('variables') ? JSON.parse(search.get('variables')!) : undefined,
      extensions: search.has('extensions') ? JSON.parse(search.get('extensions')!) : undefined,
      documentId: search.get('documentId') ?? undefined,
    };
  } else {
    const type = firstMediaType(request);
    if (type !== 'application/json' && type !== 'application/graphql-response+json') return undefined;
    const length = request.headers.get('content-length');
    if (length === null || !/^\d+$/.test(length) || Number(length) > maxBodyBytes) return undefined;
    params = await request.clone().json();
    if (!params || typeof params !== 'object' || Array.isArray(params)) return undefined;
  }
  return keyParamsOf(params);
}

/** The key inputs of a request's params (Yoga's or ours); `undefined` without a usable document hash. */
function keyParamsOf(params: ParamsLike): KeyParams | undefined {
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  const query = typeof params.query === 'string' && params.query !== '' ? params.query : undefined;
  const hash = query !== undefined ? sha256Hex(query) : typeof params.documentId === 'string' ? params.documentId.replace(/^sha256:/, '') : persisted;
  if (typeof hash !== 'string' || !SHA256_HEX.test(hash.toLowerCase())) return undefined;
  return { documentHash: hash.toLowerCase(), operationName: typeof params.operationName === 'string' ? params.operationName : undefined, variables: params.variables };
}
