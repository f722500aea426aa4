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

  /** Field cells (by key) that a root fetch in flight is getting into L1, from L2 or from its subgraph: each settles once that fetch has it there or gave up. */
  private readonly cells = new Map<string, CellWait>();

  /**
   * Marks the field cells `keys` as being got into L1 by the calling fetch (those not marked by
   * another fetch already): a fetch that lacks only marked cells waits for them
   * ({@link cellsPending}) instead of asking its subgraph too, so that after a hot entity's field
   * is invalidated, the different documents that read it send one fetch, not one each. The
   * returned mark ends once the fetch stored its cells or gave up: the caller must call it in
   * every case (calls after the first do nothing); `release` ends it early on the cells the fetch
   * already has in L1 (found in L2), so that nobody waits for its subgraph for those, and
   * `extend` marks the cells it now knows it lacks (below those).
   */
  markCells(keys: readonly string[]): CellMark {
    const mine = new Map<string, CellWait>();
    let ended = false;
    const release = (keys: Iterable<string>) => {
      for (const key of keys) {
        const wait = mine.get(key);
        if (!wait) continue;
        mine.delete(key);
        if (this.cells.get(key) === wait) this.cells.delete(key);
        wait.resolve();
      }
    };
    const extend = (keys: readonly string[]) => {
      if (ended) return;
      for (const key of keys) {
        if (this.cells.has(key)) continue;
        let resolve!: () => void;
        const wait: CellWait = { done: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
        this.cells.set(key, wait);
        mine.set(key, wait);
      }
    };
    extend(keys);
    const end = () => {
      if (ended) return;
      ended = true;
      release([...mine.keys()]);
    };
    return Object.assign(end, { release: (keys: readonly string[]) => release(keys), extend });
  }

  /**
   * When every one of `keys` (at least one) is marked ({@link markCells}): a promise that settles
   * once each of them is released or its fetch ended its mark (whatever it stored); else
   * `undefined`. Never rejects. A fetch waits only before it marks anything, and a marking fetch
   * never waits for cells, so waits cannot form a cycle.
   */
  cellsPending(keys: readonly string[]): Promise<void> | undefined {
    if (keys.length === 0) return undefined;
    const marks = new Set<Promise<void>>();
    for (const key of keys) {
      const mark = this.cells.get(key);
      if (!mark) return undefined;
      marks.add(mark.done);
    }
    return Promise.all(marks).then(() => undefined);
  }

  /** Field cells marked now. */
  get markedCells(): number {
    return this.cells.size;
  }
}

/** One marked cell: settles when its fetch has it in L1 or gave up. */
interface CellWait {
  done: Promise<void>;
  resolve(): void;
}

/** A fetch's mark on the field cells it is getting ({@link InflightFetches.markCells}): call it to end the mark. */
export interface CellMark {
  (): void;
  /** Ends the mark on `keys` only (cells the fetch already has in L1). */
  release(keys: readonly string[]): void;
  /** Marks `keys` too (those not marked by another fetch), until the mark ends. */
  extend(keys: readonly string[]): void;
}
