import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Kysely } from 'kysely';
import { type Backoff, backoffDelay } from './backoff.js';
import { isLsn, lsnAtLeast } from './lsn.js';

/**
 * Subgraph → gateway: the WAL position (`hex/hex`) the replica had replayed before this request's
 * reads ran on it. Absent when the request read the primary.
 */
export const READ_LSN_HEADER = 'x-tributary-read-lsn';
/**
 * Subgraph → gateway, on a mutation's answer: a WAL position of the primary at or past the
 * mutation's commits (the gateway remembers it for the mutation's author).
 */
export const WRITE_LSN_HEADER = 'x-tributary-write-lsn';
/**
 * Gateway → subgraph: the caller wrote at this position (read-your-writes): read from the replica
 * only if it has replayed at least this far, else from the primary.
 */
export const MIN_LSN_HEADER = 'x-tributary-min-lsn';

/** How long reads skip a replica whose position query failed: doubling from 0.5 s to 30 s while it keeps failing. */
export const REPLICA_RETRY: Backoff = { baseMs: 500, capMs: 30_000 };

/** A replica reads may go to (see `ReadReplica` of `@tributary/database`). */
export interface SubgraphReadReplica<DB> {
  db: Kysely<DB>;
  /** `pg_last_wal_replay_lsn()`; `null` when the server is not a replica. */
  replayLsn(): Promise<string | null>;
}

/** Where one request reads, and the replica position to report (absent: the primary). */
export interface ReadSource<DB> {
  db: Kysely<DB>;
  readLsn?: string;
}

/** What {@link createReadRouting} gives the subgraph server. */
export interface ReadRouting<DB> {
  /** Marks mutations (parse), reports the positions in response headers. */
  plugin: Plugin;
  /**
   * The database a request reads from: the replica unless the request is a mutation or the
   * replica has not replayed up to the caller's `x-tributary-min-lsn`; the replica's position is
   * taken once, before any of the request's statements (so it is a lower bound of what they see).
   */
  sourceFor(request: Request): Promise<ReadSource<DB>>;
}

/**
 * Read routing of a subgraph whose database has a streaming replica (`DATABASE_READ_URL`):
 * queries read the replica and report its replay position (`x-tributary-read-lsn`) so that the
 * gateway stores their answers only when the replica was past every invalidation of their tags;
 * mutations (and with them every transaction: resolvers open transactions only in mutations)
 * use the primary and report a position past their commits (`x-tributary-write-lsn`).
 *
 * A replica that cannot answer its position sends the request to the primary (`onReplicaError` hears why),
 * and so does every request after it for a while ({@link REPLICA_RETRY}: from 0.5 s, doubling to
 * 30 s, jittered, while it keeps failing): a replica that is down or unreachable costs one failed
 * position query per wait, not a connect timeout per request.
 *
 * @param writeLsn the primary's current WAL position (`pg_current_wal_insert_lsn()`).
 */
export function createReadRouting<DB>(
  primary: Kysely<DB>,
  replica: SubgraphReadReplica<DB>,
  writeLsn: () => Promise<string>,
  onReplicaError?: (error: Error) => void,
  retry: Backoff = REPLICA_RETRY,
): ReadRouting<DB> {
  const mutations = new WeakSet<Request>();
  // After a failed position query: the primary answers until `retryAt` (ms since the epoch).
  let failures = 0;
  let retryAt = 0;
  const positions = new WeakMap<Request, { header: string; lsn: string }>();
  // Requests arriving while a position query is in flight share its answer: measured before any
  // of their statements start, it is a lower bound for them too (replay only moves forward).
  let measuring: Promise<string | null> | undefined;
  const replayed = () =>
    (measuring ??= replica
      .replayLsn()
      .then(
        (position) => {
          failures = 0;
          return position;
        },
        (error: unknown) => {
          failures++;
          retryAt = Date.now() + backoffDelay(failures, retry);
          throw error;
        },
      )
      .finally(() => {
        measuring = undefined;
      }));
  return {
    plugin: {
      onParse({ context }) {
        const { request, params } = context as { request?: Request; params?: { operationName?: string } };
        return ({ result }) => {
          if (request && !(result instanceof Error) && getOperationAST(result, params?.operationName)?.operation !== 'query') mutations.add(request);
        };
      },
      async onResultProcess({ request }) {
        if (mutations.has(request)) positions.set(request, { header: WRITE_LSN_HEADER, lsn: await writeLsn() });
      },
      onResponse({ request, response }) {
        const position = positions.get(request);
        if (position) response.headers.set(position.header, position.lsn);
      },
    },
    async sourceFor(request) {
      if (mutations.has(request)) return { db: primary };
      if (failures > 0 && Date.now() < retryAt) return { db: primary };
      let position: string | null;
      try {
        position = await replayed();
      } catch (error) {
        // The replica cannot be reached: the primary answers, as it would without one.
        onReplicaError?.(error as Error);
        return { db: primary };
      }
      // Not in recovery: the "replica" is a primary, whose reads are current.
      if (position === null) return { db: replica.db };
      const needed = request.headers.get(MIN_LSN_HEADER);
      if (needed !== null && !(isLsn(needed) && lsnAtLeast(position, needed))) return { db: primary };
      positions.set(request, { header: READ_LSN_HEADER, lsn: position });
      return { db: replica.db, readLsn: position };
    },
  };
}
