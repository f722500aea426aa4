import { InvalidConfigurationError } from '@tributary/runtime';

/** The response cache's configuration. */
export interface ResponseCacheConfig {
  /** `RESPONSE_CACHE`: `on` (default) or `off`. */
  enabled: boolean;
  /** `CACHE_L2`: `on` (default) keeps the Redis tier when `REDIS_URL` is set; `off` keeps L1 only (the bus still runs on Redis). */
  l2: boolean;
  /** `CACHE_L1_MAX_BYTES`: in-process tier bound, bytes. Default 67,108,864 (64 MiB). */
  l1MaxBytes: number;
  /** `CACHE_DEFAULT_MAX_AGE_S`: TTL when nothing read carries a `@cacheControl(maxAge)`, s. Default 300. */
  defaultMaxAgeS: number;
  /** `CACHE_DEBUG`: `true` adds `x-tributary-cache: hit-l1 | hit-l2 | miss | not-stored` (with `x-tributary-cache-reason`). Default off. */
  debug: boolean;
  /** `CACHE_WARM`: `manifest` executes the trusted-documents manifest's variable-free queries at start and after each flush; `off` (default). */
  warm: 'off' | 'manifest';
}

export const DEFAULT_CACHE_CONFIG: ResponseCacheConfig = { enabled: true, l2: true, l1MaxBytes: 64 * 1024 * 1024, defaultMaxAgeS: 300, debug: false, warm: 'off' };

/**
 * Reads {@link ResponseCacheConfig} from the environment.
 *
 * @throws InvalidConfigurationError naming the variable.
 */
export function readResponseCacheConfig(env: NodeJS.ProcessEnv): ResponseCacheConfig {
  const number = (name: string, fallback: number, min: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d{1,10}$/.test(raw) || Number(raw) < min) throw new InvalidConfigurationError(`Invalid configuration: ${name}: must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  const flag = (name: string, on: string, off: string, fallback: boolean) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (raw !== on && raw !== off) throw new InvalidConfigurationError(`Invalid configuration: ${name}: must be ${on} or ${off}, got ${JSON.stringify(raw)}`);
    return raw === on;
  };
  return {
    enabled: flag('RESPONSE_CACHE', 'on', 'off', true),
    l2: flag('CACHE_L2', 'on', 'off', true),
    l1MaxBytes: number('CACHE_L1_MAX_BYTES', DEFAULT_CACHE_CONFIG.l1MaxBytes, 1024),
    defaultMaxAgeS: number('CACHE_DEFAULT_MAX_AGE_S', DEFAULT_CACHE_CONFIG.defaultMaxAgeS, 0),
    debug: flag('CACHE_DEBUG', 'true', 'false', false),
    warm: flag('CACHE_WARM', 'manifest', 'off', false) ? 'manifest' : 'off',
  };
}
