import type { ChangeEvent } from './change-event.js';

/** One row change as Postgres reports it (`NOTIFY tributary_changes`). */
export interface RowChange {
  /** `catalog.track` */
  table: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
}

type Row = Record<string, unknown>;

/** How one table's rows map onto the public schema. */
interface TableMapping {
  /** The entity type a row is, and its key column; absent for join tables. */
  entity?: { type: string; key: string };
  /** Column → the fields of the entity it backs. */
  fields?: Record<string, string[]>;
  /** Changes to other entities' fields and to lists, derived from a row change. */
  derived?(row: Row, change: RowChange, changed: ReadonlySet<string>): ChangeEvent[];
}

const id = (value: unknown) => String(value);
const update = (type: string, key: unknown, ...fields: string[]): ChangeEvent => ({ kind: 'update', type, id: id(key), fields });

const lists = (...coordinates: string[]): ChangeEvent => ({ kind: 'lists', coordinates });

/** For a moved row, the parents before and after the move both changed. */
function parents(change: RowChange, column: string, type: string, ...fields: string[]): ChangeEvent[] {
  const keys = new Set([change.old?.[column], change.new?.[column]].filter((k) => k !== null && k !== undefined));
  return [...keys].map((key) => update(type, key, ...fields));
}

/**
 * Chinook's tables, by owner: which entity each row is, which fields each column backs, and
 * what else a change means (derived fields and list memberships).
 */
export const CHINOOK_TABLES: Record<string, TableMapping> = {
  'catalog.artist': { entity: { type: 'Artist', key: 'artist_id' }, fields: { name: ['name'] }, derived: (_r, _c, changed) => (changed.has('name') ? [lists('Query.artists', 'Query.search')] : []) },
  'catalog.album': {
    entity: { type: 'Album', key: 'album_id' },
    fields: { title: ['title'], artist_id: ['artist'] },
    derived: (_r, change, changed) => [...(changed.has('artist_id') ? parents(change, 'artist_id', 'Artist', 'albums') : []), ...(changed.has('title') ? [lists('Query.search')] : [])],
  },
  'catalog.genre': { entity: { type: 'Genre', key: 'genre_id' }, fields: { name: ['name'] } },
  'catalog.media_type': { entity: { type: 'MediaType', key: 'media_type_id' }, fields: { name: ['name'] } },
  'catalog.track': {
    entity: { type: 'Track', key: 'track_id' },
    fields: { name: ['name'], album_id: ['album'], media_type_id: ['mediaType'], genre_id: ['genre'], composer: ['composer'], milliseconds: ['milliseconds'], bytes: ['bytes'], unit_price: ['unitPrice'] },
    derived: (_r, change, changed) => [
      ...(changed.has('album_id') ? parents(change, 'album_id', 'Album', 'tracks') : []),
      ...(changed.has('genre_id') ? [lists('Query.tracks', 'Query.topTracks')] : []),
      // Search matches names: a renamed track may enter or leave any search.
      ...(changed.has('name') ? [lists('Query.search')] : []),
    ],
  },
  'customers.employee': {
    entity: { type: 'Employee', key: 'employee_id' },
    fields: { first_name: ['firstName'], last_name: ['lastName'], title: ['title'], reports_to: ['reportsTo'], hire_date: ['yearsOfService'] },
    derived: (_r, change, changed) => [
      ...(changed.has('first_name') || changed.has('last_name') ? [lists('Query.people')] : []),
      ...(changed.has('reports_to') ? parents(change, 'reports_to', 'Employee', 'reports') : []),
      // A title decides who is a manager, and managers read every customer's private data.
      // A deleted employee, a changed key or title too: a manager's token must lose what it read.
      // (An INSERT cannot widen what was stored: before it, that principal's reads were refused.)
      ...(change.op === 'DELETE' || (change.op === 'UPDATE' && (changed.has('title') || changed.has('employee_id'))) ? [{ kind: 'access' } as ChangeEvent] : []),
    ],
  },
  'customers.customer': {
    entity: { type: 'Customer', key: 'customer_id' },
    fields: {
      first_name: ['firstName'], last_name: ['lastName'], company: ['company'], email: ['email'], phone: ['phone'], address: ['address'],
      city: ['city'], state: ['state'], country: ['country'], postal_code: ['postalCode'], support_rep_id: ['supportRep'],
    },
    derived: (_row, change, changed) => [
      ...(changed.has('support_rep_id') ? parents(change, 'support_rep_id', 'Employee', 'customers') : []),
      ...(changed.has('country') ? [lists('Query.customers')] : []),
      // `Query.people` matches customers by first name only (their last name is private).
      ...(changed.has('first_name') ? [lists('Query.people')] : []),
      // Who may read this customer's private data changed: every private entry goes.
      ...(changed.has('support_rep_id') && change.op === 'UPDATE' ? [{ kind: 'access' } as ChangeEvent] : []),
    ],
  },
  'sales.invoice': {
    entity: { type: 'Invoice', key: 'invoice_id' },
    fields: { customer_id: ['customer'], invoice_date: ['invoiceDate'], billing_city: ['billingCity'], billing_country: ['billingCountry'], total: ['total'] },
    derived: (_r, change, changed) => [
      ...(changed.has('customer_id') || changed.has('total') ? parents(change, 'customer_id', 'Customer', 'invoices', 'totalSpent') : []),
      // The invoice now belongs to someone else: who may read it changed.
      ...(changed.has('customer_id') && change.op === 'UPDATE' ? [{ kind: 'access' } as ChangeEvent] : []),
    ],
  },
  'sales.invoice_line': {
    // InvoiceLine is a value type: its changes are changes of its invoice's `lines`.
    derived: (_r, change, changed) => [
      ...parents(change, 'invoice_id', 'Invoice', 'lines'),
      ...(changed.has('track_id') || changed.has('quantity') ? [...parents(change, 'track_id', 'Track', 'purchaseCount'), { kind: 'lists', coordinates: ['Query.topTracks'] } as ChangeEvent] : []),
    ],
  },
  'playlists.playlist': { entity: { type: 'Playlist', key: 'playlist_id' }, fields: { name: ['name'] } },
  'playlists.playlist_track': {
    derived: (_r, change) => [...parents(change, 'playlist_id', 'Playlist', 'trackCount', 'tracks'), ...parents(change, 'track_id', 'Track', 'playlists')],
  },
};

/**
 * The change events one row change means: `create`/`delete` for an entity row inserted or
 * deleted, `update` naming exactly the fields whose columns changed (nothing for an UPDATE that
 * changed no value), and the derived events of {@link CHINOOK_TABLES}.
 *
 * @example
 * changeEventsOf({ table: 'catalog.track', op: 'UPDATE', old: { track_id: 3, unit_price: '0.99', … }, new: { track_id: 3, unit_price: '1.29', … } })
 * // [{ kind: 'update', type: 'Track', id: '3', fields: ['unitPrice'] }]
 * @throws Error for a table that is not Chinook's.
 */
export function changeEventsOf(change: RowChange): ChangeEvent[] {
  if (change.op === 'TRUNCATE') return [{ kind: 'flush', reason: `${change.table} truncated` }];
  const mapping = CHINOOK_TABLES[change.table];
  if (!mapping) throw new Error(`no change mapping for table ${JSON.stringify(change.table)}; expected one of ${Object.keys(CHINOOK_TABLES).join(', ')}`);
  const row = (change.new ?? change.old)!;
  const columns = Object.keys(row);
  const changed = new Set(change.op === 'UPDATE' ? columns.filter((c) => JSON.stringify(change.old?.[c]) !== JSON.stringify(change.new?.[c])) : columns);
  if (changed.size === 0) return [];
  const events: ChangeEvent[] = [];
  if (mapping.entity) {
    const key = id(row[mapping.entity.key]);
    if (change.op === 'INSERT') events.push({ kind: 'create', type: mapping.entity.type, id: key });
    else if (change.op === 'DELETE') events.push({ kind: 'delete', type: mapping.entity.type, id: key });
    else if (changed.has(mapping.entity.key)) {
      // A new key: the old entity is gone and a new one appeared.
      events.push({ kind: 'delete', type: mapping.entity.type, id: id(change.old![mapping.entity.key]) }, { kind: 'create', type: mapping.entity.type, id: key });
    } else {
      const fields = [...new Set([...changed].flatMap((column) => mapping.fields?.[column] ?? []))];
      if (fields.length > 0) events.push({ kind: 'update', type: mapping.entity.type, id: key, fields });
    }
  }
  events.push(...(mapping.derived?.(row, change, changed) ?? []));
  return events;
}
