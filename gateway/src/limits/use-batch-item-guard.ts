import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Each item of a batched body (`[{ query }, …]`) must be an object: `[null]`, `[1]` or `[[]]`
 * get HTTP 400 `BAD_REQUEST` for that item, before any other plugin reads its parameters
 * (Yoga hands every item to `onParams` as sent). Place it before every plugin with `onParams`.
 */
export function useBatchItemGuard(): Plugin {
  return {
    onParams({ params }) {
      if (params === null || typeof params !== 'object' || Array.isArray(params)) {
        const given = params === null ? 'null' : Array.isArray(params) ? 'array' : typeof params;
        throw new GraphQLError(`Expected each operation of a batch to be an object but given ${given}.`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
      }
    },
  };
}
