import pg from 'pg';

/** Options of {@link createCancellingPool}. */
export interface CancellingPoolOptions {
  /** Where a statement's caller is: aborted means nobody waits for the statement any more. */
  signal: () => AbortSignal | undefined;
  /** Told when a cancel request could not be sent. */
  onCancelError?: (error: Error) => void;
}

/** The part of `pg.Pool` that Kysely's `PostgresDialect` uses. */
export interface KyselyPool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

/**
 * A `pg` pool whose statements stop when their caller is gone: when `signal()` (read as each
 * statement starts) aborts while the statement runs, Postgres is sent a cancel request for
 * that backend (the protocol's CancelRequest: no login, no connection slot), the statement fails
 * with SQLSTATE 57014 and its connection returns to the pool. A statement whose caller is
 * already gone is not sent at all. Without this, a request blocked on a lock holds its
 * connection until `statement_timeout`, long after the gateway gave up, and the pool starves.
 *
 * The cancel reaches the backend about a millisecond later; if the statement finished and the
 * connection was reused in that window, the cancel could hit the next statement, which then
 * fails like any cancelled statement.
 */
export function createCancellingPool(pool: pg.Pool, options: CancellingPoolOptions): KyselyPool {
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const cancelOn = (client: pg.PoolClient) => {
    const busy = client as pg.PoolClient & { activeQuery?: unknown };
    if (!busy.activeQuery) return;
    const canceller = new pg.Client(pool.options);
    const connection = (canceller as unknown as { connection: { on(event: 'error', listener: (error: Error) => void): void } }).connection;
    connection.on('error', (error) => options.onCancelError?.(error));
    (canceller as unknown as { cancel(client: pg.PoolClient, query: unknown): void }).cancel(client, busy.activeQuery);
  };
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    let proxy = wrapped.get(client);
    if (proxy) return proxy;
    proxy = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver);
        return (...args: unknown[]) => {
          const signal = options.signal();
          const query = (target.query as (...a: unknown[]) => unknown).bind(target);
          if (!signal || typeof args[0] !== 'string') return query(...args);
          if (signal.aborted) return Promise.reject(Object.assign(new Error('canceling statement: its caller went away'), { code: '57014' }));
          const onAbort = () => cancelOn(target);
          signal.addEventListener('abort', onAbort, { once: true });
          return (query(...args) as Promise<unknown>).finally(() => signal.removeEventListener('abort', onAbort));
        };
      },
    });
    wrapped.set(client, proxy);
    return proxy;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
