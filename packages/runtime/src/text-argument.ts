import { badUserInput } from './errors.js';

/** Characters that render as nothing: a name made only of these (and spaces) counts as empty. */
const INVISIBLE = /^[\s\u200b-\u200d\u2060\ufeff]*$/u;

/** Options of {@link parseTextArgument}. */
export interface TextRules {
  /** Most characters (Unicode code points, as Postgres `VARCHAR(n)` counts them). */
  max: number;
  /** Refuse an empty or invisible-only value. Default false. */
  required?: boolean;
}

/**
 * Checks a text argument before it reaches Postgres: no NUL character (Postgres text cannot
 * hold one), no lone surrogate (not valid UTF-8), at most `max` characters counted as code
 * points, and not empty when `required`.
 *
 * @example
 * parseTextArgument('🎸'.repeat(61), 'name', { max: 120, required: true }) // ok: 61 characters
 * parseTextArgument('a\u0000b', 'name', { max: 120 }) // BAD_USER_INPUT naming "name"
 * @throws GraphQLError `BAD_USER_INPUT` naming `argumentName`.
 */
export function parseTextArgument(value: string, argumentName: string, rules: TextRules): string {
  if (value.includes('\u0000')) throw badUserInput(argumentName, 'must not contain a NUL character');
  if (!value.isWellFormed()) throw badUserInput(argumentName, 'must be well-formed Unicode (it has a lone surrogate)');
  if (rules.required && INVISIBLE.test(value)) throw badUserInput(argumentName, 'must not be empty');
  const length = [...value].length;
  if (length > rules.max) throw badUserInput(argumentName, `must be at most ${rules.max} characters, got ${length}`);
  return value;
}
