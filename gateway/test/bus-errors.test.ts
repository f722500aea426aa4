import { createErrorReporter, createRegistry } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';
import { BUS_ERROR_CODES, createBusFromEnv } from '@tributary/cache';
import { startOwnRedis } from '../../test/support/redis-server.js';

/** A logger that keeps its warn lines. */
function recordingLogger() {
  const lines: Array<{ code?: string; msg: string }> = [];
  return { lines, warn: (obj: object, msg: string) => void lines.push({ ...(obj as { code?: string }), msg }) };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const errorCount = async (registry: ReturnType<typeof createRegistry>, code: string) => {
  const metric = await registry.getSingleMetric('tributary_errors_total')?.get();
  return metric?.values.find((v) => v.labels.code === code)?.value ?? 0;
};

describe('the invalidation bus reports what no connection state shows', () => {
  it('logs and counts a SUBSCRIBE that Redis refuses (BUS_SUBSCRIBE_FAILED), and the bus stays down', async () => {
    // A server of this test's own whose default user may do anything but SUBSCRIBE.
    const redis = await startOwnRedis(['--user', 'default', 'on', 'nopass', '~*', '&*', '+@all', '-subscribe']);
    const logger = recordingLogger();
    const registry = createRegistry('gateway');
    const bus = createBusFromEnv({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `test-bus-errors-${process.pid}:` }, { errors: createErrorReporter({ logger, registry }) });
    try {
      await until(async () => (await errorCount(registry, BUS_ERROR_CODES.subscribe)) >= 1);
      expect(logger.lines.find((l) => l.code === 'BUS_SUBSCRIBE_FAILED')?.msg).toMatch(/^SUBSCRIBE on the invalidation bus failed: NOPERM/);
      expect(bus.connected).toBe(false);
    } finally {
      await bus.close();
      await redis.stop();
    }
  });

  it("logs and counts the Redis connections' error events (REDIS_CONNECTION_ERROR) while Redis is gone", async () => {
    const redis = await startOwnRedis();
    const logger = recordingLogger();
    const registry = createRegistry('gateway');
    const bus = createBusFromEnv({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `test-bus-errors-${process.pid}:` }, { errors: createErrorReporter({ logger, registry }) });
    try {
      await until(() => bus.connected);
      expect(await errorCount(registry, BUS_ERROR_CODES.connection)).toBe(0);
      await redis.stop();
      // Each connection's first failed reconnect is one line (a cause: code and message) and one count.
      const lines = () => logger.lines.filter((l) => l.code === 'REDIS_CONNECTION_ERROR').map((l) => l.msg.replace(/:\d+$/, ':<port>'));
      const expected = ['Redis connection tributary-bus-publisher: connect ECONNREFUSED 127.0.0.1:<port>', 'Redis connection tributary-bus-subscriber: connect ECONNREFUSED 127.0.0.1:<port>'];
      await until(() => expected.every((line) => lines().includes(line)));
      expect(lines().filter((line) => line === expected[0])).toHaveLength(1); // once per cause per 10 s, however often ioredis retries
      expect(await errorCount(registry, BUS_ERROR_CODES.connection)).toBeGreaterThanOrEqual(2);
    } finally {
      await bus.close();
    }
  });
});
