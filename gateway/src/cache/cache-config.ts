import { type EnvVariablesFor, envOrDefaults } from '@tributary/runtime';
import { type GatewayEnv, readGatewayEnv } from '../gateway-env.js';

/** The response cache's configuration. Booleans take on/off, true/false or 1/0. */
export interface ResponseCacheConfig {
  /** `RESPONSE_CACHE`: on (default) or off. */
  enabled: boolean;
  /** `CACHE_L2`: on (default) keeps the Redis tier when `REDIS_URL` is set: off keeps L1 only (the bus still runs on Redis). */
  l2: boolean;
  /** `CACHE_L1_MAX_BYTES`: in-process tier bound, bytes. Default 67,108,864 (64 MiB). */
  l1MaxBytes: number;
  /** `CACHE_DEFAULT_MAX_AGE_S`: TTL when nothing read carries a `@cacheControl(maxAge)`, s. Default 300. */
  defaultMaxAgeS: number;
  /**
   * `CACHE_DEBUG`: on adds `x-tributary-cache: hit-l1 | hit-l2 | miss | not-stored` (with
   * `x-tributary-cache-reason`), and on executed responses `x-tributary-entity-cache:
   * fetches=<from cache>/<all>, representations=<from cache>/<all>`. Default off.
   */
  debug: boolean;
  /**
   * `ENTITY_CACHE`: on (default) caches each subgraph fetch of a query plan per entity and per
   * root fetch (`withEntityCache`), in its own L1 (bounded by `CACHE_L1_MAX_BYTES` too) and L2
   * (`CACHE_L2`); off sends every fetch. Independent of `RESPONSE_CACHE`.
   */
  entity: boolean;
  /**
   * `ENTITY_CACHE_FIELDS`: on (default) also keeps the root fetches of plain selections in field
   * cells (per entity and field: `root-cells.ts`), so a root fetch that selects other fields of
   * entities already read, or reaches them through another document, is answered from them;
   * off caches root fetches whole only. Needs `ENTITY_CACHE`.
   */
  entityFields: boolean;
  /** `CACHE_WARM`: `manifest` executes the trusted-documents manifest's variable-free queries at start and after each flush; `off` (default). */
  warm: 'off' | 'manifest';
}

/** Defaults of {@link ResponseCacheConfig}; a test pins each. */
export const DEFAULT_CACHE_CONFIG: ResponseCacheConfig = { enabled: true, l2: true, l1MaxBytes: 64 * 1024 * 1024, defaultMaxAgeS: 300, debug: false, entity: true, entityFields: true, warm: 'off' };
/** The variable behind each field of {@link ResponseCacheConfig}. */
const CACHE_VARIABLES: EnvVariablesFor<ResponseCacheConfig, GatewayEnv> = {
  enabled: 'RESPONSE_CACHE',
  l2: 'CACHE_L2',
  l1MaxBytes: 'CACHE_L1_MAX_BYTES',
  defaultMaxAgeS: 'CACHE_DEFAULT_MAX_AGE_S',
  debug: 'CACHE_DEBUG',
  entity: 'ENTITY_CACHE',
  entityFields: 'ENTITY_CACHE_FIELDS',
  warm: 'CACHE_WARM',
};

/**
 * Reads {@link ResponseCacheConfig} from the environment.
 *
 * @throws ConfigError naming the variable.
 */
export function readResponseCacheConfig(env: NodeJS.ProcessEnv): ResponseCacheConfig {
  return responseCacheConfigFrom(readGatewayEnv(env));
}

/** {@link readResponseCacheConfig} of an environment already parsed by `readGatewayEnv` (the gateway's config parses it once). */
export function responseCacheConfigFrom(e: GatewayEnv): ResponseCacheConfig {
  return envOrDefaults(e, CACHE_VARIABLES, DEFAULT_CACHE_CONFIG);
}
