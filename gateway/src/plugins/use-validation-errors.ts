import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Options of {@link useValidationErrors}. */
export interface ValidationErrorsOptions {
  /** Keep graphql-js's "Did you mean …?" hints in validation errors. Off in production. */
  fieldSuggestions: boolean;
}

/**
 * How validation errors reach clients: `GRAPHQL_VALIDATION_FAILED` with HTTP 400 for every
 * `Accept`, as Apollo Server answers (Yoga alone answers 200 to `application/json` clients), and
 * without field suggestions when they are off (they disclose the schema).
 */
export function useValidationErrors(options: ValidationErrorsOptions): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        const errors = (result as readonly GraphQLError[]).map((e) =>
          !options.fieldSuggestions && / Did you mean /.test(e.message) ? new GraphQLError(e.message.replace(/ Did you mean .*$/, ''), { nodes: e.nodes, extensions: e.extensions }) : e,
        );
        for (const error of errors) {
          const extensions = error.extensions as { code?: string; http?: { status?: number; spec?: boolean } };
          extensions.code ??= 'GRAPHQL_VALIDATION_FAILED';
          extensions.http ??= { status: 400, spec: false };
        }
        setResult(errors);
      };
    },
  };
}
