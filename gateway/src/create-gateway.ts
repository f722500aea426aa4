import { createWritePositions, shareWritePositions } from './write-positions.js';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { ApolloGateway } from './apollo/apollo-gateway.js';
import { useApolloFederation } from '@envelop/apollo-federation';
import { REPO_ROOT } from './repo-root.js';
import {
  ANONYMOUS,
  IDENTITY_HEADER,
  type Principal,
  closeGracefully,
  createConnectionStates,
  createErrorReporter,
  createIdentitySigner,
  createRegistry,
  createYogaLogger,
  listen,
  useMetricsEndpoint,
  useReadiness,
} from '@tributary/runtime';
import type { GraphQLSchema } from 'graphql';
import { type Plugin, createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from './config.js';
import { DEFAULT_MANIFEST } from './front-door-config.js';
import { createTokenVerifier } from './identity/token-verifier.js';
import { useIdentity } from './identity/use-identity.js';
import { useBatchItemGuard } from './limits/use-batch-item-guard.js';
import { useBatchLimit } from './limits/use-batch-limit.js';
import { useBodyLimit } from './limits/use-body-limit.js';
import { createOfflineGraphiQLRenderer } from './graphiql/render-offline-graphiql.js';
import { useCsrfGuard } from './limits/use-csrf-guard.js';
import { useDocumentLimits } from './limits/use-document-limits.js';
import { maskGatewayError } from './mask-error.js';
import { createPersistedQueryStore, createStoreRedis } from './persisted/create-persisted-query-store.js';
import { createBusFromEnv, pendingCommands, watchClusterMasters } from '@tributary/cache';
import type { Cluster } from 'ioredis';
import { CacheInvalidator } from './cache/cache-invalidator.js';
import { createCacheMetrics } from './cache/cache-metrics.js';
import { type CachePolicy, readCachePolicy } from './cache/cache-policy.js';
import { type ResponseCacheOptions, useResponseCache } from './cache/use-response-cache.js';
import { createHitPath } from './cache/hit-path.js';
import { createCacheWarmer } from './cache/cache-warmer.js';
import type { FetchRecorders } from './cache/fetch-recorder.js';
import { readSubgraphSchemas } from './cache/subgraph-schemas.js';
import { refusalProfileOf } from './cache/refusal-profile.js';
import { withFetchTagging } from './cache/with-fetch-tagging.js';
import { InflightFetches } from './cache/entity-coalescer.js';
import { createEntityCacheMetrics } from './cache/entity-metrics.js';
import { createEntityStore } from './cache/entity-store.js';
import { useEntityCacheStats } from './cache/use-entity-cache-stats.js';
import { useMutationFence } from './cache/use-mutation-fence.js';
import { type EntityCacheStats, withEntityCache } from './cache/with-entity-cache.js';
import { type CacheEntry, type InvalidationBus, cacheEntryCodec, createL2Coverage, createLruTier, createRedisTier, createTieredStore } from '@tributary/cache';
import { loadManifests } from './persisted/manifest.js';
import { usePersistedOperations } from './persisted/use-persisted-operations.js';
import { useRefusalMetrics } from './plugins/use-refusal-metrics.js';
import { createGatewayMetrics } from './metrics.js';
import { talliedCounter } from './tallied-counter.js';
import { createOperationLabeler, useRequestMetrics } from './plugins/use-request-metrics.js';
import { useValidationErrors } from './plugins/use-validation-errors.js';
import { useVariableErrors } from './plugins/use-variable-errors.js';
import { probeSubgraphs } from './probe-subgraphs.js';
import { createSubgraphDataSource } from './subgraph-data-source.js';
import { createDocumentCaches } from './memory/document-caches.js';
import { createPlanCache } from './memory/plan-cache.js';
import { FileSupergraphManager } from './supergraph/file-supergraph-manager.js';
import type { MetricsSource } from './workers/cluster-metrics.js';

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /** Everything read from the environment (`readGatewayConfig`); each field documents its default. */
  config: GatewayConfig;
  /** The process logger (pino); the gateway logs nothing on its own otherwise. */
  logger: Logger;
  /** Registry behind `/metrics`. Default: a new one with process metrics. */
  registry?: Registry;
  /**
   * What `/metrics` answers, when not `registry` itself: a cluster worker answers the aggregate
   * of all workers (`clusterMetricsSource`).
   */
  metricsSource?: MetricsSource;
  /** More Yoga/envelop plugins, after the built-in ones and before federation. */
  plugins?: Plugin[];
  /**
   * Where change events arrive from the subgraphs' change feed. Default: Redis pub/sub when
   * `REDIS_URL` is set, else a bus of this process (share it with subgraphs run in-process).
   */
  bus?: InvalidationBus;
  /**
   * Entries kept in the parse cache and the query plan cache. Default
   * `DOCUMENT_CACHE_MAX_ENTRIES` and `PLAN_CACHE_MAX_ENTRIES` (1,000 each); bytes are bounded too.
   */
  cacheEntryBounds?: { documents?: number; plans?: number };
}

/** The default manifest is optional (it exists once `pnpm codegen` ran); others must exist. */
const DEFAULT_MANIFEST_PATH = path.resolve(REPO_ROOT, DEFAULT_MANIFEST);

/** Where the gateway is in its life. */
export type GatewayPhase = { phase: 'loaded' } | { phase: 'serving'; port: number } | { phase: 'draining' } | { phase: 'stopped' };

/** A running gateway: Yoga over `@apollo/gateway`, and (after `listen`) its HTTP server. */
export interface TributaryGateway {
  yoga: YogaServerInstance<object, object>;
  gateway: ApolloGateway;
  supergraph: FileSupergraphManager;
  registry: Registry;
  /** Applies change events to the response cache; `fence()` waits for those published so far. */
  cache: CacheInvalidator;
  readonly status: GatewayPhase;
  /** Entries now in the parse cache and the query plan cache (bounds in `memory/`). */
  readonly cacheEntries: { documents: number; plans: number };
  /** Starts serving HTTP; resolves with the bound port (port 0 picks a free one). */
  listen(port?: number, host?: string): Promise<number>;
  /** Graceful stop: refuses new connections, lets requests in flight finish, then unloads. */
  stop(): Promise<void>;
}

/**
 * Builds the federation gateway: loads the supergraph from `config.supergraphPath` (and
 * reloads it on change), plans and executes with `@apollo/gateway`, serves with GraphQL Yoga:
 * `/graphql` (POST, GET; GraphiQL outside production), `/healthz`, `/readyz`, `/metrics`.
 *
 * @throws when the supergraph file is missing or not a valid supergraph.
 */
export async function createGateway(options: GatewayOptions): Promise<TributaryGateway> {
  const { config, logger } = options;
  const registry = options.registry ?? createRegistry('gateway');
  const metrics = createGatewayMetrics(registry);
  const supergraph = new FileSupergraphManager(config.supergraphPath, logger);
  disableApolloTelemetry();
  const signIdentity = createIdentitySigner(config.internalSecret);
  const trusted = loadManifests(config.frontDoor.manifestPaths.filter((file) => file !== DEFAULT_MANIFEST_PATH || existsSync(file)));
  const connections = createConnectionStates([registry]);
  if (config.frontDoor.redisUrl) connections.set('redis-store', false);
  // One reporter for the process's server-side errors: one warn line per cause per interval, counted in `tributary_errors_total{code}`.
  const errors = createErrorReporter({ logger, registry });
  const redis = config.frontDoor.redisUrl
    ? createStoreRedis(
        config.frontDoor.redisUrl,
        logger,
        (up) => connections.set('redis-store', up),
        (error) => errors.report('REDIS_CONNECTION_ERROR', `Redis connection tributary-store: ${error.message}`),
      )
    : undefined;
  if (redis) connections.watchPending('redis-store', () => pendingCommands(redis));
  const apqStore = createPersistedQueryStore(config.frontDoor, redis, (error) => errors.report('APQ_STORE_UNAVAILABLE', `APQ store in Redis failed: ${error.message}`));
  const ownBus = options.bus === undefined;
  const bus =
    options.bus ??
    createBusFromEnv(
      { REDIS_URL: config.frontDoor.redisUrl, REDIS_KEY_PREFIX: config.frontDoor.redisKeyPrefix },
      { onState: (connection, up) => connections.set(connection, up), watchPending: (connection, pending) => connections.watchPending(connection, pending), errors },
    );
  // A bus given by the caller: its state is what its subscribers hear.
  const unwatchBus = options.bus?.subscribe(() => undefined, { onLost: () => connections.set('bus', false), onRestored: () => connections.set('bus', true) });
  if (options.bus) connections.set('bus', options.bus.connected);
  const principals = new WeakMap<Request, Principal>();
  const l1 = createLruTier<CacheEntry>({ maxBytes: config.cache.l1MaxBytes, sizeOf: (entry) => 2 * entry.body.length, onEvict: (reason) => cacheMetrics.evictions.inc({ reason }) });
  const l2 = redis && config.cache.l2 ? createRedisTier({ redis, keyPrefix: config.frontDoor.redisKeyPrefix, namespace: 'rc' }) : undefined;
  // The entity cache (ENTITY_CACHE): its own tiers, evicted by the same events as the response cache's.
  const entityCaching = config.cache.entity;
  const entityStore = createEntityStore({
    l1MaxBytes: config.cache.l1MaxBytes,
    redis: redis && config.cache.l2 ? redis : undefined,
    keyPrefix: config.frontDoor.redisKeyPrefix,
    onError: (error) => onStoreError(error),
  });
  const entityMetrics = entityCaching ? createEntityCacheMetrics(registry, () => entityStore.size()) : undefined;
  const entityStats = new WeakMap<object, EntityCacheStats>();
  const inflight = new InflightFetches();
  const anyCache = config.cache.enabled || entityCaching;
  const cacheMetrics = createCacheMetrics(registry, {
    size: () => ({ entries: l1.entries, bytes: l1.bytes }),
    busConnected: () => bus.connected,
    l2Connected: l2 ? () => redis!.status === 'ready' : undefined,
  });
  const onStoreError = (error: Error) => {
    cacheMetrics.l2Errors.inc();
    logger.warn({ err: error.message }, 'response cache store failed');
  };
  const responseStore = createTieredStore<CacheEntry>({ l1, l2, codec: cacheEntryCodec, onError: onStoreError });
  let cachePolicy: CachePolicy | undefined;
  let subgraphSchemas = new Map<string, GraphQLSchema>();
  const recorders: FetchRecorders = new WeakMap();
  const hitOperations = new WeakMap<Request, string>();
  const invalidator = new CacheInvalidator({
    bus,
    store: responseStore,
    entity: entityCaching ? entityStore : undefined,
    ...(redis && config.cache.l2 ? { coverage: createL2Coverage({ redis, keyPrefix: config.frontDoor.redisKeyPrefix }) } : {}),
    policy: () => cachePolicy!,
    metrics: cacheMetrics,
    onError: onStoreError,
  });
  // A failover may have lost the last invalidations (asynchronous replication): L2 is flushed.
  const unwatchMasters =
    l2 && redis?.isCluster ? watchClusterMasters(redis as Cluster, () => invalidator.flushShared('Redis Cluster failover: a promoted replica may lack the last invalidations')) : undefined;
  // Where each principal last wrote (subgraphs on read replicas report it), shared by every
  // gateway on the bus: the principal's reads through any of them must see it.
  const writePositions = shareWritePositions(createWritePositions(), bus, (error) => errors.report('BUS_PUBLISH_FAILED', `write position not published: ${error.message}`));
  const closeShared = async () => {
    writePositions.close();
    unwatchBus?.();
    unwatchMasters?.();
    invalidator.close();
    if (ownBus) await bus.close();
    redis?.disconnect();
  };
  const { limits } = config.frontDoor;
  /** The URL of each subgraph of the current supergraph, for `/readyz`. */
  const subgraphUrls = new Map<string, string>();
  const documentCaches = createDocumentCaches({ maxEntries: options.cacheEntryBounds?.documents });
  const planCache = createPlanCache({ maxEntries: options.cacheEntryBounds?.plans });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    queryPlannerConfig: { cache: planCache },
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name] ?? url!;
      subgraphUrls.set(name, target);
      const schemaOf = (subgraph: string) => subgraphSchemas.get(subgraph);
      let source = createSubgraphDataSource({ name, url: target, metrics, timeoutMs: config.subgraphTimeoutMs, signIdentity, writePositions });
      // Entity cache below, response cache's tagging above: the entity cache sees fetches tagged or not.
      if (entityCaching) {
        source = withEntityCache(source, name, {
          store: entityStore,
          invalidator,
          schemaOf,
          policy: () => cachePolicy!,
          defaultMaxAgeS: config.cache.defaultMaxAgeS,
          fieldCells: config.cache.entityFields,
          metrics: entityMetrics!,
          inflight,
          stats: entityStats,
        });
      }
      if (!config.cache.enabled) return source;
      return withFetchTagging(source, name, { recorders, schemaOf, policy: () => cachePolicy! });
    },
    logger: {
      debug: (message) => logger.debug(String(message)),
      info: (message) => logger.info(String(message)),
      warn: (message) => logger.warn(String(message)),
      error: (message) => logger.error(String(message)),
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    if (anyCache) subgraphSchemas = readSubgraphSchemas(coreSupergraphSdl);
    cachePolicy = readCachePolicy(coreSupergraphSdl, apiSchema);
    // Cached responses of the old supergraph: gone from L1; L2 keys carry the supergraph's hash.
    invalidator.flushLocal();
  });
  try {
    await gateway.load();
  } catch (error) {
    await closeShared();
    throw new Error(`Cannot load the supergraph from SUPERGRAPH_PATH=${config.supergraphPath}: ${(error as Error).message.split('\n')[0]}`);
  }
  // The cache trusts nothing until the bus has proven itself (its first heartbeat came back):
  // give it that moment, bounded, so that a fresh gateway caches from its first request.
  if (anyCache) await waitUntil(() => bus.connected, BUS_PROOF_WAIT_MS);

  const responseCacheOptions: ResponseCacheOptions = {
    config: config.cache,
    store: responseStore,
    invalidator,
    metrics: cacheMetrics,
    policy: () => cachePolicy!,
    principals,
    maxBodyBytes: limits.maxBodyBytes,
    recorders,
    persisted: {
      mode: config.frontDoor.persistedOperations,
      trusted,
      isRegistered: async (hash) => (await apqStore.get(hash).catch(() => undefined)) !== undefined,
      isRegisteredHere: (hash) => apqStore.hasLocal(hash),
      register: (hash, document) => apqStore.set(hash, document).catch(() => undefined),
    },
    refusalProfile: refusalProfileOf(config),
    hitOperations,
  };
  const labelOperation = createOperationLabeler();

  const yoga = createYoga<object, object>({
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // No CORS headers unless origins are configured: browsers then allow same-origin calls only.
    cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins, credentials: true, methods: ['GET', 'POST'] } : false,
    graphiql: config.production ? false : { title: 'Tributary' },
    // Served from the gateway (no CDN): GraphiQL works offline.
    renderGraphiQL: config.production ? undefined : createOfflineGraphiQLRenderer(),
    maskedErrors: { isDev: !config.production, maskError: maskGatewayError },
    // Turns batched (array) requests on; the same bound as useBatchLimit below, which runs first
    // and refuses with BATCH_LIMIT_EXCEEDED (Yoga's own would say BAD_REQUEST): docs/decisions/0007.
    batching: { limit: limits.maxBatch },
    // Enforced by useBodyLimit, last below: Yoga's refusals, without its stream per request.
    maxRequestBodySize: false,
    extraParamNames: ['documentId'],
    parserAndValidationCache: documentCaches,
    logging: createYogaLogger(logger, errors),
    plugins: [
      useReadiness({
        check: async () => {
          if (supergraph.status.phase !== 'watching') throw new Error(`supergraph ${supergraph.status.phase}`);
          // Without the bus, writes are not heard: this instance serves uncached, but is not ready.
          if (anyCache) connections.check(['bus']);
          await probeSubgraphs(subgraphUrls, { [IDENTITY_HEADER]: await signIdentity(ANONYMOUS) });
        },
      }),
      useMetricsEndpoint((options.metricsSource ?? registry) as Registry),
      useBatchItemGuard(),
      useRequestMetrics(metrics, { hitOperations, label: labelOperation }),
      ...(entityCaching ? [useEntityCacheStats(entityStats, { executions: entityMetrics!.executions, header: config.cache.debug })] : []),
      useIdentity({ verify: createTokenVerifier(config.jwt), onRefusal: (code) => metrics.refusals.inc({ code }), principals }),
      ...(config.cache.enabled ? [useResponseCache(responseCacheOptions)] : entityCaching ? [useMutationFence(invalidator)] : []),
      useCsrfGuard(),
      useBatchLimit(limits.maxBatch), // the batch refusal (see `batching` above)
      usePersistedOperations({ mode: config.frontDoor.persistedOperations, trusted, store: apqStore }),
      useDocumentLimits({ limits, introspection: config.frontDoor.introspection }),
      useValidationErrors({ fieldSuggestions: config.frontDoor.fieldSuggestions }),
      useRefusalMetrics(metrics),
      ...(options.plugins ?? []),
      useVariableErrors(),
      // Last: it plans and executes the document the plugins before it settled on.
      useApolloFederation({ gateway, logger }),
      // Where Yoga runs its own body limit: after every other plugin's request parsing hooks.
      useBodyLimit(limits.maxBodyBytes),
    ],
  });

  // CACHE_WARM=manifest: the manifest's variable-free queries, at start and after each flush.
  const warmer =
    config.cache.enabled && config.cache.warm === 'manifest'
      ? createCacheWarmer({
          trusted,
          mode: config.frontDoor.persistedOperations,
          fetch: async (request) => yoga.fetch(request),
          onError: (error) => logger.warn({ err: error.message }, 'cache warm-up request failed'),
        })
      : undefined;
  if (warmer) invalidator.onFlush(() => void warmer.warm());
  let phase: GatewayPhase = { phase: 'loaded' };
  let server: Server | undefined;
  return {
    yoga,
    gateway,
    supergraph,
    registry,
    cache: invalidator,
    get status() {
      return phase;
    },
    get cacheEntries() {
      return { documents: documentCaches.documentCache.size, plans: planCache.size };
    },
    async listen(port = config.port, host) {
      // Cached public answers straight from node:http; everything else through Yoga.
      const hitPath = config.cache.enabled
        ? createHitPath({
            cache: responseCacheOptions,
            next: yoga,
            cors: config.corsOrigins.length > 0,
            onHit: hitRecorder(metrics, labelOperation),
          })
        : undefined;
      server = createServer(hitPath ?? yoga);
      const bound = await listen(server, port, host);
      phase = { phase: 'serving', port: bound };
      if (warmer) void warmer.warm();
      return bound;
    },
    async stop() {
      if (phase.phase === 'stopped' || phase.phase === 'draining') return;
      phase = { phase: 'draining' };
      if (server) await closeGracefully(server);
      await gateway.stop();
      await closeShared();
      phase = { phase: 'stopped' };
    },
  };
}

/**
 * Records a hit answered below Yoga in the request metrics (`operation`, `outcome="success"`),
 * as `useRequestMetrics` records one answered through Yoga: the label children of each operation
 * name are found once, not per hit (the labeler's answer for a name never changes once given),
 * and the count is a tally added when `/metrics` is read.
 */
function hitRecorder(metrics: ReturnType<typeof createGatewayMetrics>, label: (name: string) => string): (operationName: string | undefined, durationS: number) => void {
  type Children = { requests: { inc(): void }; duration: { observe(value: number): void } };
  const byName = new Map<string | undefined, Children>();
  return (name, durationS) => {
    const children = byName.get(name);
    if (children) {
      children.requests.inc();
      children.duration.observe(durationS);
      return;
    }
    const labels = { operation: name ? label(name) : 'anonymous', outcome: 'success' };
    // Names are bounded by the labeler, not here: past this many, a name is recorded directly.
    if (byName.size < MAX_REMEMBERED_HIT_NAMES) byName.set(name, { requests: talliedCounter(metrics.requests, labels), duration: metrics.requestDuration.labels(labels) });
    metrics.requests.inc(labels);
    metrics.requestDuration.observe(labels, durationS);
  };
}

/** Operation names whose metric children {@link hitRecorder} remembers. */
const MAX_REMEMBERED_HIT_NAMES = 1_000;

/** How long `createGateway` waits for its invalidation bus to prove itself before serving anyway (uncached until it does), ms. */
export const BUS_PROOF_WAIT_MS = 2_000;

/** Resolves when `condition()` holds, or after `timeoutMs` (checked every 5 ms). */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * `@apollo/gateway` 2.14 reports usage to Apollo and probes cloud metadata addresses
 * (169.254.169.254) at construction unless `APOLLO_TELEMETRY_DISABLED` is set. Tributary never
 * phones home: off unless the operator sets the variable explicitly.
 */
function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}
