/** Where `pnpm compose` writes the supergraph, relative to the repository root. */
export const SUPERGRAPH_FILE = 'schema/supergraph.graphql';

/** Where `pnpm compose` writes the API schema (what clients see), for client codegen. */
export const API_SCHEMA_FILE = 'schema/api-schema.graphql';
