import net from 'node:net';

/**
 * Waits until a TCP port on 127.0.0.1 accepts connections (`open`, the default) or refuses them
 * (`open: false`), probing every 50 ms.
 *
 * @throws Error `<what> on <port> did not start` (or `stop`) after `timeoutMs` (ms).
 */
export async function waitForPort(port: number, options: { what: string; open?: boolean; timeoutMs?: number }): Promise<void> {
  const { what, open = true, timeoutMs = 5_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (isOpen === open) return;
    if (Date.now() > deadline) throw new Error(`${what} on ${port} did not ${open ? 'start' : 'stop'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
