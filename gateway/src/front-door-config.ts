import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { type EnvVariablesFor, envOrDefaults } from '@tributary/runtime';
import { type GatewayEnv, readGatewayEnv } from './gateway-env.js';
import { redisUrlFromEnv } from '@tributary/cache';

/**
 * `PERSISTED_OPERATIONS`: `off` ignores persisted-query extensions; `allow` (default) accepts
 * documents, APQ hashes and manifest hashes; `only` executes nothing but manifest operations.
 */
export type PersistedOperationsMode = 'off' | 'allow' | 'only';

/** Limits per request; each refusal has its own `extensions.code` and is counted in `/metrics`. */
export interface RequestLimits {
  /** `GATEWAY_MAX_DEPTH`: deepest field nesting, fragments followed. Default 16. */
  maxDepth: number;
  /** `GATEWAY_MAX_ALIASES`: aliases per document. Default 30. */
  maxAliases: number;
  /** `GATEWAY_MAX_TOKENS`: lexical tokens per document (checked while parsing). Default 2,000. */
  maxTokens: number;
  /** `GATEWAY_MAX_ROOT_FIELDS`: fields at the top of an operation. Default 20. */
  maxRootFields: number;
  /** `GATEWAY_MAX_COST`: estimated fields an operation may resolve, lists multiplied out. Default 50,000. */
  maxCost: number;
  /** `GATEWAY_MAX_BODY_BYTES`: request body size, bytes (HTTP 413 above). Default 102,400. */
  maxBodyBytes: number;
  /** `GATEWAY_MAX_BATCH`: operations per batched request (HTTP 413 above). Default 10. */
  maxBatch: number;
}

/** The gateway's front door: persisted operations and limits. */
export interface FrontDoorConfig {
  /** `PERSISTED_OPERATIONS`. Default `allow`. */
  persistedOperations: PersistedOperationsMode;
  /**
   * `PERSISTED_OPERATIONS_MANIFESTS`: comma-separated manifest files (graphql-codegen's
   * persisted documents `{ hash: document }`, or Apollo's persisted query manifest). Default:
   * `schema/client/persisted-documents.json`.
   */
  manifestPaths: string[];
  /**
   * `REDIS_URL` (`redis://`, or a cluster: `redis+cluster://host:port,…`), or a cluster over
   * `REDIS_CLUSTER_NODES` (`redisUrlFromEnv`): the shared tier of the APQ store, the response
   * cache and the entity cache, and the invalidation bus. Absent: in-process only.
   */
  redisUrl?: string;
  /** `REDIS_KEY_PREFIX`: prefix of every Redis key. Default `tributary:`. */
  redisKeyPrefix: string;
  /** `APQ_TTL_S`: how long a registered APQ document stays in Redis, seconds. Default 86,400. */
  apqTtlS: number;
  /** `APQ_L1_MAX_BYTES`: in-process APQ store bound, bytes. Default 5,242,880. */
  apqL1MaxBytes: number;
  /** `GATEWAY_INTROSPECTION`: a boolean (on/off, true/false, 1/0). Default: on outside production, off in production. */
  introspection: boolean;
  /** Field suggestions ("Did you mean …?") in errors: outside production only. */
  fieldSuggestions: boolean;
  /** `GATEWAY_MAX_*`: per-request limits, defaults {@link DEFAULT_LIMITS}. */
  limits: RequestLimits;
}

/** Defaults of {@link RequestLimits}; a test pins each. */
export const DEFAULT_LIMITS: RequestLimits = { maxDepth: 16, maxAliases: 30, maxTokens: 2_000, maxRootFields: 20, maxCost: 50_000, maxBodyBytes: 102_400, maxBatch: 10 };
/** The variable behind each field of {@link RequestLimits}. */
const LIMIT_VARIABLES: EnvVariablesFor<RequestLimits, GatewayEnv> = {
  maxDepth: 'GATEWAY_MAX_DEPTH',
  maxAliases: 'GATEWAY_MAX_ALIASES',
  maxTokens: 'GATEWAY_MAX_TOKENS',
  maxRootFields: 'GATEWAY_MAX_ROOT_FIELDS',
  maxCost: 'GATEWAY_MAX_COST',
  maxBodyBytes: 'GATEWAY_MAX_BODY_BYTES',
  maxBatch: 'GATEWAY_MAX_BATCH',
};
/** Default of {@link FrontDoorConfig.apqTtlS}, seconds. */
export const DEFAULT_APQ_TTL_S = 86_400;
/** Default of {@link FrontDoorConfig.apqL1MaxBytes}, bytes. */
export const DEFAULT_APQ_L1_MAX_BYTES = 5 * 1024 * 1024;
/** Default of {@link FrontDoorConfig.manifestPaths}, relative to the repository. */
export const DEFAULT_MANIFEST = 'schema/client/persisted-documents.json';
/** Default of {@link FrontDoorConfig.redisKeyPrefix}. */
export const DEFAULT_REDIS_KEY_PREFIX = 'tributary:';

/**
 * Reads {@link FrontDoorConfig} from the environment.
 *
 * @throws ConfigError naming the first invalid variable.
 */
export function readFrontDoorConfig(env: NodeJS.ProcessEnv): FrontDoorConfig {
  return frontDoorConfigFrom(readGatewayEnv(env), env);
}

/**
 * {@link readFrontDoorConfig} of an environment already parsed by `readGatewayEnv` (the gateway's
 * config parses it once); `env` is the raw one, for the Redis URL (`redisUrlFromEnv`).
 */
export function frontDoorConfigFrom(e: GatewayEnv, env: NodeJS.ProcessEnv): FrontDoorConfig {
  const production = e.NODE_ENV === 'production';
  const manifests = e.PERSISTED_OPERATIONS_MANIFESTS?.length ? e.PERSISTED_OPERATIONS_MANIFESTS : [DEFAULT_MANIFEST];
  return {
    persistedOperations: e.PERSISTED_OPERATIONS ?? 'allow',
    manifestPaths: manifests.map((m) => path.resolve(REPO_ROOT, m)),
    redisUrl: redisUrlFromEnv(env),
    redisKeyPrefix: e.REDIS_KEY_PREFIX ?? DEFAULT_REDIS_KEY_PREFIX,
    apqTtlS: e.APQ_TTL_S ?? DEFAULT_APQ_TTL_S,
    apqL1MaxBytes: e.APQ_L1_MAX_BYTES ?? DEFAULT_APQ_L1_MAX_BYTES,
    introspection: e.GATEWAY_INTROSPECTION ?? !production,
    fieldSuggestions: !production,
    limits: envOrDefaults(e, LIMIT_VARIABLES, DEFAULT_LIMITS),
  };
}
