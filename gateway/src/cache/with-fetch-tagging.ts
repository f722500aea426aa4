import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { READ_LSN_HEADER } from '@tributary/runtime';
import type { GraphQLSchema } from 'graphql';
import type { CachePolicy } from './cache-policy.js';
import type { FetchRecorders } from './fetch-recorder.js';
import { readFetchResult, refusesAddedSelections, tagFetch } from './fetch-tagging.js';

/** What {@link withFetchTagging} needs from the gateway, read at each fetch (the supergraph can change). */
export interface FetchTagging {
  recorders: FetchRecorders;
  /** The subgraph's schema in the current supergraph. */
  schemaOf(subgraph: string): GraphQLSchema | undefined;
  policy(): CachePolicy;
}

/**
 * Wraps a subgraph's data source so that the fetches of a cacheable query (one with a recorder)
 * tell the response cache what they read: each fetch is sent as {@link tagFetch} rewrote it,
 * and its answer is walked into the request's recorder before the gateway merges it. Without a
 * recorder (cache off, mutations, uncacheable requests) the fetch is sent as planned.
 *
 * The answer the client gets is the one the plan computes without the cache: the gateway shapes
 * the client's response from the client's operation, so the extra selections never show. Where
 * an extra selection caused an error (an `id: ID!` that a subgraph resolves to null nulls its
 * parent), the fetch is sent again exactly as planned, that answer is used, and the response
 * is not stored. An answer with any error is not stored either.
 */
export function withFetchTagging<T extends GraphQLDataSource>(source: T, subgraph: string, tagging: FetchTagging): T {
  const process = source.process.bind(source);
  source.process = async (options: GraphQLDataSourceProcessOptions) => {
    const recorder = options.kind === 'incoming operation' ? tagging.recorders.get(options.context) : undefined;
    if (!recorder || recorder.unstorable || !options.request.query) return process(options);
    const schema = tagging.schemaOf(subgraph);
    const fetch = schema && tagFetch(options.request.query, schema);
    if (!schema || !fetch) {
      recorder.refuse(`fetch from ${subgraph} cannot be tagged`);
      return process(options);
    }
    const response = await process({ ...options, request: { ...options.request, query: fetch.query }, document: fetch.document } as GraphQLDataSourceProcessOptions);
    if (response.errors?.length) {
      recorder.refuse(`${subgraph} answered with errors`);
      return refusesAddedSelections(response) ? process(options) : response;
    }
    recorder.applyCacheControl(response.http?.headers.get('cache-control'));
    recorder.applyReadLsn(response.http?.headers.get(READ_LSN_HEADER));
    const policy = tagging.policy();
    if (policy.version !== recorder.version) recorder.refuse('supergraph changed');
    else if (!response.data || !readFetchResult(response.data, fetch, schema, policy, recorder.reads)) recorder.refuse(`answer of ${subgraph} cannot be read`);
    return response;
  };
  return source;
}
