import type { ColumnType, Generated } from 'kysely';

/**
 * Table types of the Chinook data as Tributary stores it: one Postgres schema per subgraph,
 * Chinook's own table and column names. Kysely refers to them as `'catalog.track'` etc.
 *
 * Money columns (`NUMERIC(10,2)`) are read as strings ("0.99") and never as floats.
 * Timestamps (`TIMESTAMP` without time zone, UTC by convention) are read as ISO strings.
 */
type Money = ColumnType<string, string | number, string | number>;
type Timestamp = ColumnType<string, string | Date, string | Date>;

export interface ArtistTable {
  artist_id: Generated<number>;
  name: string | null;
}
export interface AlbumTable {
  album_id: Generated<number>;
  title: string;
  artist_id: number;
}
export interface GenreTable {
  genre_id: Generated<number>;
  name: string | null;
}
export interface MediaTypeTable {
  media_type_id: Generated<number>;
  name: string | null;
}
export interface TrackTable {
  track_id: Generated<number>;
  name: string;
  album_id: number | null;
  media_type_id: number;
  genre_id: number | null;
  composer: string | null;
  milliseconds: number;
  bytes: number | null;
  unit_price: Money;
}
export interface EmployeeTable {
  employee_id: Generated<number>;
  last_name: string;
  first_name: string;
  title: string | null;
  reports_to: number | null;
  birth_date: Timestamp | null;
  hire_date: Timestamp | null;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postal_code: string | null;
  phone: string | null;
  fax: string | null;
  email: string | null;
}
export interface CustomerTable {
  customer_id: Generated<number>;
  first_name: string;
  last_name: string;
  company: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postal_code: string | null;
  phone: string | null;
  fax: string | null;
  email: string;
  support_rep_id: number | null;
}
export interface InvoiceTable {
  invoice_id: Generated<number>;
  customer_id: number;
  invoice_date: Timestamp;
  billing_address: string | null;
  billing_city: string | null;
  billing_state: string | null;
  billing_country: string | null;
  billing_postal_code: string | null;
  total: Money;
}
export interface InvoiceLineTable {
  invoice_line_id: Generated<number>;
  invoice_id: number;
  track_id: number;
  unit_price: Money;
  quantity: number;
}
export interface PlaylistTable {
  playlist_id: Generated<number>;
  name: string | null;
}
export interface PlaylistTrackTable {
  playlist_id: number;
  track_id: number;
}

/** Read-only view `sales.track_price`: what `purchase` and `topTracks(genreId)` read of the catalog. */
export interface SalesTrackPriceView {
  track_id: number;
  unit_price: string;
  genre_id: number | null;
}
/** Read-only view `sales.customer_billing`: the billing address `purchase` copies. */
export interface SalesCustomerBillingView {
  customer_id: number;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postal_code: string | null;
}
/** Read-only view `sales.customer_access`: each customer's support rep, to authorise invoice reads. */
export interface SalesCustomerAccessView {
  customer_id: number;
  support_rep_id: number | null;
}
/** Read-only view `sales.employee_role`: employees' titles (managers read every customer's invoices). */
export interface SalesEmployeeRoleView {
  employee_id: number;
  title: string | null;
}
/** Read-only view `playlists.track_ref`: which track ids exist, for `addTrackToPlaylist`. */
export interface PlaylistsTrackRefView {
  track_id: number;
}

/**
 * Chinook's tables, by owning subgraph's schema: the one list of them. The change triggers, the
 * change map and the import derive theirs from the field sources (`CHINOOK_FIELD_SOURCES`), which
 * TypeScript makes declare exactly these tables.
 */
export interface ChinookTables {
  'catalog.artist': ArtistTable;
  'catalog.album': AlbumTable;
  'catalog.genre': GenreTable;
  'catalog.media_type': MediaTypeTable;
  'catalog.track': TrackTable;
  'customers.employee': EmployeeTable;
  'customers.customer': CustomerTable;
  'sales.invoice': InvoiceTable;
  'sales.invoice_line': InvoiceLineTable;
  'playlists.playlist': PlaylistTable;
  'playlists.playlist_track': PlaylistTrackTable;
}

/** The read-only views through which a subgraph reads another's data (SERVICE_DEPENDENCIES.md). */
export interface CrossBoundaryViews {
  'sales.track_price': SalesTrackPriceView;
  'sales.customer_billing': SalesCustomerBillingView;
  'sales.customer_access': SalesCustomerAccessView;
  'sales.employee_role': SalesEmployeeRoleView;
  'playlists.track_ref': PlaylistsTrackRefView;
}

/** `sales.track_sales`: per track, `sum(quantity)` and `count(*)` of its invoice lines. */
export interface TrackSalesTable {
  track_id: number;
  units: number;
  line_count: number;
}
/** `sales.customer_sales`: per customer, `count(*)` and `sum(total)` of their invoices. */
export interface CustomerSalesTable {
  customer_id: number;
  invoice_count: number;
  total_spent: Money;
}
/** `playlists.playlist_size`: per playlist, `count(*)` of its entries. */
export interface PlaylistSizeTable {
  playlist_id: number;
  track_count: number;
}
/** `catalog.genre_size`: per genre, `count(*)` of its tracks. */
export interface GenreSizeTable {
  genre_id: number;
  track_count: number;
}
/** `catalog.table_size`: `count(*)` of `catalog.artist`, `catalog.album` and `catalog.track`, by `table_name` (`'catalog.album'`); `BIGINT`, read as a string. */
export interface TableSizeTable {
  table_name: string;
  row_count: string;
}

/**
 * The counters that migration 006 keeps exact with statement triggers on their source tables, in
 * the writing transaction: no change triggers of their own (the source table's changes name the
 * aggregate fields), nothing to import (they are filled from the source), never written by code.
 */
export interface CounterTables {
  'sales.track_sales': TrackSalesTable;
  'sales.customer_sales': CustomerSalesTable;
  'playlists.playlist_size': PlaylistSizeTable;
  'catalog.genre_size': GenreSizeTable;
  'catalog.table_size': TableSizeTable;
}

/** The whole database as Kysely sees it. */
export interface Database extends ChinookTables, CrossBoundaryViews, CounterTables {}
