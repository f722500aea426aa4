import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../metrics.js';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

interface RequestRecord {
  startedAt: number;
  operation: string;
  outcome: 'success' | 'error' | 'http_error';
}

/**
 * Counts and times every GraphQL request by operation name and outcome. An operation name that
 * is not a GraphQL name (or longer than 64) is recorded as `invalid`, so that clients cannot
 * mint label values at will.
 */
export function useRequestMetrics(metrics: GatewayMetrics, graphqlPath = '/graphql'): Plugin {
  const records = new WeakMap<Request, RequestRecord>();
  return {
    onRequest({ request, url }) {
      if (url.pathname === graphqlPath) records.set(request, { startedAt: performance.now(), operation: 'anonymous', outcome: 'success' });
    },
    onParams({ request, params }) {
      const record = records.get(request);
      if (record && params.operationName) record.operation = GRAPHQL_NAME.test(params.operationName) ? params.operationName : 'invalid';
    },
    onExecute({ args }) {
      // The name written in the document, when the client did not send `operationName`.
      const record = records.get((args.contextValue as { request?: Request }).request!);
      if (record?.operation !== 'anonymous') return;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (name) record.operation = name;
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
      const labels = { operation: record.operation, outcome: record.outcome };
      metrics.requests.inc(labels);
      metrics.requestDuration.observe(labels, (performance.now() - record.startedAt) / 1000);
    },
  };
}
