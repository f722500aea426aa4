import type { Server } from 'node:http';

/** How long a graceful close waits for requests in flight before cutting connections, in ms. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * Starts listening and resolves with the bound port (useful with port 0).
 *
 * @throws the `listen` error (`EADDRINUSE`, `EACCES`) instead of crashing the process.
 */
export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Closes an HTTP server gracefully: it stops accepting connections at once (new ones are
 * refused), lets requests in flight complete with `Connection: close`, closes idle keep-alive
 * connections, and after `timeoutMs` cuts whatever is left.
 */
export function closeGracefully(server: Server, timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
  if (!server.listening) return Promise.resolve();
  // Responses still to be written tell keep-alive clients not to send another request.
  server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
