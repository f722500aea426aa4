import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { SqlLogger } from './sql-metrics.js';

/** Delay before reconnecting a lost LISTEN connection, in ms (doubling up to 5 s). */
export const LISTEN_RETRY_MS = 250;

/** Callbacks of a LISTEN subscription. */
export interface ListenHandlers {
  /** Each NOTIFY payload, in commit order. */
  onPayload(payload: string): void;
  /**
   * The connection was lost and made again: notifications sent meanwhile are gone for good
   * (NOTIFY is not stored), so whoever trusted them must assume anything changed.
   */
  onResubscribed?(): void;
}

/** A running LISTEN; `close` ends it. */
export interface Listening {
  close(): Promise<void>;
}

/**
 * `LISTEN channel` on a dedicated `pg` connection (not one of the pool's), made again with
 * backoff when it drops.
 */
export async function listenPostgres(url: string, channel: string, handlers: ListenHandlers, logger?: SqlLogger): Promise<Listening> {
  let closed = false;
  let client: pg.Client | undefined;
  let retryMs = LISTEN_RETRY_MS;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'tributary-change-feed' });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onPayload(message.payload);
    });
    next.on('error', (error) => logger?.warn({ err: error.message }, 'change feed connection failed'));
    next.on('end', () => {
      if (closed) return;
      setTimeout(() => void reconnect(), retryMs).unref();
    });
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
    retryMs = LISTEN_RETRY_MS;
  };
  const reconnect = async (): Promise<void> => {
    if (closed) return;
    try {
      await connect();
      handlers.onResubscribed?.();
    } catch (error) {
      logger?.warn({ err: (error as Error).message }, 'change feed reconnect failed');
      retryMs = Math.min(retryMs * 2, 5_000);
      setTimeout(() => void reconnect(), retryMs).unref();
    }
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/** `LISTEN channel` on the embedded database (same process: nothing can be lost). */
export async function listenPGlite(pglite: PGlite, channel: string, handlers: ListenHandlers): Promise<Listening> {
  const unlisten = await pglite.listen(channel, (payload) => handlers.onPayload(payload));
  return { close: () => unlisten() };
}
