import type { CustomerTable, EmployeeTable } from '@tributary/database';
import type { Connection } from '@tributary/runtime';
import type { Selectable } from 'kysely';

/** Parent types of the customers subgraph's resolvers: rows as Kysely reads them. */
export type CustomerRow = Selectable<CustomerTable>;
export type EmployeeRow = Selectable<EmployeeTable>;
export type CustomerConnectionParent = Connection<CustomerRow>;
