import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { REPO_ROOT } from '@tributary/database';
import { describe, expect, it } from 'vitest';

describe('codegen', () => {
  it('the committed resolver types, client documents and manifest are what `pnpm codegen` makes', async () => {
    const previous = process.cwd();
    process.chdir(REPO_ROOT);
    try {
      const config = (await import('../codegen.js')).default;
      const outputs = await generate({ ...config, silent: true }, false);
      expect(outputs.map((o: { filename: string }) => o.filename).sort()).toEqual([
        'schema/client/gql.ts',
        'schema/client/graphql.ts',
        'schema/client/index.ts',
        'schema/client/persisted-documents.json',
        ...['catalog', 'customers', 'playlists', 'sales'].map((s) => `subgraphs/${s}/generated/resolvers-types.ts`),
      ]);
      for (const output of outputs as Array<{ filename: string; content: string }>) {
        // When this fails: run `pnpm codegen` and commit the generated files.
        expect(output.content, output.filename).toBe(readFileSync(path.join(REPO_ROOT, output.filename), 'utf8'));
      }
    } finally {
      process.chdir(previous);
    }
  });
});
