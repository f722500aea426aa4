import type { ChangeEvent } from './change-event.js';
import type { BusConnectionHandlers, InvalidationBus } from './bus.js';

/**
 * The subscribers of one bus: event handlers and connection watchers, as every bus
 * implementation (Redis pub/sub, the cluster relay) keeps them.
 */
export interface BusSubscribers {
  /** Calls every handler with `event`, in subscription order. */
  deliver(event: ChangeEvent): void;
  /** Tells every watcher that events may be lost from now on. */
  lost(): void;
  /** Tells every watcher that events arrive again. */
  restored(): void;
  /** `InvalidationBus.subscribe`: adds a handler (and a watcher); returns the function that removes them. */
  subscribe: InvalidationBus['subscribe'];
  /** Forgets every subscriber (the bus closes). */
  clear(): void;
}

/** An empty {@link BusSubscribers}. */
export function createBusSubscribers(): BusSubscribers {
  const handlers = new Set<(event: ChangeEvent) => void>();
  const connections = new Set<BusConnectionHandlers>();
  return {
    deliver(event) {
      for (const handler of handlers) handler(event);
    },
    lost() {
      for (const c of connections) c.onLost?.();
    },
    restored() {
      for (const c of connections) c.onRestored?.();
    },
    subscribe(handler, connection) {
      handlers.add(handler);
      if (connection) connections.add(connection);
      return () => {
        handlers.delete(handler);
        if (connection) connections.delete(connection);
      };
    },
    clear() {
      handlers.clear();
      connections.clear();
    },
  };
}
