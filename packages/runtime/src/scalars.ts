import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from './errors.js';

const DECIMAL = /^\d{1,8}(\.\d{1,2})?$/;

/** Formats a Postgres `NUMERIC(10,2)` value ("0.99", 0.99, "1.5") with exactly two decimals. */
export function formatDecimal(value: unknown): string {
  const text = typeof value === 'number' ? value.toFixed(2) : String(value);
  const match = /^(-?\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new TypeError(`Decimal cannot represent ${JSON.stringify(value)}`);
  return `${match[1]}.${(match[2] ?? '').padEnd(2, '0').slice(0, 2)}`;
}

/**
 * Checks a money argument: at least 0, at most 8 integer digits and two decimals (so that it
 * fits `NUMERIC(10,2)`), given as a string ("0.99") or a number. Returns it formatted ("1.50").
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming `argumentName`.
 */
export function parseDecimalArgument(value: unknown, argumentName: string): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw badUserInput(argumentName, `must be an amount of at least 0 with at most two decimals, such as "0.99"; got ${JSON.stringify(value)}`);
  }
  return formatDecimal(text);
}

/**
 * `scalar Decimal`: money as a string with two decimals ("0.99"). As input it takes a string or
 * a number as given; the resolver checks it with {@link parseDecimalArgument}, so that the
 * error names the argument (`input.unitPrice`) rather than only the type.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'Money: a string with two decimals, such as "0.99".',
  serialize: formatDecimal,
  parseValue(value) {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw new GraphQLError(`Decimal must be a string such as "0.99"; got ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT) return ast.value;
    throw new GraphQLError('Decimal must be a string such as "0.99"', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

/** `scalar DateTime`: ISO 8601 in UTC ("2021-01-01T00:00:00.000Z"). */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An ISO 8601 date and time in UTC, such as "2021-01-01T00:00:00.000Z".',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return date.toISOString();
  },
  parseValue(value) {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
      throw new GraphQLError(`DateTime must be an ISO 8601 string; got ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return date.toISOString();
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return this.parseValue!(ast.value) as string;
  },
});
