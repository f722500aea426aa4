import { randomUUID } from 'node:crypto';
import type { InvalidationBus } from './bus.js';
import type { ChangeEvent } from './change-event.js';
import type { ChangeMap, RowChange } from './change-map.js';
import { maxLsn } from '@tributary/runtime';

/** How often a flush that could not be published is tried again, in ms. */
export const FLUSH_RETRY_MS = 500;

/** The part of a database handle the change feed uses (see `@tributary/database`). */
export interface ListenableDatabase {
  /**
   * `LISTEN channel`. A database whose reads may go to a replica stamps each payload, each
   * resubscription and the first LISTEN (`startLsn`) with a WAL position of the primary at or
   * past the writes heard (`hex/hex`); the events then carry it as `lsn`.
   */
  listen(
    channel: string,
    handlers: { onPayload(payload: string, lsn?: string): void; onResubscribed?(lsn?: string): void; onState?(state: 'connecting' | 'listening' | 'retrying' | 'closed'): void },
  ): Promise<{ close(): Promise<void>; readonly startLsn?: string }>;
  /** Runs `NOTIFY channel, payload` (outside any transaction). */
  notify(channel: string, payload: string): Promise<void>;
}

/** Postgres row changes turned into change events on the bus. */
export interface ChangeFeed {
  /**
   * Resolves once every change committed before the call has been published: a NOTIFY fence
   * sent now arrives after them (Postgres delivers notifications in commit order). Mutations
   * await it before answering, so that the caches hear about a write before its author can read.
   */
  fence(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link createChangeFeed}. */
export interface ChangeFeedOptions {
  database: ListenableDatabase;
  channel: string;
  bus: InvalidationBus;
  /**
   * Row changes → change events: `createChangeMap(CHINOOK_FIELD_SOURCES)` for Chinook (the
   * declarations live in `@tributary/database`, which this package does not import).
   */
  changeMap: ChangeMap;
  logger?: { warn(obj: object, msg: string): void };
  /** Called with each event published, for metrics and tests. */
  onEvent?: (event: ChangeEvent) => void;
  /**
   * Called when the LISTEN connection is lost (`false`: writes are not heard until it is back,
   * then a flush is published) and made again (`true`), for `/metrics` and `/readyz`.
   */
  onListening?: (listening: boolean) => void;
  /** Called when a mutation's fence gives up (also logged, at most once per {@link FENCE_WARNING_INTERVAL_MS}). */
  onFenceTimeout?: () => void;
  /**
   * With a stamping database (read replicas): publish a stamped `fence` (`id: "position"`) this
   * often, in ms, even when nothing is written, so that a gateway that starts listening (or
   * listens again) learns a position past every event it missed within that time (until then it
   * stores no replica read). Sent as a NOTIFY through the change channel, stamped like any
   * notification. Absent: never.
   */
  positionEveryMs?: number;
}

/** At most one warning per this many ms about fences that gave up (a LISTEN outage fails them all). */
export const FENCE_WARNING_INTERVAL_MS = 10_000;

/**
 * Listens to `NOTIFY <channel>` (the row-change triggers), maps each row change to change
 * events (`options.changeMap`) and publishes them in order; a payload `{ "event": … }` (an
 * operator's invalidation) is published as it is. It publishes a `flush` when it starts (writes
 * made while nothing listened were not heard), when its LISTEN connection was lost
 * (notifications are not stored), and, retried every 500 ms, when publishing failed.
 */
export async function createChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const { bus, logger } = options;
  let lastFenceWarning = -Infinity;
  const fences = new Map<string, () => void>();
  let queue = Promise.resolve();
  let missed = false;

  let retry: NodeJS.Timeout | undefined;
  /** The highest WAL position heard (stamped databases): every write whose event was lost is at or before it. */
  let heardLsn: string | undefined;
  const lostFlush = (): ChangeEvent => ({ kind: 'flush', reason: 'change events were lost while the bus was down', ...(heardLsn === undefined ? {} : { lsn: heardLsn }) });
  const publish = async (event: ChangeEvent) => {
    heardLsn = maxLsn(heardLsn, event.lsn);
    try {
      if (missed) {
        await bus.publish(lostFlush());
        missed = false;
      }
      await bus.publish(event);
      options.onEvent?.(event);
    } catch (error) {
      if (!missed) logger?.warn({ err: (error as Error).message }, 'change event not published; caches will be flushed when the bus is back');
      missed = true;
      // Do not wait for the next write to tell the caches: retry the flush until the bus takes it.
      retry ??= setInterval(() => {
        if (!missed) return clearRetry();
        queue = queue.then(() =>
          bus.publish(lostFlush()).then(
            () => {
              missed = false;
              clearRetry();
            },
            () => undefined,
          ),
        );
      }, FLUSH_RETRY_MS);
      retry.unref();
    }
  };
  const clearRetry = () => {
    clearInterval(retry);
    retry = undefined;
  };
  const stamped = (event: ChangeEvent, lsn: string | undefined): ChangeEvent => (lsn === undefined ? event : { ...event, lsn });
  const handle = async (payload: string, lsn: string | undefined) => {
    const message = JSON.parse(payload) as RowChange | { fence: string } | { event: ChangeEvent } | { position: true };
    if ('position' in message) {
      if (lsn !== undefined) await publish({ kind: 'fence', id: 'position', lsn });
      return;
    }
    if ('fence' in message) {
      fences.get(message.fence)?.();
      fences.delete(message.fence);
      return;
    }
    if ('event' in message) {
      // An operator's invalidation (`pnpm cache:invalidate`) sent through Postgres.
      await publish(stamped(message.event, lsn));
      return;
    }
    for (const event of options.changeMap(message)) await publish(stamped(event, lsn));
  };
  const listening = await options.database.listen(options.channel, {
    onPayload: (payload, lsn) => {
      queue = queue.then(() => handle(payload, lsn)).catch((error) => logger?.warn({ err: (error as Error).message }, 'change notification not understood'));
    },
    onState: (state) => options.onListening?.(state === 'listening'),
    onResubscribed: (lsn) => {
      queue = queue.then(() => publish(stamped({ kind: 'flush', reason: 'change feed reconnected; notifications may have been lost' }, lsn)));
    },
  });
  const positions =
    options.positionEveryMs === undefined
      ? undefined
      : setInterval(() => {
          options.database.notify(options.channel, JSON.stringify({ position: true })).catch((error: Error) => logger?.warn({ err: error.message }, 'position not sent'));
        }, options.positionEveryMs);
  positions?.unref();
  // Writes made while no change feed listened (the subgraphs were down) were never heard.
  queue = queue.then(() => publish(stamped({ kind: 'flush', reason: 'change feed started; writes made before were not heard' }, listening.startLsn)));
  return {
    async fence(timeoutMs = 2_000) {
      const id = randomUUID();
      const arrived = new Promise<void>((resolve) => fences.set(id, resolve));
      await options.database.notify(options.channel, JSON.stringify({ fence: id }));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([arrived.then(() => queue).then(() => 'arrived' as const), timeout]);
      clearTimeout(timer);
      fences.delete(id);
      if (outcome === 'timeout') {
        // The mutation answers anyway (its write committed); its author may read stale until the events arrive.
        options.onFenceTimeout?.();
        const now = Date.now();
        if (now - lastFenceWarning >= FENCE_WARNING_INTERVAL_MS) {
          lastFenceWarning = now;
          logger?.warn({ timeoutMs }, 'mutation fence timed out: its change events were not published in time');
        }
      }
    },
    async close() {
      clearRetry();
      clearInterval(positions);
      await listening.close();
    },
  };
}
