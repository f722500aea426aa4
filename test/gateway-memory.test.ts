import {
  BYTES_PER_TOKEN,
  DOCUMENT_CACHE_MAX_BYTES,
  DOCUMENT_CACHE_MAX_ENTRIES,
  PARSE_ERROR_CACHE_MAX_ENTRIES,
  PLAN_CACHE_MAX_BYTES,
  PLAN_CACHE_MAX_ENTRIES,
  createDocumentCaches,
  createPlanCache,
} from '@tributary/gateway';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

describe('the gateway parse and plan caches', () => {
  it('pins their bounds', () => {
    expect([DOCUMENT_CACHE_MAX_ENTRIES, DOCUMENT_CACHE_MAX_BYTES, PARSE_ERROR_CACHE_MAX_ENTRIES, BYTES_PER_TOKEN]).toEqual([1_000, 64 * 1024 * 1024, 1_000, 512]);
    expect([PLAN_CACHE_MAX_ENTRIES, PLAN_CACHE_MAX_BYTES]).toEqual([1_000, 30 * 1024 * 1024]);
  });

  it('keep at most maxEntries documents, the least recently used leaving first', () => {
    const { documentCache } = createDocumentCaches({ maxEntries: 10 });
    for (let i = 0; i < 50; i++) documentCache.set(`{ a${i}: __typename }`, parse(`{ a${i}: __typename }`));
    expect(documentCache.size).toBe(10);
    expect(documentCache.has('{ a49: __typename }')).toBe(true);
    expect(documentCache.has('{ a39: __typename }')).toBe(false);
  });

  it('keep at most maxBytes of documents, costed by their tokens', () => {
    const { documentCache } = createDocumentCaches({ maxBytes: 5 * 1024 * 1024 });
    // 1,993 tokens each: about 1 MB of heap apiece, so five fit.
    const large = (i: number) => `{ a${i}: genres { ${'id name '.repeat(995)} } }`;
    for (let i = 0; i < 20; i++) documentCache.set(large(i), parse(large(i)));
    expect(documentCache.size).toBe(5);
    expect(documentCache.calculatedSize).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('keep at most maxEntries plans', async () => {
    const plans = createPlanCache({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) await plans.set(`plan ${i}`, { kind: 'QueryPlan', node: undefined });
    expect(plans.size).toBe(3);
    expect(await plans.get('plan 9')).toEqual({ kind: 'QueryPlan', node: undefined });
    expect(await plans.get('plan 0')).toBeUndefined();
  });
});

describe('a gateway sent more distinct documents than it keeps', () => {
  let database: TestDatabase;
  let stack: Stack;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    stack = await startStack({ databaseUrl: database.url, gatewayEnv: { RESPONSE_CACHE: 'off' }, cacheEntryBounds: { documents: 40, plans: 30 } });
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  it('keeps at most its bounds of parsed documents and plans (40 and 30 here)', async () => {
    const documents = 100;
    for (let start = 0; start < documents; start += 20) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => stack.query(`query Q${start + i} { genre(id: "1") { name } }`)));
      expect(answers.every((a) => a.body.data?.genre?.name === 'Rock')).toBe(true);
    }
    expect(stack.gateway.cacheEntries).toEqual({ documents: 40, plans: 30 });
  });
});
