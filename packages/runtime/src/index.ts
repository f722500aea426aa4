export { type SubgraphManifestEntry, SUBGRAPHS, DEFAULT_GATEWAY_PORT } from './subgraph-manifest.js';
export { badUserInput } from './errors.js';
export { toChinookKey, parseIdArgument, loadByRepresentation } from './ids.js';
export { countRows } from './count-rows.js';
export { DecimalScalar, DateTimeScalar, formatDecimal, parseDecimalArgument } from './scalars.js';
export { type Connection, type ConnectionId, type PageRequest, MAX_PAGE_SIZE, parsePageRequest, encodeCursor, toConnection } from './connection.js';
export { keysetPage } from './keyset-page.js';
export { type LoaderOptions, type LoaderFamily, MAX_KEYS_PER_STATEMENT, createRowLoader, createGroupLoader, createValueLoader, loaderPerArguments } from './batch-loaders.js';
export { type TableLoaders, type TableReads, createTableLoaders } from './table-loaders.js';
export { type LoaderReads, type ClearableLoader, type RowChange, type LoaderRegistry, createLoaderRegistry } from './loader-registry.js';
export { createWriteRecorder } from './write-recorder.js';
export { DEFAULT_DRAIN_TIMEOUT_MS, listen, closeGracefully } from './http-lifecycle.js';
export { useMetricsEndpoint } from './use-metrics-endpoint.js';
export { type ReadinessProbe, useReadiness } from './use-readiness.js';
export { DATABASE_READINESS_TIMEOUT_MS, createDatabaseReadiness } from './database-readiness.js';
export { type ConnectionStates, createConnectionStates } from './connection-states.js';
export {
  type SubgraphDefinition,
  type SubgraphRequestContext,
  type SubgraphIdentityOptions,
  type SubgraphServerOptions,
  type RunningSubgraph,
  startSubgraph,
  createRegistry,
} from './subgraph-server.js';
export { createChangeFeedMetrics } from './change-feed-metrics.js';
export { loadSchemaFile } from './load-schema-file.js';
export { DEFAULT_HOST, readHost, readPort } from './read-port.js';
export { COMMON_ENV_FIELDS, LOG_LEVELS, SUBGRAPH_ENV } from './subgraph-env.js';
export {
  type EnvSchema,
  type EnvVariablesFor,
  BOOLEAN_SPELLINGS,
  ConfigError,
  MAX_TIMER_MS,
  envBoolean,
  envEnum,
  envOrDefaults,
  envHttpUrl,
  envList,
  envPort,
  envText,
  envUrl,
  envValue,
  envVariables,
  envWholeNumber,
  parseEnv,
  type HostPort,
  parseHostPort,
} from './env/index.js';
export { type Principal, ANONYMOUS, parseSubject, principalSubject } from './principal.js';
export {
  IDENTITY_HEADER,
  INTERNAL_TOKEN_TTL_S,
  DEVELOPMENT_INTERNAL_SECRET,
  InvalidIdentityError,
  readInternalSecret,
  readSubgraphIdentity,
  createIdentitySigner,
  createIdentityVerifier,
} from './internal-identity.js';
export { type EmployeeTitleLookup, forbidden, isManagerTitle, canReadCustomer, isManager } from './authorization.js';
export { createYogaLogger } from './yoga-logger.js';
export { type ErrorCode, type ErrorCodeKind, CLIENT_ERROR_CODES, ERROR_CODES, REFUSAL_CODES, REQUEST_ERROR_CODES, errorCodesOf } from './error-codes.js';
export { type ErrorReporter, type ErrorReporterOptions, type ErrorLogger, DEFAULT_ERROR_LOG_INTERVAL_MS, MAX_ERROR_CAUSES, createErrorReporter } from './error-reporter.js';
export { DATABASE_UNAVAILABLE, databaseFailure, databaseUnavailable } from './database-failure.js';
export { type TextRules, parseTextArgument } from './text-argument.js';
export { useAfterMutation } from './use-after-mutation.js';
export { onShutdown } from './on-shutdown.js';
export { likePattern } from './like-pattern.js';
export { withRequestSignal, currentRequestSignal } from './request-signal.js';
export { createLogger, loggerOrExit } from './logger.js';
export { type Backoff, backoffDelay } from './backoff.js';
export { type SubgraphContext, type SubgraphParts, defineSubgraph } from './define-subgraph.js';
export { isLsn, lsnAtLeast, lsnPosition, maxLsn, minLsn } from './lsn.js';
export { type ReadRouting, type ReadSource, type SubgraphReadReplica, MIN_LSN_HEADER, READ_LSN_HEADER, REPLICA_RETRY, WRITE_LSN_HEADER, createReadRouting } from './read-routing.js';
