import { badUserInput } from './errors.js';
import { toChinookKey } from './ids.js';

/** The largest `first` a connection accepts (PRODUCT.md, "Public schema"). */
export const MAX_PAGE_SIZE = 100;

/**
 * Names one connection, so that its cursors are refused by every other: the field
 * (`Query.artists`), and for a field of an entity the entity too (`Customer:5.invoices`,
 * `Playlist:3.tracks`): customer 5's invoice cursor does not page customer 3's invoices.
 * Filter arguments (`nameContains`, `genreId`, `country`) are not part of it: a cursor is a
 * position in key order, which means the same under any filter.
 */
export type ConnectionId = `Query.${string}` | `${string}:${number}.${string}`;

/** A validated page request: at most `first` items whose key is greater than `afterKey`. */
export interface PageRequest {
  first: number;
  /** Key of the last item of the previous page; 0 for the first page. */
  afterKey: number;
  /** The connection the page is of; its cursors carry it. */
  connection: ConnectionId;
}

/**
 * Validates Relay connection arguments. Items are ordered by their Chinook key, so a cursor is
 * the connection and the key of an item (opaque to clients: base64url of `<connection>:<key>`).
 *
 * @example parsePageRequest({ first: 2, after: encodeCursor('Query.artists', 42) }, 'Query.artists')
 * // { first: 2, afterKey: 42, connection: 'Query.artists' }
 * @throws GraphQLError `BAD_USER_INPUT` naming `first` (negative or over 100) or `after` (not a
 * cursor this API made, or a cursor of another connection, which the message names).
 */
export function parsePageRequest(args: { first?: number | null; after?: string | null }, connection: ConnectionId, defaultFirst = 20): PageRequest {
  const first = args.first ?? defaultFirst;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  if (args.after === undefined || args.after === null) return { first, afterKey: 0, connection };
  const decoded = decodeCursor(args.after);
  if (decoded === null) {
    const shown = args.after.length > 40 ? `${args.after.slice(0, 40)}…` : args.after;
    throw badUserInput('after', `not a cursor of this connection: ${JSON.stringify(shown)}`);
  }
  if (decoded.connection !== connection) {
    throw badUserInput('after', `a cursor of ${decoded.connection}, not of ${connection}`);
  }
  return { first, afterKey: decoded.key, connection };
}

/** The cursor of the item with Chinook key `key` in `connection`. */
export function encodeCursor(connection: ConnectionId, key: number): string {
  return Buffer.from(`${connection}:${key}`, 'utf8').toString('base64url');
}

const CURSOR_PATTERN = /^((?:Query\.\w+)|(?:\w+:\d+\.\w+)):(\d+)$/;

/** The connection and key of a cursor {@link encodeCursor} made; `null` for anything else. */
function decodeCursor(cursor: string): { connection: ConnectionId; key: number } | null {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const key = match ? toChinookKey(match[2]!) : null;
  if (key === null) return null;
  const connection = match![1] as ConnectionId;
  // Strict: only the exact string encodeCursor made (base64url decoding skips stray characters).
  return encodeCursor(connection, key) === cursor ? { connection, key } : null;
}

/**
 * What a connection field resolves to. `totalCount` is a function so that the count query runs
 * only when a client selects it (GraphQL's default resolver calls it).
 */
export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number> | number;
}

/**
 * Builds a connection from up to `first + 1` rows ordered by key (the extra row only tells
 * that a next page exists).
 */
export function toConnection<T>(rows: T[], page: PageRequest, keyOf: (row: T) => number, totalCount: () => Promise<number> | number): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(page.connection, keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
