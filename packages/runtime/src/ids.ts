import { badUserInput } from './errors.js';

/** Largest Postgres `INT` (serial keys are `INT`). */
const MAX_INT4 = 2_147_483_647;

/**
 * Parses a Chinook key given as a GraphQL `ID` (`"42"`), or `null` when it is not one:
 * a positive decimal integer that fits Postgres' `INT`, with no sign, spaces or leading zeros.
 */
export function toChinookKey(id: unknown): number | null {
  const text = typeof id === 'number' ? String(id) : id;
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_INT4 ? n : null;
}

/**
 * Parses an `ID` argument into a Chinook key.
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming `argumentName` when it is not a Chinook key.
 */
export function parseIdArgument(id: unknown, argumentName: string): number {
  const key = toChinookKey(id);
  if (key === null) throw badUserInput(argumentName, `expected a positive integer id, got ${JSON.stringify(id)}`);
  return key;
}

/**
 * Resolves an entity from its representation's `id` with a per-request loader; an `id` that is
 * not a Chinook key resolves to `null` (the entity does not exist), like a missing row.
 */
export function loadByRepresentation<Row>(id: unknown, loader: { load(key: number): Promise<Row | null> }): Promise<Row | null> | null {
  const key = toChinookKey(id);
  return key === null ? null : loader.load(key);
}
