import { useAfterMutation } from '@tributary/runtime';
import type { Plugin } from 'graphql-yoga';
import type { CacheInvalidator } from './cache-invalidator.js';

/**
 * Read-your-writes for the entity cache when the response cache is off (the response cache does
 * this itself otherwise): a mutation's response waits for the invalidation fence, so that every
 * change event its writes published has been applied here before its author reads again.
 */
export function useMutationFence(invalidator: Pick<CacheInvalidator, 'fence'>): Plugin {
  return useAfterMutation(() => invalidator.fence());
}
