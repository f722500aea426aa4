import { MAX_TIMER_MS, envBoolean, envEnum, envHttpUrl, envList, envPort, envText, envValue, envWholeNumber, parseEnv } from '@tributary/runtime';
import { COMMON_ENV_FIELDS } from '@tributary/runtime';
import { z } from 'zod';

/** Most workers `GATEWAY_WORKERS` accepts (a typo such as 4000 should not fork thousands of processes). */
export const MAX_GATEWAY_WORKERS = 256;

const positive = envWholeNumber({ min: 1, max: 9_999_999_999 });

/**
 * Every variable the gateway reads (defaults are its readers': `readGatewayConfig`,
 * `readFrontDoorConfig`, `readResponseCacheConfig`, `readJwtConfig`, `createLogger`). The
 * README's configuration table lists each one (a test compares them). Booleans take on/off,
 * true/false or 1/0.
 */
export const GATEWAY_ENV = z.object({
  ...COMMON_ENV_FIELDS,
  GATEWAY_PORT: envPort.optional(),
  CATALOG_URL: envHttpUrl.optional(),
  CUSTOMERS_URL: envHttpUrl.optional(),
  SALES_URL: envHttpUrl.optional(),
  PLAYLISTS_URL: envHttpUrl.optional(),
  SUPERGRAPH_PATH: envText.optional(),
  GATEWAY_SUBGRAPH_TIMEOUT_MS: envWholeNumber({ min: 1, max: MAX_TIMER_MS, unit: 'ms' }).optional(),
  GATEWAY_CORS_ORIGINS: envList((origin) => {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`each origin must be scheme://host[:port], got ${JSON.stringify(origin)}`);
    return origin;
  }).optional(),
  GATEWAY_JWT_SECRET: envValue((raw) => {
    if (raw.length < 32) throw new Error(`must be at least 32 characters, got ${raw.length}`);
    return raw;
  }).optional(),
  GATEWAY_JWKS_URL: envHttpUrl.optional(),
  GATEWAY_JWT_ISSUER: envText.optional(),
  GATEWAY_JWT_AUDIENCE: envText.optional(),
  GATEWAY_JWT_CLOCK_TOLERANCE_S: envWholeNumber({ min: 0, max: 99_999, unit: 'seconds' }).optional(),
  PERSISTED_OPERATIONS: envEnum(['off', 'allow', 'only']).optional(),
  PERSISTED_OPERATIONS_MANIFESTS: envList((path) => path).optional(),
  APQ_TTL_S: envWholeNumber({ min: 1, max: 9_999_999_999, unit: 'seconds' }).optional(),
  APQ_L1_MAX_BYTES: envWholeNumber({ min: 1, max: 9_999_999_999, unit: 'bytes' }).optional(),
  GATEWAY_INTROSPECTION: envBoolean.optional(),
  GATEWAY_MAX_DEPTH: positive.optional(),
  GATEWAY_MAX_ALIASES: positive.optional(),
  GATEWAY_MAX_TOKENS: positive.optional(),
  GATEWAY_MAX_ROOT_FIELDS: positive.optional(),
  GATEWAY_MAX_COST: positive.optional(),
  GATEWAY_MAX_BODY_BYTES: envWholeNumber({ min: 1, max: 9_999_999_999, unit: 'bytes' }).optional(),
  GATEWAY_MAX_BATCH: positive.optional(),
  RESPONSE_CACHE: envBoolean.optional(),
  ENTITY_CACHE: envBoolean.optional(),
  ENTITY_CACHE_FIELDS: envBoolean.optional(),
  CACHE_L2: envBoolean.optional(),
  CACHE_L1_MAX_BYTES: envWholeNumber({ min: 1024, max: 9_999_999_999, unit: 'bytes' }).optional(),
  CACHE_DEFAULT_MAX_AGE_S: envWholeNumber({ min: 0, max: 9_999_999_999, unit: 'seconds' }).optional(),
  CACHE_DEBUG: envBoolean.optional(),
  CACHE_WARM: envEnum(['off', 'manifest']).optional(),
  GATEWAY_WORKERS: envValue((raw) => {
    if (raw === 'auto') return 'auto' as const;
    const workers = Number(raw);
    if (!/^\d{1,3}$/.test(raw) || workers < 1 || workers > MAX_GATEWAY_WORKERS) throw new Error(`must be auto or a whole number from 1 to ${MAX_GATEWAY_WORKERS}, got ${JSON.stringify(raw)}`);
    return workers;
  }).optional(),
  /** Read by `@apollo/gateway` itself; the gateway sets `true` when it is absent. */
  APOLLO_TELEMETRY_DISABLED: envText.optional(),
});

/** The gateway's variables, parsed (absent ones `undefined`). */
export type GatewayEnv = z.output<typeof GATEWAY_ENV>;

/**
 * Parses {@link GATEWAY_ENV} from `env`.
 *
 * @throws ConfigError naming the first invalid variable.
 */
export function readGatewayEnv(env: NodeJS.ProcessEnv): GatewayEnv {
  return parseEnv(GATEWAY_ENV, env);
}
