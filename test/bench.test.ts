import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../benchmarks/lib/report.js';
import { runScript } from './support/run-script.js';
import { cloneTemplateDatabase } from './support/test-database.js';

/** `pnpm bench --quick`: structure and SQL invariants only, never timings. */
describe('pnpm bench --quick', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'tributary-bench-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the results, table and charts, with the batching and cache invariants', async () => {
    const database = await cloneTemplateDatabase();
    try {
      const run = await runScript(
        'benchmarks/bench.ts',
        ['--quick', '--system', 'tributary-naive,tributary-nocache,tributary-entity,tributary-l1', '--scenario', 'hot,nplus1-1,nplus1-100', '--out', out],
        {
          DATABASE_URL: database.url,
          REDIS_KEY_PREFIX: 'unused',
        },
      );
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResult;
      expect(result.settings).toEqual({ durationS: 2, connections: 10, quick: true });
      expect(result.rows.map((r) => `${r.system}/${r.scenario}`)).toEqual([
        'tributary-naive/hot',
        'tributary-naive/nplus1-1',
        'tributary-naive/nplus1-100',
        'tributary-nocache/hot',
        'tributary-nocache/nplus1-1',
        'tributary-nocache/nplus1-100',
        'tributary-entity/hot',
        'tributary-entity/nplus1-1',
        'tributary-entity/nplus1-100',
        'tributary-l1/hot',
        'tributary-l1/nplus1-1',
        'tributary-l1/nplus1-100',
      ]);
      for (const row of result.rows) {
        expect(Object.keys(row).sort()).toEqual(
          [
            'cacheHitRate',
            'errors',
            'gatewayCpuUsPerRequest',
            'gatewayRssMb',
            'latencyMs',
            'non2xx',
            'ratioToApolloGateway',
            'requestsPerSecond',
            'scenario',
            'sqlPerRequest',
            'staleReads',
            'system',
          ].sort(),
        );
        expect(row.errors + row.non2xx).toBe(0);
        expect(row.requestsPerSecond).toBeGreaterThanOrEqual(0);
        expect(row.gatewayRssMb).toBeGreaterThan(10);
        // Serving requests costs CPU (the system's process was measured, not another one); a row
        // that completed no request has no figure.
        if (row.requestsPerSecond > 0) expect(row.gatewayCpuUsPerRequest!).toBeGreaterThan(0);
        else expect(row.gatewayCpuUsPerRequest).toBeNull();
      }
      const row = (system: string, scenario: string) => result.rows.find((r) => r.system === system && r.scenario === scenario)!;
      // Batched: the statements of 1 and 100 albums are the same (4: albums, tracks, genres, purchase counts).
      expect(row('tributary-nocache', 'nplus1-1').sqlPerRequest).toBe(4);
      expect(row('tributary-nocache', 'nplus1-100').sqlPerRequest).toBe(4);
      // Row by row: grows with the list.
      expect(row('tributary-naive', 'nplus1-100').sqlPerRequest!).toBeGreaterThan(100);
      // The entity cache alone: every request executes its plan, every fetch from cached entities.
      expect(row('tributary-entity', 'nplus1-100').sqlPerRequest).toBe(0);
      expect(row('tributary-entity', 'nplus1-100').cacheHitRate!).toBeGreaterThan(0.9);
      // The hot page from the cache: hits, and no SQL.
      expect(row('tributary-l1', 'hot').cacheHitRate!).toBeGreaterThan(0.9);
      expect(row('tributary-l1', 'hot').sqlPerRequest).toBe(0);
      for (const file of ['latest.md', 'latency.svg', 'throughput.svg']) expect(readFileSync(path.join(out, file), 'utf8').length).toBeGreaterThan(100);
      expect(readFileSync(path.join(out, 'latency.svg'), 'utf8')).toMatch(/^<svg/);
    } finally {
      await database.drop();
    }
  }, 240_000); // four systems × three scenarios, each in its own process
});
