import type { Plugin } from 'graphql-yoga';
import type { EntityCacheStats } from './with-entity-cache.js';

/** The debug header on executed responses: what the entity cache served of their subgraph fetches. */
export const ENTITY_CACHE_HEADER = 'x-tributary-entity-cache';

/**
 * `CACHE_DEBUG=true`: counts, per request, the subgraph fetches and entity representations of
 * its plan and how many of them the entity cache served, and reports them in
 * `x-tributary-entity-cache: fetches=<from cache>/<all>, representations=<from cache>/<all>`
 * on every response that executed a query plan (not on whole-response hits, which fetch nothing).
 *
 * @example
 * // the deep page of albums 1–12 after albums 1–10 were read
 * x-tributary-entity-cache: fetches=0/3, representations=150/180
 */
export function useEntityCacheDebug(stats: WeakMap<object, EntityCacheStats>): Plugin {
  return {
    onRequest({ request }) {
      stats.set(request, { fetches: 0, fetchesFromCache: 0, representations: 0, representationsFromCache: 0 });
    },
    onResponse({ request, response }) {
      const seen = stats.get(request);
      if (!seen || seen.fetches === 0) return;
      response.headers.set(ENTITY_CACHE_HEADER, `fetches=${seen.fetchesFromCache}/${seen.fetches}, representations=${seen.representationsFromCache}/${seen.representations}`);
    },
  };
}
