import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { TieredHit } from '@tributary/cache';
import { ANONYMOUS, type Principal, READ_LSN_HEADER, isLsn, minLsn, principalSubject } from '@tributary/runtime';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import type { CacheInvalidator } from './cache-invalidator.js';
import { scopedKey } from './cache-key.js';
import type { CachePolicy } from './cache-policy.js';
import type { InflightFetches, SharedEntry } from './entity-coalescer.js';
import { type Assembled, assembleFromShared, assembleLocal, storeCells } from './entity-cells.js';
import { type FetchAnalysis, analyseFetch } from './entity-fetch.js';
import { fetchKey, representationKeys } from './entity-key.js';
import { copierOf } from './json-copy.js';
import type { EntityCacheMetrics } from './entity-metrics.js';
import type { EntityStore, EntityValue } from './entity-store.js';
import { FetchRecorder } from './fetch-recorder.js';
import { type TaggedFetch, entryTags, readFetchResult, refusesAddedSelections, tagFetch } from './fetch-tagging.js';
import { type CellPlan, type EntityCellPlans, MAX_CELLS_PER_FETCH, planCells, planEntityCells, recordOf } from './root-cells.js';

type Response = Awaited<ReturnType<GraphQLDataSource['process']>>;
type ResponseError = NonNullable<Response['errors']>[number];

/** Per request: how many fetches and representations the entity cache served (for `CACHE_DEBUG`). */
export interface EntityCacheStats {
  fetches: number;
  fetchesFromCache: number;
  representations: number;
  representationsFromCache: number;
}

/** What {@link withEntityCache} needs from the gateway, read at each fetch (the supergraph can change). */
export interface EntityCaching {
  store: EntityStore;
  /** The bus state and the clock, shared with the response cache (the race rule is the store's: `set` refuses stale values). */
  invalidator: Pick<CacheInvalidator, 'isTrusting' | 'startedAt'>;
  /** The subgraph's schema in the current supergraph. */
  schemaOf(subgraph: string): GraphQLSchema | undefined;
  policy(): CachePolicy;
  /** TTL when nothing read carries a `maxAge` (`CACHE_DEFAULT_MAX_AGE_S`), seconds. */
  defaultMaxAgeS: number;
  metrics: EntityCacheMetrics;
  /** The gateway's in-flight fetches (coalescing). */
  inflight: InflightFetches;
  /** Root fetches answered from and kept in field cells (`ENTITY_CACHE_FIELDS`, default on); `false`: cached whole only. */
  fieldCells?: boolean;
  /** Per-request counters, by the request's context object (`useEntityCacheStats`: metrics, and `CACHE_DEBUG`'s header); absent: not counted. */
  stats?: WeakMap<object, EntityCacheStats>;
}

/** One item of a fetch: a representation of an entity fetch, or a root fetch's whole `data`. */
interface Item {
  /** Its position among the fetch's representations (0 for a root fetch). */
  index: number;
  /** Key without scope. */
  key: string;
  /** The key in the public scope (`scopedKey(key, 'public')`). */
  publicKey: string;
  /** Metrics label: the representation's `__typename`, or the root type. */
  type: string;
  /** Its value, once known (from the cache, a waited-for fetch, or the subgraph). */
  value?: unknown;
  /** Where the value came from. */
  source?: 'l1' | 'l2' | 'coalesced' | 'subgraph';
  /** The cache entry it came from, if any: its remaining TTL and scope bound the response's. */
  entry?: { value: EntityValue; expiresAt: number };
  claim?: ReturnType<InflightFetches['claim']>;
}

/** One request sent to the subgraph for some items of a fetch. */
interface SentResult {
  response: Response;
  /** The subgraph answered the tagged fetch with an error about the cache's own selections. */
  ours: boolean;
}

/**
 * Wraps a subgraph's data source with the entity cache (issue 12), below the response cache's
 * fetch tagging and above HTTP. Each query fetch of a plan is sent tagged (see `tagFetch`) and:
 * - an entity fetch (`_entities`): each representation is looked up on its own (L1, then L2),
 *   keyed by supergraph version, subgraph, the normalised selection's hash, the other variables,
 *   the representation (keys in sorted order) and scope; the misses are sent in one request and
 *   merged back in the original order, nulls and per-entity errors at their index;
 * - any other query fetch: looked up and stored whole, keyed by its variables.
 * What is stored carries the response cache's tags for what it read (`Track:42.unitPrice`,
 * `Track:42`, `Query.tracks`…), so the same change events evict it; it is stored only if nothing
 * it read was invalidated since the fetch started, with no errors, not hinted `maxAge: 0`, and
 * (when it read a `PRIVATE` field or type, or the subgraph answered `Cache-Control: private`)
 * under the principal's key, never anonymously. Identical fetches in flight are sent once
 * ({@link InflightFetches}). Mutations, fetches that cannot be tagged, and everything while the
 * invalidation bus is lost are sent as planned.
 */
export function withEntityCache<T extends GraphQLDataSource>(source: T, subgraph: string, caching: EntityCaching): T {
  const process = source.process.bind(source);
  const { metrics } = caching;
  source.process = async (options: GraphQLDataSourceProcessOptions) => {
    const bypass = () => {
      metrics.fetches.inc({ subgraph, outcome: 'bypassed' });
      const representations = options.request.variables?.representations;
      countRequest(caching, options, { fetches: 1, fetchesFromCache: 0, representations: Array.isArray(representations) ? representations.length : 0, representationsFromCache: 0 });
      return process(options);
    };
    if (options.kind !== 'incoming operation' || !options.request.query || !caching.invalidator.isTrusting) return bypass();
    const schema = caching.schemaOf(subgraph);
    const fetch = schema && tagFetch(options.request.query, schema);
    if (!schema || !fetch) return bypass();
    const policy = caching.policy();
    const analysis = analyseFetch(fetch, schema, policy);
    if (analysis.hints.uncacheable) return bypass();
    const variables = (options.request.variables ?? {}) as Record<string, unknown>;
    const representations = variables.representations;
    if (analysis.shape.kind === 'entities' && !Array.isArray(representations)) return bypass();
    // Field cells are public only: a fetch that selects anything private is never kept in, or answered from, cells.
    const cellsFit = !analysis.hints.private && caching.fieldCells !== false;
    const run: FetchRun = {
      options,
      process,
      subgraph,
      caching,
      schema,
      policy,
      fetch,
      analysis,
      startedAt: caching.invalidator.startedAt(),
      principal: (options.context as { principal?: Principal }).principal ?? ANONYMOUS,
      alreadyTagged: fetch.query === options.request.query,
      variables,
      cells: analysis.shape.kind === 'root' && cellsFit ? (planCells(fetch, schema) ?? undefined) : undefined,
      entityCells: analysis.shape.kind === 'entities' && cellsFit ? (planEntityCells(fetch, schema) ?? undefined) : undefined,
    };
    const base = fetchKey(policy.version, subgraph, analysis, variables);
    let items: Item[];
    if (analysis.shape.kind === 'entities') {
      const list = representations as unknown[];
      items = new Array(list.length);
      for (let index = 0; index < list.length; index++) {
        const keys = representationKeys(base, list[index]);
        items[index] = { index, key: keys.key, publicKey: keys.public, type: typenameOf(list[index]) };
      }
    } else {
      const key = `${base}:root`;
      items = [{ index: 0, key, publicKey: scopedKey(key, 'public'), type: schema.getQueryType()?.name ?? 'Query' }];
    }
    try {
      return await serve(run, items);
    } finally {
      // Its cells are stored (or it gave up): fetches waiting for them read L1 again.
      run.endCellMark?.();
    }
  };
  return source;
}

/**
 * An entity fetch's cell plans, if its representations' cells (each representation's fields, at
 * the first level) are at most {@link MAX_CELLS_PER_FETCH}, as for a root fetch: reading and writing
 * thousands of cells (3,000 representations) costs more than the fetch, so such a fetch is cached
 * per selection only.
 */
function withinCellBound(plans: EntityCellPlans, representations: unknown[]): EntityCellPlans | undefined {
  let cells = 0;
  for (const representation of representations) {
    const plan = plans.get(typenameOf(representation));
    if (plan && (cells += plan.root.fields.length) > MAX_CELLS_PER_FETCH) return undefined;
  }
  return plans;
}

/** Everything one fetch's run needs. */
interface FetchRun {
  options: GraphQLDataSourceProcessOptions;
  process: GraphQLDataSource['process'];
  subgraph: string;
  caching: EntityCaching;
  schema: GraphQLSchema;
  policy: CachePolicy;
  fetch: TaggedFetch;
  analysis: FetchAnalysis;
  /** Before any lookup: what is stored must not have been invalidated since. */
  startedAt: number;
  principal: Principal;
  /** The fetch arrived tagged (the response cache's wrapper is above): its answer is the caller's as is. */
  alreadyTagged: boolean;
  /** The fetch's variables as the planner sent them. */
  variables: Record<string, unknown>;
  /** A root fetch that field cells can answer and keep (see `root-cells.ts`). */
  cells?: CellPlan;
  /**
   * An entity fetch whose representations of these types field cells can answer and keep (see
   * `planEntityCells`); dropped when the fetch, not found whole, is past the cell bound ({@link withinCellBound}).
   */
  entityCells?: EntityCellPlans;
  /** Ends this fetch's mark on the cells it is getting (`InflightFetches.markCells`), once it is done. */
  endCellMark?: () => void;
}

async function serve(run: FetchRun, items: Item[]): Promise<Response> {
  const { caching } = run;
  // L1 for every item first (synchronous, no promise per item); L2 only for what L1 lacks.
  const notLocal = lookUpLocal(run, items);
  if (notLocal.length > 0 && caching.store.hasShared) await lookUpShared(run, notLocal);
  // A root fetch not cached whole: from the cells of what earlier fetches read, if all are there.
  if (run.cells && items[0]!.source === undefined) await assemble(run, items[0]!, run.cells);
  else if (run.entityCells && notLocal.length > 0) {
    // Past the cell bound, cached per selection only: checked here, once, since a fetch found whole needs no cells.
    run.entityCells = withinCellBound(run.entityCells, run.variables.representations as unknown[]);
    // Representations not cached for this selection: from the cells of their entities, if all are there.
    if (run.entityCells) await assembleEntities(run, notLocal, run.entityCells);
  }
  const missing = notLocal.filter((item) => item.source === undefined);
  if (missing.length === 0) {
    // Everything from the cache: no claim, no request.
    countHits(run, items);
    count(run, items);
    return answer(run, items, []);
  }
  for (const item of missing) item.claim = caching.inflight.claim(item.key);
  // Looked up again once claimed: a fetch that stored between our lookup and our claim is seen
  // now, and every later one waits for us (double-checked, so identical misses go out once).
  lookUpLocal(
    run,
    missing.filter((item) => item.claim!.kind === 'owner'),
  );
  for (const item of missing)
    if (item.source !== undefined && item.claim?.kind === 'owner')
      item.claim.settle(item.entry && { value: item.entry.value, expiresAt: item.entry.expiresAt, subject: principalSubject(run.principal) });
  const owned = missing.filter((item) => item.claim!.kind === 'owner' && item.source === undefined);
  const waiting = missing.filter((item) => item.claim!.kind === 'waiter');
  const results: SentResult[] = [];
  try {
    // Our own misses go now, while we wait for those another fetch is sending (never the other way round: no deadlock).
    const [sent] = await Promise.all([owned.length > 0 ? send(run, owned) : undefined, Promise.all(waiting.map((item) => awaitShared(run, item)))]);
    if (sent) results.push(sent);
  } finally {
    for (const item of owned) if (item.claim?.kind === 'owner') item.claim.settle(undefined);
  }
  // Those whose owner stored nothing for us: fetched here, in one more request.
  const unserved = waiting.filter((item) => item.source === undefined);
  if (unserved.length > 0) results.push(await send(run, unserved));

  countHits(run, items);
  if (results.some((r) => r.ours)) {
    // The subgraph refused the cache's own selections: the fetch exactly as the caller sent it.
    const whole = results.length === 1 && owned.length === items.length;
    return whole && run.alreadyTagged ? results[0]!.response : run.process(run.options);
  }
  count(run, items);
  // Nothing came from the cache: the subgraph's answer, untouched.
  if (results.length === 1 && owned.length === items.length) return results[0]!.response;
  return answer(run, items, results);
}

/** The fetch's answer from its items (cached ones parsed now) and the subgraph's answers to the rest. */
function answer(run: FetchRun, items: Item[], results: SentResult[]): Response {
  materialise(items);
  if (run.analysis.shape.kind !== 'entities') {
    const [item] = items;
    if (item?.source && item.source !== 'subgraph') return { data: item.value as Record<string, unknown>, http: cachedHttp(items, [], []) } as Response;
    return results[results.length - 1]!.response;
  }
  const errors: ResponseError[] = [];
  for (const result of results) errors.push(...(result.response.errors ?? []));
  return {
    data: { _entities: items.map((item) => item.value ?? null) },
    ...(errors.length > 0 ? { errors } : {}),
    http: cachedHttp(
      items,
      // Every request's: a second one (representations another principal's private fetch stored nothing for) may be the one that said `private`.
      results.map((r) => r.response.http?.headers.get('cache-control') ?? undefined),
      results.map((r) => r.response.http?.headers.get(READ_LSN_HEADER) ?? undefined),
    ),
  } as Response;
}

/** The scopes an item is looked up in: the principal's first (if signed in), then the public one. */
function scopesOf(principal: Principal): Array<'public' | Principal> {
  return principal.kind === 'anonymous' ? PUBLIC_ONLY : [principal, 'public'];
}
const PUBLIC_ONLY: Array<'public' | Principal> = ['public'];

/**
 * Looks `items` up in L1 (principal's scope, then public), synchronously; returns those not found.
 * Either scope's entry is a right answer for this principal, so L1 answers before any L2 round trip.
 */
function lookUpLocal(run: FetchRun, items: Item[]): Item[] {
  const { store } = run.caching;
  const principal = run.principal.kind === 'anonymous' ? undefined : run.principal;
  const notFound: Item[] = [];
  for (const item of items) {
    const found: TieredHit<EntityValue> | undefined = (principal && store.getLocal(scopedKey(item.key, principal))) || store.getLocal(item.publicKey);
    if (found) use(item, found, 'l1');
    else notFound.push(item);
  }
  return notFound;
}

/** Looks `items` up in L2, each scope's key at once (a hit there fills L1); the principal's entry wins over the public one. */
async function lookUpShared(run: FetchRun, items: Item[]): Promise<void> {
  const scopes = scopesOf(run.principal);
  await Promise.all(
    items.map(async (item) => {
      const found = await Promise.all(scopes.map((scope) => run.caching.store.getShared(scope === 'public' ? item.publicKey : scopedKey(item.key, scope))));
      const hit = found.find((f) => f !== undefined);
      if (hit) use(item, hit, 'l2');
    }),
  );
}

/**
 * Answers a root fetch's item from field cells, when every cell it needs is cached. While L1
 * lacks only cells that other fetches in flight are getting (`InflightFetches.markCells`), it
 * waits for them and reads L1 again (outcome `awaited`; again only if that brought some of them,
 * at most {@link MAX_CELL_WAITS} times and {@link MAX_CELL_WAIT_MS} in all); otherwise it marks
 * the cells it lacks, for the fetches after it, and reads L2, then its subgraph. What L2 gave it is in L1 at once: its mark on those
 * cells ends there (nobody waits for its subgraph for them), and the cells it then lacks below
 * them are marked until it is done (`endCellMark`).
 */
async function assemble(run: FetchRun, item: Item, plan: CellPlan): Promise<void> {
  const { caching, subgraph } = run;
  const readLocal = () => assembleLocal(caching.store, run.policy.version, subgraph, plan, run.variables);
  let local = readLocal();
  let source: Item['source'] = 'l1';
  // It marks nothing before it stops waiting: no cycle of waits. It waits again only when the
  // last wait brought some of what it lacked (a fetch that failed to get them is not waited for
  // in turn by everyone after it), and all its waits together last at most MAX_CELL_WAIT_MS (its
  // own fetch may be cheaper than the slow one it waited for).
  const deadline = performance.now() + MAX_CELL_WAIT_MS;
  let lacked: string | undefined;
  for (let waits = 0; 'missing' in local && waits < MAX_CELL_WAITS; waits++) {
    const lacking = local.missing.join('\n');
    if (lacking === lacked) break;
    const pending = caching.inflight.cellsPending(local.missing);
    if (!pending) break;
    const settled = await settledWithin(pending, deadline - performance.now());
    caching.metrics.cells.inc({ subgraph, outcome: 'awaited' });
    lacked = lacking;
    local = readLocal();
    source = 'coalesced';
    if (!settled) break;
  }
  let assembled = 'missing' in local ? undefined : local;
  if ('missing' in local) {
    const mark = caching.inflight.markCells(local.missing);
    run.endCellMark = mark;
    // L1 was just read (no await since): L2 for what it lacked.
    assembled = await assembleFromShared(caching.store, run.policy.version, subgraph, plan, run.variables, local.missing);
    source = assembled?.tier;
    if (!assembled && caching.store.hasShared) {
      const now = readLocal();
      if ('missing' in now) mark.extend(now.missing);
      mark.release(local.missing.filter((key) => caching.store.peekLocal(key) !== undefined));
    }
  }
  caching.metrics.cells.inc({ subgraph, outcome: assembled ? 'assembled' : 'incomplete' });
  if (assembled) useAssembled(item, assembled, source!, latestExpiry(run));
}

/** Gives an item the answer assembled from cells: it expires when its first cell does, and no later than `latest` ({@link latestExpiry}). */
function useAssembled(item: Item, assembled: Assembled, source: NonNullable<Item['source']>, latest: number): void {
  item.value = assembled.data;
  item.entry = { value: CELLS_VALUE, expiresAt: Math.min(assembled.expiresAt, latest) };
  item.source = source;
}

/**
 * The latest an answer of `run` assembled from cells may expire: when its answer from the subgraph
 * would (its selection's `maxAge`, or the default), now. Cells keep the TTL of the fetch that wrote
 * them, which a root field's `maxAge` may have made longer than this fetch's own.
 */
function latestExpiry(run: FetchRun): number {
  return run.caching.store.now() + (run.analysis.hints.maxAgeS ?? run.caching.defaultMaxAgeS) * 1000;
}
/**
 * Answers the representations among `items` that no entry answered from their entities' field
 * cells (see `planEntityCells`), when every cell their selection needs is cached: L1 first,
 * then L2 for the rest, all at once. Only a representation that carries its type's `id` and
 * nothing else is read this way (see {@link cellRecordOf}); it waits for no other fetch's cells.
 * An answer so made expires when its first cell does, and no later than this fetch's answer from
 * the subgraph would ({@link latestExpiry}). Counted per representation in the cells metric (`entity-assembled`, `entity-incomplete`).
 */
async function assembleEntities(run: FetchRun, items: Item[], plans: EntityCellPlans): Promise<void> {
  const { caching, subgraph } = run;
  const { store } = caching;
  const version = run.policy.version;
  const representations = run.variables.representations as unknown[];
  const latest = latestExpiry(run);
  const fill = (item: Item, assembled: Assembled) => useAssembled(item, assembled, assembled.tier, latest);
  let assembled = 0;
  let incomplete = 0;
  const shared: Array<Promise<void>> = [];
  for (const item of items) {
    if (item.source !== undefined) continue;
    const plan = plans.get(item.type);
    const record = plan && cellRecordOf(representations[item.index], item.type);
    if (!plan || !record) continue;
    const local = assembleLocal(store, version, subgraph, plan, run.variables, record);
    if ('data' in local) {
      fill(item, local);
      assembled++;
    } else if (!store.hasShared) {
      incomplete++;
    } else {
      shared.push(
        assembleFromShared(store, version, subgraph, plan, run.variables, local.missing, record).then((found) => {
          if (found) {
            fill(item, found);
            assembled++;
          } else {
            incomplete++;
          }
        }),
      );
    }
  }
  await Promise.all(shared);
  if (assembled > 0) caching.metrics.cells.inc({ subgraph, outcome: 'entity-assembled' }, assembled);
  if (incomplete > 0) caching.metrics.cells.inc({ subgraph, outcome: 'entity-incomplete' }, incomplete);
}

/**
 * The cell record (`Track:"42"`) of a representation of `type` that carries its `id` (a string or
 * a number) and nothing else; `undefined` for any other (one with fields a `@requires` needs, or
 * another key), which is then cached per selection only.
 */
function cellRecordOf(representation: unknown, type: string): string | undefined {
  if (typeof representation !== 'object' || representation === null) return undefined;
  const { id } = representation as { id?: unknown };
  if ((typeof id !== 'string' && typeof id !== 'number') || Object.keys(representation).length !== 2 || (representation as { __typename?: unknown }).__typename !== type) return undefined;
  return recordOf(type, id);
}

/** Most times a root fetch waits for cells other fetches are getting (one level of records below another, each found in L2 or sent for). */
const MAX_CELL_WAITS = 3;
/**
 * Longest a root fetch waits for cells other fetches are getting, all waits together, ms: a hot
 * cell's fetch normally answers within tens of ms, even with L2 rounds; one that takes longer (a
 * slow field the waiter does not select, a subgraph timing out) is not waited for past this.
 */
export const MAX_CELL_WAIT_MS = 500;

/** Resolves `true` once `promise` settles, or `false` after `ms` (≤ 0: at once), whichever comes first. */
function settledWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
/** The stand-in entry of an answer assembled from cells (always public: private fetches are never kept in cells). */
const CELLS_VALUE: EntityValue = { body: '', scope: 'public' };

async function awaitShared(run: FetchRun, item: Item): Promise<void> {
  if (item.claim?.kind !== 'waiter') return;
  const shared = await item.claim.shared;
  if (shared && (shared.value.scope === 'public' || shared.subject === principalSubject(run.principal))) use(item, shared, 'coalesced');
}

/** Records where an item's value comes from; the value itself is made when the answer is ({@link materialise}). */
function use(item: Item, entry: { value: EntityValue; expiresAt: number }, source: Item['source']): void {
  item.entry = entry;
  item.source = source;
}

/**
 * Parsed entries, by the stored value (one per L1 entry, gone with it): at an entry's first hit
 * only a mark (the parse is handed out as is, so an entry hit once costs one parse, as without
 * this); from its second hit on, a copier of its parsed form ({@link copierOf}), of which each
 * use gets a copy, several times cheaper than parsing the body again.
 */
const parsed = new WeakMap<EntityValue, typeof HIT_ONCE | (() => unknown)>();
/** The mark of an entry hit once. */
const HIT_ONCE = Symbol('hit once');

/**
 * Gives the cached items of `items` their values: a value of its own per use, since the gateway
 * merges answers into its result tree and mutates them.
 */
function materialise(items: Item[]): void {
  for (const item of items) {
    if (item.source === 'subgraph' || item.source === undefined || item.value !== undefined || !item.entry) continue;
    const stored = item.entry.value;
    const template = parsed.get(stored);
    if (template === undefined) {
      parsed.set(stored, HIT_ONCE);
      item.value = JSON.parse(stored.body);
    } else if (template === HIT_ONCE) {
      const copy = copierOf(JSON.parse(stored.body));
      parsed.set(stored, copy);
      item.value = copy();
    } else {
      item.value = template();
    }
  }
}

/** Counts the items served from the cache, once per type and tier (not once per item). */
function countHits(run: FetchRun, items: Item[]): void {
  const counts: Array<{ type: string; tier: 'l1' | 'l2' | 'coalesced'; n: number }> = [];
  // Items of one fetch mostly share one type and tier: the last count is checked first.
  let last: (typeof counts)[number] | undefined;
  for (const item of items) {
    const tier = item.source;
    if (tier === undefined || tier === 'subgraph') continue;
    if (last && last.type === item.type && last.tier === tier) {
      last.n++;
      continue;
    }
    last = counts.find((c) => c.type === item.type && c.tier === tier);
    if (last) last.n++;
    else counts.push((last = { type: item.type, tier, n: 1 }));
  }
  for (const { type, tier, n } of counts) run.caching.metrics.lookups.inc({ subgraph: run.subgraph, type, tier, result: 'hit' }, n);
}

/**
 * Sends `items` (all of a root fetch, or some representations of an entity fetch) to the
 * subgraph in one request, stores what may be stored, and settles the claims it owns.
 * The answer's `_entities` indexes are turned into the fetch's own indexes.
 */
async function send(run: FetchRun, items: Item[]): Promise<SentResult> {
  const { options, fetch, caching, subgraph } = run;
  const entities = run.analysis.shape.kind === 'entities';
  const variables = { ...(options.request.variables ?? {}) } as Record<string, unknown>;
  if (entities) variables.representations = items.map((item) => (options.request.variables!.representations as unknown[])[item.index]);
  caching.metrics.representationsSent.inc({ subgraph }, entities ? items.length : 0);
  const response = await run.process({ ...options, request: { ...options.request, query: fetch.query, variables }, document: fetch.document } as GraphQLDataSourceProcessOptions);
  const ours = refusesAddedSelections(response);
  const header = response.http?.headers.get('cache-control');
  const readLsn = response.http?.headers.get(READ_LSN_HEADER) ?? undefined;
  if (!entities) {
    const [item] = items;
    item!.source = 'subgraph';
    const storable = !ours && !response.errors?.length && response.data;
    settle(item!, storable ? await store(run, item!, response.data, response.data as Record<string, unknown>, header, readLsn) : undefined);
    return { response, ours };
  }
  // Per-entity errors name their index in what was sent (`["_entities", j, …]`): put them at the fetch's.
  const failed = new Set<number>();
  let wholeFailed = response.data == null || !Array.isArray((response.data as { _entities?: unknown })._entities);
  const errors = (response.errors ?? []).map((error) => {
    const path = error.path;
    if (path?.[0] === '_entities' && typeof path[1] === 'number' && path[1] < items.length) {
      failed.add(path[1]);
      return { ...error, path: ['_entities', items[path[1]]!.index, ...path.slice(2)] } as ResponseError;
    }
    wholeFailed = true;
    return error;
  });
  const received = wholeFailed ? [] : ((response.data as { _entities: unknown[] })._entities ?? []);
  for (const [j, item] of items.entries()) {
    item.source = 'subgraph';
    item.value = received[j] ?? null;
    const storable = !ours && !wholeFailed && !failed.has(j) && received[j] != null;
    settle(item, storable ? await store(run, item, received[j], { _entities: [received[j]] }, header, readLsn) : undefined);
  }
  return { response: errors.length > 0 || response.errors ? ({ ...response, errors: errors as unknown as GraphQLError[] } as Response) : response, ours };
}

function settle(item: Item, shared: SharedEntry | undefined): void {
  if (item.claim?.kind === 'owner') item.claim.settle(shared);
}

/**
 * Decides whether `value` (read through `readable`, the shape `readFetchResult` walks) may be
 * stored, and stores it: returns what waiting fetches may share, or undefined.
 */
async function store(run: FetchRun, item: Item, value: unknown, readable: Record<string, unknown>, header: string | null | undefined, readLsn: string | undefined): Promise<SharedEntry | undefined> {
  const { caching, policy, analysis, subgraph } = run;
  const outcome = (name: 'stored' | 'uncacheable' | 'stale' | 'replica-behind') => caching.metrics.stores.inc({ subgraph, type: item.type, outcome: name });
  const recorder = new FetchRecorder(policy.version);
  recorder.applyCacheControl(header);
  recorder.applyReadLsn(readLsn);
  if (recorder.unstorable || !readFetchResult(readable, run.fetch, run.schema, policy, recorder.reads)) return void outcome('uncacheable');
  const hinted = [recorder.reads.maxAgeS, analysis.hints.maxAgeS].filter((s): s is number => s !== undefined);
  const maxAgeS = hinted.length > 0 ? Math.min(...hinted) : caching.defaultMaxAgeS;
  if (analysis.hints.private) recorder.reads.private = true;
  const scope = recorder.reads.private ? 'private' : 'public';
  if (maxAgeS <= 0 || (scope === 'private' && run.principal.kind === 'anonymous')) return void outcome('uncacheable');
  const tags = entryTags(recorder.reads);
  if (caching.policy().version !== policy.version || !caching.invalidator.isTrusting) return void outcome('stale');
  const stored: EntityValue = { body: JSON.stringify(value), scope };
  const ttlMs = maxAgeS * 1000;
  const result = caching.store.set(scope === 'public' ? item.publicKey : scopedKey(item.key, run.principal), stored, { tags, ttlMs, startedAt: run.startedAt, readLsn: recorder.readLsn });
  if (!result.stored) return void outcome(result.reason === 'expired' ? 'uncacheable' : result.reason);
  outcome('stored');
  if (scope === 'public') {
    // A root fetch's answer, or an entity's (one that carries its id and nothing else, and is answered under it), kept in field cells too.
    const entityPlan = run.entityCells?.get(item.type);
    const entityRecord = entityPlan && cellRecordOf((run.variables.representations as unknown[])[item.index], item.type);
    const plan = entityRecord ? entityPlan : run.cells;
    const cells =
      plan && storeCells(caching.store, policy.version, subgraph, plan, value as Record<string, unknown>, run.variables, { ttlMs, startedAt: run.startedAt, readLsn: recorder.readLsn, entityRecord });
    if (plan) caching.metrics.cells.inc({ subgraph, outcome: cells ? 'stored' : 'unfit' }, cells ? cells.stored : 1);
    if (cells?.refused) caching.metrics.cells.inc({ subgraph, outcome: 'refused' }, cells.refused);
    if (cells?.kept) caching.metrics.cells.inc({ subgraph, outcome: 'kept' }, cells.kept);
  }
  return { value: stored, expiresAt: caching.store.now() + ttlMs, subject: principalSubject(run.principal) };
}

/** Metrics and debug counters of one fetch. */
function count(run: FetchRun, items: Item[]): void {
  const { caching, subgraph } = run;
  const entities = run.analysis.shape.kind === 'entities';
  const fromCache = items.filter((item) => item.source !== 'subgraph').length;
  const misses = new Map<string, number>();
  for (const item of items) if (item.source === 'subgraph') misses.set(item.type, (misses.get(item.type) ?? 0) + 1);
  for (const [type, n] of misses) caching.metrics.lookups.inc({ subgraph, type, tier: 'none', result: 'miss' }, n);
  caching.metrics.fetches.inc({ subgraph, outcome: fromCache === items.length ? 'avoided' : fromCache === 0 ? 'sent' : 'partial' });
  if (entities) caching.metrics.representationsRequested.inc({ subgraph }, items.length);
  countRequest(caching, run.options, {
    fetches: 1,
    fetchesFromCache: fromCache === items.length ? 1 : 0,
    representations: entities ? items.length : 0,
    representationsFromCache: entities ? fromCache : 0,
  });
}

/** Adds one fetch's counts to its request's debug counters. */
function countRequest(caching: EntityCaching, options: GraphQLDataSourceProcessOptions, add: EntityCacheStats): void {
  const context = (options as { context?: { request?: object } }).context;
  const stats = context && caching.stats?.get(context.request ?? context);
  if (!stats) return;
  stats.fetches += add.fetches;
  stats.fetchesFromCache += add.fetchesFromCache;
  stats.representations += add.representations;
  stats.representationsFromCache += add.representationsFromCache;
}

/**
 * The `Cache-Control` of an answer that cached entries went into: the directives of every answer
 * the subgraph gave for what it sent (so `private`, `no-store` or a shorter `max-age` of any of
 * them holds for the whole), `private` if any entry was, and `max-age` the least remaining TTL of the entries used,
 * so that a response cached above never outlives what it was built from; and the lowest replica
 * position of the subgraph answers in it (`x-tributary-read-lsn`): entries from the cache were
 * checked against every invalidation when stored, so they lower nothing.
 */
function cachedHttp(items: Item[], answered: Array<string | undefined>, readLsns: Array<string | undefined>): Response['http'] {
  // One pass over the items (a fetch can have hundreds): no intermediate arrays, no spread into Math.min.
  let earliest = Number.POSITIVE_INFINITY;
  let anyPrivate = false;
  for (const item of items) {
    if (!item.entry || item.source === 'subgraph') continue;
    if (item.entry.expiresAt < earliest) earliest = item.entry.expiresAt;
    if (item.entry.value.scope === 'private') anyPrivate = true;
  }
  const directives = answered.filter((header): header is string => !!header);
  if (anyPrivate) directives.push('private');
  if (earliest !== Number.POSITIVE_INFINITY) directives.push(`max-age=${Math.max(0, Math.floor((earliest - Date.now()) / 1000))}`);
  const headers = new Headers();
  if (directives.length > 0) headers.set('cache-control', directives.join(', '));
  // A position that is not an LSN is passed on as it is (the recorder then refuses to store).
  const invalid = readLsns.find((lsn) => lsn !== undefined && !isLsn(lsn));
  const readLsn = invalid ?? readLsns.reduce<string | undefined>(minLsn, undefined);
  if (readLsn !== undefined) headers.set(READ_LSN_HEADER, readLsn);
  return { headers, url: '', status: 200, statusText: 'OK' } as unknown as Response['http'];
}

function typenameOf(representation: unknown): string {
  const name = (representation as { __typename?: unknown } | null)?.__typename;
  return typeof name === 'string' ? name : 'unknown';
}
