import type { z } from 'zod';
import { ConfigError } from './config-error.js';

/** A service's environment schema: one zod field per variable it reads, each optional. */
export type EnvSchema = z.ZodObject<Record<string, z.ZodType>>;

/**
 * Parses the variables `schema` names from `env`. Values are trimmed; an empty value counts as
 * absent; variables the schema does not name are ignored.
 *
 * @returns the typed values (absent variables `undefined`: defaults are the reader's).
 * @throws ConfigError naming the first invalid variable (in the schema's order) and what is
 * wrong with it.
 */
export function parseEnv<S extends EnvSchema>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const present: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = env[name]?.trim();
    if (value) present[name] = value;
  }
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(String(issue.path[0]), issue.message);
}

/** The variable names a schema reads, in its order. */
export function envVariables(schema: EnvSchema): string[] {
  return Object.keys(schema.shape);
}
