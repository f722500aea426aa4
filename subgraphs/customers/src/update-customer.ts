import type { Database } from '@tributary/database';
import { badUserInput, parseTextArgument } from '@tributary/runtime';
import type { Kysely, Updateable } from 'kysely';
import type { UpdateCustomerInput } from '../generated/resolvers-types.js';
import type { CustomerRow } from './rows.js';

/** Each input field: its column, its Chinook length limit, and whether it may be cleared. */
const FIELDS = {
  firstName: { column: 'first_name', max: 40, required: true },
  lastName: { column: 'last_name', max: 20, required: true },
  company: { column: 'company', max: 80, required: false },
  email: { column: 'email', max: 60, required: true },
  phone: { column: 'phone', max: 24, required: false },
  address: { column: 'address', max: 70, required: false },
  city: { column: 'city', max: 40, required: false },
  state: { column: 'state', max: 40, required: false },
  country: { column: 'country', max: 40, required: false },
  postalCode: { column: 'postal_code', max: 10, required: false },
} as const satisfies Record<keyof UpdateCustomerInput, { column: keyof CustomerRow; max: number; required: boolean }>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `updateCustomer`: validates every given field first (nothing is written when one is bad),
 * then updates in one statement. `null` when no customer has that id.
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming the field (`input.email`): empty or null where the
 * column is `NOT NULL`, longer than Chinook's column, or an email without `@` and a domain.
 */
export async function updateCustomer(db: Kysely<Database>, customerId: number, input: UpdateCustomerInput): Promise<CustomerRow | null> {
  const changes: Record<string, string | null> = {};
  for (const [field, rule] of Object.entries(FIELDS) as Array<[keyof UpdateCustomerInput, (typeof FIELDS)[keyof typeof FIELDS]]>) {
    const value = input[field];
    if (value === undefined) continue;
    const argument = `input.${field}`;
    if (value === null || value.trim() === '') {
      if (rule.required) throw badUserInput(argument, 'must not be empty');
      changes[rule.column] = null;
      continue;
    }
    parseTextArgument(value, argument, { max: rule.max, required: rule.required });
    if (field === 'email' && !EMAIL.test(value)) throw badUserInput(argument, `must be an email address, got ${JSON.stringify(value)}`);
    changes[rule.column] = value;
  }
  if (Object.keys(changes).length === 0) {
    return (await db.selectFrom('customers.customer').selectAll().where('customer_id', '=', customerId).executeTakeFirst()) ?? null;
  }
  const row = await db
    .updateTable('customers.customer')
    .set(changes as Updateable<Database['customers.customer']>)
    .where('customer_id', '=', customerId)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}
