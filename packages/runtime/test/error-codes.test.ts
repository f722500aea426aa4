import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { CLIENT_ERROR_CODES, ERROR_CODES, REFUSAL_CODES, REQUEST_ERROR_CODES } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';

/** Every `.ts` file under `dir`, generated code excluded. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('generated'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Codes the sources produce: `code: 'X'`, `report('X'`, `refuse('X'`, `onRefusal?.('X'`, `X = 'X'` constants. */
function producedCodes(): Set<string> {
  const dirs = [
    'gateway/src',
    'packages/cache/src',
    'packages/database/src',
    'packages/runtime/src',
    'packages/subgraph-host/src',
    ...['catalog', 'customers', 'sales', 'playlists'].map((s) => `subgraphs/${s}/src`),
  ];
  const codes = new Set<string>();
  // Maps of codes (LIMIT_CODES, BUS_ERROR_CODES) are checked by the compiler (`satisfies Record<string, ErrorCode>`).
  // A constant that names an environment variable (`WORKER_BUS_VARIABLE = 'TRIBUTARY_WORKER_BUS'`) is not a code.
  const pattern = /(?:code: |report\(|refuse\(|onRefusal\?\.\(|const (?![A-Z_]*_VARIABLE )[A-Z_]+ = )'([A-Z][A-Z_]{4,})'/g;
  for (const file of dirs.flatMap((d) => sources(path.join(REPO_ROOT, d)))) {
    if (file.endsWith('error-codes.ts') || file.endsWith('-env.ts') || file.endsWith('config.ts')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) codes.add(match[1]!);
  }
  return codes;
}

describe('ERROR_CODES, the one list of error codes', () => {
  it('lists every code the sources produce', () => {
    const listed = new Set(Object.keys(ERROR_CODES));
    const produced = producedCodes();
    expect(produced.size).toBeGreaterThan(15);
    expect([...produced].filter((code) => !listed.has(code)).sort()).toEqual([]);
  });

  it('derives the refusals, request errors and client errors from it', () => {
    expect([...REFUSAL_CODES]).toContain('BATCH_LIMIT_EXCEEDED');
    expect([...REQUEST_ERROR_CODES].sort()).toEqual(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(CLIENT_ERROR_CODES.has('FORBIDDEN') && CLIENT_ERROR_CODES.has('CSRF_PREVENTED') && !CLIENT_ERROR_CODES.has('DATABASE_UNAVAILABLE')).toBe(true);
  });
});
