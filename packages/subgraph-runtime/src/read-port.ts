/** Thrown for invalid configuration; its message is one line naming the variable. */
export class InvalidConfigurationError extends Error {
  override name = 'InvalidConfigurationError';
}

/**
 * Reads a TCP port from `env[name]`, or `fallback` when it is absent or empty.
 *
 * @throws InvalidConfigurationError `Invalid configuration: CATALOG_PORT: must be a port number 0-65535, got "abc"`.
 */
export function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) {
    throw new InvalidConfigurationError(`Invalid configuration: ${name}: must be a port number 0-65535, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}
