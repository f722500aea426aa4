import { createHash } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import { type CacheEntry, type TieredStore, remainingSeconds } from '@tributary/cache';
import { ANONYMOUS, type Principal, principalSubject } from '@tributary/runtime';
import { type ExecutionResult, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ResponseCacheConfig } from './cache-config.js';
import type { CacheInvalidator } from './cache-invalidator.js';
import { requestKey, scopedKey } from './cache-key.js';
import type { CacheMetrics } from './cache-metrics.js';
import type { CachePolicy } from './cache-policy.js';
import { CSRF_HEADERS } from '../limits/use-csrf-guard.js';
import { FetchRecorder, type FetchRecorders } from './fetch-recorder.js';
import { entryTags } from './fetch-tagging.js';
import { regularMediaType } from './media-type.js';
import type { PersistedOperationsMode } from '../front-door-config.js';
import { decidePersisted, documentIdOf } from '../persisted/persisted-request.js';

/** Options of {@link useResponseCache}. */
export interface ResponseCacheOptions {
  /** `RESPONSE_CACHE`, `CACHE_*` (see `ResponseCacheConfig` for each default). */
  config: ResponseCacheConfig;
  /** The response store: L1, and L2 when configured (`REDIS_URL`); reports its own L2 failures. */
  store: TieredStore<CacheEntry>;
  /** Applies change events to both tiers and says whether a response may be stored (`isFresh`). */
  invalidator: CacheInvalidator;
  /** The cache's series in `/metrics` (`tributary_cache_*`). */
  metrics: CacheMetrics;
  /** The current supergraph's cache policy (max ages, private fields, lists of each type); changes with the supergraph. */
  policy: () => CachePolicy;
  /** The verified principal of each request (filled by the identity plugin, which runs first). */
  principals: WeakMap<Request, Principal>;
  /** Requests with a larger body skip the cache (the body limit refuses them later). */
  maxBodyBytes: number;
  /** Where the subgraph fetches of each executing query record what they read (see `withFetchTagging`). */
  recorders: FetchRecorders;
  /**
   * The persisted-operation rules of this instance: a hit is served only to a request that they
   * accept, exactly as the executing path would.
   */
  persisted: {
    mode: PersistedOperationsMode;
    trusted: ReadonlyMap<string, string>;
    isRegistered(hash: string): Promise<boolean>;
    /**
     * Whether `isRegistered(hash)` is known to be true without waiting (the document is in this
     * process's APQ tier): the hit path then answers synchronously. `false` means "ask `isRegistered`".
     */
    isRegisteredHere?(hash: string): boolean;
    /**
     * Registers an APQ document (document and hash sent together, `allow` mode) as the executing
     * path would: a hit for such a request must register it too, else the hash alone stays
     * `PERSISTED_QUERY_NOT_FOUND` for as long as the document is cached. Must not throw.
     */
    register(hash: string, document: string): Promise<void>;
  };
  /**
   * A digest of every setting of this instance that can refuse a document (limits,
   * introspection, persisted mode): part of every key, so that an entry stored by an instance
   * with other settings (through the shared L2) is never served here.
   */
  refusalProfile: string;
  /** The operation name of each request answered from the cache, for the request metrics. */
  hitOperations: WeakMap<Request, string>;
}

interface RequestState {
  base: string;
  /** Yoga read the request differently, or the document is not cacheable: never store. */
  uncacheable?: boolean;
  principal: Principal;
  startedAt: number;
  /** The media type Yoga answers this request's `Accept` with; undefined: a streamed or refused one (never cached). */
  mediaType: ReturnType<typeof regularMediaType>;
  mutation?: boolean;
  recorder?: FetchRecorder;
  /** Why an executed response was not stored (debug header). */
  notStored?: string;
  /** Set on the request that executes for identical requests waiting on it: hands them its outcome. */
  release?: (shared: SharedOutcome | undefined) => void;
}

/** What a request that executed hands the identical requests that waited for it. */
interface SharedOutcome {
  entry: CacheEntry;
  principal: Principal;
}

/**
 * How long an identical request waits for the one executing before executing itself, in ms
 * (the executing one normally settles within the subgraph timeout).
 */
export const COALESCE_WAIT_MS = 10_000;

/**
 * The whole-response cache, two tiers (docs/architecture/CACHING_STRATEGY.md).
 *
 * Hit path, in `onRequest` before anything GraphQL: the request's key (supergraph version, this
 * instance's refusal profile, document hash, operation name, variables), looked up in
 * the principal's scope then the public one, L1 then L2. Only a request that every refusal rule
 * would let through is answered: the persisted-operation rules are applied as the executing path
 * applies them, CSRF prevention and content negotiation likewise, and limits and introspection
 * through the key. A hit answers the stored bytes with `ETag`, `Cache-Control` and 304 on
 * `If-None-Match`, in the media type Yoga would have chosen. No parse, validation or plan.
 * A request with `Cache-Control: no-cache` skips the lookup (and still refreshes the entry).
 *
 * Miss path: the client's operation executes unchanged; its subgraph fetches record their tags,
 * scope and TTL (`@cacheControl`, subgraph `Cache-Control`). A response without errors (nor
 * completion errors in `extensions`), with a TTL above 0, whose tags were not invalidated while
 * it executed, is stored in both tiers. The bytes sent are the bytes stored, which are the bytes
 * Yoga sends with the cache off. Mutations are never cached; their response waits for the
 * invalidation fence, so their author reads the new values.
 */
export function useResponseCache(options: ResponseCacheOptions): Plugin {
  const { config, store, invalidator, metrics, persisted } = options;
  const states = new WeakMap<Request, RequestState>();
  /** Executions in flight by key (without scope): identical misses wait for them (no thundering herd). */
  const inflight = new Map<string, Promise<SharedOutcome | undefined>>();
  /**
   * Hands the outcome to the requests waiting on `state`'s execution. With `keep`, the settled
   * execution stays findable (identical requests arriving meanwhile get its outcome at once) until
   * the returned `forget` runs: while its entry is being stored off the request path.
   */
  const settle = (state: RequestState, shared: SharedOutcome | undefined, keep = false): (() => void) | undefined => {
    if (!state.release) return undefined;
    state.release(shared);
    state.release = undefined;
    const executing = inflight.get(state.base);
    const forget = () => {
      if (inflight.get(state.base) === executing) inflight.delete(state.base);
    };
    if (!keep) forget();
    return forget;
  };

  const keyOf = responseKeyOf(options);
  const respond = (entry: CacheEntry, request: Request, tier: string, mediaType: string, fetchAPI: { Response: typeof Response }) => {
    const headers = cacheHeaders(entry, mediaType, config.debug ? tier : undefined);
    if (entry.operationName) options.hitOperations.set(request, entry.operationName);
    if (matchesEtag(request, headers.etag!)) return new fetchAPI.Response(null, { status: 304, headers });
    return new fetchAPI.Response(entry.body, { status: 200, headers: { ...headers, 'content-type': `${mediaType}; charset=utf-8` } });
  };
  /**
   * Whether a hit may answer: a hash-only request only if the executing path would find its
   * document; a document sent with its APQ hash is registered first, as the executing path does.
   */
  const admissible = (params: KeyParams) => admissibleHit(persisted, params);

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/graphql' || (request.method !== 'GET' && request.method !== 'POST')) return;
      let state: RequestState;
      let params: KeyParams | undefined;
      try {
        params = await requestParams(request, url, options.maxBodyBytes, persisted);
        if (!params) return;
        const principal = options.principals.get(request) ?? ANONYMOUS;
        state = { base: keyOf(params), principal, startedAt: invalidator.startedAt(), mediaType: regularMediaType(request.headers.get('accept')) };
      } catch {
        return; // anything odd (variables nested past the stack): Yoga decides, uncached
      }
      states.set(request, state);
      // `Cache-Control: no-cache` from the client: answer from a fresh execution (and store it).
      // A request that CSRF prevention or content negotiation would refuse is left to Yoga.
      const mediaType = state.mediaType;
      if (!invalidator.isTrusting || /no-cache/i.test(request.headers.get('cache-control') ?? '') || !preflighted(request) || !mediaType) return;
      const principal = state.principal;
      const keys = principal.kind === 'anonymous' ? [scopedKey(state.base, 'public')] : [scopedKey(state.base, principal), scopedKey(state.base, 'public')];
      for (const key of keys) {
        const entry = store.getLocal(key)?.value;
        if (entry) {
          if (!(await admissible(params))) return;
          metrics.lookups.inc({ tier: 'l1', result: 'hit' });
          return endResponse(respond(entry, request, 'hit-l1', mediaType, fetchAPI));
        }
      }
      metrics.lookups.inc({ tier: 'l1', result: 'miss' });
      if (store.hasShared) {
        for (const key of keys) {
          // Fresh as of now (the store checks), read through into L1; served while the bus is heard.
          const entry = (await store.getShared(key))?.value;
          if (entry && invalidator.isTrusting) {
            if (!(await admissible(params))) return;
            metrics.lookups.inc({ tier: 'l2', result: 'hit' });
            return endResponse(respond(entry, request, 'hit-l2', mediaType, fetchAPI));
          }
        }
        metrics.lookups.inc({ tier: 'l2', result: 'miss' });
      }
      // An identical request is executing: wait for its stored answer (public, or this
      // principal's) rather than execute again; anything else, and this one executes.
      const executing = inflight.get(state.base);
      if (!executing) {
        inflight.set(state.base, new Promise((resolve) => (state.release = resolve)));
        return;
      }
      const giveUp = new AbortController();
      const shared = await Promise.race([executing, wait(COALESCE_WAIT_MS, undefined, { signal: giveUp.signal }).catch(() => undefined)]);
      giveUp.abort();
      if (shared && (shared.entry.scope === 'public' || principalSubject(shared.principal) === principalSubject(principal)) && (await admissible(params))) {
        metrics.lookups.inc({ tier: 'coalesced', result: 'hit' });
        return endResponse(respond(shared.entry, request, 'hit-coalesced', mediaType, fetchAPI));
      }
    },

    onParams({ request, params }) {
      // Store only what Yoga read exactly as the lookup did: a request that parses one way here
      // and another way there (content types, URL fragments, empty queries) must not put one
      // answer under another request's key.
      const state = states.get(request);
      if (!state) return;
      try {
        const yoga = keyParamsOf({ ...(params as ParamsLike), documentId: documentIdOf(params as ParamsLike, request) }, persisted);
        if (!yoga || keyOf(yoga) !== state.base) state.uncacheable = true;
      } catch {
        state.uncacheable = true;
      }
    },

    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const state = request && states.get(request);
      if (!state) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'mutation') {
        state.mutation = true;
        return;
      }
      if (operation?.operation !== 'query' || state.uncacheable) {
        state.uncacheable = true;
        return;
      }
      state.recorder = new FetchRecorder(options.policy().version, operation.name?.value);
      options.recorders.set(args.contextValue as object, state.recorder);
    },

    async onResultProcess({ request, result, setResultProcessor }) {
      const state = states.get(request);
      if (!state) return;
      if (state.mutation) {
        await invalidator.fence();
        return;
      }
      const recorder = state.recorder;
      if (!recorder || state.uncacheable || Array.isArray(result)) return;
      const single = result as ExecutionResult;
      const maxAgeS = recorder.reads.maxAgeS ?? config.defaultMaxAgeS;
      const scope = recorder.reads.private ? 'private' : 'public';
      const mediaType = state.mediaType;
      const uncacheable = whyNotStorable(single, recorder, maxAgeS, scope, state);
      if (uncacheable) {
        settle(state, undefined);
        state.notStored = uncacheable;
        metrics.stores.inc({ outcome: 'uncacheable' });
        return;
      }
      // The tags the entry will carry (with `private:any` on private entries): an event that would
      // have evicted the entry, had it been stored already, forbids storing it (the store refuses).
      // When nothing at all was invalidated or flushed since the request started, no tag can
      // forbid it: the walk waits until the response is sent.
      // Read from a replica (`readLsn`): also refused unless the replica had replayed every write
      // whose invalidation of one of the tags was heard (the write's LSN in its event).
      const readLsn = recorder.readLsn;
      const current = () => recorder.version === options.policy().version && invalidator.isTrusting;
      const quick = current() && invalidator.isFreshWhateverRead(state.startedAt) && store.isReplayedPastAll(readLsn);
      let tags = quick ? undefined : entryTags(recorder.reads);
      const refusal = quick ? undefined : !(current() && store.isFresh(state.startedAt, tags!)) ? 'stale' : !store.isReplayedPast(readLsn, tags!) ? 'replica-behind' : undefined;
      if (refusal) {
        settle(state, undefined);
        state.notStored = refusal;
        metrics.stores.inc({ outcome: refusal });
        return;
      }
      // What Yoga would send (its serialiser strips nothing from a result without errors).
      const body = JSON.stringify(single);
      const key = scopedKey(state.base, scope === 'public' ? 'public' : state.principal);
      // The same answer already in L1 (a `no-cache` request, or one whose lookup raced a store): it
      // is fresh there (any change to what it read would have evicted it, and what this execution
      // read is the same), so it is not stored again, to either tier, and its ETag is reused.
      const held = store.peekLocal(key);
      const kept = held !== undefined && held.body === body && held.scope === scope;
      const entry: CacheEntry = {
        body,
        etag: kept ? held.etag : etagOf(body),
        tags: [],
        scope,
        storedAt: Date.now(),
        readAt: state.startedAt,
        ttlMs: maxAgeS * 1000,
        ...(recorder.operationName ? { operationName: recorder.operationName } : {}),
        ...(readLsn === undefined ? {} : { readLsn }),
      };
      const forget = settle(state, { entry, principal: state.principal }, true);
      // Off the request path: the response goes first; the tag walk and the store (L1, then L2 in
      // the background; the store decides freshness again, stricter now: events heard meanwhile
      // count) follow. Until then identical requests get this outcome as coalesced hits.
      setImmediate(() => {
        try {
          if (kept) return void metrics.stores.inc({ outcome: 'kept' });
          tags ??= entryTags(recorder.reads);
          const outcome = current() ? store.set(key, { ...entry, tags }, { tags, ttlMs: entry.ttlMs, startedAt: entry.readAt, readLsn }) : undefined;
          metrics.stores.inc({ outcome: outcome?.stored ? 'stored' : outcome?.reason === 'replica-behind' ? 'replica-behind' : 'stale' });
        } finally {
          forget?.();
        }
      });
      setResultProcessor((_result, fetchAPI) => {
        const headers = cacheHeaders(entry, mediaType!, config.debug ? 'miss' : undefined);
        return matchesEtag(request, headers.etag!)
          ? new fetchAPI.Response(null, { status: 304, headers: cacheHeaders(entry, mediaType!) })
          : new fetchAPI.Response(body, { status: 200, headers: { ...headers, 'content-type': `${mediaType}; charset=utf-8` } });
      }, mediaType!);
    },

    onResponse({ request, response }) {
      const state = states.get(request);
      // Whatever happened (refused, failed, not cacheable), nobody waits for this request any longer.
      if (state) settle(state, undefined);
      if (!config.debug) return;
      if (state?.notStored !== undefined && !response.headers.has('x-tributary-cache')) {
        response.headers.set('x-tributary-cache', 'not-stored');
        response.headers.set('x-tributary-cache-reason', state.notStored);
      }
    },
  };
}

/** Why an executed answer must not be stored, or undefined when it may be (the race rule aside). */
function whyNotStorable(result: ExecutionResult, recorder: FetchRecorder, maxAgeS: number, scope: 'public' | 'private', state: RequestState): string | undefined {
  if (result.errors?.length) return 'errors';
  if (result.extensions?.valueCompletion) return 'completion errors';
  if (recorder.unstorable) return recorder.unstorable;
  if (maxAgeS <= 0) return 'maxAge 0';
  if (scope === 'private' && state.principal.kind === 'anonymous') return 'private data read anonymously';
  if (!state.mediaType) return 'streamed';
  return undefined;
}

/**
 * Whether a hit may answer a request under the persisted-operation rules, as the executing path
 * would decide: a hash-only request needs its document registered (APQ) or trusted; a document
 * sent with its hash is registered, as the executing path registers it.
 */
export async function admissibleHit(persisted: ResponseCacheOptions['persisted'], params: KeyParams): Promise<boolean> {
  if (!params.trusted && !(await persisted.isRegistered(params.documentHash))) return false;
  if (params.register !== undefined) await persisted.register(params.documentHash, params.register);
  return true;
}

/**
 * The key of a request's response, before scope (`scopedKey`): the supergraph version and the
 * refusal profile of this instance, the document hash, operation name and variables. The one
 * key function of the in-Yoga path and the hit path below Yoga.
 */
export function responseKeyOf(options: Pick<ResponseCacheOptions, 'policy' | 'refusalProfile'>): (params: KeyParams) => string {
  return (params) => requestKey(`${options.policy().version}:${options.refusalProfile}:${params.documentHash}`, params.operationName, params.variables);
}

/**
 * `ETag`, `Cache-Control` (and, in debug, where the answer came from) for an entry answered as
 * `mediaType` at `now` (ms since the epoch). HTTP caches cannot hear invalidations, so they must revalidate every time
 * (`max-age=0, must-revalidate`), which costs them a 304 from the hit path; the entry's remaining
 * TTL travels as `x-tributary-cache-ttl` (seconds) for those who want to know it.
 */
export function cacheHeaders(entry: CacheEntry, mediaType: string, debug?: string, now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {
    etag: representationEtag(entry.etag, mediaType),
    'cache-control': `${entry.scope}, max-age=0, must-revalidate`,
    'x-tributary-cache-ttl': String(remainingSeconds(entry, now)),
  };
  if (debug) headers['x-tributary-cache'] = debug;
  return headers;
}

/**
 * The ETag of one representation of an entry (RFC 9110 §8.8.3: it names the body and its media
 * type): the entry's ETag for `application/json`, marked for any other type. A browser's HTTP
 * cache keys by URL and revalidates its stored JSON answer for a request that asks for
 * `application/graphql-response+json`: a 304 would hand that client the JSON one.
 *
 * @example
 * representationEtag('"q1w2"', 'application/graphql-response+json') // '"q1w2-gr"'
 */
function representationEtag(etag: string, mediaType: string): string {
  return mediaType === 'application/json' ? etag : `${etag.slice(0, -1)}-gr"`;
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
export function preflighted(request: Request): boolean {
  if (hasPreflightHeader((name) => request.headers.has(name))) return true;
  return request.method === 'POST' && yogaReadsJson(request);
}

/** Whether one of {@link CSRF_HEADERS} is present (`has`: by lower-case name). */
export function hasPreflightHeader(has: (name: string) => boolean): boolean {
  return CSRF_HEADERS.some(has);
}

/** The content types Yoga 5 parses a POST body as JSON for (`isPOSTJsonRequest`); others are its 415. */
const JSON_CONTENT_TYPES = ['application/json', 'application/graphql+json'];

/**
 * Whether Yoga reads this POST's body as JSON, decided as Yoga decides it: the first item of
 * `Content-Type` equals one of {@link JSON_CONTENT_TYPES} or starts with it and `;`, case and
 * spaces as sent. Anything else (`Application/JSON`, `application/json ;…`,
 * `application/graphql-response+json`) Yoga answers 415, so the cache must not answer it.
 */
export function yogaReadsJson(request: Request): boolean {
  return yogaReadsJsonType(request.headers.get('content-type'));
}

/** {@link yogaReadsJson} of a `Content-Type` header's value (`null` or `undefined`: absent). */
export function yogaReadsJsonType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const comma = contentType.indexOf(',');
  const type = comma < 0 ? contentType : contentType.slice(0, comma);
  for (const json of JSON_CONTENT_TYPES) if (type === json || (type.startsWith(json) && type.charCodeAt(json.length) === SEMICOLON)) return true;
  return false;
}

/** `;` */
const SEMICOLON = 59;

/** A strong ETag: the body's SHA-256, base64url. */
function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/** What the cache key is made of. */
export interface KeyParams {
  documentHash: string;
  operationName?: string;
  variables?: unknown;
  /** The hash names a manifest document (no APQ lookup needed). */
  trusted?: boolean;
  /** The document to register in the APQ store under `documentHash` when answered (APQ registration). */
  register?: string;
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
 * must be JSON as Yoga reads it ({@link yogaReadsJson}) with a `Content-Length` within the body limit (a chunked body is
 * not read here, so that no size limit is bypassed).
 */
export async function requestParams(request: Request, url: URL, maxBodyBytes: number, persisted: ResponseCacheOptions['persisted']): Promise<KeyParams | undefined> {
  if (request.method === 'GET') return urlParams(url, persisted);
  if (!yogaReadsJson(request)) return undefined;
  const length = request.headers.get('content-length');
  if (length === null || !/^\d+$/.test(length) || Number(length) > maxBodyBytes) return undefined;
  return paramsOf(await request.clone().json(), persisted);
}

/**
 * {@link requestParams} of a GET: Yoga parses the same four parameters of the URL (and
 * `documentId`), then checks them as it checks a body's.
 *
 * @throws SyntaxError when `variables` or `extensions` is not JSON (Yoga refuses those).
 */
export function urlParams(url: URL, persisted: ResponseCacheOptions['persisted']): KeyParams | undefined {
  const search = url.searchParams;
  const params: ParamsLike = {
    query: search.get('query') || undefined,
    operationName: search.get('operationName') || undefined,
    variables: search.get('variables') ? JSON.parse(search.get('variables')!) : undefined,
    extensions: search.get('extensions') ? JSON.parse(search.get('extensions')!) : undefined,
    documentId: search.get('documentId') ?? undefined,
  };
  if (!yogaAccepts(params)) return undefined;
  return keyParamsOf(params, persisted);
}

/**
 * {@link requestParams} of a POST whose JSON body (as Yoga reads it, within the limits) is
 * `json`: only a single request object that Yoga's parameter checks accept.
 */
export function paramsOf(json: unknown, persisted: ResponseCacheOptions['persisted']): KeyParams | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json) || !yogaAccepts(json as ParamsLike)) return undefined;
  return keyParamsOf(json as ParamsLike, persisted);
}

/** The body parameters Yoga accepts (`extraParamNames` included); any other non-null one is its 400. */
const BODY_PARAMETERS = new Set(['query', 'variables', 'operationName', 'extensions', 'documentId']);

/**
 * Whether Yoga's parameter checks (`checkGraphQLQueryParams`) let a JSON body through: no
 * unexpected parameters, a string `query` if any, object-or-null `variables` and `extensions`,
 * a string-or-null `operationName`. A body they refuse is never answered from the cache.
 */
function yogaAccepts(params: ParamsLike): boolean {
  for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined && !BODY_PARAMETERS.has(name)) return false;
  const objectOrNull = (value: unknown) => value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value));
  return (
    (params.query === null || params.query === undefined || typeof params.query === 'string') &&
    objectOrNull(params.variables) &&
    objectOrNull(params.extensions) &&
    (params.operationName === null || params.operationName === undefined || typeof params.operationName === 'string')
  );
}

/**
 * The key inputs of a request's params (Yoga's or ours); `undefined` when the persisted-operation
 * rules refuse the request or it names no document: the executing path answers those.
 */
function keyParamsOf(params: ParamsLike, persisted: ResponseCacheOptions['persisted']): KeyParams | undefined {
  const decision = decidePersisted(params, persisted.mode, persisted.trusted);
  if (decision.kind === 'refuse' || decision.kind === 'none') return undefined;
  if (params.operationName !== undefined && params.operationName !== null && typeof params.operationName !== 'string') return undefined;
  // `""` names no operation (the executor answers OPERATION_RESOLUTION_FAILURE), yet would share
  // the key of a request without a name: left to the executing path, never looked up or stored.
  if (params.operationName === '') return undefined;
  return {
    documentHash: decision.hash,
    operationName: (params.operationName as string | null | undefined) ?? undefined,
    variables: params.variables,
    trusted: decision.kind === 'document' || decision.trusted !== undefined,
    ...(decision.kind === 'document' && decision.register ? { register: decision.query } : {}),
  };
}
