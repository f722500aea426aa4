import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { scopedKey } from './cache-key.js';
import { regularMediaType } from './media-type.js';
import type { CacheEntry } from '@tributary/cache';
import { type KeyParams, type ResponseCacheOptions, admissibleHit, cacheHeaders, preflighted, requestParams, responseKeyOf, yogaReadsJson } from './use-response-cache.js';

/** Options of {@link createHitPath}. */
export interface HitPathOptions {
  /** The response cache's own options (the same object `useResponseCache` was given). */
  cache: ResponseCacheOptions;
  /** Everything the hit path does not answer goes here unchanged (Yoga's node listener). */
  next: RequestListener;
  /** Whether CORS is configured: then requests with an `Origin` go to Yoga (it adds the headers). */
  cors: boolean;
  /** Records an answered hit in the request metrics (operation name or undefined, duration in s). */
  onHit(operationName: string | undefined, durationS: number): void;
}

/**
 * A node:http listener in front of Yoga that answers public L1 hits itself (PRODUCT.md: a hit
 * never parses, validates or plans) and hands every other request to Yoga unchanged.
 *
 * A hit needs: method, path, the body (read once, only when its `Content-Length` is within the
 * limit; otherwise the stream is left to Yoga), the key, one L1 lookup and one write. Every rule
 * that could refuse the request applies first, by the same functions the in-Yoga hit path uses
 * (`useResponseCache`): Yoga's body and parameter checks and the persisted-operation rules
 * (`requestParams`), CSRF prevention (`preflighted`), content negotiation (`regularMediaType`),
 * the APQ registry (a hash-only request is answered only when the executing path would find its
 * document; a document sent with its hash is registered). Limits and introspection are in the key
 * (refusal profile). What this path leaves to Yoga: requests with `Authorization` (token
 * verification, private scope: a bad token is Yoga's 401), with `Origin` when CORS is configured,
 * with `If-None-Match` (304s), with `Cache-Control: no-cache`, while the bus is not heard, and any
 * miss. A body it read is put back into the request stream (`unshift`, before the stream can
 * end), so Yoga reads the same bytes from the same stream.
 *
 * The answer is byte-identical to Yoga's hit and miss answers: the stored bytes, with the same
 * headers (`cacheHeaders`), written once.
 */
export function createHitPath(options: HitPathOptions): RequestListener {
  const { cache, next } = options;
  const { store, invalidator, metrics, persisted, config } = cache;
  const keyOf = responseKeyOf(cache);
  const l1Hits = metrics.lookups.labels({ tier: 'l1', result: 'hit' });
  // L1 hands out the same entry object on every hit: its UTF-8 bytes are encoded once, not per hit.
  const bytesOf = new WeakMap<CacheEntry, Buffer>();
  const encoded = (entry: CacheEntry) => {
    let bytes = bytesOf.get(entry);
    if (!bytes) bytesOf.set(entry, (bytes = Buffer.from(entry.body, 'utf8')));
    return bytes;
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined, startedAt: number): Promise<boolean> => {
    const url = new URL(req.url!, 'http://localhost');
    const view = nodeRequestView(req, body);
    let params: KeyParams | undefined;
    try {
      params = await requestParams(view, url, cache.maxBodyBytes, persisted);
    } catch {
      return false;
    }
    const mediaType = regularMediaType(view.headers.get('accept'));
    if (!params || !preflighted(view) || !mediaType) return false;
    const entry = store.getLocal(scopedKey(keyOf(params), 'public'))?.value;
    if (!entry) return false;
    if (!(await admissibleHit(persisted, params))) return false;
    l1Hits.inc();
    const bytes = encoded(entry);
    const headers = cacheHeaders(entry, mediaType, config.debug ? 'hit-l1' : undefined);
    headers['content-type'] = `${mediaType}; charset=utf-8`;
    headers['content-length'] = String(bytes.length);
    res.writeHead(200, headers).end(bytes);
    options.onHit(entry.operationName, (performance.now() - startedAt) / 1000);
    return true;
  };

  return (req, res) => {
    const startedAt = performance.now();
    const h = req.headers;
    const path = req.url?.split('?', 1)[0];
    if (
      path !== '/graphql' ||
      (req.method !== 'POST' && req.method !== 'GET') ||
      h.authorization !== undefined ||
      (options.cors && h.origin !== undefined) ||
      h['if-none-match'] !== undefined ||
      /no-cache/i.test(h['cache-control'] ?? '') ||
      !invalidator.isTrusting
    ) {
      next(req, res);
      return;
    }
    const pass = () => next(req, res);
    const decide = (body: Buffer | undefined) =>
      void answer(req, res, body, startedAt).then(
        (answered) => answered || pass(),
        () => pass(),
      );
    if (req.method === 'GET') {
      decide(undefined);
      return;
    }
    const length = h['content-length'];
    // Read only what Yoga would read within its limit, and only a JSON body: else Yoga reads it.
    if (length === undefined || !/^\d+$/.test(length) || Number(length) > cache.maxBodyBytes || Number(length) === 0 || !yogaReadsJson(nodeRequestView(req, undefined))) {
      next(req, res);
      return;
    }
    // Read exactly `Content-Length` bytes in paused mode, then put them back (`unshift`) before
    // the stream can end: Yoga reads the same bytes from the same stream, untouched.
    const expected = Number(length);
    const chunks: Buffer[] = [];
    let received = 0;
    const onReadable = () => {
      let chunk: Buffer | null;
      while (received < expected && (chunk = req.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        received += chunk.length;
      }
      if (received < expected) return;
      req.off('readable', onReadable);
      const body = Buffer.concat(chunks);
      req.unshift(body);
      decide(body);
    };
    req.on('readable', onReadable);
    req.once('error', () => res.destroy());
  };
}

/**
 * The parts of a fetch `Request` that the cache's request checks read, over a node request:
 * method, headers (`get` joins as node received them, `has`), and the body read once (`clone().json()`).
 */
function nodeRequestView(req: IncomingMessage, body: Buffer | undefined): Request {
  const header = (name: string) => {
    const value = req.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const view = {
    method: req.method,
    headers: { get: header, has: (name: string) => header(name) !== null },
    clone: () => ({ json: async () => JSON.parse(body ? body.toString('utf8') : '') }),
  };
  return view as unknown as Request;
}
