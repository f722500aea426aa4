import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * At most `max` operations in one batched request (a JSON array body): HTTP 413 with
 * `BATCH_LIMIT_EXCEEDED` above it, before any operation is parsed.
 */
export function useBatchLimit(max: number): Plugin {
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult) && requestParserResult.length > max) {
            throw new GraphQLError(`Batched request has ${requestParserResult.length} operations; the limit is ${max}`, {
              extensions: { code: 'BATCH_LIMIT_EXCEEDED', http: { status: 413 } },
            });
          }
        },
      };
    },
  };
}
