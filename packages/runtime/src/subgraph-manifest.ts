/** One of Tributary's subgraphs: its name, folder and where it listens by default. */
export interface SubgraphManifestEntry {
  /** The subgraph's name in the supergraph (`join__Graph`). */
  name: 'catalog' | 'customers' | 'sales' | 'playlists';
  /** Folder of the subgraph, relative to the repository root; holds `schema.graphql`. */
  dir: string;
  /** Default TCP port (PRODUCT.md, "Services, ports, endpoints"). */
  defaultPort: number;
  /** Environment variable that overrides the port. */
  portEnv: string;
}

/** Every subgraph, in composition order. */
export const SUBGRAPHS: readonly SubgraphManifestEntry[] = [
  { name: 'catalog', dir: 'subgraphs/catalog', defaultPort: 4001, portEnv: 'CATALOG_PORT' },
  { name: 'customers', dir: 'subgraphs/customers', defaultPort: 4002, portEnv: 'CUSTOMERS_PORT' },
  { name: 'sales', dir: 'subgraphs/sales', defaultPort: 4003, portEnv: 'SALES_PORT' },
  { name: 'playlists', dir: 'subgraphs/playlists', defaultPort: 4004, portEnv: 'PLAYLISTS_PORT' },
];

/** The gateway's default port. */
export const DEFAULT_GATEWAY_PORT = 4000;
