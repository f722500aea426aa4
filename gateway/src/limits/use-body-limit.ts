import type { IncomingMessage } from 'node:http';
import { type Plugin, createGraphQLError } from 'graphql-yoga';

/** Only a single non-negative integer is a valid `Content-Length` (as Yoga reads it). */
const CONTENT_LENGTH = /^\d+$/;

/**
 * Yoga's `maxRequestBodySize` (give Yoga `maxRequestBodySize: false` and this plugin last): the
 * same refusals, 400 `BAD_REQUEST` for an invalid `Content-Length` and 413
 * `REQUEST_ENTITY_TOO_LARGE` for a declared or counted size over `limit` bytes, without Yoga's
 * cost on the common request. Yoga pipes every body through a counting `TransformStream` and
 * builds a second `Request`; a body that came through `node:http` with a valid `Content-Length`
 * within the limit is exactly that long (Node's parser delivers that many bytes and refuses a
 * request that also says `Transfer-Encoding`), so it is read as it is. Bodies without the header
 * (chunked) and requests not from `node:http` (`yoga.fetch`) are counted as Yoga counts them.
 *
 * @example
 * createYoga({ maxRequestBodySize: false, plugins: [...others, useBodyLimit(102_400)] })
 */
export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength != null) {
        if (!CONTENT_LENGTH.test(contentLength)) throw invalidContentLength();
        if (Number(contentLength) > limit) throw tooLarge();
        if (isNodeRequest((serverContext as { req?: unknown } | undefined)?.req)) return;
      }
      if (requestParser == null || request.body == null) return;
      const parse = requestParser;
      setRequestParser((req) => parse(counted(req, limit, fetchAPI)));
    },
  };
}

function isNodeRequest(req: unknown): req is IncomingMessage {
  return typeof req === 'object' && req !== null && 'socket' in req && 'httpVersion' in req;
}

/** The request with its body counted on the way: an error once past `limit` bytes (Yoga's `limitRequestBodySize`). */
function counted(request: Request, limit: number, fetchAPI: { TransformStream: typeof TransformStream; Request: typeof Request }): Request {
  const body = request.body;
  if (!body) return request;
  // A native stream needs the native TransformStream, the ponyfill's its own (graphql-yoga#4583).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const limited = body.pipeThrough(
    new Transform({
      transform(chunk: Uint8Array, controller) {
        read += chunk.byteLength;
        if (read > limit) {
          controller.error(tooLarge());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: limited, duplex: 'half' } as RequestInit);
}

function tooLarge() {
  return createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
}

function invalidContentLength() {
  return createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
}
