import { countRows, loadByRepresentation, parseIdArgument, parsePageRequest, toConnection } from '@tributary/subgraph-runtime';
import type { Resolvers } from './generated/resolvers-types.js';
import { updateCustomer } from './update-customer.js';

/** The customers subgraph's resolvers. Until identity lands, every field is readable by anyone. */
export const resolvers: Resolvers = {
  Query: {
    customer: (_, { id }, { loaders }) => loaders.customer.load(parseIdArgument(id, 'id')),
    employee: (_, { id }, { loaders }) => loaders.employee.load(parseIdArgument(id, 'id')),
    employees: (_, __, { db }) => db.selectFrom('customers.employee').selectAll().orderBy('employee_id').execute(),
    customers: async (_, args, { db }) => {
      const page = parsePageRequest(args);
      let filtered = db.selectFrom('customers.customer');
      if (args.country !== null && args.country !== undefined) filtered = filtered.where('country', '=', args.country);
      const rows = await filtered.selectAll().where('customer_id', '>', page.afterKey).orderBy('customer_id').limit(page.first + 1).execute();
      return toConnection(rows, page, (r) => r.customer_id, () => countRows(filtered));
    },
  },
  Mutation: {
    updateCustomer: (_, { id, input }, { db }) => updateCustomer(db, parseIdArgument(id, 'id'), input),
  },
  Customer: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.customer),
    id: (row) => String(row.customer_id),
    firstName: (row) => row.first_name,
    lastName: (row) => row.last_name,
    postalCode: (row) => row.postal_code,
    supportRep: (row, _, { loaders }) => (row.support_rep_id === null ? null : loaders.employee.load(row.support_rep_id)),
  },
  Employee: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.employee),
    id: (row) => String(row.employee_id),
    firstName: (row) => row.first_name,
    lastName: (row) => row.last_name,
    reportsTo: (row, _, { loaders }) => (row.reports_to === null ? null : loaders.employee.load(row.reports_to)),
    reports: (row, _, { loaders }) => loaders.reportsByManager.load(row.employee_id),
    customers: (row, _, { loaders }) => loaders.customersBySupportRep.load(row.employee_id),
  },
};
