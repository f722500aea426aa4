import { readFileSync } from 'node:fs';
import { type DocumentNode, Source, parse } from 'graphql';

/**
 * Reads and parses a subgraph's `schema.graphql`, keeping the file name for error locations.
 *
 * @param url the file, usually `new URL('../schema.graphql', import.meta.url)`.
 * @throws GraphQLError with the file's line and column when the SDL does not parse.
 */
export function loadSchemaFile(url: URL): DocumentNode {
  return parse(new Source(readFileSync(url, 'utf8'), url.pathname));
}
