import { GraphQLError, getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Most variable errors reported for one request (graphql-js's own default is 50). */
const MAX_VARIABLE_ERRORS = 50;

/**
 * Coerces the request's variables before `@apollo/gateway` plans anything, and refuses values
 * that do not fit their definitions (a missing `$id: ID!`, `{}` for an `ID`) with HTTP 400 and
 * `BAD_USER_INPUT`, as Apollo Server and graphql-js's own `execute` do. `@apollo/gateway`'s
 * executor reports the same problems as errors without a code, which the gateway's masking would
 * turn into `INTERNAL_SERVER_ERROR`. Place it before the federation plugin.
 */
export function useVariableErrors(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation?.variableDefinitions?.length) return;
      const { errors } = getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
      if (!errors) return;
      setResultAndStopExecution({
        errors: errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } })),
      });
    },
  };
}
