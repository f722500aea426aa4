import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import { createBusSubscribers } from './bus-subscribers.js';
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

/** Each Redis bus publishes a heartbeat this often, in ms. */
export const BUS_HEARTBEAT_MS = 100;
/**
 * The bus counts as lost when a heartbeat it published has not come back within this many ms.
 * Checked at each heartbeat, so a hung Redis (SIGSTOP) or a network cut without a reset is
 * noticed within {@link BUS_LOSS_BOUND_MS} of its start; a closed socket at once.
 */
export const BUS_SILENCE_MS = 700;
/** The bound on noticing a silent bus, in ms: the silence, plus up to two heartbeat periods. */
export const BUS_LOSS_BOUND_MS = BUS_SILENCE_MS + 2 * BUS_HEARTBEAT_MS;
/** After this much silence (ms) the subscriber's socket is dropped and made again. */
export const BUS_RESUBSCRIBE_AFTER_MS = 3_000;

/** Options of {@link createRedisBus}. */
export interface RedisBusOptions {
  /** A connection for PUBLISH (commands fail fast while it is down); on a cluster, a cluster client. */
  publisher: Redis | Cluster;
  /**
   * A dedicated connection in subscribe mode, without ioredis's own resubscription. On a Redis
   * Cluster, a cluster client of its own: ioredis subscribes on one node and moves to another
   * (resubscribing) when that node goes; `PUBLISH` reaches every node of the cluster.
   */
  subscriber: Redis | Cluster;
  keyPrefix: string;
  /** A name unique to this process, for its heartbeat channel. Default: random. */
  instanceId?: string;
  /**
   * Called when the bus fails in a way no connection state shows: `subscribe` (the SUBSCRIBE
   * command failed: no events arrive until the next `ready` or the heartbeat's resubscribe) and
   * `malformed-event` (a message on the channel that is not JSON: dropped). Give it an error
   * reporter (logged once per cause per interval, counted in `/metrics`).
   */
  onError?: (error: Error, failure: RedisBusFailure) => void;
}

/** What {@link RedisBusOptions.onError} is told failed. */
export type RedisBusFailure = 'subscribe' | 'malformed-event';

/**
 * Events over Redis pub/sub on `<prefix>invalidations`, reaching every gateway instance.
 *
 * The bus proves itself: every {@link BUS_HEARTBEAT_MS} it publishes a heartbeat on
 * `<prefix>heartbeat:<instance>`, a channel its subscriber listens to on the same connection as
 * the invalidations, and it is lost (`onLost`) when its subscriber's socket closes or when a
 * heartbeat has not come back within {@link BUS_SILENCE_MS}; it is back (`onRestored`) when a
 * heartbeat comes back again. Events published while it was lost are gone (pub/sub keeps
 * nothing): subscribers must stop trusting what they hold. The subscriber subscribes on each
 * `ready` (the only owner of the subscription).
 */
export function createRedisBus(options: RedisBusOptions): InvalidationBus {
  const channel = `${options.keyPrefix}invalidations`;
  const heartbeatChannel = `${options.keyPrefix}heartbeat:${options.instanceId ?? randomUUID()}`;
  const subscribers = createBusSubscribers();
  const { subscriber, publisher } = options;
  let connected = false;
  let closed = false;
  /** Heartbeats published and not heard back yet: sequence → when sent. */
  const outstanding = new Map<number, number>();
  let sequence = 0;
  let silentSince: number | undefined;

  const lose = () => {
    if (!connected) return;
    connected = false;
    subscribers.lost();
  };
  const restore = () => {
    if (connected || closed) return;
    connected = true;
    subscribers.restored();
  };
  subscriber.on('message', (from: string, message: string) => {
    if (from === heartbeatChannel) {
      const heard = Number(message);
      for (const sent of outstanding.keys()) if (sent <= heard) outstanding.delete(sent);
      silentSince = undefined;
      if (subscriber.status === 'ready') restore();
      return;
    }
    if (from !== channel) return;
    let event: ChangeEvent;
    try {
      event = JSON.parse(message) as ChangeEvent;
    } catch (error) {
      options.onError?.(error as Error, 'malformed-event');
      return;
    }
    subscribers.deliver(event);
  });
  // A heartbeat right after subscribing: the bus is trusted as soon as it is proven.
  const subscribe = () => void subscriber.subscribe(channel, heartbeatChannel).then(beat, (error: Error) => options.onError?.(error, 'subscribe'));
  subscriber.on('ready', subscribe);
  subscriber.on('close', lose);
  if (subscriber.status === 'ready') subscribe();

  function beat() {
    if (closed) return;
    const now = Date.now();
    const seq = ++sequence;
    outstanding.set(seq, now);
    void publisher.publish(heartbeatChannel, String(seq)).catch(() => undefined);
    // Judged after pending I/O is read: a stalled event loop is not a silent bus.
    setImmediate(() => {
      const oldest = outstanding.values().next().value;
      if (oldest === undefined || now - oldest <= BUS_SILENCE_MS) return;
      for (const [sent, at] of outstanding) if (now - at > 10 * BUS_SILENCE_MS) outstanding.delete(sent);
      lose();
      silentSince ??= now;
      if (now - silentSince > BUS_RESUBSCRIBE_AFTER_MS && subscriber.status === 'ready') {
        silentSince = now;
        subscriber.disconnect(true);
      }
    });
  }
  const heartbeat = setInterval(beat, BUS_HEARTBEAT_MS);
  heartbeat.unref();
  return {
    get connected() {
      return connected;
    },
    async publish(event) {
      await connectedWithin(publisher, 1_000);
      await publisher.publish(channel, JSON.stringify({ ...event, at: event.at ?? Date.now() }));
    },
    subscribe: subscribers.subscribe,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      subscribers.clear();
      subscriber.disconnect();
    },
  };
}

/** Waits (up to `timeoutMs`) for a connection still being made; a broken one fails at once. */
async function connectedWithin(redis: Redis | Cluster, timeoutMs: number): Promise<void> {
  if (redis.status !== 'connecting' && redis.status !== 'wait' && redis.status !== 'connect') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
