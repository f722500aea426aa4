import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { REPO_ROOT } from '@tributary/database';
import { SUBGRAPHS } from '@tributary/runtime';
import { type GraphQLError, Source, parse, printSchema } from 'graphql';

export { API_SCHEMA_FILE, SUPERGRAPH_FILE } from './schema-files.js';

/** Result of {@link composeSupergraph}: the supergraph and API schema SDL, or the errors one per line. */
export type ComposeResult = { ok: true; supergraphSdl: string; apiSchemaSdl: string; hints: string[] } | { ok: false; errors: string[] };

/**
 * Composes `subgraphs/<name>/schema.graphql` with `@apollo/composition` (Federation 2). Subgraph
 * URLs are the default ports on 127.0.0.1; the gateway can override each at run time.
 * Each error line is `<file>:<line>:<column> [<CODE>] <message>`, naming the subgraph's file and
 * the place of the offending definition (the schema coordinate is in the message).
 */
export function composeSupergraph(root = REPO_ROOT): ComposeResult {
  const services = SUBGRAPHS.map((s) => {
    const file = path.join(s.dir, 'schema.graphql');
    return {
      name: s.name,
      url: `http://127.0.0.1:${s.defaultPort}/graphql`,
      typeDefs: parse(new Source(readFileSync(path.join(root, file), 'utf8'), file)),
    };
  });
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map(formatError) };
  const apiSchemaSdl = `${printSchema(result.schema.toAPISchema().toGraphQLJSSchema()).trimEnd()}\n`;
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`, apiSchemaSdl, hints: result.hints.map((h) => h.toString()) };
}

function formatError(error: GraphQLError): string {
  const code = typeof error.extensions?.code === 'string' ? ` [${error.extensions.code}]` : '';
  const places = (error.nodes ?? [])
    .filter((n) => n.loc)
    .map((n) => {
      const { line, column } = n.loc!.source.locationOffset.line === 1 ? locate(n.loc!.source.body, n.loc!.start) : { line: 0, column: 0 };
      return `${n.loc!.source.name}:${line}:${column}`;
    });
  const where = places.length > 0 ? `${places.join(', ')}` : 'supergraph';
  return `${where}${code} ${error.message.replace(/\s*\n\s*/g, ' ')}`;
}

function locate(body: string, offset: number): { line: number; column: number } {
  const before = body.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
