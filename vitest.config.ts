import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * One vitest run for the whole workspace. The global setup checks Postgres and Redis, and builds
 * a migrated, imported template database that each test file clones (so files run in parallel
 * without seeing each other's writes); teardown drops what the run made.
 */
export default defineConfig({
  resolve: {
    // Node loads graphql-js as CommonJS for every package (graphql 16 has no `exports` map);
    // vite would give our sources its ESM build instead, and two copies of graphql-js break
    // `instanceof GraphQLError` (and with it Yoga's error masking). One copy, as in production.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
