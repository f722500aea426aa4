import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { DEFAULT_GATEWAY_PORT, DEFAULT_HOST, SUBGRAPHS, readInternalSecret } from '@tributary/runtime';
import { type ResponseCacheConfig, responseCacheConfigFrom } from './cache/cache-config.js';
import { type FrontDoorConfig, frontDoorConfigFrom } from './front-door-config.js';
import { GATEWAY_ENV, readGatewayEnv } from './gateway-env.js';
import { type JwtConfig, jwtConfigFrom } from './identity/jwt-config.js';

/** The gateway's configuration; every field has a default. Read by {@link readGatewayConfig}. */
export interface GatewayConfig {
  /** `GATEWAY_PORT`, default 4000. */
  port: number;
  /** `HOST`: interface to listen on. Default `127.0.0.1` (this machine only); `0.0.0.0` for all. */
  host: string;
  /**
   * `GATEWAY_CORS_ORIGINS`: comma-separated origins allowed to call from a browser (with
   * credentials). Default: none, no CORS headers (same-origin only).
   */
  corsOrigins: string[];
  /** `SUPERGRAPH_PATH`, default `schema/supergraph.graphql` in the repository. Reloaded on change. */
  supergraphPath: string;
  /** `NODE_ENV=production`: no GraphiQL, masked error details. */
  production: boolean;
  /**
   * Subgraph URLs over the supergraph's (`CATALOG_URL`, `CUSTOMERS_URL`, `SALES_URL`,
   * `PLAYLISTS_URL`); default: the supergraph's own URL, with its port taken from
   * `CATALOG_PORT`, ... when those are set.
   */
  subgraphUrls: Record<string, string>;
  /** `GATEWAY_SUBGRAPH_TIMEOUT_MS`: a subgraph fetch slower than this fails, in ms. Default 10,000. */
  subgraphTimeoutMs: number;
  /** How client tokens are verified (`GATEWAY_JWT_*`). */
  jwt: JwtConfig;
  /** `INTERNAL_JWT_SECRET`: signs the principal for the subgraphs (development secret outside production). */
  internalSecret: Uint8Array;
  /** Persisted operations, trusted documents and request limits. */
  frontDoor: FrontDoorConfig;
  /** The response cache (`RESPONSE_CACHE`, `CACHE_*`). */
  cache: ResponseCacheConfig;
}

/** Default of {@link GatewayConfig.subgraphTimeoutMs}, in ms. */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;

/**
 * Reads {@link GatewayConfig} from the environment ({@link GATEWAY_ENV}).
 *
 * @throws ConfigError with one line naming the variable.
 */
export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = readGatewayEnv(env);
  const subgraphUrls: Record<string, string> = {};
  for (const s of SUBGRAPHS) {
    const url = e[`${s.name.toUpperCase()}_URL` as 'CATALOG_URL'];
    const port = e[s.portEnv as 'CATALOG_PORT'];
    if (url) subgraphUrls[s.name] = url;
    else if (port) subgraphUrls[s.name] = `http://127.0.0.1:${port}/graphql`;
  }
  return {
    port: e.GATEWAY_PORT ?? DEFAULT_GATEWAY_PORT,
    host: e.HOST ?? DEFAULT_HOST,
    corsOrigins: e.GATEWAY_CORS_ORIGINS ?? [],
    supergraphPath: path.resolve(REPO_ROOT, e.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql'),
    production: e.NODE_ENV === 'production',
    subgraphUrls,
    subgraphTimeoutMs: e.GATEWAY_SUBGRAPH_TIMEOUT_MS ?? DEFAULT_SUBGRAPH_TIMEOUT_MS,
    jwt: jwtConfigFrom(e),
    internalSecret: readInternalSecret(env),
    frontDoor: frontDoorConfigFrom(e, env),
    cache: responseCacheConfigFrom(e),
  };
}
