import path from 'node:path';
import { REPO_ROOT } from '../src/repo-root.js';
import { DEFAULT_CACHE_CONFIG, DEFAULT_SUBGRAPH_TIMEOUT_MS, readGatewayConfig } from '@tributary/gateway';
import { ConfigError, readSubgraphIdentity } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';

describe('readGatewayConfig', () => {
  it("defaults to port 4000, the committed supergraph and the supergraph's own subgraph URLs", () => {
    expect(readGatewayConfig({})).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      corsOrigins: [],
      supergraphPath: path.join(REPO_ROOT, 'schema/supergraph.graphql'),
      production: false,
      subgraphUrls: {},
      subgraphTimeoutMs: 10_000,
    });
    expect(DEFAULT_SUBGRAPH_TIMEOUT_MS).toBe(10_000);
  });

  it('turns the entity cache on by default, independently of the response cache', () => {
    expect(readGatewayConfig({}).cache).toMatchObject({ enabled: true, entity: true });
    expect(readGatewayConfig({ RESPONSE_CACHE: 'off' }).cache).toMatchObject({ enabled: false, entity: true });
    expect(readGatewayConfig({ ENTITY_CACHE_FIELDS: 'off' }).cache).toMatchObject({ entity: true, entityFields: false });
    expect(readGatewayConfig({ ENTITY_CACHE: 'off' }).cache).toMatchObject({ enabled: true, entity: false });
    expect(() => readGatewayConfig({ ENTITY_CACHE: 'yes' })).toThrow('Invalid configuration: ENTITY_CACHE: must be on/off, true/false or 1/0, got "yes"');
  });

  it("takes subgraph URLs, or ports on localhost, over the supergraph's", () => {
    const config = readGatewayConfig({
      CATALOG_URL: 'http://catalog:4001/graphql',
      SALES_PORT: '5003',
      GATEWAY_PORT: '8080',
      NODE_ENV: 'production',
      SUPERGRAPH_PATH: '/etc/supergraph.graphql',
      GATEWAY_JWT_SECRET: 's'.repeat(32),
      INTERNAL_JWT_SECRET: 'i'.repeat(32),
      HOST: '0.0.0.0',
    });
    expect(config.subgraphUrls).toEqual({ catalog: 'http://catalog:4001/graphql', sales: 'http://127.0.0.1:5003/graphql' });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', production: true, supergraphPath: '/etc/supergraph.graphql' });
  });
});

describe('readGatewayConfig misuse', () => {
  it.each([
    [{ GATEWAY_PORT: 'http' }, 'Invalid configuration: GATEWAY_PORT: must be a port number 1-65535, got "http"'],
    [{ GATEWAY_PORT: '70000' }, 'Invalid configuration: GATEWAY_PORT: must be a port number 1-65535, got "70000"'],
    [{ CATALOG_PORT: '0' }, 'Invalid configuration: CATALOG_PORT: must be a port number 1-65535, got "0"'],
    [{ HOST: 'http://x' }, 'Invalid configuration: HOST: must be an address such as 0.0.0.0 or ::, got "http://x"'],
    [{ GATEWAY_CORS_ORIGINS: 'evil.example' }, 'Invalid configuration: GATEWAY_CORS_ORIGINS: each origin must be scheme://host[:port], got "evil.example"'],
    [{ PLAYLISTS_URL: 'playlists:4004' }, 'Invalid configuration: PLAYLISTS_URL: must be an http(s) URL, got "playlists:4004"'],
    [{ GATEWAY_SUBGRAPH_TIMEOUT_MS: '0' }, 'Invalid configuration: GATEWAY_SUBGRAPH_TIMEOUT_MS: must be a whole number of ms from 1 to 2147483647, got "0"'],
    [{ GATEWAY_SUBGRAPH_TIMEOUT_MS: '3000000000' }, 'Invalid configuration: GATEWAY_SUBGRAPH_TIMEOUT_MS: must be a whole number of ms from 1 to 2147483647, got "3000000000"'],
  ])('fails with one line naming the variable for %o', (env, message) => {
    expect(() => readGatewayConfig(env)).toThrow(message);
  });
});

describe('production configuration', () => {
  it.each([
    [{ NODE_ENV: 'production' }, 'Invalid configuration: GATEWAY_JWT_SECRET: GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL is required in production'],
    [{ NODE_ENV: 'production', GATEWAY_JWT_SECRET: 's'.repeat(32) }, 'Invalid configuration: INTERNAL_JWT_SECRET: required in production (at least 32 characters)'],
    [{ GATEWAY_JWT_SECRET: 'short' }, 'Invalid configuration: GATEWAY_JWT_SECRET: must be at least 32 characters, got 5'],
  ])('refuses to start without real secrets: %o', (env, message) => {
    expect(() => readGatewayConfig(env)).toThrow(message);
  });
});

describe('booleans', () => {
  it.each([
    ['on', true],
    ['true', true],
    ['1', true],
    ['off', false],
    ['false', false],
    ['0', false],
  ])('take %o as %o for every boolean variable', (raw, value) => {
    const config = readGatewayConfig({ RESPONSE_CACHE: raw, CACHE_L2: raw, CACHE_DEBUG: raw, GATEWAY_INTROSPECTION: raw });
    expect(config.cache).toMatchObject({ enabled: value, l2: value, debug: value });
    expect(config.frontDoor.introspection).toBe(value);
    expect(readSubgraphIdentity({ SUBGRAPH_REQUIRE_GATEWAY_TOKEN: raw }).requireGatewayToken).toBe(value);
  });

  it('default as documented: cache and L2 on, debug off, introspection and the gateway token by NODE_ENV', () => {
    expect(readGatewayConfig({}).cache).toEqual(DEFAULT_CACHE_CONFIG);
    expect(DEFAULT_CACHE_CONFIG).toEqual({ enabled: true, l2: true, l1MaxBytes: 67_108_864, defaultMaxAgeS: 300, debug: false, entity: true, entityFields: true, warm: 'off' });
    expect(readGatewayConfig({}).frontDoor.introspection).toBe(true);
    expect(readSubgraphIdentity({}).requireGatewayToken).toBe(false);
    expect(readSubgraphIdentity({ NODE_ENV: 'production', INTERNAL_JWT_SECRET: 'i'.repeat(32) }).requireGatewayToken).toBe(true);
  });

  it.each([
    [{ RESPONSE_CACHE: 'yes' }, 'Invalid configuration: RESPONSE_CACHE: must be on/off, true/false or 1/0, got "yes"'],
    [{ CACHE_L2: 'enabled' }, 'Invalid configuration: CACHE_L2: must be on/off, true/false or 1/0, got "enabled"'],
    [{ PERSISTED_OPERATIONS: 'sometimes' }, 'Invalid configuration: PERSISTED_OPERATIONS: must be off, allow or only, got "sometimes"'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid configuration: LOG_LEVEL: must be fatal, error, warn, info, debug, trace or silent, got "loud"'],
    [{ REDIS_URL: 'localhost:6379' }, 'Invalid configuration: REDIS_URL: must be a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL, got "localhost:6379"'],
    [{ REDIS_URL: 'redis+cluster://a:7000,b:99999' }, 'Invalid configuration: REDIS_URL: not a host:port: "b:99999", got "redis+cluster://a:7000,b:99999"'],
    [{ REDIS_CLUSTER_NODES: 'a:99999' }, 'Invalid configuration: REDIS_CLUSTER_NODES: not a host:port: "a:99999"'],
  ])('refuse anything else, naming the variable: %o', (env, message) => {
    expect(() => readGatewayConfig(env)).toThrow(ConfigError);
    expect(() => readGatewayConfig(env)).toThrow(message);
  });

  it('read REDIS_CLUSTER_NODES as a cluster URL that keeps the credentials and TLS of REDIS_URL', () => {
    expect(readGatewayConfig({ REDIS_CLUSTER_NODES: 'a:7000,b:7000' }).frontDoor.redisUrl).toBe('redis+cluster://a:7000,b:7000');
    expect(readGatewayConfig({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_URL: 'rediss://app:pw@seed:7000' }).frontDoor.redisUrl).toBe('rediss+cluster://app:pw@a:7000');
    expect(readGatewayConfig({ REDIS_URL: 'redis+cluster://a:7000,b:7001' }).frontDoor.redisUrl).toBe('redis+cluster://a:7000,b:7001');
  });

  it("refuse a bad SUBGRAPH_REQUIRE_GATEWAY_TOKEN in the subgraphs' process", () => {
    expect(() => readSubgraphIdentity({ SUBGRAPH_REQUIRE_GATEWAY_TOKEN: 'maybe' })).toThrow('Invalid configuration: SUBGRAPH_REQUIRE_GATEWAY_TOKEN: must be on/off, true/false or 1/0, got "maybe"');
  });
});
