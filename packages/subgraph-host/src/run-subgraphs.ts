import { catalogSubgraph } from '@tributary/catalog';
import { customersSubgraph } from '@tributary/customers';
import { type ChangeFeed, type InvalidationBus, createBusFromEnv, createChangeFeed, createChangeMap } from '@tributary/cache';
import { CHANGE_CHANNEL, CHINOOK_FIELD_SOURCES, type DatabaseConfig, type DatabaseHandle, type PrepareResult, createDatabase, prepareDatabase, readDatabaseConfig } from '@tributary/database';
import { playlistsSubgraph } from '@tributary/playlists';
import { salesSubgraph } from '@tributary/sales';
import {
  type LoaderOptions,
  type RunningSubgraph,
  SUBGRAPHS,
  type SubgraphDefinition,
  createChangeFeedMetrics,
  createConnectionStates,
  createErrorReporter,
  createRegistry,
  currentRequestSignal,
  readHost,
  readPort,
  readSubgraphIdentity,
  startSubgraph,
} from '@tributary/runtime';
import type { Logger } from 'pino';

/** How often the change feed publishes a stamped position with `DATABASE_READ_URL`, in ms. */
export const POSITION_EVERY_MS = 1_000;

/** Every subgraph definition by name. */
export const SUBGRAPH_DEFINITIONS: Record<(typeof SUBGRAPHS)[number]['name'], SubgraphDefinition<any>> = {
  catalog: catalogSubgraph,
  customers: customersSubgraph,
  sales: salesSubgraph,
  playlists: playlistsSubgraph,
};

/** Options of {@link runSubgraphs}. */
export interface RunSubgraphsOptions {
  /** Environment to read (`DATABASE_URL`, ports, `CHINOOK_SQL`). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Ports by subgraph name, over the environment's; 0 picks a free port. */
  ports?: Partial<Record<string, number>>;
  /** Interface to listen on. Default: `HOST`, else `127.0.0.1`. */
  host?: string;
  /** The process logger (pino): SQL warnings, change feed, bus failures. */
  logger: Logger;
  /** How loaders fetch; `{ batch: false }` is the row-by-row baseline. Default: batched. */
  loaders?: LoaderOptions;
  /**
   * Where change events go. Default: Redis pub/sub when `REDIS_URL` is set, else a bus of this
   * process (share it with a gateway in the same process).
   */
  bus?: InvalidationBus;
  /** Migrate and import Chinook into an empty database before serving. Default true. */
  prepare?: boolean;
}

/** The four subgraphs of one process, with their database handles. */
export interface RunningSubgraphs {
  subgraphs: RunningSubgraph[];
  /** One handle per subgraph (own pool and SQL counters), by name. */
  databases: Record<string, DatabaseHandle>;
  prepared?: PrepareResult;
  /** Subgraph URLs by name, for the gateway's overrides. */
  urls: Record<string, string>;
  /** The bus the change feed publishes on. */
  bus: InvalidationBus;
  /** Postgres row changes → change events. */
  changeFeed: ChangeFeed;
  /** Graceful close of every server, then of every database handle. */
  close(): Promise<void>;
}

/**
 * Starts the four subgraphs in this process, each on its own port with its own database handle
 * (a `pg` pool each, or the one shared embedded database).
 *
 * @throws ConfigError for a bad port or database variable;
 * ChinookNotFoundError when the database is empty and Chinook cannot be found.
 */
export async function runSubgraphs(options: RunSubgraphsOptions): Promise<RunningSubgraphs> {
  const env = options.env ?? process.env;
  const config = readDatabaseConfig(env);
  const identity = readSubgraphIdentity(env);
  const ports = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, options.ports?.[s.name] ?? readPort(env, s.portEnv, s.defaultPort)]));
  const databases: Record<string, DatabaseHandle> = {};
  const subgraphs: RunningSubgraph[] = [];
  const registries = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, createRegistry(s.name)]));
  // One change feed and one bus per process, reported on every subgraph's /metrics and /readyz.
  const connections = createConnectionStates(Object.values(registries));
  const ownBus = options.bus === undefined;
  // The process's bus failures (Redis errors, a failed SUBSCRIBE) are logged and counted on the first subgraph's /metrics.
  const busErrors = createErrorReporter({ logger: options.logger, registry: registries[SUBGRAPHS[0]!.name] });
  const bus =
    options.bus ??
    createBusFromEnv(env, { onState: (connection, up) => connections.set(connection, up), watchPending: (connection, pending) => connections.watchPending(connection, pending), errors: busErrors });
  if (!ownBus) connections.set('bus', bus.connected);
  const unwatchBus = ownBus ? undefined : bus.subscribe(() => undefined, { onLost: () => connections.set('bus', false), onRestored: () => connections.set('bus', true) });
  connections.set('change-feed', false);
  const readiness = { check: async () => connections.check(['change-feed', 'bus']) };
  let changeFeed: ChangeFeed | undefined;
  const close = async () => {
    await Promise.all(subgraphs.map((s) => s.close()));
    await changeFeed?.close();
    unwatchBus?.();
    if (ownBus) await bus.close();
    await Promise.all(Object.values(databases).map((db) => db.destroy()));
  };
  try {
    for (const s of SUBGRAPHS) {
      databases[s.name] = await createDatabase({ config, name: s.name, registry: registries[s.name], logger: options.logger, statementSignal: currentRequestSignal });
    }
    const prepared = options.prepare === false ? undefined : await prepareThroughOwnHandle(config, env);
    logPrepared(options.logger, prepared);
    const feedMetrics = createChangeFeedMetrics(registries[SUBGRAPHS[0]!.name]!, bus);
    const feed = await createChangeFeed({
      database: databases[SUBGRAPHS[0]!.name]!,
      channel: CHANGE_CHANNEL,
      bus,
      // The subgraphs' field sources: which field each column backs, what each row change derives.
      changeMap: createChangeMap(CHINOOK_FIELD_SOURCES),
      logger: options.logger,
      onEvent: feedMetrics.onEvent,
      onFenceTimeout: feedMetrics.onFenceTimeout,
      onListening: (listening) => connections.set('change-feed', listening),
      // Gateways that start or reconnect store no replica read until they hear a position.
      positionEveryMs: config.readUrl ? POSITION_EVERY_MS : undefined,
    });
    changeFeed = feed;
    // The embedded database's LISTEN is in process: it cannot be lost.
    if (databases[SUBGRAPHS[0]!.name]!.kind === 'embedded') connections.set('change-feed', true);
    for (const s of SUBGRAPHS) {
      subgraphs.push(
        await startSubgraph(SUBGRAPH_DEFINITIONS[s.name], {
          database: databases[s.name]!,
          port: ports[s.name]!,
          host: options.host ?? readHost(env),
          registry: registries[s.name],
          logger: options.logger,
          loaders: options.loaders,
          identity,
          afterMutation: () => feed.fence(),
          readiness,
        }),
      );
    }
    return { subgraphs, databases, prepared, urls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])), bus, changeFeed: feed, close };
  } catch (error) {
    await close();
    throw config.url ? namingDatabaseUrl(error as Error, config.url) : error;
  }
}

/** Postgres errors that mean "this DATABASE_URL cannot be used": network, auth, no such database. */
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET', '28P01', '28000', '3D000']);

/** The same error, but naming `DATABASE_URL` (password hidden) when it is about connecting. */
function namingDatabaseUrl(error: Error, url: string): Error {
  const code = (error as { code?: string }).code;
  const connecting = (code !== undefined && CONNECTION_ERRORS.has(code)) || /connect|timeout|terminated/i.test(error.message);
  if (!connecting) return error;
  const shown = url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  return new Error(`Cannot use the database at DATABASE_URL=${shown}: ${error.message || code}`);
}

/** Logs what `prepareDatabase` did at start: migrations run, Chinook imported or skipped. */
function logPrepared(logger: Logger, prepared: PrepareResult | undefined): void {
  if (prepared?.migrations.length) logger.info({ migrations: prepared.migrations }, 'migrated');
  if (prepared?.chinook.status === 'imported') logger.info({ durationMs: Math.round(prepared.chinook.durationMs) }, 'Chinook imported');
  if (prepared?.chinook.status === 'skipped') logger.info('database already holds data: Chinook import skipped');
}

/**
 * Migrates and imports through a database handle of its own, closed afterwards: the bulk
 * statements of a migration or of the Chinook import are not a subgraph's SQL (its statement
 * counters) and not slow queries to warn about (`DATABASE_SLOW_STATEMENT_MS`).
 */
async function prepareThroughOwnHandle(config: DatabaseConfig, env: NodeJS.ProcessEnv): Promise<PrepareResult> {
  const handle = await createDatabase({ config, name: 'prepare' });
  try {
    return await prepareDatabase(handle.db, env);
  } finally {
    await handle.destroy();
  }
}
