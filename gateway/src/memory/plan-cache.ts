import type { ApolloGateway } from '../apollo/apollo-gateway.js';
import { LRUCache } from 'lru-cache';

/** Query plans kept. */
export const PLAN_CACHE_MAX_ENTRIES = 1_000;
/** Query plans kept, in bytes of their JSON (what `@apollo/gateway` measures too): 30 MiB. */
export const PLAN_CACHE_MAX_BYTES = 30 * 1024 * 1024;

type PlannerConfig = NonNullable<NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>['queryPlannerConfig']>;
/** The cache `@apollo/gateway` takes as `queryPlannerConfig.cache`. */
export type PlanCache = NonNullable<PlannerConfig['cache']> & { readonly size: number };
type QueryPlan = NonNullable<Awaited<ReturnType<PlanCache['get']>>>;

/**
 * `@apollo/gateway`'s query plan store, bounded in entries as well as in bytes: its default
 * (`InMemoryLRUCache`, 30 MiB of plan JSON) has no entry bound, and the JSON of a plan is a
 * fraction of the heap it holds. Keyed by `@apollo/gateway` (document hash and operation name).
 */
export function createPlanCache(options: { maxEntries?: number; maxBytes?: number } = {}): PlanCache {
  const plans = new LRUCache<string, QueryPlan>({
    max: options.maxEntries ?? PLAN_CACHE_MAX_ENTRIES,
    maxSize: options.maxBytes ?? PLAN_CACHE_MAX_BYTES,
    sizeCalculation: (plan) => Math.max(1, Buffer.byteLength(JSON.stringify(plan))),
  });
  return {
    async get(key) {
      return plans.get(key);
    },
    async set(key, plan) {
      plans.set(key, plan);
    },
    async delete(key) {
      return plans.delete(key);
    },
    clear() {
      plans.clear();
    },
    get size() {
      return plans.size;
    },
  };
}
