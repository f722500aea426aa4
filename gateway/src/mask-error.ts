import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { REQUEST_ERROR_CODES } from '@tributary/runtime';
import { REFUSAL_CODES } from './refusal-codes.js';

/**
 * The gateway's one place for masking errors (Yoga's `maskedErrors.maskError`).
 *
 * Errors that a subgraph raised on purpose reach the gateway as GraphQL errors with an
 * `extensions.code` (`BAD_USER_INPUT`, later `FORBIDDEN`); clients must see those as they are,
 * at their path. They are rebuilt from message, path and `code` only (plus `argumentName`), so
 * that nothing else of the subgraph's response (stack, `originalError`) reaches the client.
 * Refusals (`REFUSAL_CODES`) keep their HTTP status for every `Accept`.
 * A GraphQL error without a code keeps its path and (outside production) its message, nothing
 * else. Everything else goes through Yoga's masking: "Unexpected error." in production.
 */
export function maskGatewayError(error: unknown, message: string, isDev?: boolean): Error {
  // Duck-typed: `@apollo/gateway` (CommonJS) and this module (ESM) may hold two copies of
  // graphql-js, so `instanceof GraphQLError` is not reliable across them.
  const graphqlError = isGraphQLError(error) ? error : undefined;
  const code = graphqlError?.extensions?.code;
  if (graphqlError && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    const extensions: Record<string, unknown> = { code };
    if (typeof graphqlError.extensions.argumentName === 'string') extensions.argumentName = graphqlError.extensions.argumentName;
    const http = graphqlError.extensions.http as { status?: number; spec?: boolean; headers?: Record<string, string> } | undefined;
    // A refused request (malformed body, over a limit, not a persisted operation) is the
    // client's fault whatever it accepts: Yoga would answer 200 to `application/json` clients
    // (`spec: true`); Tributary keeps the refusal's status, as for
    // `application/graphql-response+json`.
    if (REFUSAL_CODES.has(code)) extensions.http = { status: http?.status && http.status !== 200 ? http.status : 400, headers: http?.headers };
    // A document that does not parse or validate is a request error: 400 for every `Accept`,
    // as Apollo Server answers (Yoga would answer 200 to `application/json`).
    else if (REQUEST_ERROR_CODES.has(code)) extensions.http = { status: 400 };
    else if (http) extensions.http = http;
    // `source` and `positions` too: a syntax error has no nodes, only them, and its `locations` come from them (as Apollo Server and Yoga answer).
    return new GraphQLError(graphqlError.message, { nodes: graphqlError.nodes, source: graphqlError.source, positions: graphqlError.positions, path: graphqlError.path, extensions });
  }
  if (error instanceof SyntaxError || (error instanceof RangeError && /call stack/.test(error.message))) {
    // JSON in GET parameters that does not parse, or input nested past the stack: the client's.
    return new GraphQLError(error instanceof SyntaxError ? 'Request parameters are not valid JSON' : 'Request is nested too deeply', {
      extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
    });
  }
  if (graphqlError) {
    // A GraphQL error without a code (from the query planner or a subgraph): its message in
    // development, "Unexpected error." in production; never its other extensions (Apollo's
    // `extensions.response` holds the subgraph's URL and body).
    return new GraphQLError(isDev ? graphqlError.message : message, { nodes: graphqlError.nodes, path: graphqlError.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
  return yogaMaskError(error, message, isDev);
}

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && typeof (error as GraphQLError).extensions === 'object';
}
