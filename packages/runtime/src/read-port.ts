/** Thrown for invalid configuration; its message is one line naming the variable. */
export class InvalidConfigurationError extends Error {
  override name = 'InvalidConfigurationError';
}

/**
 * Reads a TCP port from `env[name]`, or `fallback` when it is absent or empty.
 *
 * @throws InvalidConfigurationError `Invalid configuration: CATALOG_PORT: must be a port number 1-65535, got "abc"`.
 */
export function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65_535) {
    throw new InvalidConfigurationError(`Invalid configuration: ${name}: must be a port number 1-65535, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** Default interface to listen on: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Reads the interface to listen on from `HOST` (an IPv4/IPv6 address or host name), or
 * {@link DEFAULT_HOST}.
 *
 * @throws InvalidConfigurationError naming `HOST` when it holds spaces or a scheme.
 */
export function readHost(env: NodeJS.ProcessEnv): string {
  const raw = env.HOST?.trim();
  if (!raw) return DEFAULT_HOST;
  if (!/^[\w.:-]+$/.test(raw)) throw new InvalidConfigurationError(`Invalid configuration: HOST: must be an address such as 0.0.0.0 or ::, got ${JSON.stringify(raw)}`);
  return raw;
}
