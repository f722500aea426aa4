import { badUserInput } from './errors.js';
import { toChinookKey } from './ids.js';

/** The largest `first` a connection accepts (PRODUCT.md, "Public schema"). */
export const MAX_PAGE_SIZE = 100;

/** A validated page request: at most `first` items whose key is greater than `afterKey`. */
export interface PageRequest {
  first: number;
  /** Key of the last item of the previous page; 0 for the first page. */
  afterKey: number;
}

/**
 * Validates Relay connection arguments. Items are ordered by their Chinook key, so a cursor is
 * the key of an item (opaque to clients: base64url of `k:<key>`).
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming `first` (negative or over 100) or `after`
 * (not a cursor this API made).
 */
export function parsePageRequest(args: { first?: number | null; after?: string | null }, defaultFirst = 20): PageRequest {
  const first = args.first ?? defaultFirst;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  if (args.after === undefined || args.after === null) return { first, afterKey: 0 };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
  const key = decoded.startsWith('k:') ? toChinookKey(decoded.slice(2)) : null;
  // Strict: only the exact string encodeCursor made (base64url decoding skips stray characters).
  if (key === null || encodeCursor(key) !== args.after) {
    const shown = args.after.length > 40 ? `${args.after.slice(0, 40)}…` : args.after;
    throw badUserInput('after', `not a cursor of this connection: ${JSON.stringify(shown)}`);
  }
  return { first, afterKey: key };
}

/** The cursor of the item with Chinook key `key`. */
export function encodeCursor(key: number): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
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
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
