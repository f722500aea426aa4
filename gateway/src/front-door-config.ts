import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { InvalidConfigurationError } from '@tributary/subgraph-runtime';
import { redisUrlFromEnv } from './redis/redis-target.js';

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
  persistedOperations: PersistedOperationsMode;
  /**
   * `PERSISTED_OPERATIONS_MANIFESTS`: comma-separated manifest files (graphql-codegen's
   * persisted documents `{ hash: document }`, or Apollo's persisted query manifest). Default:
   * `schema/client/persisted-documents.json`.
   */
  manifestPaths: string[];
  /**
   * `REDIS_URL` (`redis://`, or a cluster: `redis+cluster://host:port,…`), or a cluster over
   * `REDIS_CLUSTER_NODES`: the APQ store's shared tier. Absent: in-process only.
   */
  redisUrl?: string;
  /** `REDIS_KEY_PREFIX`: prefix of every Redis key. Default `tributary:`. */
  redisKeyPrefix: string;
  /** `APQ_TTL_S`: how long a registered APQ document stays in Redis, seconds. Default 86,400. */
  apqTtlS: number;
  /** `APQ_L1_MAX_BYTES`: in-process APQ store bound, bytes. Default 5,242,880. */
  apqL1MaxBytes: number;
  /** `GATEWAY_INTROSPECTION`: `true`/`false`. Default: on outside production, off in production. */
  introspection: boolean;
  /** Field suggestions ("Did you mean …?") in errors: outside production only. */
  fieldSuggestions: boolean;
  limits: RequestLimits;
}

/** Defaults of {@link RequestLimits}; a test pins each. */
export const DEFAULT_LIMITS: RequestLimits = { maxDepth: 16, maxAliases: 30, maxTokens: 2_000, maxRootFields: 20, maxCost: 50_000, maxBodyBytes: 102_400, maxBatch: 10 };
export const DEFAULT_APQ_TTL_S = 86_400;
export const DEFAULT_APQ_L1_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MANIFEST = 'schema/client/persisted-documents.json';

/**
 * Reads {@link FrontDoorConfig} from the environment.
 *
 * @throws InvalidConfigurationError naming the first invalid variable.
 */
export function readFrontDoorConfig(env: NodeJS.ProcessEnv): FrontDoorConfig {
  const production = env.NODE_ENV === 'production';
  const positive = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^[1-9]\d{0,9}$/.test(raw)) throw new InvalidConfigurationError(`Invalid configuration: ${name}: must be a positive whole number, got ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  const mode = env.PERSISTED_OPERATIONS?.trim() || 'allow';
  if (mode !== 'off' && mode !== 'allow' && mode !== 'only') {
    throw new InvalidConfigurationError(`Invalid configuration: PERSISTED_OPERATIONS: must be off, allow or only, got ${JSON.stringify(mode)}`);
  }
  const introspection = env.GATEWAY_INTROSPECTION?.trim();
  if (introspection && introspection !== 'true' && introspection !== 'false') {
    throw new InvalidConfigurationError(`Invalid configuration: GATEWAY_INTROSPECTION: must be true or false, got ${JSON.stringify(introspection)}`);
  }
  let redisUrl: string | undefined;
  try {
    redisUrl = redisUrlFromEnv(env);
  } catch (error) {
    throw new InvalidConfigurationError((error as Error).message);
  }
  const manifests = env.PERSISTED_OPERATIONS_MANIFESTS?.trim();
  return {
    persistedOperations: mode,
    manifestPaths: (manifests ? manifests.split(',').map((m) => m.trim()).filter(Boolean) : [DEFAULT_MANIFEST]).map((m) => path.resolve(REPO_ROOT, m)),
    redisUrl: redisUrl || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX?.trim() || 'tributary:',
    apqTtlS: positive('APQ_TTL_S', DEFAULT_APQ_TTL_S),
    apqL1MaxBytes: positive('APQ_L1_MAX_BYTES', DEFAULT_APQ_L1_MAX_BYTES),
    introspection: introspection ? introspection === 'true' : !production,
    fieldSuggestions: !production,
    limits: {
      maxDepth: positive('GATEWAY_MAX_DEPTH', DEFAULT_LIMITS.maxDepth),
      maxAliases: positive('GATEWAY_MAX_ALIASES', DEFAULT_LIMITS.maxAliases),
      maxTokens: positive('GATEWAY_MAX_TOKENS', DEFAULT_LIMITS.maxTokens),
      maxRootFields: positive('GATEWAY_MAX_ROOT_FIELDS', DEFAULT_LIMITS.maxRootFields),
      maxCost: positive('GATEWAY_MAX_COST', DEFAULT_LIMITS.maxCost),
      maxBodyBytes: positive('GATEWAY_MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes),
      maxBatch: positive('GATEWAY_MAX_BATCH', DEFAULT_LIMITS.maxBatch),
    },
  };
}
