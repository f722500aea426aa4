import { GraphQLError } from 'graphql';

/**
 * A GraphQL error for a bad argument: `extensions.code = "BAD_USER_INPUT"` and
 * `extensions.argumentName`, with a message that names the argument.
 *
 * @example
 * throw badUserInput('first', 'must be between 0 and 100, got 500');
 * // { message: 'Invalid argument "first": must be between 0 and 100, got 500',
 * //   extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } }
 */
export function badUserInput(argumentName: string, problem: string): GraphQLError {
  return new GraphQLError(`Invalid argument "${argumentName}": ${problem}`, {
    extensions: { code: 'BAD_USER_INPUT', argumentName },
  });
}
