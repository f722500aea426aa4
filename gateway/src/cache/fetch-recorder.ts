import { isLsn, minLsn } from '@tributary/runtime';
import type { ResponseReads } from './fetch-tagging.js';

/**
 * What the subgraph fetches of one cacheable query read, collected while its query plan runs
 * (one per request, created by the response cache when execution starts, read when the result
 * is processed). A response is stored only if no fetch set {@link unstorable}.
 */
export class FetchRecorder {
  readonly reads: ResponseReads = { tags: new Set(), private: false, maxAgeS: undefined };
  /** Why the response must not be stored (the first reason given), if it must not. */
  unstorable: string | undefined;
  /**
   * The lowest replay position (`hex/hex`) of the replicas its fetches read from; undefined when
   * every fetch read a primary (or a cache). See {@link applyReadLsn}.
   */
  readLsn: string | undefined;

  /**
   * @param version the supergraph version the request was keyed with.
   * @param operationName the executed operation's name, kept with the entry for the metrics of hits.
   */
  constructor(
    readonly version: string,
    readonly operationName?: string,
  ) {}

  /** Marks the response as not to be stored. */
  refuse(reason: string): void {
    this.unstorable ??= reason;
  }

  /**
   * Applies a subgraph's `x-tributary-read-lsn` response header (`READ_LSN_HEADER`): the answer
   * was read from a replica that had replayed up to it, so the response is only as new as the
   * lowest such position. A header that is not an LSN forbids storing.
   */
  applyReadLsn(header: string | null | undefined): void {
    if (header === null || header === undefined) return;
    if (isLsn(header)) this.readLsn = minLsn(this.readLsn, header);
    else this.refuse('subgraph reported a read position that is not an LSN');
  }

  /**
   * Applies a subgraph's `Cache-Control` response header (RFC 9111 §5.2.2): `no-store` and
   * `no-cache` forbid storing, `private` makes the entry private, `max-age` (seconds) bounds it.
   */
  applyCacheControl(header: string | null | undefined): void {
    if (!header) return;
    for (const directive of header.toLowerCase().split(',')) {
      const [name, value] = directive.trim().split('=') as [string, string | undefined];
      if (name === 'no-store' || name === 'no-cache') this.refuse(`subgraph answered Cache-Control: ${name}`);
      else if (name === 'private') this.reads.private = true;
      else if ((name === 'max-age' || name === 's-maxage') && value !== undefined) {
        const seconds = /^\d+$/.test(value.replace(/"/g, '')) ? Number(value.replace(/"/g, '')) : 0;
        this.reads.maxAgeS = this.reads.maxAgeS === undefined ? seconds : Math.min(this.reads.maxAgeS, seconds);
      }
    }
  }
}

/**
 * The recorders of the requests being executed, by their GraphQL context object (which
 * `@apollo/gateway` hands to every subgraph fetch of the request). Weak: a recorder dies with
 * its request.
 */
export type FetchRecorders = WeakMap<object, FetchRecorder>;
