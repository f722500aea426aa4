import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { CacheEntry } from '@tributary/cache';
import { createHitPlans, type HitPlan } from './hit-plans.js';
import { createHitWriter } from './hit-response.js';
import { talliedCounter } from '../tallied-counter.js';
import { regularMediaType } from './media-type.js';
import { type ResponseCacheOptions, admissibleHit, hasPreflightHeader, paramsOf, responseKeyOf, urlParams, yogaReadsJsonType } from './use-response-cache.js';

/** Options of {@link createHitPath}. */
export interface HitPathOptions {
  /** The response cache's own options (the same object `useResponseCache` was given). */
  cache: ResponseCacheOptions;
  /** Everything the hit path does not answer goes here unchanged (Yoga's node listener). */
  next: RequestListener;
  /** Whether CORS is configured: then requests with an `Origin` go to Yoga (it adds the headers). */
  cors: boolean;
  /** Records an answered hit in the request metrics (operation name or undefined, duration in s). Called once per hit: keep it cheap. */
  onHit(operationName: string | undefined, durationS: number): void;
}

/** A POST whose body is being read: what the body's arrival needs. */
interface Reading {
  res: ServerResponse;
  expected: number;
  received: number;
  chunks: Buffer[];
  startedAt: number;
}

/** Where a POST's {@link Reading} is kept while its body arrives. */
const READING = Symbol('tributary.hitPath.reading');
type ReadingRequest = IncomingMessage & { [READING]?: Reading };

/** `Accept` values remembered with their media type (then all are forgotten). */
const MAX_ACCEPT_VALUES = 100;

/**
 * A node:http listener in front of Yoga that answers public L1 hits itself (PRODUCT.md: a hit
 * never parses, validates or plans) and hands every other request to Yoga unchanged.
 *
 * A hit needs: method, path, the body (read once, only when its `Content-Length` is within the
 * limit; otherwise the stream is left to Yoga), the key, one L1 lookup and one write. Every rule
 * that could refuse the request applies first, by the same functions the in-Yoga hit path uses
 * (`useResponseCache`): Yoga's body and parameter checks and the persisted-operation rules
 * (`paramsOf`, `urlParams`), CSRF prevention (a preflight header, or a JSON POST), content
 * negotiation (`regularMediaType`), the APQ registry (a hash-only request is answered only when
 * the executing path would find its document; a document sent with its hash is registered).
 * Limits and introspection are in the key (refusal profile). What this path leaves to Yoga:
 * requests with `Authorization` (token verification, private scope: a bad token is Yoga's 401),
 * with `Origin` when CORS is configured, with `If-None-Match` (304s), with `Cache-Control:
 * no-cache`, while the bus is not heard, and any miss. A body it read is put back into the
 * request stream (`unshift`, before the stream can end) when the request goes to Yoga, so Yoga
 * reads the same bytes from the same stream.
 *
 * Per hit, the work is what the request's bytes cannot tell in advance: what a body or URL decides
 * (parameters, persisted rules, key) is remembered by its text (`createHitPlans`), the media type
 * by its `Accept`, the answer's bytes and headers by its entry (`createHitWriter`); an L1 hit whose
 * document is trusted or registered in this process is answered synchronously (no promise).
 *
 * The answer is byte-identical to Yoga's hit and miss answers: the stored bytes, with the same
 * headers (`cacheHeaders`), written once.
 */
export function createHitPath(options: HitPathOptions): RequestListener {
  const { cache, next } = options;
  const { store, invalidator, metrics, persisted, config } = cache;
  const keyOf = responseKeyOf(cache);
  const version = () => cache.policy().version;
  const postPlan = createHitPlans({ keyOf, version, decide: (text) => paramsOf(JSON.parse(text), persisted) });
  const getPlan = createHitPlans({ keyOf, version, decide: (url) => urlParams(new URL(url, 'http://localhost'), persisted) });
  const write = createHitWriter(config.debug);
  const l1Hits = talliedCounter(metrics.lookups, { tier: 'l1', result: 'hit' });
  const mediaTypes = new Map<string, ReturnType<typeof regularMediaType>>();
  const withoutAccept = regularMediaType(null);
  const mediaTypeOf = (accept: string | undefined) => {
    if (accept === undefined) return withoutAccept;
    if (mediaTypes.has(accept)) return mediaTypes.get(accept);
    if (mediaTypes.size >= MAX_ACCEPT_VALUES) mediaTypes.clear();
    const type = regularMediaType(accept);
    mediaTypes.set(accept, type);
    return type;
  };

  const serve = (res: ServerResponse, entry: CacheEntry, mediaType: string, startedAt: number): true => {
    l1Hits.inc();
    write(res, entry, mediaType, 'hit-l1');
    options.onHit(entry.operationName, (performance.now() - startedAt) / 1000);
    return true;
  };

  /**
   * Answers a request whose plan is known from L1: `true` when answered now (an L1 hit whose
   * document is trusted or registered in this process: no promise), `false` when it is Yoga's,
   * or a promise of either once the APQ registry answered (then L1 is read again).
   */
  const answer = (res: ServerResponse, plan: HitPlan | undefined, accept: string | undefined, startedAt: number): boolean | Promise<boolean> => {
    const mediaType = mediaTypeOf(accept);
    if (!plan || !mediaType) return false;
    const entry = store.peekLocal(plan.publicKey);
    if (!entry) return false;
    const { params } = plan;
    if (params.register === undefined && (params.trusted || persisted.isRegisteredHere?.(params.documentHash))) return serve(res, entry, mediaType, startedAt);
    return admissibleHit(persisted, params).then((admissible) => {
      const now = admissible && store.peekLocal(plan.publicKey);
      return now ? serve(res, now, mediaType, startedAt) : false;
    });
  };

  /** {@link answer}, where a throw (a bug, never a request's fault) leaves the request to Yoga unless an answer began. */
  const tryAnswer = (res: ServerResponse, plan: HitPlan | undefined, accept: string | undefined, startedAt: number): boolean | Promise<boolean> => {
    try {
      return answer(res, plan, accept, startedAt);
    } catch {
      return res.headersSent;
    }
  };

  /** Hands `req` to Yoga unless `answered` (now or once settled); a read body goes back first. */
  const settle = (req: IncomingMessage, res: ServerResponse, answered: boolean | Promise<boolean>, body?: Buffer): void => {
    if (answered === true) return;
    const pass = () => {
      if (res.headersSent) return;
      if (body) req.unshift(body);
      next(req, res);
    };
    if (answered === false) pass();
    else answered.then((done) => done || pass(), pass);
  };

  function onReadable(this: ReadingRequest): void {
    const reading = this[READING]!;
    let chunk: Buffer | null;
    while (reading.received < reading.expected && (chunk = this.read() as Buffer | null) !== null) {
      reading.chunks.push(chunk);
      reading.received += chunk.length;
    }
    if (reading.received < reading.expected) return;
    this.off('readable', onReadable);
    const body = reading.chunks.length === 1 ? reading.chunks[0]! : Buffer.concat(reading.chunks);
    reading.chunks = [];
    // Not answered here: the bytes go back (`unshift`) before the stream can end, and Yoga reads
    // the same bytes from the same stream, untouched.
    settle(this, reading.res, tryAnswer(reading.res, postPlan(body.toString('utf8')), this.headers.accept, reading.startedAt), body);
  }

  function onError(this: ReadingRequest): void {
    this[READING]!.res.destroy();
  }

  return (req, res) => {
    const startedAt = performance.now();
    const h = req.headers;
    const url = req.url ?? '';
    const method = req.method;
    if (
      (url !== '/graphql' && !url.startsWith('/graphql?')) ||
      (method !== 'POST' && method !== 'GET') ||
      h.authorization !== undefined ||
      (options.cors && h.origin !== undefined) ||
      h['if-none-match'] !== undefined ||
      (h['cache-control'] !== undefined && /no-cache/i.test(h['cache-control'])) ||
      !invalidator.isTrusting
    ) {
      next(req, res);
      return;
    }
    if (method === 'GET') {
      // CSRF prevention: a GET needs a preflight header, else Yoga refuses it.
      if (!hasPreflightHeader((name) => h[name] !== undefined)) return next(req, res);
      settle(req, res, tryAnswer(res, getPlan(url), h.accept, startedAt));
      return;
    }
    const length = h['content-length'];
    // Read only what Yoga would read within its limit, and only a JSON body: else Yoga reads it.
    if (length === undefined || !/^\d+$/.test(length) || Number(length) > cache.maxBodyBytes || Number(length) === 0 || !yogaReadsJsonType(h['content-type'])) {
      next(req, res);
      return;
    }
    // Read exactly `Content-Length` bytes in paused mode; a request not answered gets them back.
    (req as ReadingRequest)[READING] = { res, expected: Number(length), received: 0, chunks: [], startedAt };
    req.on('readable', onReadable);
    req.once('error', onError);
  };
}
