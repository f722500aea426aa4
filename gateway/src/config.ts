import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { DEFAULT_GATEWAY_PORT, InvalidConfigurationError, SUBGRAPHS, readHost, readInternalSecret, readPort } from '@tributary/runtime';
import { type ResponseCacheConfig, readResponseCacheConfig } from './cache/cache-config.js';
import { type FrontDoorConfig, readFrontDoorConfig } from './front-door-config.js';
import { type JwtConfig, readJwtConfig } from './identity/jwt-config.js';

/** The gateway's configuration; every field has a default. */
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
 * Reads {@link GatewayConfig} from the environment.
 *
 * @throws InvalidConfigurationError with one line naming the variable.
 */
export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const s of SUBGRAPHS) {
    const urlVariable = `${s.name.toUpperCase()}_URL`;
    const url = env[urlVariable]?.trim();
    if (url) {
      if (!/^https?:\/\/\S+$/.test(url)) throw new InvalidConfigurationError(`Invalid configuration: ${urlVariable}: must be an http(s) URL, got ${JSON.stringify(url)}`);
      subgraphUrls[s.name] = url;
    } else if (env[s.portEnv]?.trim()) {
      subgraphUrls[s.name] = `http://127.0.0.1:${readPort(env, s.portEnv, s.defaultPort)}/graphql`;
    }
  }
  const timeout = env.GATEWAY_SUBGRAPH_TIMEOUT_MS?.trim();
  if (timeout && (!/^[1-9]\d{0,9}$/.test(timeout) || Number(timeout) > 2_147_483_647)) {
    throw new InvalidConfigurationError(`Invalid configuration: GATEWAY_SUBGRAPH_TIMEOUT_MS: must be a whole number of ms from 1 to 2147483647, got ${JSON.stringify(timeout)}`);
  }
  return {
    port: readPort(env, 'GATEWAY_PORT', DEFAULT_GATEWAY_PORT),
    host: readHost(env),
    corsOrigins: readCorsOrigins(env),
    supergraphPath: path.resolve(REPO_ROOT, env.SUPERGRAPH_PATH?.trim() || 'schema/supergraph.graphql'),
    production: env.NODE_ENV === 'production',
    subgraphUrls,
    subgraphTimeoutMs: timeout ? Number(timeout) : DEFAULT_SUBGRAPH_TIMEOUT_MS,
    jwt: readJwtConfig(env),
    internalSecret: readInternalSecretOrFail(env),
    frontDoor: readFrontDoorConfig(env),
    cache: readResponseCacheConfig(env),
  };
}

function readInternalSecretOrFail(env: NodeJS.ProcessEnv): Uint8Array {
  try {
    return readInternalSecret(env);
  } catch (error) {
    throw new InvalidConfigurationError((error as Error).message);
  }
}

function readCorsOrigins(env: NodeJS.ProcessEnv): string[] {
  const origins = (env.GATEWAY_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new InvalidConfigurationError(`Invalid configuration: GATEWAY_CORS_ORIGINS: each origin must be scheme://host[:port], got ${JSON.stringify(origin)}`);
  }
  return origins;
}
