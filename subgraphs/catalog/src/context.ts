import type { Database } from '@tributary/database';
import type { SubgraphContext } from '@tributary/runtime';
import type { CatalogLoaders } from './loaders.js';

/** The catalog subgraph's per-request context. */
export type Context = SubgraphContext<Database, CatalogLoaders>;
