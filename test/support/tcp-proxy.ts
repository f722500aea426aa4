import net from 'node:net';

/** How a {@link TcpProxy} treats connections: each is a shape of outage a client must survive. */
export type ProxyMode = 'forward' | 'refuse' | 'hang';

/**
 * A TCP proxy of the test's own in front of a shared server (Postgres on 5432), so that a test
 * can cut its own connections without touching the server others use.
 */
export interface TcpProxy {
  port: number;
  /** `forward`: pass bytes; `refuse`: stop listening (new connects get ECONNREFUSED); `hang`: accept and keep connections but pass nothing either way (a network cut without a reset). */
  setMode(mode: ProxyMode): Promise<void>;
  /** Resets (RST) every connection through the proxy; returns how many. */
  reset(): number;
  /** Connections open through the proxy now. */
  readonly open: number;
  /** While forwarding, each chunk is passed on after this many ms (each way, order kept): a slow network. Default 0; changeable while connections are open. */
  delayMs: number;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port forwarding to `127.0.0.1:<targetPort>`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const held: Array<() => void> = [];
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    const pair = { client, upstream };
    pairs.add(pair);
    const pipeWhenForwarding = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (mode !== 'hang') {
          // Timers of one duration fire in the order they were set: chunks keep their order.
          const delay = proxy.delayMs;
          if (delay <= 0) to.write(chunk);
          else setTimeout(() => to.writable && to.write(chunk), delay);
          return;
        }
        // Held until the proxy forwards again: the peer sees silence, not an error.
        from.pause();
        held.push(() => {
          to.write(chunk);
          from.resume();
        });
      });
    pipeWhenForwarding(client, upstream);
    pipeWhenForwarding(upstream, client);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => (server.off('error', reject), resolve())));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const reset = () => {
    const count = pairs.size;
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
    return count;
  };
  const proxy: TcpProxy = {
    port,
    delayMs: 0,
    get open() {
      return pairs.size;
    },
    async setMode(next) {
      if (next === mode) return;
      if (next === 'refuse') {
        reset();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      if (mode === 'refuse') await listen(port);
      mode = next;
      if (next === 'forward') for (const release of held.splice(0)) release();
    },
    reset,
    async close() {
      reset();
      if (mode !== 'refuse') await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
