import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { type OwnRedis, startOwnRedis } from './support/redis-server.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/** The health of Redis and of the invalidation bus, as Prometheus sees it (alerts in deploy/prometheus/alerts.yml). */
describe('bus and Redis health in /metrics', () => {
  let database: TestDatabase;
  let redis: OwnRedis;
  let stack: Stack;
  const gatewayMetrics = async () => (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  const feedMetrics = async () => (await fetch(stack.subgraphs.urls.catalog!.replace(/\/graphql$/, '/metrics'))).text();
  const health = async () => {
    const [gateway, feed] = [await gatewayMetrics(), await feedMetrics()];
    return {
      bus: metricValue(gateway, 'tributary_cache_bus_connected', {}),
      l2: metricValue(gateway, 'tributary_cache_l2_connected', {}),
      losses: metricValue(gateway, 'tributary_cache_bus_losses_total', {}),
      feed: metricValue(feed, 'tributary_change_feed_bus_connected', {}),
    };
  };
  const until = async (expected: Awaited<ReturnType<typeof health>>) => {
    const deadline = Date.now() + 10_000;
    let seen = await health();
    while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await health();
    }
    return seen;
  };

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    redis = await startOwnRedis();
    stack = await startStack({ databaseUrl: database.url, redis: { url: redis.url, keyPrefix: 'health:' } });
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop().catch(() => undefined);
    await database?.drop();
  });

  it('reports the bus and L2 connected, then lost (counted once), then back', async () => {
    expect(await until({ bus: 1, l2: 1, losses: 0, feed: 1 })).toEqual({ bus: 1, l2: 1, losses: 0, feed: 1 });
    await redis.stop();
    expect(await until({ bus: 0, l2: 0, losses: 1, feed: 0 })).toEqual({ bus: 0, l2: 0, losses: 1, feed: 0 });
    await redis.start();
    expect(await until({ bus: 1, l2: 1, losses: 1, feed: 1 })).toEqual({ bus: 1, l2: 1, losses: 1, feed: 1 });
  }, 40_000);
});
