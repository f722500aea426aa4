import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { AckPolicy, DeliverPolicy, StorageType, connect as connectNats } from 'nats';

/**
 * The message transports `pnpm bench:bus` compares for invalidation events, each used the way
 * Tributary would use it: one publisher (the change feed), one subscriber per gateway.
 */
export const TRANSPORTS = ['redis-pubsub', 'rabbitmq-transient', 'rabbitmq-durable', 'nats-core', 'nats-jetstream'] as const;
/** One of {@link TRANSPORTS}. */
export type TransportName = (typeof TRANSPORTS)[number];

/** Where each broker listens: environment variables, else the development machine's defaults. */
export const BROKER_URLS = {
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  rabbitmq: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  nats: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
};

/** amqplib leaves Nagle's algorithm on unless asked; ioredis and nats turn it off. Same for all. */
const SOCKET_OPTIONS = { noDelay: true };

/** What each transport promises, for the report. */
export const GUARANTEES: Record<TransportName, string> = {
  'redis-pubsub': 'at most once; a disconnected subscriber misses events (Tributary flushes on reconnect)',
  'rabbitmq-transient': 'fanout to an exclusive queue per subscriber; lost with the subscriber or the broker',
  'rabbitmq-durable': 'persistent messages, durable queue per subscriber, publisher confirms: survives broker and subscriber restarts',
  'nats-core': 'at most once, like Redis pub/sub',
  'nats-jetstream': 'file-backed stream, acknowledged publish, consumer can replay from a sequence',
};

/** A connected publisher; `publish` resolves when the transport has taken the message (as the change feed awaits it). */
export interface Publisher {
  publish(message: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** A connected subscriber (see {@link createSubscriber}); `close` disconnects it. */
export interface Subscriber {
  close(): Promise<void>;
}

/** Names shared by the publisher and subscribers of one run: a channel, exchange, subject or stream. */
export function topicFor(transport: TransportName): string {
  return `tributary_bench_bus_${transport.replace(/-/g, '_')}_${randomBytes(4).toString('hex')}`;
}

/** Sets up what the transport needs before anyone subscribes (a stream, an exchange). */
export async function prepare(transport: TransportName, topic: string): Promise<() => Promise<void>> {
  if (transport === 'nats-jetstream') {
    const nc = await connectNats({ servers: BROKER_URLS.nats });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: topic, subjects: [topic], storage: StorageType.File });
    return async () => {
      const again = await connectNats({ servers: BROKER_URLS.nats });
      await (await again.jetstreamManager()).streams.delete(topic);
      await again.close();
      await nc.close();
    };
  }
  if (transport.startsWith('rabbitmq')) {
    const connection = await amqp.connect(BROKER_URLS.rabbitmq, SOCKET_OPTIONS);
    const channel = await connection.createChannel();
    await channel.assertExchange(topic, 'fanout', { durable: transport === 'rabbitmq-durable', autoDelete: false });
    return async () => {
      await channel.deleteQueue(`${topic}_gateway_1`); // the durable variant's queue; a no-op otherwise
      await channel.deleteExchange(topic);
      await connection.close();
    };
  }
  return async () => undefined;
}

/** Connects a publisher on `topic`. */
export async function createPublisher(transport: TransportName, topic: string): Promise<Publisher> {
  switch (transport) {
    case 'redis-pubsub': {
      const redis = new Redis(BROKER_URLS.redis);
      return { publish: async (m) => void (await redis.publish(topic, m)), close: async () => void redis.disconnect() };
    }
    case 'rabbitmq-transient': {
      const connection = await amqp.connect(BROKER_URLS.rabbitmq, SOCKET_OPTIONS);
      const channel = await connection.createChannel();
      return { publish: async (m) => void channel.publish(topic, '', m, { persistent: false }), close: () => connection.close() };
    }
    case 'rabbitmq-durable': {
      const connection = await amqp.connect(BROKER_URLS.rabbitmq, SOCKET_OPTIONS);
      const channel = await connection.createConfirmChannel();
      const publish = (m: Buffer) => new Promise<void>((resolve, reject) => channel.publish(topic, '', m, { persistent: true }, (error) => (error ? reject(error) : resolve())));
      return { publish, close: () => connection.close() };
    }
    case 'nats-core': {
      const nc = await connectNats({ servers: BROKER_URLS.nats });
      return { publish: async (m) => nc.publish(topic, m), close: () => nc.close() };
    }
    case 'nats-jetstream': {
      const nc = await connectNats({ servers: BROKER_URLS.nats });
      const js = nc.jetstream();
      return { publish: async (m) => void (await js.publish(topic, m)), close: () => nc.close() };
    }
  }
}

/** Connects a subscriber on `topic`; resolves once it is subscribed. */
export async function createSubscriber(transport: TransportName, topic: string, onMessage: (message: Buffer) => void): Promise<Subscriber> {
  switch (transport) {
    case 'redis-pubsub': {
      const redis = new Redis(BROKER_URLS.redis);
      redis.on('messageBuffer', (_channel: Buffer, message: Buffer) => onMessage(message));
      await redis.subscribe(topic);
      return { close: async () => void redis.disconnect() };
    }
    case 'rabbitmq-transient':
    case 'rabbitmq-durable': {
      const durable = transport === 'rabbitmq-durable';
      const connection = await amqp.connect(BROKER_URLS.rabbitmq, SOCKET_OPTIONS);
      connection.on('error', () => undefined); // a close racing an ack; the run's result is already out
      const channel = await connection.createChannel();
      // Durable: a named queue per gateway that outlives its consumer (replay after a restart).
      const queue = await channel.assertQueue(durable ? `${topic}_gateway_1` : '', { exclusive: !durable, durable, autoDelete: false });
      await channel.bindQueue(queue.queue, topic, '');
      await channel.prefetch(256);
      await channel.consume(queue.queue, (message) => {
        if (!message) return;
        onMessage(message.content);
        channel.ack(message);
      });
      return { close: () => connection.close() };
    }
    case 'nats-core': {
      const nc = await connectNats({ servers: BROKER_URLS.nats });
      nc.subscribe(topic, { callback: (_error, message) => onMessage(Buffer.from(message.data)) });
      await nc.flush();
      return { close: () => nc.close() };
    }
    case 'nats-jetstream': {
      const nc = await connectNats({ servers: BROKER_URLS.nats });
      const jsm = await nc.jetstreamManager();
      // A durable consumer per gateway: after a restart it resumes from its last acknowledged sequence.
      await jsm.consumers.add(topic, { durable_name: 'gateway_1', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New });
      const consumer = await nc.jetstream().consumers.get(topic, 'gateway_1');
      const messages = await consumer.consume({ max_messages: 256 });
      void (async () => {
        for await (const message of messages) {
          onMessage(Buffer.from(message.data));
          message.ack();
        }
      })();
      return {
        close: async () => {
          await messages.close();
          await nc.close();
        },
      };
    }
  }
}
