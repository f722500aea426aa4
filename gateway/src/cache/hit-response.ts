import type { ServerResponse } from 'node:http';
import { type CacheEntry, remainingSeconds } from '@tributary/cache';
import { cacheHeaders } from './use-response-cache.js';

/** One entry's answer as one media type: its header list, valid while the remaining TTL (s) is `ttlS`. */
interface PreparedHeaders {
  ttlS: number;
  /** `[name, value, name, value, …]` for `writeHead`. */
  list: string[];
}

/** An entry's length in UTF-8 bytes, counted once, and its headers per media type (and, in debug, per tier). */
interface PreparedEntry {
  length: string;
  byType: Map<string, PreparedHeaders>;
}

/**
 * Writes cache entries as 200 answers, the same bytes and headers as the in-Yoga path
 * (`cacheHeaders`, then `content-type` and `content-length`), with one `writeHead` and one `end`
 * of the entry's text (node joins the head to a string body). An entry's UTF-8 length is counted
 * once (L1 hands out the same entry object on every hit), and its header list is made once per media type and per second of remaining TTL (the only header
 * that changes: `x-tributary-cache-ttl`), not per hit. `tier` is the debug header's value
 * (`hit-l1`), sent only when `debug`.
 */
export function createHitWriter(debug: boolean): (res: ServerResponse, entry: CacheEntry, mediaType: string, tier: string) => void {
  const prepared = new WeakMap<CacheEntry, PreparedEntry>();
  return (res, entry, mediaType, tier) => {
    let ready = prepared.get(entry);
    if (!ready) prepared.set(entry, (ready = { length: String(Buffer.byteLength(entry.body, 'utf8')), byType: new Map() }));
    const now = Date.now();
    const ttlS = remainingSeconds(entry, now);
    const variant = debug ? `${mediaType} ${tier}` : mediaType;
    let headers = ready.byType.get(variant);
    if (!headers || headers.ttlS !== ttlS) {
      const record = cacheHeaders(entry, mediaType, debug ? tier : undefined, now);
      record['content-type'] = `${mediaType}; charset=utf-8`;
      record['content-length'] = ready.length;
      headers = { ttlS, list: Object.entries(record).flat() };
      ready.byType.set(variant, headers);
    }
    // A string body goes out joined to the head, one chunk (a Buffer would be a chunk of its own).
    res.writeHead(200, headers.list).end(entry.body);
  };
}
