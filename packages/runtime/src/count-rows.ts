import { sql } from 'kysely';

/** The part of a Kysely `selectFrom(...)` builder that {@link countRows} uses. */
interface Countable {
  select(selection: ReturnType<typeof countExpression>): { executeTakeFirstOrThrow(): Promise<{ n: number }> };
}

const countExpression = () => sql<number>`count(*)::int`.as('n');

/**
 * `count(*)` of a (filtered) `selectFrom` builder, for a connection's lazy `totalCount`.
 *
 * @example
 * await countRows(db.selectFrom('catalog.track').where('genre_id', '=', 1));
 * // select count(*)::int as "n" from "catalog"."track" where "genre_id" = $1   → 1297
 */
export async function countRows(query: unknown): Promise<number> {
  const row = await (query as Countable).select(countExpression()).executeTakeFirstOrThrow();
  return row.n;
}
