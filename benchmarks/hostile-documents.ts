/**
 * `pnpm bench:hostile`: how long the gateway's limits and graphql-js's validation take on the
 * fragment chain of issue 9 (`fragment F0 on Query { ...F1 ...F1 } … fragment Fn on Query
 * { __typename }`), in process, for growing n. Prints one line per n: document bytes, the limits'
 * time and verdict, and graphql-js's `specifiedRules` time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { DEFAULT_LIMITS } from '@tributary/gateway';
import { type GraphQLError, buildSchema, parse, validate } from 'graphql';
import { useDocumentLimits } from '../gateway/src/limits/use-document-limits.js';

const schema = buildSchema(readFileSync(path.join(REPO_ROOT, 'schema/api-schema.graphql'), 'utf8'));
const limits = useDocumentLimits({ limits: DEFAULT_LIMITS, introspection: false });

function chain(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query Bomb { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename }`;
}

for (const levels of [10, 16, 22, 30, 40]) {
  const source = chain(levels);
  const document = parse(source);
  let refused: readonly GraphQLError[] = [];
  let started = performance.now();
  (limits.onValidate as (payload: unknown) => void)({ params: { schema, documentAST: document }, setResult: (errors: readonly GraphQLError[]) => (refused = errors) });
  const limitsMs = performance.now() - started;
  started = performance.now();
  validate(schema, document);
  const validationMs = performance.now() - started;
  const verdict = refused.map((e) => e.extensions.code).join(',') || 'accepted';
  console.log(`${levels} levels, ${Buffer.byteLength(source)} bytes: limits ${limitsMs.toFixed(1)} ms (${verdict}); graphql-js validation ${validationMs.toFixed(1)} ms`);
}

// Heap held by a parsed document (what the parse cache keeps), per token: the basis of
// BYTES_PER_TOKEN in gateway/src/memory/document-caches.ts. Needs `node --expose-gc`.
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  const shapes: Record<string, (i: number) => string> = {
    'flat (2,000 tokens)': (i) => `{ a${i}: genres { ${'id name '.repeat(995)} } }`,
    'nested (1,300 tokens)': (i) => `query Q${i} { ${'albums(first: 10) { nodes { tracks { name album { artist { name '.repeat(60)}${'} } } } } '.repeat(60)} }`,
  };
  for (const [name, make] of Object.entries(shapes)) {
    const kept: unknown[] = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    let tokens = 0;
    for (let i = 0; i < 300; i++) {
      const parsed = parse(make(i), { maxTokens: 2_000 });
      for (let token = parsed.loc?.startToken; token; token = token.next ?? undefined) tokens++;
      kept.push(parsed);
    }
    gc();
    const bytes = process.memoryUsage().heapUsed - before;
    console.log(`parsed ${name}: ${Math.round(bytes / kept.length / 1024)} KiB per document, ${Math.round(bytes / tokens)} bytes per token`);
  }
}
