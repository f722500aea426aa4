import type { SubgraphFieldSources } from './table-source.js';

/** Where the sales subgraph's fields come from (`subgraphs/sales/schema.graphql`). */
export const SALES_FIELD_SOURCES: SubgraphFieldSources<'sales'> = {
  subgraph: 'sales',
  tables: {
    'sales.invoice': {
      row: { kind: 'entity', type: 'Invoice', key: 'invoice_id', roots: ['Query.invoice'] },
      columns: { customer_id: ['customer'], invoice_date: ['invoiceDate'], billing_city: ['billingCity'], billing_country: ['billingCountry'], total: ['total'] },
      derived: [
        { kind: 'parent', type: 'Customer', key: 'customer_id', fields: ['invoices', 'totalSpent'], when: ['customer_id', 'total'] },
        // The invoice now belongs to someone else: who may read it changed.
        { kind: 'access', when: ['customer_id'], ops: ['UPDATE'] },
      ],
    },
    'sales.invoice_line': {
      // InvoiceLine has no key in the supergraph: its changes are changes of its invoice's `lines`.
      row: { kind: 'value', type: 'InvoiceLine', key: 'invoice_line_id' },
      columns: { track_id: ['track'], unit_price: ['unitPrice'], quantity: ['quantity'] },
      derived: [
        { kind: 'parent', type: 'Invoice', key: 'invoice_id', fields: ['lines'] },
        { kind: 'parent', type: 'Track', key: 'track_id', fields: ['purchaseCount'], when: ['track_id', 'quantity'] },
        { kind: 'lists', coordinates: ['Query.topTracks'], when: ['track_id', 'quantity'] },
      ],
    },
  },
};
