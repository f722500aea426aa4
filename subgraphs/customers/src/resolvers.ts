import { likePattern, canReadCustomer, countRows, forbidden, isManager, loadByRepresentation, parseIdArgument, parsePageRequest, parseTextArgument, keysetPage } from '@tributary/runtime';
import type { Context } from './context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { CustomerRow } from './rows.js';
import { updateCustomer } from './update-customer.js';

/** Whole years from `start` to `now` (birthday arithmetic, in UTC). */
function wholeYearsSince(start: Date, now: Date): number {
  const years = now.getUTCFullYear() - start.getUTCFullYear();
  const before = now.getUTCMonth() < start.getUTCMonth() || (now.getUTCMonth() === start.getUTCMonth() && now.getUTCDate() < start.getUTCDate());
  return before ? years - 1 : years;
}

/** An employee's title through the request's loader (for the manager rule). */
const titleOf = (ctx: Context) => async (employeeId: number) => (await ctx.loaders.employee.load(employeeId))?.title ?? null;

/**
 * A private customer field: its value for the customer themself, their support rep and
 * managers; `FORBIDDEN` (so `null` at its path) for anyone else.
 */
function privateField<T>(read: (row: CustomerRow) => T) {
  return async (row: CustomerRow, _args: unknown, ctx: Context): Promise<T> => {
    const allowed = await canReadCustomer(ctx.principal, { customerId: row.customer_id, supportRepId: row.support_rep_id }, titleOf(ctx));
    if (!allowed) throw forbidden(`private fields of customer ${row.customer_id}`);
    return read(row);
  };
}

/**
 * The customers subgraph's resolvers. `Customer.id`, `firstName` and `country` are public;
 * the other customer fields are private (see `privateField`); employees are public.
 */
export const resolvers: Resolvers = {
  Query: {
    customer: (_, { id }, { loaders }) => loaders.customer.load(parseIdArgument(id, 'id')),
    employee: (_, { id }, { loaders }) => loaders.employee.load(parseIdArgument(id, 'id')),
    employees: (_, __, { db }) => db.selectFrom('customers.employee').selectAll().orderBy('employee_id').execute(),
    people: async (_, args, { db }) => {
      const { first } = parsePageRequest({ first: args.first, after: null }, 'Query.people');
      const pattern = likePattern(parseTextArgument(args.nameContains, 'nameContains', { required: true, max: 40 }));
      const [employees, customers] = await Promise.all([
        db
          .selectFrom('customers.employee')
          .selectAll()
          .where((eb) => eb.or([eb('first_name', 'ilike', pattern), eb('last_name', 'ilike', pattern)]))
          .orderBy('employee_id')
          .limit(first)
          .execute(),
        // A customer's last name is private: matching on it would tell anyone who has it.
        db.selectFrom('customers.customer').selectAll().where('first_name', 'ilike', pattern).orderBy('customer_id').limit(first).execute(),
      ]);
      return [...employees, ...customers].slice(0, first);
    },
    customers: async (_, args, { db, principal }) => {
      if (principal.kind !== 'employee') throw forbidden('Query.customers is for employees');
      const page = parsePageRequest(args, 'Query.customers');
      let filtered = db.selectFrom('customers.customer');
      if (args.country !== null && args.country !== undefined) filtered = filtered.where('country', '=', parseTextArgument(args.country, 'country', { max: 40 }));
      return keysetPage(filtered, 'customer_id', page, () => countRows(filtered));
    },
  },
  Mutation: {
    updateCustomer: async (_, { id, input }, ctx) => {
      const customerId = parseIdArgument(id, 'id');
      const own = ctx.principal.kind === 'customer' && ctx.principal.id === customerId;
      if (!own && !(await isManager(ctx.principal, titleOf(ctx)))) throw forbidden('updateCustomer is for the customer themself and managers');
      return updateCustomer(ctx.db, customerId, input);
    },
  },
  Person: {
    // Rows carry no type name: an employee row has `employee_id`.
    __resolveType: (row) => ('employee_id' in row ? 'Employee' : 'Customer'),
  },
  Customer: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.customer),
    id: (row) => String(row.customer_id),
    firstName: (row) => row.first_name,
    lastName: privateField((row) => row.last_name),
    company: privateField((row) => row.company),
    email: privateField((row) => row.email),
    phone: privateField((row) => row.phone),
    address: privateField((row) => row.address),
    city: privateField((row) => row.city),
    state: privateField((row) => row.state),
    postalCode: privateField((row) => row.postal_code),
    supportRep: async (row, args, ctx) => {
      const supportRepId = await privateField((r) => r.support_rep_id)(row, args, ctx);
      return supportRepId === null ? null : ctx.loaders.employee.load(supportRepId);
    },
  },
  Employee: {
    __resolveReference: (ref, { loaders }) => loadByRepresentation(ref.id, loaders.employee),
    id: (row) => String(row.employee_id),
    firstName: (row) => row.first_name,
    lastName: (row) => row.last_name,
    yearsOfService: (row) => (row.hire_date === null ? null : wholeYearsSince(new Date(row.hire_date), new Date())),
    reportsTo: (row, _, { loaders }) => (row.reports_to === null ? null : loaders.employee.load(row.reports_to)),
    reports: (row, _, { loaders }) => loaders.reportsByManager.load(row.employee_id),
    customers: (row, _, { loaders }) => loaders.customersBySupportRep.load(row.employee_id),
  },
};
