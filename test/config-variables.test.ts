import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATABASE_ENV } from '@tributary/database';
import { envVariables } from '@tributary/runtime';
import { REPO_ROOT } from '../gateway/src/repo-root.js';
import { GATEWAY_ENV } from '@tributary/gateway';
import { SUBGRAPH_ENV } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';

/** The variables named in the first column of README.md's "## Configuration" table. */
function readmeVariables(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]!.split(/^## /m)[0]!;
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

describe('the configuration table in README.md', () => {
  const documented = new Set(readmeVariables());
  const parsed = new Set([...envVariables(GATEWAY_ENV), ...envVariables(SUBGRAPH_ENV), ...envVariables(DATABASE_ENV)]);

  it('lists every variable a service schema reads', () => {
    expect([...parsed].filter((v) => !documented.has(v)).sort()).toEqual([]);
  });

  it('lists no variable that no service schema reads', () => {
    expect([...documented].filter((v) => !parsed.has(v)).sort()).toEqual([]);
  });

  it("is read as a table of at least the product contract's variables", () => {
    for (const v of ['DATABASE_URL', 'REDIS_URL', 'SUPERGRAPH_PATH', 'CHINOOK_SQL', 'GATEWAY_PORT', 'PLAYLISTS_PORT', 'CACHE_L2']) expect(documented).toContain(v);
    expect(documented.size).toBe(parsed.size);
  });
});
