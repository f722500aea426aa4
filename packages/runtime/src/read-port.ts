import { parseEnv } from './env/index.js';
import { z } from 'zod';
import { COMMON_ENV_FIELDS } from './subgraph-env.js';

const portSchemas = new Map<string, z.ZodObject<Record<string, z.ZodType>>>();

/**
 * Reads a TCP port from `env[name]`, or `fallback` when it is absent or empty.
 *
 * @throws ConfigError `Invalid configuration: CATALOG_PORT: must be a port number 1-65535, got "abc"`.
 */
export function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  let schema = portSchemas.get(name);
  if (!schema) portSchemas.set(name, (schema = z.object({ [name]: COMMON_ENV_FIELDS.CATALOG_PORT })));
  return (parseEnv(schema, env)[name] as number | undefined) ?? fallback;
}

/** Default interface to listen on: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

const HOST_ENV = z.object({ HOST: COMMON_ENV_FIELDS.HOST });

/**
 * Reads the interface to listen on from `HOST` (an IPv4/IPv6 address or host name), or
 * {@link DEFAULT_HOST}.
 *
 * @throws ConfigError naming `HOST` when it holds spaces or a scheme.
 */
export function readHost(env: NodeJS.ProcessEnv): string {
  return parseEnv(HOST_ENV, env).HOST ?? DEFAULT_HOST;
}
