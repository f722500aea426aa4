import { envBoolean, envEnum, envList, envPort, envText, envUrl, envValue, parseHostPort } from './env/index.js';
import { z } from 'zod';

/** pino's levels, the values `LOG_LEVEL` takes. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Variables both the gateway and the subgraphs' process read, with one meaning in both:
 * where they listen, the subgraph ports, logging, the shared secret and Redis.
 */
export const COMMON_ENV_FIELDS = {
  /** `production`: real secrets required, error details masked; anything else is development. */
  NODE_ENV: envText.optional(),
  /** Interface to listen on (`0.0.0.0`, `::`, a host name). Default `127.0.0.1`. */
  HOST: envValue((raw) => {
    if (!/^[\w.:-]+$/.test(raw)) throw new Error(`must be an address such as 0.0.0.0 or ::, got ${JSON.stringify(raw)}`);
    return raw;
  }).optional(),
  CATALOG_PORT: envPort.optional(),
  CUSTOMERS_PORT: envPort.optional(),
  SALES_PORT: envPort.optional(),
  PLAYLISTS_PORT: envPort.optional(),
  /** pino level. Default `info`. */
  LOG_LEVEL: envEnum(LOG_LEVELS).optional(),
  /** `json` keeps JSON lines on a terminal; `pretty` (default on a terminal outside production). */
  LOG_FORMAT: envEnum(['json', 'pretty']).optional(),
  /** Shared by the gateway and the subgraphs: signs the principal; 32 characters at least. */
  INTERNAL_JWT_SECRET: envValue((raw) => {
    if (raw.length < 32) throw new Error(`must be at least 32 characters, got ${raw.length}`);
    return raw;
  }).optional(),
  /**
   * Redis for the invalidation bus (and, at the gateway, L2 and APQ): one server (`redis://`,
   * `rediss://`) or a Redis Cluster (`redis+cluster://host:port,…`, `rediss+cluster://`; its seeds
   * are read by `redisUrlFromEnv` in `@tributary/cache`). Absent: single instance.
   */
  REDIS_URL: envUrl(['redis', 'rediss', 'redis+cluster', 'rediss+cluster'], 'a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL').optional(),
  /** `host:port,host:port`: a Redis Cluster over these seeds instead of `REDIS_URL`'s host (its credentials and TLS apply). */
  REDIS_CLUSTER_NODES: envList((seed) => parseHostPort(seed, 6379)).optional(),
  /** Prefix of every Redis key and channel. Default `tributary:`. */
  REDIS_KEY_PREFIX: envText.optional(),
};

/**
 * Every variable the subgraphs' process reads besides the database's (`DATABASE_ENV`). The
 * README's configuration table lists each one (a test compares them).
 */
export const SUBGRAPH_ENV = z.object({
  ...COMMON_ENV_FIELDS,
  /** Subgraphs answer only requests carrying the gateway's signed identity. Default: on in production. */
  SUBGRAPH_REQUIRE_GATEWAY_TOKEN: envBoolean.optional(),
});
