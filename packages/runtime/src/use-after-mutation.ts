import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Runs `afterMutation` once a mutation has executed and before its response is sent. The
 * subgraphs use it to wait until the change events of their writes have been published
 * (`ChangeFeed.fence`), so that no cache can answer the mutation's author with what it replaced.
 */
export function useAfterMutation(afterMutation: () => Promise<void>): Plugin {
  const mutations = new WeakSet<Request>();
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request && getOperationAST(args.document, args.operationName)?.operation === 'mutation') mutations.add(request);
    },
    async onResultProcess({ request }) {
      if (mutations.has(request)) await afterMutation();
    },
  };
}
