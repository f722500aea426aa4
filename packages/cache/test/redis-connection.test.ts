import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_HUNG_RECONNECT_MS, RedisUnavailableError, createServerConnection } from '../src/create-redis-connection.js';
import { type OwnRedis, startOwnRedis } from '../../../test/support/redis-server.js';

/** Blocks the event loop for `ms` (a schema build at start does the same). */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}
const readyOf = (redis: Redis) => (redis.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => redis.once('ready', () => resolve())));

describe('a Redis connection on a stalled event loop', () => {
  it('does not time out a command that Redis answered while the loop was blocked (plain ioredis does)', async () => {
    const redis = await startOwnRedis();
    const guarded = createServerConnection(redis.url, { name: 'tributary-test', commandTimeoutMs: 100 });
    const plain = new Redis(redis.url, { commandTimeout: 100 });
    try {
      await Promise.all([readyOf(guarded), readyOf(plain)]);
      const ours = guarded.ping();
      const theirs = plain.ping().catch((error: Error) => error.message);
      blockEventLoop(400); // Redis answers within a millisecond; the reply waits in the socket
      expect(await ours).toBe('PONG');
      // The cause of "change event not published … Command timed out" with Redis up.
      expect(await theirs).toBe('Command timed out');
    } finally {
      guarded.disconnect();
      plain.disconnect();
      await redis.stop();
    }
  });
});

describe('a Redis connection to a hung server (SIGSTOP)', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('bounds what waits: commands fail at once once it stops answering, the socket is dropped after 3 s, and it comes back alone', async () => {
    const states: Array<[number, boolean]> = [];
    const connection = createServerConnection(redis.url, { name: 'tributary-hung', commandTimeoutMs: 250, maxPending: 100, onState: (up) => states.push([Date.now(), up]) });
    try {
      await readyOf(connection);
      expect(states.map(([, up]) => up)).toEqual([true]);
      const value = 'x'.repeat(10_000);
      redis.pause();
      const paused = Date.now();
      let maxPending = 0;
      const outcomes = { ok: 0, timedOut: 0, refused: 0 };
      const refusalLatencies: number[] = [];
      // 5,000 stores of 10 kB over 2 s: the shape of a gateway under load while Redis hangs.
      for (let i = 0; i < 50; i++) {
        const batch = Array.from({ length: 100 }, async (_, j) => {
          const sent = Date.now();
          try {
            await connection.set(`k${i}-${j}`, value, 'PX', 60_000);
            outcomes.ok++;
          } catch (error) {
            if (error instanceof RedisUnavailableError) {
              outcomes.refused++;
              refusalLatencies.push(Date.now() - sent);
            } else outcomes.timedOut++;
          }
        });
        maxPending = Math.max(maxPending, connection.commandQueue.length);
        void Promise.all(batch);
        await new Promise((r) => setTimeout(r, 40));
      }
      await new Promise((r) => setTimeout(r, 400));
      expect(maxPending).toBeLessThanOrEqual(100 + 1); // the cap, and the one PING probe
      expect(outcomes.ok).toBe(0);
      expect(outcomes.timedOut).toBeLessThanOrEqual(100);
      expect(outcomes.refused).toBeGreaterThanOrEqual(4_900);
      // Refused without waiting for anything: sooner than the command timeout could fire.
      expect(Math.max(...refusalLatencies)).toBeLessThan(250);
      // Reported down after the first timeout, within the timeout (and a stalled loop's slack).
      const down = states.find(([, up]) => !up);
      expect(down).toBeDefined();
      expect(down![0] - paused).toBeLessThan(1_000);
      // After 3 s of silence the socket is dropped: nothing waits on it any more.
      await new Promise((r) => setTimeout(r, REDIS_HUNG_RECONNECT_MS + 1_000 - (Date.now() - paused)));
      // What waits now is the new connection's handshake (CLIENT SETNAME, SETINFO, INFO), not the stores.
      expect(connection.status).not.toBe('ready');
      expect(connection.commandQueue.length).toBeLessThanOrEqual(5);
    } finally {
      redis.resume();
    }
    // Back without help, on one connection.
    const deadline = Date.now() + 10_000;
    while (!(states.at(-1)?.[1] === true && connection.status === 'ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await connection.set('after', '1')).toBe('OK');
    expect((await redis.clients())['tributary-hung']).toBe(1);
    connection.disconnect();
  }, 30_000);
});
