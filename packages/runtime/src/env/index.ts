export { ConfigError } from './config-error.js';
export { type EnvVariablesFor, envOrDefaults } from './env-or-defaults.js';
export { type EnvSchema, envVariables, parseEnv } from './parse-env.js';
export { BOOLEAN_SPELLINGS, MAX_TIMER_MS, envBoolean, envEnum, envHttpUrl, envList, envPort, envText, envUrl, envValue, envWholeNumber, type HostPort, parseHostPort } from './env-values.js';
