import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

const shared = {
  resolve: {
    // Node loads graphql-js as CommonJS for every package (graphql 16 has no `exports` map);
    // vite would give our sources its ESM build instead, and two copies of graphql-js break
    // `instanceof GraphQLError` (and with it Yoga's error masking). One copy, as in production.
    alias: { graphql: require.resolve('graphql') },
  },
};

/**
 * One vitest run for the whole workspace. The global setup checks Postgres and Redis, and builds
 * a migrated, imported template database that each test file clones (so files run in parallel
 * without seeing each other's writes); teardown drops what the run made. The benchmark's quick
 * run loads the machine with a dozen processes, so it runs alone, after everything else: the
 * cache's 100 ms invalidation checks must not share the CPU with it.
 */
export default defineConfig({
  ...shared,
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        ...shared,
        test: {
          name: 'suite',
          include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/bench.test.ts', 'test/pgbouncer.test.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        // Issue 14: the cache tests again, with every subgraph connection through a pgbouncer in
        // transaction pooling mode (DATABASE_URL) and LISTEN direct (DATABASE_DIRECT_URL); batching's
        // statement counts are in pgbouncer.test.ts. After the suite, not beside it: the same files
        // twice at once would double the load that the 100 ms invalidation checks run under.
        test: {
          name: 'pgbouncer',
          include: ['test/pgbouncer.test.ts', 'test/response-cache.test.ts', 'test/mutations.test.ts', 'test/cache-write-races.test.ts'],
          globalSetup: ['test/support/pgbouncer-setup.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: { name: 'bench', include: ['test/bench.test.ts'], sequence: { groupOrder: 2 }, testTimeout: 180_000, hookTimeout: 60_000 },
      },
    ],
  },
});
