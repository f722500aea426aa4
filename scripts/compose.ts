/**
 * `pnpm compose`: composes the four subgraph schemas into schema/supergraph.graphql, and
 * writes the API schema that clients see to schema/api-schema.graphql.
 * Exits 1 with the composition errors, one per line, and leaves the file as it was.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { API_SCHEMA_FILE, SUPERGRAPH_FILE, composeSupergraph } from './lib/compose-supergraph.js';

const result = composeSupergraph();
if (!result.ok) {
  process.stderr.write(`Composition failed with ${result.errors.length} error(s):\n${result.errors.join('\n')}\n`);
  process.exit(1);
}
writeFileSync(path.join(REPO_ROOT, SUPERGRAPH_FILE), result.supergraphSdl);
writeFileSync(path.join(REPO_ROOT, API_SCHEMA_FILE), result.apiSchemaSdl);
process.stdout.write(`Wrote ${SUPERGRAPH_FILE} and ${API_SCHEMA_FILE}${result.hints.length ? ` (${result.hints.length} composition hints)` : ''}\n`);
