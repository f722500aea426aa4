import type { InvoiceLineTable, InvoiceTable } from '@tributary/database';
import type { Connection } from '@tributary/runtime';
import type { Selectable } from 'kysely';

/** Parent types of the sales subgraph's resolvers. */
export type InvoiceRow = Selectable<InvoiceTable>;
export type InvoiceLineRow = Selectable<InvoiceLineTable>;
/** A customer that sales only knows by key (its fields live in the customers subgraph). */
export interface CustomerRef {
  customer_id: number;
}
/** A track that sales only knows by key; `purchase_count` when a query already computed it. */
export interface TrackRef {
  track_id: number;
  purchase_count?: number;
}
export type InvoiceConnectionParent = Connection<InvoiceRow>;
