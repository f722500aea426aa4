import type { ChinookTables } from '../tables.js';

/** A Chinook table as `schema.table`, the schema being its owning subgraph's (`'catalog.track'`). */
export type ChinookTableName = keyof ChinookTables;

/** A column of table `T`, as Postgres names it (`'unit_price'`). */
export type ColumnOf<T extends ChinookTableName> = keyof ChinookTables[T] & string;

/** A row operation as the change trigger reports it. */
export type RowOp = 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * A field of another type, or a list, whose value is computed from this table's rows rather than
 * read from one of its columns. A row change "touches" a rule when it is an INSERT or a DELETE, or
 * an UPDATE that changed one of `when` (any column when `when` is absent).
 * - `parent`: fields of the entity named by the row's `key` column (`Artist.albums` from
 *   `catalog.album.artist_id`); for a row that moved, the parents before and after both changed.
 * - `lists`: lists (`Query.search`) whose members or order depend on `when`; `ops` narrows the
 *   operations (default: all three).
 * - `access`: who may read private data depends on `when` (a customer's support rep, an
 *   employee's title): every private entry goes (an `access` event); `ops` as for `lists`.
 */
export type DerivedSource<T extends ChinookTableName> =
  | { kind: 'parent'; type: string; key: ColumnOf<T>; fields: readonly string[]; when?: readonly ColumnOf<T>[] }
  | { kind: 'lists'; coordinates: readonly string[]; when: readonly ColumnOf<T>[]; ops?: readonly RowOp[] }
  | { kind: 'access'; when: readonly ColumnOf<T>[]; ops?: readonly RowOp[] };

/**
 * How one table backs the public schema.
 *
 * @example
 * // catalog.track: a row is the entity Track (key track_id backs `id`); unit_price backs
 * // Track.unitPrice; moving a track to another album changes both albums' `tracks`.
 * { row: { kind: 'entity', type: 'Track', key: 'track_id', roots: ['Query.track', 'Query.tracks'] },
 *   columns: { unit_price: ['unitPrice'] },
 *   derived: [{ kind: 'parent', type: 'Album', key: 'album_id', fields: ['tracks'], when: ['album_id'] }] }
 */
export interface TableSource<T extends ChinookTableName> {
  /**
   * What a row is. `entity`: an inserted or deleted row is that entity created or deleted, a
   * changed key both. `value`: an object without a key of its own in the supergraph, read only
   * through a parent's field (`Invoice.lines`), whose changes its `derived` rules report. Absent
   * for a join table. `key` backs the type's `id`. `roots` are the root fields that look up or list
   * rows of it: a created or deleted row changes them (the gateway finds them in the schema).
   */
  row?: { kind: 'entity' | 'value'; type: string; key: ColumnOf<T>; roots?: readonly string[] };
  /** Column → the fields of the row's type that it backs (`{ unit_price: ['unitPrice'] }`). */
  columns?: { readonly [C in ColumnOf<T>]?: readonly string[] };
  /** What else a row change changes, in the order the events are published. */
  derived?: readonly DerivedSource<T>[];
}

/** The tables of a subgraph's Postgres schema `S`, each declared. */
export type SubgraphTables<S extends string> = { [T in ChinookTableName as T extends `${S}.${string}` ? T : never]: TableSource<T> };

/**
 * One subgraph's declaration of where each of its fields comes from: every table of its schema
 * (TypeScript refuses a missing table or an unknown column), and the fields that no row backs
 * because they never change (`constants`: coordinate → why).
 */
export interface SubgraphFieldSources<S extends string> {
  subgraph: S;
  tables: SubgraphTables<S>;
  constants?: Readonly<Record<string, string>>;
}

/** Any subgraph's declaration, as the change map and the checks read the four together. */
export interface AnySubgraphFieldSources {
  subgraph: string;
  tables: { readonly [T in ChinookTableName]?: TableSource<T> };
  constants?: Readonly<Record<string, string>>;
}
