import type { SubgraphFieldSources } from './table-source.js';

/** Where the customers subgraph's fields come from (`subgraphs/customers/schema.graphql`). */
export const CUSTOMERS_FIELD_SOURCES: SubgraphFieldSources<'customers'> = {
  subgraph: 'customers',
  tables: {
    'customers.employee': {
      row: { kind: 'entity', type: 'Employee', key: 'employee_id', roots: ['Query.employee', 'Query.employees', 'Query.people'] },
      // `yearsOfService` is whole years since `hire_date` at the time of the request (`maxAge: 0`).
      columns: { first_name: ['firstName'], last_name: ['lastName'], title: ['title'], reports_to: ['reportsTo'], hire_date: ['yearsOfService'] },
      derived: [
        { kind: 'lists', coordinates: ['Query.people'], when: ['first_name', 'last_name'] },
        { kind: 'parent', type: 'Employee', key: 'reports_to', fields: ['reports'], when: ['reports_to'] },
        // A title decides who is a manager, and managers read every customer's private data.
        // A deleted employee, a changed key or title too: a manager's token must lose what it read.
        // (An INSERT cannot widen what was stored: before it, that principal's reads were refused.)
        { kind: 'access', when: ['title', 'employee_id'], ops: ['UPDATE', 'DELETE'] },
      ],
    },
    'customers.customer': {
      row: { kind: 'entity', type: 'Customer', key: 'customer_id', roots: ['Query.customer', 'Query.customers', 'Query.people'] },
      columns: {
        first_name: ['firstName'],
        last_name: ['lastName'],
        company: ['company'],
        email: ['email'],
        phone: ['phone'],
        address: ['address'],
        city: ['city'],
        state: ['state'],
        country: ['country'],
        postal_code: ['postalCode'],
        support_rep_id: ['supportRep'],
      },
      derived: [
        { kind: 'parent', type: 'Employee', key: 'support_rep_id', fields: ['customers'], when: ['support_rep_id'] },
        { kind: 'lists', coordinates: ['Query.customers'], when: ['country'] },
        // `Query.people` matches customers by first name only (their last name is private).
        { kind: 'lists', coordinates: ['Query.people'], when: ['first_name'] },
        // Who may read this customer's private data changed: every private entry goes.
        { kind: 'access', when: ['support_rep_id'], ops: ['UPDATE'] },
      ],
    },
  },
};
