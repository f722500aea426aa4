import { GraphQLError } from 'graphql';
import type { Principal } from './principal.js';

/**
 * The error of a field the principal may not read or a mutation it may not run:
 * `extensions.code = "FORBIDDEN"`. The field resolves to `null`; the rest of the response stays.
 */
export function forbidden(what: string): GraphQLError {
  return new GraphQLError(`Not allowed: ${what}`, { extensions: { code: 'FORBIDDEN' } });
}

/** Whether an employee's title is a manager's (Chinook: General, Sales and IT Manager). */
export function isManagerTitle(title: string | null | undefined): boolean {
  return typeof title === 'string' && /\bManager$/.test(title.trim());
}

/** How an authorization rule learns an employee's title (a loader in each subgraph). */
export type EmployeeTitleLookup = (employeeId: number) => Promise<string | null>;

/**
 * Whether `principal` may read a customer's private data: the customer themself, their support
 * rep (`customer.support_rep_id`), or an employee whose title is a manager's.
 */
export async function canReadCustomer(principal: Principal, customer: { customerId: number; supportRepId: number | null }, titleOf: EmployeeTitleLookup): Promise<boolean> {
  if (principal.kind === 'customer') return principal.id === customer.customerId;
  if (principal.kind === 'employee') return principal.id === customer.supportRepId || isManagerTitle(await titleOf(principal.id));
  return false;
}

/** Whether `principal` is a manager (`updateCustomer` of any customer). */
export async function isManager(principal: Principal, titleOf: EmployeeTitleLookup): Promise<boolean> {
  return principal.kind === 'employee' && isManagerTitle(await titleOf(principal.id));
}
