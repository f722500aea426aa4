import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { describe, expect, it } from 'vitest';
import { API_SCHEMA_FILE, SUPERGRAPH_FILE, composeSupergraph } from '../scripts/lib/compose-supergraph.js';

describe('composition', () => {
  it('the committed supergraph is what `pnpm compose` makes of the subgraph schemas', () => {
    const result = composeSupergraph();
    expect(result.ok).toBe(true);
    const committed = readFileSync(path.join(REPO_ROOT, SUPERGRAPH_FILE), 'utf8');
    // When this fails: run `pnpm compose` and commit schema/supergraph.graphql.
    expect(result.ok && result.supergraphSdl).toBe(committed);
    expect(result.ok && result.apiSchemaSdl).toBe(readFileSync(path.join(REPO_ROOT, API_SCHEMA_FILE), 'utf8'));
    expect(result.ok && result.apiSchemaSdl).not.toContain('join__');
  });

  it('names the subgraph file, place and code of each composition error, one per line', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tributary-compose-'));
    try {
      cpSync(path.join(REPO_ROOT, 'subgraphs'), path.join(root, 'subgraphs'), { recursive: true, filter: (src) => !src.includes('node_modules') && !src.includes(`${path.sep}src`) });
      const sales = path.join(root, 'subgraphs/sales/schema.graphql');
      // Track.purchaseCount as a String in one subgraph while catalog's Track has no such field is fine;
      // a shared value type whose fields disagree is not:
      writeFileSync(sales, readFileSync(sales, 'utf8').replace('type PageInfo @shareable {\n  hasNextPage: Boolean!', 'type PageInfo @shareable {\n  hasNextPage: String!'));
      const result = composeSupergraph(root);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.length).toBeGreaterThanOrEqual(1);
      const line = result.errors.find((e) => e.includes('PageInfo.hasNextPage'))!;
      expect(line).toMatch(/^subgraphs\/\w+\/schema\.graphql:\d+:\d+(, subgraphs\/\w+\/schema\.graphql:\d+:\d+)* \[FIELD_TYPE_MISMATCH\] /);
      expect(line).toContain('subgraphs/sales/schema.graphql:');
      expect(result.errors.every((e) => !e.includes('\n'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
