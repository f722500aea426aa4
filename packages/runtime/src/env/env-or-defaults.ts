/** For each field of `T`, the names of the variables of `E` whose parsed values fit that field. */
export type EnvVariablesFor<T, E> = {
  readonly [K in keyof T]: { [V in keyof E]-?: Exclude<E[V], undefined> extends T[K] ? V : never }[keyof E];
};

/**
 * A configuration section from parsed variables (`parseEnv`'s result): each field takes the value
 * of the variable `variables` names for it, or its default when that variable is absent.
 * TypeScript refuses a variable whose parsed type does not fit its field.
 *
 * @example
 * envOrDefaults(parseEnv(GATEWAY_ENV, { GATEWAY_MAX_DEPTH: '8' }), { maxDepth: 'GATEWAY_MAX_DEPTH', maxAliases: 'GATEWAY_MAX_ALIASES' }, { maxDepth: 16, maxAliases: 30 })
 * // → { maxDepth: 8, maxAliases: 30 }
 */
export function envOrDefaults<T extends object, E extends object>(env: E, variables: EnvVariablesFor<T, E>, defaults: T): T {
  const section = { ...defaults };
  for (const field of Object.keys(defaults) as Array<keyof T>) {
    const value = env[variables[field]];
    if (value !== undefined) section[field] = value as T[typeof field];
  }
  return section;
}
