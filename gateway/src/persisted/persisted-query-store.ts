import type { TieredStore } from '@tributary/cache';

/**
 * Where automatic persisted queries live: document text by SHA-256 hash (hex). Neither method
 * rejects: a store fault (a Redis outage) reads as not found and a write as not shared, reported
 * by the underlying store, so a store fault never fails a request.
 */
export interface PersistedQueryStore {
  /** The document registered under `hash`, or `undefined`. */
  get(hash: string): Promise<string | undefined>;
  /** Whether this process's own tier (L1) holds `hash` now: synchronous, no Redis; `false` says nothing about Redis. */
  hasLocal(hash: string): boolean;
  /** Registers `document` under `hash` (which the caller has checked is its SHA-256); resolves once both tiers are written (or failed). */
  set(hash: string, document: string): Promise<void>;
}

/**
 * APQ over a tiered store of documents (`textCodec`, flat `apq` namespace: `<prefix>apq:<hash>`
 * holds the bare document). Documents are content-addressed: no tags, never stale; each lives
 * `ttlMs` (ms) from its last registration.
 */
export function persistedQueryStoreOf(store: TieredStore<string>, ttlMs: number): PersistedQueryStore {
  return {
    async get(hash) {
      return (await store.get(hash))?.value;
    },
    hasLocal(hash) {
      return store.peekLocal(hash) !== undefined;
    },
    async set(hash, document) {
      const outcome = store.set(hash, document, { ttlMs });
      if (outcome.stored) await outcome.shared;
    },
  };
}
