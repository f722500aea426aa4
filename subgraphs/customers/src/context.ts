import type { Database } from '@tributary/database';
import type { SubgraphContext } from '@tributary/runtime';
import type { CustomersLoaders } from './loaders.js';

/** The customers subgraph's per-request context. */
export type Context = SubgraphContext<Database, CustomersLoaders>;
