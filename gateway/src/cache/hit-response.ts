import type { ServerResponse } from 'node:http';
import { type CacheEntry, remainingSeconds } from '@tributary/cache';
import { cacheHeaders } from './use-response-cache.js';

/** One entry's answer as one media type: its header list, valid while the remaining TTL (s) is `ttlS`. */
interface PreparedHeaders {
  ttlS: number;
  /** `[name, value, name, value, …]` for `writeHead`. */
  list: string[];
}

/** An entry's bytes, encoded once, and its headers per media type (and, in debug, per tier). */
interface PreparedEntry {
  bytes: Buffer;
  byType: Map<string, PreparedHeaders>;
}

/**
 * Writes cache entries as 200 answers, the same bytes and headers as the in-Yoga path
 * (`cacheHeaders`, then `content-type` and `content-length`), with one `writeHead` and one `end`.
 * An entry's UTF-8 bytes are encoded once (L1 hands out the same entry object on every hit), and
 * its header list is made once per media type and per second of remaining TTL (the only header
 * that changes: `x-tributary-cache-ttl`), not per hit. `tier` is the debug header's value
 * (`hit-l1`), sent only when `debug`.
 */
export function createHitWriter(debug: boolean): (res: ServerResponse, entry: CacheEntry, mediaType: string, tier: string) => void {
  const prepared = new WeakMap<CacheEntry, PreparedEntry>();
  return (res, entry, mediaType, tier) => {
    let ready = prepared.get(entry);
    if (!ready) prepared.set(entry, (ready = { bytes: Buffer.from(entry.body, 'utf8'), byType: new Map() }));
    const now = Date.now();
    const ttlS = remainingSeconds(entry, now);
    const variant = debug ? `${mediaType} ${tier}` : mediaType;
    let headers = ready.byType.get(variant);
    if (!headers || headers.ttlS !== ttlS) {
      const record = cacheHeaders(entry, mediaType, debug ? tier : undefined, now);
      record['content-type'] = `${mediaType}; charset=utf-8`;
      record['content-length'] = String(ready.bytes.length);
      headers = { ttlS, list: Object.entries(record).flat() };
      ready.byType.set(variant, headers);
    }
    res.writeHead(200, headers.list).end(ready.bytes);
  };
}
