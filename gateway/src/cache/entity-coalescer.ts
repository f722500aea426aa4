import type { EntityValue } from './entity-store.js';

/** What a fetch that went to the subgraph hands the identical fetches that waited for it. */
export interface SharedEntry {
  value: EntityValue;
  /** When the stored entry expires, ms since the epoch. */
  expiresAt: number;
  /** The principal subject (`customer:5`, `anonymous`) it was read as: a private entry is shared with that principal only. */
  subject: string;
}

/** A claim on a key: the caller fetches it ({@link settle} when done), or waits for the one who does. */
export type Claim = { kind: 'owner'; settle(shared: SharedEntry | undefined): void } | { kind: 'waiter'; shared: Promise<SharedEntry | undefined> };

/**
 * Identical subgraph fetches in flight in one gateway, by entity-cache key (without scope): the
 * first claimant fetches, the others wait for what it stored (no thundering herd after a hot
 * entity is invalidated). Only what the owner stored is shared, so a shared value passed the
 * same race rule as a stored one; an owner that stored nothing hands `undefined` and each
 * waiter fetches for itself. An owner must settle every claim it won (even on failure).
 */
export class InflightFetches {
  private readonly pending = new Map<string, Promise<SharedEntry | undefined>>();

  /** Claims `key`: the first caller owns it until it settles; later callers wait. */
  claim(key: string): Claim {
    const shared = this.pending.get(key);
    if (shared) return { kind: 'waiter', shared };
    let resolve!: (shared: SharedEntry | undefined) => void;
    this.pending.set(key, new Promise((r) => (resolve = r)));
    let settled = false;
    return {
      kind: 'owner',
      settle: (value) => {
        if (settled) return;
        settled = true;
        this.pending.delete(key);
        resolve(value);
      },
    };
  }

  /** Keys being fetched now. */
  get size(): number {
    return this.pending.size;
  }
}
