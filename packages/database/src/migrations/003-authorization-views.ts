import { type Kysely, sql } from 'kysely';

/**
 * What the sales subgraph reads of the customers' data to authorise reads of invoices:
 * who is each customer's support rep, and which employees are managers. Listed in
 * docs/architecture/SERVICE_DEPENDENCIES.md.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE VIEW sales.customer_access AS
      SELECT customer_id, support_rep_id FROM customers.customer;
    CREATE VIEW sales.employee_role AS
      SELECT employee_id, title FROM customers.employee;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP VIEW sales.employee_role;
    DROP VIEW sales.customer_access;
  `.execute(db);
}
