import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

const scope = new AsyncLocalStorage<AbortSignal>();

/**
 * Wraps a Node request listener so that everything the request runs (resolvers, DataLoader
 * batches, SQL statements, fetches) can read {@link currentRequestSignal}: a signal aborted when
 * the caller goes away before the response is complete (it closed the connection, or gave up
 * after its own timeout). What the request still does for nobody can then stop.
 */
export function withRequestSignal(listener: RequestListener): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const controller = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) controller.abort(new Error('the caller went away before the response was complete'));
    });
    scope.run(controller.signal, () => listener(request, response));
  };
}

/** The signal of the HTTP request being served (see {@link withRequestSignal}); `undefined` outside one. */
export function currentRequestSignal(): AbortSignal | undefined {
  return scope.getStore();
}
