import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Backoff, backoffDelay } from '@tributary/runtime';
import { settleWithin, sleep } from './deadline.js';
import type { SqlLogger } from './sql-metrics.js';

/** Delays between attempts to make a lost LISTEN connection again, in ms (jittered). */
export const LISTEN_BACKOFF: Backoff = { baseMs: 250, capMs: 5_000 };
/** A LISTEN connection sends `SELECT 1` this often, in ms, to find out it hangs. */
export const LISTEN_HEARTBEAT_MS = 1_000;
/**
 * A connection that does not answer its heartbeat, or a connect that does not finish, within
 * this many ms is given up (a hung server or a network cut without a reset looks the same).
 * Not shorter: a Postgres slowed down by load must not cost every cache a flush.
 */
export const LISTEN_TIMEOUT_MS = 3_000;

/** `application_name` of the LISTEN connection (count them in `pg_stat_activity`). */
export const LISTEN_APPLICATION_NAME = 'tributary-change-feed';

/** Where a LISTEN subscription is: `listening` is the only state in which writes are heard. */
export type ListenState = 'connecting' | 'listening' | 'retrying' | 'closed';

/** Callbacks of a LISTEN subscription. */
export interface ListenHandlers {
  /**
   * Each NOTIFY payload, in commit order; with `stampLsn`, with the primary's
   * `pg_current_wal_insert_lsn()` read after it arrived (at or past its transaction's commit).
   */
  onPayload(payload: string, lsn?: string): void;
  /**
   * The connection was lost and made again: notifications sent meanwhile are gone for good
   * (NOTIFY is not stored), so whoever trusted them must assume anything changed. With
   * `stampLsn`, `lsn` is the primary's position once listening again (every unheard write is before it).
   */
  onResubscribed?(lsn?: string): void;
  /** Each change of state (for `/metrics` and `/readyz`). */
  onState?(state: ListenState): void;
}

/** Options of {@link listenPostgres}. */
export interface ListenOptions {
  /**
   * Stamp what is heard with a WAL position of the primary, for replica reads: each batch of
   * notifications with `pg_current_wal_insert_lsn()` read on the same connection after they arrived
   * (NOTIFY is delivered after commit, so the position is at or past their commits), and each
   * (re)subscription with the position once listening. One `SELECT` per batch. Default false.
   */
  stampLsn?: boolean;
}

/** A running LISTEN; `close` ends it. */
export interface Listening {
  readonly state: ListenState;
  /** With `stampLsn`: the primary's WAL position when the first LISTEN took effect. */
  readonly startLsn?: string;
  close(): Promise<void>;
}

/**
 * `LISTEN channel` on a dedicated `pg` connection (not one of the pool's), owned by one loop:
 * connect (bounded by {@link LISTEN_TIMEOUT_MS}, 3 s), listen, send a heartbeat every
 * {@link LISTEN_HEARTBEAT_MS} until the connection ends, fails or stops answering, destroy its
 * socket, wait (jittered backoff, capped at 5 s) and start again. Nothing else schedules a
 * reconnect, so there is at most one connection, whatever the shape of the outage (refused,
 * reset, terminated, hung), and the loop never stops before `close`.
 *
 * @throws the first connect's error (the caller's start fails; later losses are retried).
 */
export async function listenPostgres(url: string, channel: string, handlers: ListenHandlers, logger?: SqlLogger, options: ListenOptions = {}): Promise<Listening> {
  const stop = new AbortController();
  let state: ListenState = 'connecting';
  let socket: net.Socket | undefined;
  const setState = (next: ListenState) => {
    if (next === state) return;
    state = next;
    handlers.onState?.(next);
  };

  /** One connection's life: resolves when it is over (and its socket destroyed). */
  const session = async (onListening: (lsn: string | undefined) => void): Promise<void> => {
    const own = new net.Socket();
    socket = own;
    const client = new pg.Client({ connectionString: url, application_name: LISTEN_APPLICATION_NAME, keepAlive: true, stream: () => own });
    const lost = new Promise<Error>((resolve) => {
      client.on('error', resolve);
      client.on('end', () => resolve(new Error('connection ended')));
    });
    const stamper = options.stampLsn ? createStamper(client, handlers) : undefined;
    client.on('notification', (message) => {
      if (message.channel !== channel || message.payload === undefined) return;
      if (stamper) stamper.heard(message.payload);
      else handlers.onPayload(message.payload);
    });
    try {
      await settleWithin(Promise.race([client.connect().then(() => client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)), lost.then((e) => Promise.reject(e))]), LISTEN_TIMEOUT_MS, 'LISTEN connect');
      onListening(stamper ? await settleWithin(currentLsn(client), LISTEN_TIMEOUT_MS, 'LISTEN position') : undefined);
      const reason = await Promise.race([lost, heartbeats(client, stop.signal)]);
      if (!stop.signal.aborted) logger?.warn({ err: reason.message }, 'change feed connection lost; reconnecting');
    } finally {
      own.destroy();
      client.end().catch(() => undefined);
    }
  };

  let startLsn: string | undefined;
  let resolveFirst!: () => void;
  let rejectFirst!: (error: Error) => void;
  const first = new Promise<void>((resolve, reject) => ((resolveFirst = resolve), (rejectFirst = reject)));
  const loop = async () => {
    let attempt = 0;
    let listened = false;
    while (!stop.signal.aborted) {
      setState('connecting');
      try {
        await session((lsn) => {
          attempt = 0;
          setState('listening');
          if (listened) handlers.onResubscribed?.(lsn);
          else {
            startLsn = lsn;
            resolveFirst();
          }
          listened = true;
        });
      } catch (error) {
        if (!listened) return rejectFirst(error as Error);
        logger?.warn({ err: (error as Error).message, attempt }, 'change feed reconnect failed');
      }
      if (stop.signal.aborted) break;
      setState('retrying');
      await sleep(backoffDelay(++attempt, LISTEN_BACKOFF), stop.signal);
    }
  };
  void loop();
  await first;
  return {
    get state() {
      return state;
    },
    startLsn,
    close: async () => {
      stop.abort();
      socket?.destroy();
      setState('closed');
    },
  };
}

/** The primary's `pg_current_wal_insert_lsn()` (`hex/hex`), on `client`. */
async function currentLsn(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

/**
 * Delivers notifications in batches, each stamped with one `pg_current_wal_insert_lsn()` sent on the
 * LISTEN connection after the batch arrived: Postgres sends a notification only after its
 * transaction committed, so the position read afterwards is at or past that commit (an upper
 * bound: safe, since a replica is trusted only once it is past it). Order is kept; a batch whose
 * stamp fails is dropped with the connection, which is then made again and a flush published.
 */
function createStamper(client: pg.Client, handlers: ListenHandlers): { heard(payload: string): void } {
  let pending: string[] = [];
  let stamping = false;
  const drain = async () => {
    stamping = true;
    try {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        const lsn = await currentLsn(client);
        for (const payload of batch) handlers.onPayload(payload, lsn);
      }
    } catch {
      // The connection failed: the session ends on its own and the resubscription flushes.
      pending = [];
    } finally {
      stamping = false;
    }
  };
  return {
    heard(payload) {
      pending.push(payload);
      if (!stamping) void drain();
    },
  };
}

/** Resolves with the reason once a `SELECT 1` fails or does not answer in time. */
async function heartbeats(client: pg.Client, signal: AbortSignal): Promise<Error> {
  for (;;) {
    await sleep(LISTEN_HEARTBEAT_MS, signal);
    if (signal.aborted) return new Error('closed');
    try {
      await settleWithin(client.query('SELECT 1'), LISTEN_TIMEOUT_MS, 'LISTEN heartbeat');
    } catch (error) {
      return error as Error;
    }
  }
}

/** `LISTEN channel` on the embedded database (same process: nothing can be lost). */
export async function listenPGlite(pglite: PGlite, channel: string, handlers: ListenHandlers): Promise<Listening> {
  const unlisten = await pglite.listen(channel, (payload) => handlers.onPayload(payload));
  let state: ListenState = 'listening';
  return {
    get state() {
      return state;
    },
    close: async () => {
      state = 'closed';
      await unlisten();
    },
  };
}
