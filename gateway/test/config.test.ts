import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS, readGatewayConfig } from '@tributary/gateway';
import { describe, expect, it } from 'vitest';

describe('readGatewayConfig', () => {
  it('defaults to port 4000, the committed supergraph and the supergraph\'s own subgraph URLs', () => {
    expect(readGatewayConfig({})).toEqual({
      port: 4000,
      supergraphPath: path.join(REPO_ROOT, 'schema/supergraph.graphql'),
      production: false,
      subgraphUrls: {},
      subgraphTimeoutMs: 10_000,
    });
    expect(DEFAULT_SUBGRAPH_TIMEOUT_MS).toBe(10_000);
  });

  it('takes subgraph URLs, or ports on localhost, over the supergraph\'s', () => {
    const config = readGatewayConfig({ CATALOG_URL: 'http://catalog:4001/graphql', SALES_PORT: '5003', GATEWAY_PORT: '8080', NODE_ENV: 'production', SUPERGRAPH_PATH: '/etc/supergraph.graphql' });
    expect(config.subgraphUrls).toEqual({ catalog: 'http://catalog:4001/graphql', sales: 'http://localhost:5003/graphql' });
    expect(config).toMatchObject({ port: 8080, production: true, supergraphPath: '/etc/supergraph.graphql' });
  });
});

describe('readGatewayConfig misuse', () => {
  it.each([
    [{ GATEWAY_PORT: 'http' }, 'Invalid configuration: GATEWAY_PORT: must be a port number 0-65535, got "http"'],
    [{ GATEWAY_PORT: '70000' }, 'Invalid configuration: GATEWAY_PORT: must be a port number 0-65535, got "70000"'],
    [{ PLAYLISTS_URL: 'playlists:4004' }, 'Invalid configuration: PLAYLISTS_URL: must be an http(s) URL, got "playlists:4004"'],
    [{ GATEWAY_SUBGRAPH_TIMEOUT_MS: '0' }, 'Invalid configuration: GATEWAY_SUBGRAPH_TIMEOUT_MS: must be a positive whole number of ms, got "0"'],
  ])('fails with one line naming the variable for %o', (env, message) => {
    expect(() => readGatewayConfig(env)).toThrow(message);
  });
});
