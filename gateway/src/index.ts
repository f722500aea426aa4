export { type GatewayConfig, DEFAULT_SUBGRAPH_TIMEOUT_MS, readGatewayConfig } from './config.js';
export { type GatewayOptions, type GatewayPhase, type TributaryGateway, createGateway } from './create-gateway.js';
export { type GatewayMetrics, createGatewayMetrics } from './metrics.js';
export { type FileSupergraphPhase, FileSupergraphManager, RELOAD_DEBOUNCE_MS } from './supergraph/file-supergraph-manager.js';
export { createLogger } from './logger.js';
