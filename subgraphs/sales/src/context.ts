import type { Database } from '@tributary/database';
import type { SubgraphContext } from '@tributary/runtime';
import type { SalesLoaders } from './loaders.js';

/** The sales subgraph's per-request context. */
export type Context = SubgraphContext<Database, SalesLoaders>;
