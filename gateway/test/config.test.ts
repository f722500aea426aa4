import path from 'node:path';
import { REPO_ROOT } from '../src/repo-root.js';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS, readGatewayConfig } from '@tributary/gateway';
import { describe, expect, it } from 'vitest';

describe('readGatewayConfig', () => {
  it('defaults to port 4000, the committed supergraph and the supergraph\'s own subgraph URLs', () => {
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

  it('takes subgraph URLs, or ports on localhost, over the supergraph\'s', () => {
    const config = readGatewayConfig({ CATALOG_URL: 'http://catalog:4001/graphql', SALES_PORT: '5003', GATEWAY_PORT: '8080', NODE_ENV: 'production', SUPERGRAPH_PATH: '/etc/supergraph.graphql', GATEWAY_JWT_SECRET: 's'.repeat(32), INTERNAL_JWT_SECRET: 'i'.repeat(32), HOST: '0.0.0.0' });
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
