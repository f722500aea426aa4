import { fileURLToPath } from 'node:url';

/**
 * The repository's root directory (this package sits in `gateway/`): relative paths of the
 * gateway's configuration (`SUPERGRAPH_PATH`, `PERSISTED_OPERATIONS_MANIFESTS`) and its defaults
 * (`schema/supergraph.graphql`, the storefront manifest) resolve against it, whatever the
 * working directory.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
