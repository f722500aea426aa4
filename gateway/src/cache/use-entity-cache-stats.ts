import type { Plugin } from 'graphql-yoga';
import type { Counter } from 'prom-client';
import type { EntityCacheStats } from './with-entity-cache.js';

/** The debug header on executed responses: what the entity cache served of their subgraph fetches. */
export const ENTITY_CACHE_HEADER = 'x-tributary-entity-cache';

/** Options of {@link useEntityCacheStats}. */
export interface EntityCacheStatsOptions {
  /** `tributary_entity_cache_executions_total{served}`: each request that executed a plan with fetches, `entities` when every fetch came from the entity cache, else `subgraphs`. */
  executions: Counter<'served'>;
  /** `CACHE_DEBUG=true`: also report the counts in {@link ENTITY_CACHE_HEADER}. Default false. */
  header?: boolean;
}

/**
 * Counts, per request, the subgraph fetches and entity representations of its plan and how many
 * of them the entity cache served (`withEntityCache` adds to `stats`), and at the response counts
 * the request in `executions`: served wholly by `entities`, or needing `subgraphs`. Requests that
 * fetched nothing (whole-response hits, refusals) are not counted. So the combined hit rate is
 * (response hits + executions served by entities) / requests. With `header` (`CACHE_DEBUG=true`)
 * every response that executed a plan also carries
 * `x-tributary-entity-cache: fetches=<from cache>/<all>, representations=<from cache>/<all>`.
 *
 * @example
 * // the deep page of albums 1–12 after albums 1–10 were read
 * x-tributary-entity-cache: fetches=0/3, representations=150/180
 * // and tributary_entity_cache_executions_total{served="subgraphs"} + 1
 */
export function useEntityCacheStats(stats: WeakMap<object, EntityCacheStats>, options: EntityCacheStatsOptions): Plugin {
  return {
    onRequest({ request }) {
      stats.set(request, { fetches: 0, fetchesFromCache: 0, representations: 0, representationsFromCache: 0 });
    },
    onResponse({ request, response }) {
      const seen = stats.get(request);
      if (!seen || seen.fetches === 0) return;
      options.executions.inc({ served: seen.fetchesFromCache === seen.fetches ? 'entities' : 'subgraphs' });
      if (options.header) response.headers.set(ENTITY_CACHE_HEADER, `fetches=${seen.fetchesFromCache}/${seen.fetches}, representations=${seen.representationsFromCache}/${seen.representations}`);
    },
  };
}
