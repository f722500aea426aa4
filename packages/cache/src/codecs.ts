import type { StoredEntry, TieredStoreCodec } from './tiered-store.js';

/** The JSON envelope of {@link jsonCodec}: value, tags, started, expires (`null`: never). */
interface Envelope<V> {
  v: V;
  t: readonly string[];
  s: number;
  x: number | null;
  /** The replica position it was read at, when read from a replica. */
  l?: string;
}

/**
 * The default codec: a JSON envelope carrying the value and its tags and times, for any
 * JSON-serialisable value (entity representations).
 *
 * @example
 * jsonCodec().encode({ value: { name: 'Rock' }, tags: ['Genre:1'], startedAt: 1000, expiresAt: 61000 })
 * // '{"v":{"name":"Rock"},"t":["Genre:1"],"s":1000,"x":61000}'
 */
export function jsonCodec<V>(): TieredStoreCodec<V> {
  return {
    encode: (entry) =>
      JSON.stringify({
        v: entry.value,
        t: entry.tags,
        s: entry.startedAt,
        x: Number.isFinite(entry.expiresAt) ? entry.expiresAt : null,
        ...(entry.readLsn === undefined ? {} : { l: entry.readLsn }),
      } satisfies Envelope<V>),
    decode: (text) => {
      const envelope = JSON.parse(text) as Envelope<V>;
      return { value: envelope.v, tags: envelope.t, startedAt: envelope.s, expiresAt: envelope.x ?? Infinity, ...(envelope.l === undefined ? {} : { readLsn: envelope.l }) };
    },
  };
}

/**
 * The bare text as L2 holds it, for content-addressed values (APQ documents by hash), which
 * never go stale and carry no tags: read back, an entry counts as started `now` and kept in L1
 * until room evicts it (L2 keeps its own TTL).
 */
export const textCodec: TieredStoreCodec<string> = {
  encode: (entry: StoredEntry<string>) => entry.value,
  decode: (text, now) => ({ value: text, tags: [], startedAt: now, expiresAt: Infinity }),
};
