import type { ChangeEvent } from './change-event.js';

/** One row change as Postgres reports it (`NOTIFY tributary_changes`). */
export interface RowChange {
  /** `catalog.track` */
  table: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
}

/**
 * The part of a table's field sources that the change map reads (`TableSource` of
 * `@tributary/database`, where the declarations and their doc live), with columns as plain strings.
 */
export interface TableChangeSource {
  row?: { kind: 'entity' | 'value'; type: string; key: string };
  columns?: { readonly [column: string]: readonly string[] | undefined };
  derived?: readonly (
    | { kind: 'parent'; type: string; key: string; fields: readonly string[]; when?: readonly string[] }
    | { kind: 'lists'; coordinates: readonly string[]; when: readonly string[]; ops?: readonly string[] }
    | { kind: 'access'; when: readonly string[]; ops?: readonly string[] }
  )[];
}

/** Row changes turned into change events, for the tables one declaration names. */
export type ChangeMap = (change: RowChange) => ChangeEvent[];

const id = (value: unknown) => String(value);

/**
 * The change map of a set of field sources: for a row change, `create`/`delete` for an entity row
 * inserted or deleted (both for a changed key), one `update` naming exactly the fields whose
 * columns changed (nothing for an UPDATE that changed no value; value and join rows have no events
 * of their own), then each `derived` rule that the change touches, in declaration order.
 *
 * @example
 * createChangeMap({ 'catalog.track': { row: { kind: 'entity', type: 'Track', key: 'track_id' }, columns: { unit_price: ['unitPrice'] } } })(
 *   { table: 'catalog.track', op: 'UPDATE', old: { track_id: 3, unit_price: '0.99' }, new: { track_id: 3, unit_price: '1.29' } })
 * // [{ kind: 'update', type: 'Track', id: '3', fields: ['unitPrice'] }]
 * @throws Error (from the returned map) for a table the sources do not name; a TRUNCATE of any table is a `flush`.
 */
export function createChangeMap(sources: { readonly [table: string]: TableChangeSource | undefined }): ChangeMap {
  return (change) => {
    if (change.op === 'TRUNCATE') return [{ kind: 'flush', reason: `${change.table} truncated` }];
    const source = sources[change.table];
    if (!source) throw new Error(`no change mapping for table ${JSON.stringify(change.table)}; expected one of ${Object.keys(sources).join(', ')}`);
    const row = (change.new ?? change.old)!;
    const columns = Object.keys(row);
    const changed = new Set(change.op === 'UPDATE' ? columns.filter((c) => JSON.stringify(change.old?.[c]) !== JSON.stringify(change.new?.[c])) : columns);
    if (changed.size === 0) return [];
    const events: ChangeEvent[] = source.row?.kind === 'entity' ? entityEvents(change, source, row, changed) : [];
    for (const rule of source.derived ?? []) {
      const touched = !rule.when || rule.when.some((column) => changed.has(column));
      if (!touched) continue;
      if (rule.kind === 'lists') {
        if (!rule.ops || rule.ops.includes(change.op)) events.push({ kind: 'lists', coordinates: [...rule.coordinates] });
      } else if (rule.kind === 'access') {
        if (!rule.ops || rule.ops.includes(change.op)) events.push({ kind: 'access' });
      } else {
        // For a moved row, the parents before and after the move both changed.
        const keys = new Set([change.old?.[rule.key], change.new?.[rule.key]].filter((k) => k !== null && k !== undefined));
        for (const key of keys) events.push({ kind: 'update', type: rule.type, id: id(key), fields: [...rule.fields] });
      }
    }
    return events;
  };
}

function entityEvents(change: RowChange, source: TableChangeSource, row: Record<string, unknown>, changed: ReadonlySet<string>): ChangeEvent[] {
  const { type, key: keyColumn } = source.row!;
  const key = id(row[keyColumn]);
  if (change.op === 'INSERT') return [{ kind: 'create', type, id: key }];
  if (change.op === 'DELETE') return [{ kind: 'delete', type, id: key }];
  // A new key: the old entity is gone and a new one appeared.
  if (changed.has(keyColumn))
    return [
      { kind: 'delete', type, id: id(change.old![keyColumn]) },
      { kind: 'create', type, id: key },
    ];
  const fields = [...new Set([...changed].flatMap((column) => source.columns?.[column] ?? []))];
  return fields.length > 0 ? [{ kind: 'update', type, id: key, fields }] : [];
}
