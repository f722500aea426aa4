import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { CacheInvalidator } from './cache-invalidator.js';

/**
 * Read-your-writes for the entity cache when the response cache is off (the response cache does
 * this itself otherwise): a mutation's response waits for the invalidation fence, so that every
 * change event its writes published has been applied here before its author reads again.
 */
export function useMutationFence(invalidator: Pick<CacheInvalidator, 'fence'>): Plugin {
  const mutations = new WeakSet<Request>();
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request && getOperationAST(args.document, args.operationName)?.operation === 'mutation') mutations.add(request);
    },
    async onResultProcess({ request }) {
      if (mutations.has(request)) await invalidator.fence();
    },
  };
}
