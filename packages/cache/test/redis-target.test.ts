import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tributary/runtime';
import { parseRedisTarget, redisUrlFromEnv } from '../src/redis-target.js';

describe('Redis targets: one server or a cluster', () => {
  it('reads redis:// as one server, as it is', () => {
    expect(parseRedisTarget('redis://u:p@cache:6380/2')).toEqual({ kind: 'single', url: 'redis://u:p@cache:6380/2' });
  });

  it('reads redis+cluster:// seeds, credentials and TLS', () => {
    expect(parseRedisTarget('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,cache-3')).toEqual({
      kind: 'cluster',
      seeds: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: 'cache-3', port: 6379 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseRedisTarget('rediss+cluster://app:s%40cret@a:7000,[::1]:7001')).toMatchObject({
      seeds: [
        { host: 'a', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      username: 'app',
      password: 's@cret',
      tls: true,
    });
  });

  it('turns REDIS_CLUSTER_NODES into a cluster URL, keeping the credentials of REDIS_URL', () => {
    expect(redisUrlFromEnv({ REDIS_CLUSTER_NODES: 'a:7000, b:7001' })).toBe('redis+cluster://a:7000,b:7001');
    expect(redisUrlFromEnv({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_URL: 'rediss://app:pw@seed:7000' })).toBe('rediss+cluster://app:pw@a:7000');
    expect(redisUrlFromEnv({ REDIS_URL: 'redis://seed:6379' })).toBe('redis://seed:6379');
    expect(redisUrlFromEnv({})).toBeUndefined();
  });

  it('fails with a ConfigError naming the variable', () => {
    expect(() => redisUrlFromEnv({ REDIS_URL: 'cache:6379' })).toThrow(ConfigError);
    expect(() => redisUrlFromEnv({ REDIS_URL: 'cache:6379' })).toThrow('Invalid configuration: REDIS_URL: must be a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL, got "cache:6379"');
    expect(() => redisUrlFromEnv({ REDIS_CLUSTER_NODES: 'a:99999' })).toThrow('Invalid configuration: REDIS_CLUSTER_NODES: not a host:port: "a:99999"');
    expect(() => redisUrlFromEnv({ REDIS_CLUSTER_NODES: ' , ' })).toThrow('Invalid configuration: REDIS_CLUSTER_NODES: names no node');
  });
});
