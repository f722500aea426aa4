import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The state of a process's long-lived connections (change feed, invalidation bus, Redis
 * clients), each owned by one reconnect loop that reports here; read by `/metrics` and
 * `/readyz`.
 *
 * - `tributary_connection_up{connection}`: 1 while the connection works, 0 while it is lost;
 * - `tributary_connection_losses_total{connection}`: how many times it was lost;
 * - `tributary_connection_pending_commands{connection}`: commands sent and not answered yet
 *   (for connections that report it: what waits on a hung server).
 */
export interface ConnectionStates {
  /** Records a connection's state; a change from up to down counts a loss. */
  set(connection: string, up: boolean): void;
  /** Reads `pending()` at each scrape into `tributary_connection_pending_commands{connection}`. */
  watchPending(connection: string, pending: () => number): void;
  /** Whether `connection` is up (unknown connections are not). */
  isUp(connection: string): boolean;
  /**
   * For `/readyz`: throws an Error naming each of `required` that is down (`change-feed down`).
   *
   * @throws Error `connections down: bus, change-feed`.
   */
  check(required: readonly string[]): void;
}

/** Registers the connection metrics on every registry given (one process may serve several). */
export function createConnectionStates(registries: readonly Registry[]): ConnectionStates {
  const up = new Gauge({ name: 'tributary_connection_up', help: 'Long-lived connections: 1 up, 0 lost (reconnecting)', labelNames: ['connection'], registers: [...registries] });
  const losses = new Counter({ name: 'tributary_connection_losses_total', help: 'Times each long-lived connection was lost', labelNames: ['connection'], registers: [...registries] });
  const states = new Map<string, boolean>();
  const pendingProbes = new Map<string, () => number>();
  new Gauge({
    name: 'tributary_connection_pending_commands',
    help: 'Commands sent on each connection and not answered yet',
    labelNames: ['connection'],
    registers: [...registries],
    collect() {
      for (const [connection, pending] of pendingProbes) this.set({ connection }, pending());
    },
  });
  return {
    watchPending: (connection, pending) => void pendingProbes.set(connection, pending),
    set(connection, isUp) {
      const was = states.get(connection);
      if (was === isUp) return;
      states.set(connection, isUp);
      up.set({ connection }, isUp ? 1 : 0);
      if (was === true && !isUp) losses.inc({ connection });
      else losses.inc({ connection }, 0);
    },
    isUp: (connection) => states.get(connection) === true,
    check(required) {
      const down = required.filter((c) => states.get(c) !== true);
      if (down.length > 0) throw new Error(`connections down: ${down.join(', ')}`);
    },
  };
}
