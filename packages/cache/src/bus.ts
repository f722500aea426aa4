import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { ChangeEvent } from './change-event.js';

/** Where change events travel between the processes that write and the caches that hold. */
export interface InvalidationBus {
  /** Whether events published now will reach this process's subscribers. */
  readonly connected: boolean;
  /** Sends an event to every subscriber, this process's included. */
  publish(event: ChangeEvent): Promise<void>;
  /**
   * Receives every event. `connection.onLost` is called when the bus lost its connection (events
   * published meanwhile will not arrive: the subscriber must stop trusting what it holds), and
   * `onRestored` when it is back.
   */
  subscribe(handler: (event: ChangeEvent) => void, connection?: BusConnectionHandlers): () => void;
  close(): Promise<void>;
}

/** What a subscriber hears about the bus's connection. */
export interface BusConnectionHandlers {
  onLost?(): void;
  onRestored?(): void;
}

/** Single-instance mode (no `REDIS_URL`): events stay in this process. */
export function createInProcessBus(): InvalidationBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    connected: true,
    async publish(event) {
      emitter.emit('event', { ...event, at: event.at ?? Date.now() });
    },
    subscribe(handler) {
      emitter.on('event', handler);
      return () => emitter.off('event', handler);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Events over Redis pub/sub on `<prefix>invalidations`, reaching every gateway instance. A
 * subscriber's connection that drops (Redis restart, network cut) reports `onLost` when it is
 * back, because pub/sub keeps nothing for absent subscribers.
 *
 * @param publisher a connection for PUBLISH; `subscriber` a dedicated one (subscribe mode).
 */
export function createRedisBus(options: { publisher: Redis; subscriber: Redis; keyPrefix: string }): InvalidationBus {
  const channel = `${options.keyPrefix}invalidations`;
  const handlers = new Set<(event: ChangeEvent) => void>();
  const connections = new Set<BusConnectionHandlers>();
  let connected = subscriberReady(options.subscriber);
  const { subscriber } = options;
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let event: ChangeEvent;
    try {
      event = JSON.parse(message) as ChangeEvent;
    } catch {
      return;
    }
    for (const handler of handlers) handler(event);
  });
  subscriber.on('ready', () => {
    void subscriber.subscribe(channel).then(
      () => {
        if (connected) return;
        connected = true;
        for (const c of connections) c.onRestored?.();
      },
      () => undefined,
    );
  });
  subscriber.on('close', () => {
    if (!connected) return;
    connected = false;
    for (const c of connections) c.onLost?.();
  });
  void subscriber.subscribe(channel).catch(() => undefined);
  return {
    get connected() {
      return connected;
    },
    async publish(event) {
      await connectedWithin(options.publisher, 1_000);
      await options.publisher.publish(channel, JSON.stringify({ ...event, at: event.at ?? Date.now() }));
    },
    subscribe(handler, connection) {
      handlers.add(handler);
      if (connection) connections.add(connection);
      return () => {
        handlers.delete(handler);
        if (connection) connections.delete(connection);
      };
    },
    async close() {
      handlers.clear();
      connections.clear();
      subscriber.disconnect();
    },
  };
}

function subscriberReady(redis: Redis): boolean {
  return redis.status === 'ready';
}

/** Waits (up to `timeoutMs`) for a connection still being made; a broken one fails at once. */
async function connectedWithin(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status !== 'connecting' && redis.status !== 'wait' && redis.status !== 'connect') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
