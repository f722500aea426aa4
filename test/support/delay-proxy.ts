import net from 'node:net';

/** A TCP proxy of the test's own that passes every chunk on after `delayMs` (each way, order kept): a slow network to one server. */
export interface DelayProxy {
  port: number;
  /** The delay each chunk is held, ms (changeable while connections are open). */
  delayMs: number;
  close(): Promise<void>;
}

/** Starts a {@link DelayProxy} on a free loopback port forwarding to `127.0.0.1:<targetPort>`. */
export async function startDelayProxy(targetPort: number, delayMs: number): Promise<DelayProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: DelayProxy = {
    port: 0,
    delayMs,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    const pipe = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk: Buffer) => {
        // Timers of one duration fire in the order they were set: chunks keep their order.
        const delay = proxy.delayMs;
        if (delay <= 0) to.write(chunk);
        else setTimeout(() => to.writable && to.write(chunk), delay);
      });
    pipe(client, upstream);
    pipe(upstream, client);
    const close = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.port = (server.address() as net.AddressInfo).port;
  return proxy;
}
