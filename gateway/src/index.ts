export { type GatewayConfig, DEFAULT_SUBGRAPH_TIMEOUT_MS, readGatewayConfig } from './config.js';
export { type GatewayOptions, type GatewayPhase, type TributaryGateway, createGateway } from './create-gateway.js';
export { type GatewayMetrics, createGatewayMetrics } from './metrics.js';
export { type FileSupergraphPhase, FileSupergraphManager, POLL_INTERVAL_MS, RELOAD_DEBOUNCE_MS } from './supergraph/file-supergraph-manager.js';
export { createLogger, loggerOrExit } from './logger.js';
export { createOfflineGraphiQLRenderer } from './graphiql/render-offline-graphiql.js';
export { type JwtConfig, DEVELOPMENT_JWT_SECRET, DEFAULT_CLOCK_TOLERANCE_S, readJwtConfig } from './identity/jwt-config.js';
export { DEFAULT_TOKEN_TTL_S, signClientToken } from './identity/sign-client-token.js';
export { UnauthenticatedError, createTokenVerifier } from './identity/token-verifier.js';
export { type FrontDoorConfig, type PersistedOperationsMode, type RequestLimits, DEFAULT_LIMITS, readFrontDoorConfig } from './front-door-config.js';
export { sha256Hex } from './persisted/sha256.js';
export { ManifestError, loadManifests } from './persisted/manifest.js';
export {
  type PersistedQueryStore,
  createLruPersistedQueryStore,
  createRedisPersistedQueryStore,
  createTieredPersistedQueryStore,
} from './persisted/persisted-query-store.js';
export { DEFAULT_LIST_SIZE, VARIABLE_PAGE_SIZE, costRule, estimateCost } from './limits/cost-rule.js';
export { createBusFromEnv } from './cache/create-bus.js';
export { type DocumentCaches, BYTES_PER_TOKEN, DOCUMENT_CACHE_MAX_BYTES, DOCUMENT_CACHE_MAX_ENTRIES, PARSE_ERROR_CACHE_MAX_ENTRIES, createDocumentCaches } from './memory/document-caches.js';
export { type PlanCache, PLAN_CACHE_MAX_BYTES, PLAN_CACHE_MAX_ENTRIES, createPlanCache } from './memory/plan-cache.js';
export { MAX_GATEWAY_WORKERS, readGatewayWorkers } from './workers/workers-config.js';
export { type GatewayCluster, type GatewayClusterOptions, RESTART_BACKOFF_MS, startGatewayCluster } from './workers/gateway-cluster.js';
export { runGatewayWorker } from './workers/gateway-worker.js';
export { type MetricsSource, CLUSTER_METRICS_TIMEOUT_MS, clusterMetricsSource } from './workers/cluster-metrics.js';
