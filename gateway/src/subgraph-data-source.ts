import { RemoteGraphQLDataSource } from './apollo/apollo-gateway.js';
import { ANONYMOUS, IDENTITY_HEADER, MIN_LSN_HEADER, type Principal, WRITE_LSN_HEADER, principalSubject } from '@tributary/runtime';
import { Kind, type SelectionSetNode, parse } from 'graphql';
import type { GatewayMetrics } from './metrics.js';
import type { WritePositions } from './write-positions.js';

/** Carries a fetch's id from `willSendRequest` to the fetcher, which removes it: never sent. */
const FETCH_ID_HEADER = 'x-tributary-fetch-id';
/** Fetches between `willSendRequest` and the fetcher at once, at most. */
const MAX_PENDING_FETCHES = 10_000;

/** Options of {@link createSubgraphDataSource}. */
export interface SubgraphDataSourceOptions {
  /** The subgraph's name in the supergraph (`catalog`): the `subgraph` label of metrics. */
  name: string;
  /** Its GraphQL endpoint (`http://127.0.0.1:4001/graphql`). */
  url: string;
  /** Where fetch durations and outcomes go (`tributary_gateway_subgraph_fetch_duration_seconds`). */
  metrics: GatewayMetrics;
  /** A fetch slower than this is aborted, in ms (`GATEWAY_SUBGRAPH_TIMEOUT_MS`, default 10,000). */
  timeoutMs: number;
  /** Signs the request's principal into the internal identity header. */
  signIdentity: (principal: Principal) => Promise<string>;
  /**
   * Read-your-writes over read replicas: where each principal last wrote (shared by every
   * subgraph's data source). Absent: nothing is remembered or sent.
   */
  writePositions?: WritePositions;
}

/**
 * The gateway's connection to one subgraph: Apollo's `RemoteGraphQLDataSource` over Node's
 * built-in fetch (undici), which keeps connections alive between requests, with each fetch
 * timed into `tributary_gateway_subgraph_fetch_duration_seconds{subgraph}` and bounded by
 * `timeoutMs`. A subgraph that cannot be reached yields `SUBGRAPH_UNAVAILABLE` errors at the
 * paths of the fields it should have served. Mutations are never retried: a fetch is made once.
 */
export function createSubgraphDataSource(options: SubgraphDataSourceOptions): RemoteGraphQLDataSource {
  const { name, url, metrics, timeoutMs } = options;
  // Each client request's signal, from `willSendRequest` (which sees the request's context) to the
  // fetcher (which sees only the fetch's headers: Apollo builds the init without a signal).
  const clientSignals = new Map<string, AbortSignal>();
  let fetchIds = 0;
  const fetcher = async (input: string, init?: RequestInit): Promise<Response> => {
    const started = performance.now();
    const headers = init?.headers as Record<string, string> | undefined;
    const fetchId = headers?.[FETCH_ID_HEADER];
    const client = fetchId === undefined ? undefined : clientSignals.get(fetchId);
    if (fetchId !== undefined) {
      clientSignals.delete(fetchId);
      delete headers![FETCH_ID_HEADER];
    }
    let outcome = 'error';
    try {
      // A client that goes away takes its subgraph fetches with it (and the subgraph then cancels
      // their SQL): nothing keeps working for nobody.
      const signal = client ? AbortSignal.any([AbortSignal.timeout(timeoutMs), client]) : AbortSignal.timeout(timeoutMs);
      const response = await fetch(input, { ...init, signal });
      outcome = response.ok ? 'success' : 'http_error';
      return response.ok ? response : await fromHttpError(name, response, init?.body);
    } catch (error) {
      if (client?.aborted) outcome = 'abandoned';
      return unavailableResponse(name, client?.aborted ? 'the client went away' : describeFailure(error, timeoutMs), init?.body);
    } finally {
      metrics.subgraphFetchDuration.observe({ subgraph: name, outcome }, (performance.now() - started) / 1000);
    }
  };
  return new RemoteGraphQLDataSource<{ principal?: Principal; request?: Request }>({
    url,
    fetcher: fetcher as unknown as RemoteGraphQLDataSource['fetcher'],

    // Only what the gateway itself sets reaches a subgraph: client headers are never forwarded,
    // so a client's own identity header is dropped here.
    async willSendRequest({ request, context }) {
      request.http!.headers.set(IDENTITY_HEADER, await options.signIdentity(context.principal ?? ANONYMOUS));
      const wrote = options.writePositions?.of(principalSubject(context.principal ?? ANONYMOUS));
      if (wrote !== undefined) request.http!.headers.set(MIN_LSN_HEADER, wrote);
      const signal = context.request?.signal;
      if (signal) {
        const id = String(++fetchIds);
        // A fetch that never happened (an error between this hook and the fetcher) leaves its
        // entry; this bounds what such entries can hold.
        if (clientSignals.size >= MAX_PENDING_FETCHES) clientSignals.clear();
        clientSignals.set(id, signal);
        request.http!.headers.set(FETCH_ID_HEADER, id);
      }
    },
    // A mutation's answer names where its writes are in the WAL: the author's later reads need a replica past it.
    didReceiveResponse({ response, context }) {
      options.writePositions?.wrote(principalSubject(context.principal ?? ANONYMOUS), response.http?.headers.get(WRITE_LSN_HEADER));
      return response;
    },
  });
}

/**
 * A subgraph's non-2xx answer, turned into something the gateway places at the right paths
 * without exposing the subgraph: a GraphQL error body (a 400 for a variable the subgraph could
 * not coerce) is passed on as a GraphQL response; anything else becomes `SUBGRAPH_UNAVAILABLE`.
 * Apollo's data source would otherwise copy the subgraph's URL and body into the client's
 * error extensions.
 */
async function fromHttpError(name: string, response: Response, requestBody: unknown): Promise<Response> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(body.errors) && body.errors.length > 0) return Response.json({ data: null, errors: body.errors });
  } catch {
    // not JSON: fall through
  }
  return unavailableResponse(name, `HTTP ${response.status}`, requestBody);
}

/** Why a fetch failed, without the subgraph's address. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' ? 'connection refused' : (code ?? 'request failed');
}

/**
 * What the gateway gets when a subgraph cannot be reached: a GraphQL response with one
 * `SUBGRAPH_UNAVAILABLE` error per field that the fetch asked for (each root field, or each
 * field of each `_entities` representation), so that the gateway places every error at its field's path in
 * the client's response and the rest of the response stays intact. A thrown error would reach
 * the client without a path.
 */
function unavailableResponse(name: string, reason: string, body: unknown): Response {
  const message = `Subgraph "${name}" is unavailable: ${reason}`;
  const extensions = { code: 'SUBGRAPH_UNAVAILABLE' };
  const paths = requestedPaths(body);
  const errors = paths.length > 0 ? paths.map((path) => ({ message, path, extensions })) : [{ message, extensions }];
  return Response.json({ data: null, errors });
}

/**
 * The paths of the fields a fetch asked for: `[["playlist"], ["album"]]` for a root fetch;
 * for an entity fetch, each field selected for each representation's type:
 * `[["_entities", 0, "purchaseCount"], …]` (the gateway maps those to the fields' paths in the
 * client's response, `["album", "tracks", 0, "purchaseCount"]`), or `["_entities", i]` when no
 * field but `__typename` was selected.
 */
function requestedPaths(body: unknown): Array<Array<string | number>> {
  try {
    const { query, variables } = JSON.parse(String(body)) as { query: string; variables?: { representations?: Array<{ __typename?: unknown }> } };
    const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [];
    const roots = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s] : []));
    if (roots.length === 1 && roots[0]!.name.value === '_entities' && roots[0]!.selectionSet) {
      const entities = roots[0]!.selectionSet;
      return (variables?.representations ?? []).flatMap((representation, i) => {
        const fields = fieldsFor(entities, typeof representation?.__typename === 'string' ? representation.__typename : undefined);
        return fields.length > 0 ? fields.map((field) => ['_entities', i, field]) : [['_entities', i]];
      });
    }
    return roots.map((field) => [(field.alias ?? field.name).value]);
  } catch {
    return [];
  }
}

/** Response names of the fields (not `__typename`) that `set` selects on an object of type `typename`. */
function fieldsFor(set: SelectionSetNode, typename: string | undefined): string[] {
  const names = new Set<string>();
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value !== '__typename') names.add((selection.alias ?? selection.name).value);
    else if (selection.kind === Kind.INLINE_FRAGMENT && (!selection.typeCondition || selection.typeCondition.name.value === typename)) {
      for (const name of fieldsFor(selection.selectionSet, typename)) names.add(name);
    }
  }
  return [...names];
}
