import cluster, { type Worker } from 'node:cluster';
import type { BusConnectionHandlers, ChangeEvent, InvalidationBus } from '@tributary/cache';

/** IPC message: an event the primary relays to a worker. */
interface RelayedEvent {
  tributary: 'bus-event';
  event: ChangeEvent;
}
/** IPC message: an event a worker asks the primary to publish on its bus. */
interface PublishRequest {
  tributary: 'bus-publish';
  event: ChangeEvent;
}

const isRelayed = (message: unknown): message is RelayedEvent => (message as RelayedEvent | null)?.tributary === 'bus-event';
const isPublish = (message: unknown): message is PublishRequest => (message as PublishRequest | null)?.tributary === 'bus-publish';

/**
 * Primary side of the worker relay (`GATEWAY_WORKERS` > 1 without `REDIS_URL`): every event on
 * `bus` (the primary's in-process bus, where the subgraphs' change feed publishes) is sent to
 * every worker, in the order the bus delivers it; what a worker publishes (fences after its
 * mutations, operator events) is published on `bus`, and so comes back to every worker. IPC keeps
 * the order of one channel, so a fence a worker hears back arrives after every event the primary
 * relayed to it before. Returns the function that stops relaying.
 */
export function relayBusToWorkers(bus: InvalidationBus): () => void {
  const unsubscribe = bus.subscribe((event) => {
    const message: RelayedEvent = { tributary: 'bus-event', event };
    for (const worker of Object.values(cluster.workers ?? {})) if (worker?.isConnected()) worker.send(message);
  });
  const onMessage = (_worker: Worker, message: unknown) => {
    if (isPublish(message)) void bus.publish(message.event).catch(() => undefined);
  };
  cluster.on('message', onMessage);
  return () => {
    unsubscribe();
    cluster.off('message', onMessage);
  };
}

/**
 * Worker side of the relay: an {@link InvalidationBus} whose events come from the primary over
 * IPC. Connected while the IPC channel is; when it closes (the primary died), subscribers hear
 * `onLost` and stop trusting what they hold (events can no longer reach this worker).
 *
 * @throws when called outside a cluster worker.
 */
export function createWorkerRelayBus(): InvalidationBus {
  if (!cluster.isWorker || !process.send) throw new Error('createWorkerRelayBus: not a cluster worker');
  const handlers = new Set<(event: ChangeEvent) => void>();
  const connections = new Set<BusConnectionHandlers>();
  const onMessage = (message: unknown) => {
    if (!isRelayed(message)) return;
    for (const handler of handlers) handler(message.event);
  };
  const onDisconnect = () => {
    for (const c of connections) c.onLost?.();
  };
  process.on('message', onMessage);
  process.once('disconnect', onDisconnect);
  return {
    get connected() {
      return process.connected;
    },
    async publish(event) {
      if (!process.connected) throw new Error('the cluster primary is gone: cannot publish');
      const message: PublishRequest = { tributary: 'bus-publish', event: { ...event, at: event.at ?? Date.now() } };
      await new Promise<void>((resolve, reject) => process.send!(message, undefined, undefined, (error) => (error ? reject(error) : resolve())));
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
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
    },
  };
}
