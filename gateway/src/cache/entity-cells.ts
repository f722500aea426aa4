import { sha256Hex } from '../persisted/sha256.js';
import { scopedKey } from './cache-key.js';
import type { EntityStore, EntityValue } from './entity-store.js';
import { type CellPlan, RESOLVED, ROOT_RECORD, effectiveVariables, readCells, writeCells } from './root-cells.js';

/** Rounds of L2 reads one assembly may take (each reaches one level deeper: root, entities, their entities…). */
export const MAX_CELL_ROUNDS = 6;
/** A cell's record and signature longer than this (characters) are hashed into its key. */
const MAX_INLINE_CELL_CHARS = 256;

const bases = new Map<string, string>();

/** The part of every cell key of one supergraph version and subgraph (SHA-256, remembered). */
function cellBase(version: string, subgraph: string): string {
  const id = `${version}\n${subgraph}`;
  let base = bases.get(id);
  if (base === undefined) {
    if (bases.size > 64) bases.clear();
    bases.set(id, (base = sha256Hex(`${id}\ncells`)));
  }
  return base;
}

/** The key of a cell (public scope): its {@link cellBase}, record and signature. */
function cellKey(base: string, record: string, signature: string): string {
  const tail = `${record}\n${signature}`;
  return scopedKey(`${base}:${tail.length <= MAX_INLINE_CELL_CHARS ? tail : `#${sha256Hex(tail)}`}`, 'public');
}

/** What {@link assembleFromCells} found: the answer's `data`, the earliest expiry of the cells read (ms since the epoch) and the farthest tier reached. */
export interface Assembled {
  data: Record<string, unknown>;
  expiresAt: number;
  tier: 'l1' | 'l2';
}

/** One read of a root fetch's cells (or an entity's, from its `record`) from L1: the answer if complete, the earliest expiry of the cells read, the keys missing. */
function readLocal(
  store: EntityStore,
  base: string,
  plan: CellPlan,
  vars: Record<string, unknown>,
  record: string,
): { data: Record<string, unknown> | undefined; expiresAt: number; missing: string[] } {
  let expiresAt = Number.POSITIVE_INFINITY;
  const missing: Array<{ record: string; signature: string }> = [];
  const lookup = (record: string, signature: string) => {
    const hit = store.getLocal(cellKey(base, record, signature));
    if (!hit) return undefined;
    if (hit.expiresAt < expiresAt) expiresAt = hit.expiresAt;
    return hit.value.body;
  };
  const data = readCells(plan, vars, lookup, missing, record);
  return { data, expiresAt, missing: data ? [] : [...new Set(missing.map((m) => cellKey(base, m.record, m.signature)))] };
}

/**
 * Answers a root fetch from field cells in L1 only, synchronously: the answer, or the keys of
 * the cells missing at the first level found incomplete (what another fetch in flight may be
 * getting: see `InflightFetches.markCells`). Given an entity's `record` (`Track:"42"`) and its
 * type's plan (see `planEntityCells`), the same for that entity's answer to an entity fetch.
 */
export function assembleLocal(store: EntityStore, version: string, subgraph: string, plan: CellPlan, variables: Record<string, unknown>, record = ROOT_RECORD): Assembled | { missing: string[] } {
  const { data, expiresAt, missing } = readLocal(store, cellBase(version, subgraph), plan, effectiveVariables(plan, variables), record);
  return data ? { data, expiresAt, tier: 'l1' } : { missing };
}

/**
 * Answers a root fetch from field cells (see `root-cells.ts`): reads L1, then, while cells are
 * missing and L2 finds some of them, L2 ({@link assembleFromShared}). Cells are public only: a
 * fetch that reads anything private is never kept in cells. Every cell passed the store's
 * freshness rules when written and when read from L2, so the answer is as fresh as a whole
 * cached fetch. `undefined` when some cell is in neither tier.
 */
export async function assembleFromCells(store: EntityStore, version: string, subgraph: string, plan: CellPlan, variables: Record<string, unknown>): Promise<Assembled | undefined> {
  const local = assembleLocal(store, version, subgraph, plan, variables);
  return 'data' in local ? local : assembleFromShared(store, version, subgraph, plan, variables, local.missing);
}

/**
 * The L2 part of {@link assembleFromCells}, after an L1 read ({@link assembleLocal}) that lacked
 * `missing`: reads those from L2, then L1 again, one round per level (root, its entities,
 * theirs…, at most {@link MAX_CELL_ROUNDS}), while L2 finds some. `undefined` when some cell is in
 * neither tier.
 */
export async function assembleFromShared(
  store: EntityStore,
  version: string,
  subgraph: string,
  plan: CellPlan,
  variables: Record<string, unknown>,
  missing: readonly string[],
  record = ROOT_RECORD,
): Promise<Assembled | undefined> {
  if (!store.hasShared) return undefined;
  const vars = effectiveVariables(plan, variables);
  const base = cellBase(version, subgraph);
  const absent = new Set<string>();
  let lacking = missing;
  // An entity's cells are read only with its `@resolved` cell: while L1 lacks that, it alone is read,
  // in a round of its own. A representation that no entity fetch resolved yet (every one of a cold
  // fetch) then costs one L2 read, not one per cell of its selection.
  const resolved = record === ROOT_RECORD ? undefined : cellKey(base, record, RESOLVED);
  const rounds = resolved === undefined ? MAX_CELL_ROUNDS : MAX_CELL_ROUNDS + 1;
  for (let round = 0; round < rounds; round++) {
    const keys = resolved !== undefined && !absent.has(resolved) && lacking.includes(resolved) ? [resolved] : lacking.filter((key) => !absent.has(key));
    if (keys.length === 0) return undefined;
    // A hit from L2 fills L1 (checked against the ledger there), so the next read finds it locally.
    const found = await Promise.all(keys.map((key) => store.getShared(key)));
    if (found.every((f) => f === undefined)) return undefined;
    const read = readLocal(store, base, plan, vars, record);
    if (read.data) return { data: read.data, expiresAt: read.expiresAt, tier: 'l2' };
    // Not in L2, or found there and refused by L1 (invalidated since): not read again.
    const still = new Set(read.missing);
    for (const key of keys) if (still.has(key)) absent.add(key);
    lacking = read.missing;
  }
  return undefined;
}

/** How {@link storeCells} went: cells stored, refused (a write raced them, or the replica was behind), or kept (the same value already in L1). */
export interface CellsStored {
  stored: number;
  refused: number;
  kept: number;
}

/**
 * Keeps a root fetch's answer (the tagged fetch's `data`, read from public data), or with
 * `entityRecord` one entity's answer to an entity fetch (in its type's plan, see `planEntityCells` and `writeCells`), in field cells,
 * each with its own tags, under the same store-time freshness rule as a whole fetch
 * (`startedAt`, `readLsn`). A cell whose value L1 already holds is not written again (most of a
 * page's cells, when one field or the root was what was missing). `undefined` when the answer does
 * not fit the plan.
 */
export function storeCells(
  store: EntityStore,
  version: string,
  subgraph: string,
  plan: CellPlan,
  data: Record<string, unknown>,
  variables: Record<string, unknown>,
  { entityRecord, ...options }: { ttlMs: number; startedAt: number; readLsn?: string; entityRecord?: string },
): CellsStored | undefined {
  const cells = writeCells(plan, data, effectiveVariables(plan, variables), undefined, entityRecord);
  if (!cells) return undefined;
  const outcome: CellsStored = { stored: 0, refused: 0, kept: 0 };
  const base = cellBase(version, subgraph);
  for (const cell of cells) {
    const key = cellKey(base, cell.record, cell.signature);
    // The same value already in L1 (so fresh: an invalidation removes it there): not written again, to either tier.
    if (store.peekLocal(key)?.body === cell.body) {
      outcome.kept++;
      continue;
    }
    const value: EntityValue = { body: cell.body, scope: 'public' };
    const result = store.set(key, value, { tags: cell.tags, ...options });
    if (result.stored) outcome.stored++;
    else outcome.refused++;
  }
  return outcome;
}
