import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../metrics.js';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** Distinct operation names kept as label values; later new names are recorded as `other`. */
export const MAX_OPERATION_LABELS = 500;

interface RequestRecord {
  startedAt: number;
  operation: string;
  outcome: 'success' | 'error' | 'http_error';
}

/**
 * The `operation` label of a name, as {@link useRequestMetrics} records it: `invalid` for a name
 * that is not a GraphQL name of at most 64 characters, `other` for new names past
 * {@link MAX_OPERATION_LABELS} distinct ones. Share one between every path that records requests.
 */
export function createOperationLabeler(): (name: string) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!GRAPHQL_NAME.test(name)) return 'invalid';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_LABELS) return 'other';
    seen.add(name);
    return name;
  };
}

/**
 * Counts and times every GraphQL request by operation name and outcome. Clients cannot mint
 * label values at will: a name that is not a GraphQL name of at most 64 characters is recorded
 * as `invalid`, and past {@link MAX_OPERATION_LABELS} distinct names new ones as `other`.
 */
export function useRequestMetrics(metrics: GatewayMetrics, options: { graphqlPath?: string; hitOperations?: WeakMap<Request, string>; label?: (name: string) => string } = {}): Plugin {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const records = new WeakMap<Request, RequestRecord>();
  const label = options.label ?? createOperationLabeler();
  return {
    onRequest({ request, url }) {
      if (url.pathname === graphqlPath) records.set(request, { startedAt: performance.now(), operation: 'anonymous', outcome: 'success' });
    },
    onParams({ request, params }) {
      // Each item of a batched body arrives here as sent, objects or not (`[null]`, `[1]`):
      // Yoga refuses those with BAD_REQUEST after this hook, which must not throw first.
      const record = records.get(request);
      const name = params !== null && typeof params === 'object' ? (params as { operationName?: unknown }).operationName : undefined;
      if (record && typeof name === 'string' && name) record.operation = label(name);
    },
    onExecute({ args }) {
      // The name written in the document, when the client did not send `operationName`.
      const record = records.get((args.contextValue as { request?: Request }).request!);
      if (record?.operation !== 'anonymous') return;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (name) record.operation = label(name);
    },
    onResultProcess({ request, result }) {
      const record = records.get(request);
      if (!record) return;
      const results = Array.isArray(result) ? result : [result];
      if (results.some((r) => r && typeof r === 'object' && 'errors' in r && Array.isArray(r.errors) && r.errors.length > 0)) record.outcome = 'error';
    },
    onResponse({ request, response }) {
      const record = records.get(request);
      if (!record || request.method === 'OPTIONS') return;
      if (response.status >= 400 && record.outcome === 'success') record.outcome = 'http_error';
      // A cache hit ends before params exist: the entry knows the operation's name.
      const hit = options.hitOperations?.get(request);
      if (hit && record.operation === 'anonymous') record.operation = label(hit);
      const labels = { operation: record.operation, outcome: record.outcome };
      metrics.requests.inc(labels);
      metrics.requestDuration.observe(labels, (performance.now() - record.startedAt) / 1000);
    },
  };
}
