import {
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  buildSchema,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import type { CacheHint, CachePolicy } from '../src/cache/cache-policy.js';
import { FETCH_ID_ALIAS, FETCH_TYPE_ALIAS, type ResponseReads, type TaggedFetch, entryTags, readFetchResult, tagFetch } from '../src/cache/fetch-tagging.js';

/**
 * Differential property test of `readFetchResult`'s tag walk against the implementation before
 * the walk stopped making fine tags past MAX_TAGS_PER_ENTRY (a29ca27, copied below): for random
 * subgraph schemas, tagged fetches, answers and hints, with one `reads` shared by several fetches
 * of a response, `entryTags(reads)`, `reads.private`, `reads.maxAgeS` and the result must match.
 */

// ---- The reference: readFetchResult as of a29ca27 (every tag made, every hint applied each time it is met).
const OWN_ALIASES = new Set([FETCH_ID_ALIAS, FETCH_TYPE_ALIAS]);
function referenceReadFetchResult(data: Record<string, unknown>, fetch: TaggedFetch, schema: GraphQLSchema, policy: CachePolicy, reads: ResponseReads): boolean {
  let complete = true;
  const hint = (coordinate: string) => {
    const h = policy.hintOf(coordinate);
    if (!h) return;
    if (h.scope === 'PRIVATE') reads.private = true;
    if (h.maxAge !== undefined) reads.maxAgeS = reads.maxAgeS === undefined ? h.maxAge : Math.min(reads.maxAgeS, h.maxAge);
  };
  const applies = (condition: string | undefined, type: GraphQLObjectType) => {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  };
  const walkValue = (set: SelectionSetNode, declared: GraphQLNamedType, value: unknown, root: boolean): void => {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walkValue(set, declared, item, root);
      return;
    }
    const object = value as Record<string, unknown>;
    const typename = object[FETCH_TYPE_ALIAS];
    const type = typeof typename === 'string' ? schema.getType(typename) : isObjectType(declared) ? declared : undefined;
    if (!type || !(isObjectType(type) || isInterfaceType(type))) {
      complete = false;
      return;
    }
    const concrete = type as GraphQLObjectType;
    hint(concrete.name);
    const id = object[FETCH_ID_ALIAS];
    const entity = id === undefined || id === null ? undefined : `${concrete.name}:${String(id)}`;
    if (entity) {
      reads.tags.add(entity);
      reads.tags.add(`type:${concrete.name}`);
    } else if (!root && concrete.getFields().id) {
      reads.tags.add(`any:${concrete.name}`);
    }
    walkSet(set, concrete, object, entity, root);
  };
  const walkSet = (set: SelectionSetNode, type: GraphQLObjectType, object: Record<string, unknown>, entity: string | undefined, root: boolean): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const key = (selection.alias ?? selection.name).value;
        if (name.startsWith('__') || OWN_ALIASES.has(key)) continue;
        if (root && name === '_entities') {
          const entities = schema.getType('_Entity');
          if (selection.selectionSet && entities) walkValue(selection.selectionSet, entities, object[key], false);
          continue;
        }
        const field = type.getFields()[name];
        if (!field) continue;
        hint(`${type.name}.${name}`);
        if (entity) reads.tags.add(`${entity}.${name}`);
        else if (root) reads.tags.add(`${type.name}.${name}`);
        if (selection.selectionSet) walkValue(selection.selectionSet, getNamedType(field.type), object[key], false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type)) walkSet(selection.selectionSet, type, object, entity, root);
      } else {
        const fragment = fetch.fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type)) walkSet(fragment.selectionSet, type, object, entity, root);
      }
    }
  };
  const rootType = schema.getRootType(fetch.operation.operation);
  if (!rootType) return false;
  walkSet(fetch.operation.selectionSet, rootType, data, undefined, true);
  return complete;
}

// ---- Generators.

/** mulberry32: a deterministic sequence, so that a failing seed replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Gen {
  next: () => number;
  int: (n: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
}
const gen = (seed: number): Gen => {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, chance: (p) => next() < p, pick: (items) => items[int(items.length)]! };
};

/** Type names; `exotic` adds names whose `Type:id` tags look like the coarse form's (`type:`, `any:`, `private:any`). */
function subgraphSchema(g: Gen, exotic: boolean): GraphQLSchema {
  const pool = ['Album', 'Track', 'Artist', 'Genre', 'Invoice', 'Customer'];
  const names = pool.slice(0, 2 + g.int(5));
  if (exotic) names.push(...['type', 'any', 'private'].filter(() => g.chance(0.6)));
  // id: plain ID / ID! / Int, an id with a required argument (not tagged), or none.
  const idOf = new Map(names.map((n) => [n, g.pick(['id: ID', 'id: ID!', 'id: Int', 'id(v: Int!): ID', '', 'id: ID'])]));
  const interfaces = ['Node', 'Named'].slice(0, g.int(3));
  const ifaceHasId = new Map(interfaces.map((i) => [i, g.chance(0.5)]));
  const implementsOf = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const i of interfaces) {
    for (const n of names) {
      if (ifaceHasId.get(i) && idOf.get(n) !== 'id: ID') continue;
      if (g.chance(0.5)) implementsOf.get(n)!.push(i);
    }
  }
  const unions = ['Result', 'Media'].slice(0, g.int(3));
  const membersOf = new Map(unions.map((u) => [u, names.filter(() => g.chance(0.5))]));
  for (const members of membersOf.values()) if (members.length === 0) members.push(names[0]!);
  const usable = [...names, ...interfaces.filter((i) => names.some((n) => implementsOf.get(n)!.includes(i))), ...unions];
  const wrap = (t: string) => g.pick([t, `${t}!`, `[${t}]`, `[${t}!]!`, `[[${t}]]`, `[${t}]`]);
  const lines: string[] = [];
  for (const n of names) {
    const fields = [idOf.get(n)!, 'name: String', 'price: Float'];
    for (let i = 0; i < 1 + g.int(3); i++) fields.push(`f${i}: ${wrap(g.pick(usable))}`);
    if (g.chance(0.1)) fields.push('query: Query');
    const impl = implementsOf.get(n)!;
    lines.push(`type ${n}${impl.length ? ` implements ${impl.join(' & ')}` : ''} { ${fields.filter(Boolean).join(' ')} }`);
  }
  for (const i of interfaces) lines.push(`interface ${i} { ${ifaceHasId.get(i) ? 'id: ID ' : ''}name: String }`);
  for (const [u, members] of membersOf) lines.push(`union ${u} = ${members.join(' | ')}`);
  const withId = names.filter((n) => idOf.get(n));
  const root = ['name: String'];
  for (const t of usable) if (g.chance(0.7)) root.push(`r${t}: ${wrap(t)}`);
  if (withId.length) {
    lines.push(`union _Entity = ${withId.join(' | ')}`, 'scalar _Any');
    root.push('_entities(representations: [_Any!]!): [_Entity]!');
  }
  lines.push(`type Query { ${root.join(' ')} }`);
  return buildSchema(lines.join('\n'));
}

/** A subgraph query over `schema` (aliases, inline fragments, named fragments used in several places). */
function subgraphQuery(g: Gen, schema: GraphQLSchema): string {
  const fragments: { name: string; on: string; text: string }[] = [];
  let named = 0;
  const typeNames = Object.keys(schema.getTypeMap()).filter((n) => {
    const t = schema.getType(n)!;
    return !n.startsWith('__') && n !== '_Any' && (isObjectType(t) || isAbstractType(t));
  });
  const conditionFor = (t: GraphQLNamedType): string => {
    // Mostly a type that can apply, sometimes any composite type (then it may not).
    if (g.chance(0.2)) return g.pick(typeNames);
    if (isAbstractType(t)) return g.pick([t.name, ...schema.getPossibleTypes(t).map((p) => p.name)]);
    const related = [t.name, ...(isObjectType(t) ? t.getInterfaces().map((i) => i.name) : [])];
    for (const u of Object.values(schema.getTypeMap())) if (isUnionType(u) && isObjectType(t) && u.getTypes().includes(t)) related.push(u.name);
    return g.pick(related);
  };
  const set = (t: GraphQLNamedType, depth: number): string => {
    const out: string[] = [];
    const fields = isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : [];
    const n = 1 + g.int(4);
    for (let i = 0; i < n; i++) {
      const roll = g.next();
      if (roll < 0.6 && fields.length) {
        const field = g.pick(fields);
        const named = getNamedType(field.type);
        const composite = isObjectType(named) || isAbstractType(named);
        if (composite && depth >= 3) continue;
        const alias = g.chance(0.2) ? `${g.pick(['a', 'b', 'name', 'f0', 'id'])}: ` : '';
        const args = field.name === '_entities' ? '(representations: $r)' : field.args.length ? '(v: 1)' : '';
        out.push(`${alias}${field.name}${args}${composite ? ` { ${set(named, depth + 1)} }` : ''}`);
      } else if (roll < 0.7) {
        out.push(g.chance(0.5) ? '__typename' : 't: __typename');
      } else if (roll < 0.85) {
        const on = conditionFor(t);
        out.push(g.chance(0.15) ? `... { ${set(t, depth + 1)} }` : `... on ${on} { ${set(schema.getType(on)!, depth + 1)} }`);
      } else if (depth < 3) {
        // A named fragment: a new one, or one made before (the same selection set met again, maybe on another type).
        if (fragments.length && g.chance(0.6)) out.push(`...${g.pick(fragments).name}`);
        else {
          const on = conditionFor(t);
          const name = `F${named++}`;
          const text = set(schema.getType(on)!, depth + 1);
          fragments.push({ name, on, text });
          out.push(`...${name}`);
        }
      }
    }
    if (out.length === 0) out.push('__typename');
    return out.join(' ');
  };
  const body = set(schema.getQueryType()!, 0);
  return `query Q($r: [_Any!]!) { ${body} }${fragments.map((f) => ` fragment ${f.name} on ${f.on} { ${f.text} }`).join('')}`;
}

/** An answer to the tagged fetch: ids from a small pool (repeats), null and missing ids and types, lists of `size`-ish length, some junk. */
function subgraphAnswer(g: Gen, schema: GraphQLSchema, fetch: TaggedFetch, size: number): Record<string, unknown> {
  const composites = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && (isObjectType(t) || isInterfaceType(t) || isUnionType(t)));
  const idPool = 1 + g.int(size * 2 + 3);
  const fill = (set: SelectionSetNode, type: GraphQLObjectType, object: Record<string, unknown>, depth: number) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = (selection.alias ?? selection.name).value;
        const name = selection.name.value;
        if (key === FETCH_ID_ALIAS || key === FETCH_TYPE_ALIAS || key in object) continue;
        if (name === '__typename') object[key] = type.name;
        else {
          const field = type.getFields()[name];
          object[key] = field ? answerOf(field.type, selection.selectionSet, depth + 1) : g.chance(0.5) ? 'junk' : null;
        }
      } else {
        // Filled whether or not the fragment applies: extra keys are an answer's noise.
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fetch.fragments.get(selection.name.value)?.selectionSet;
        if (inner && depth < 8) fill(inner, type, object, depth + 1);
      }
    }
  };
  const objectOf = (declared: GraphQLNamedType, set: SelectionSetNode | undefined, depth: number): unknown => {
    if (!set || g.chance(0.04)) return g.pick([null, 'junk', 3]);
    let concrete: GraphQLObjectType | undefined;
    if (isObjectType(declared)) concrete = declared;
    else if (isAbstractType(declared)) concrete = g.pick(schema.getPossibleTypes(declared));
    else concrete = undefined;
    if (!concrete) return null;
    const object: Record<string, unknown> = {};
    // __typename under the alias: mostly the concrete type; sometimes missing, an interface, or unknown.
    const typeRoll = g.next();
    if (typeRoll < 0.93) object[FETCH_TYPE_ALIAS] = concrete.name;
    else if (typeRoll < 0.96) object[FETCH_TYPE_ALIAS] = g.pick(composites).name;
    else if (typeRoll < 0.98) object[FETCH_TYPE_ALIAS] = 'Nope';
    if (isObjectType(declared) && g.chance(0.8)) delete object[FETCH_TYPE_ALIAS];
    const idRoll = g.next();
    if (idRoll < 0.85) object[FETCH_ID_ALIAS] = g.chance(0.9) ? String(g.int(idPool)) : g.int(idPool);
    else if (idRoll < 0.95) object[FETCH_ID_ALIAS] = null;
    fill(set, concrete, object, depth);
    return object;
  };
  const answerOf = (type: GraphQLOutputType, set: SelectionSetNode | undefined, depth: number): unknown => {
    if (isNonNullType(type)) return answerOf(type.ofType, set, depth);
    if (g.chance(0.05)) return null;
    if (isListType(type)) {
      if (depth > 6) return [];
      const n = g.chance(0.2) ? 0 : g.int(size + 1);
      return Array.from({ length: n }, () => answerOf(type.ofType, set, depth + 1));
    }
    const named = getNamedType(type);
    if (isObjectType(named) || isAbstractType(named)) return depth > 7 ? null : objectOf(named, set, depth);
    return g.chance(0.5) ? 'x' : 1;
  };
  const root: Record<string, unknown> = {};
  fill(fetch.operation.selectionSet, schema.getQueryType()!, root, 0);
  return root;
}

/** Hints on random types and fields (and on `Query._entities`, interfaces, unions). */
function hints(g: Gen, schema: GraphQLSchema): Record<string, CacheHint> {
  const coordinates: string[] = [];
  for (const t of Object.values(schema.getTypeMap())) {
    if (t.name.startsWith('__')) continue;
    coordinates.push(t.name);
    if (isObjectType(t) || isInterfaceType(t)) for (const f of Object.keys(t.getFields())) coordinates.push(`${t.name}.${f}`);
  }
  const table: Record<string, CacheHint> = {};
  const p = g.pick([0, 0.02, 0.05, 0.15]);
  for (const c of coordinates) {
    if (!g.chance(p)) continue;
    table[c] = g.pick<CacheHint>([{ scope: 'PRIVATE' }, { maxAge: g.int(100) }, { scope: 'PRIVATE', maxAge: g.int(100) }, { scope: 'PUBLIC' }, { maxAge: 0 }]);
  }
  return table;
}

const policyOf = (table: Record<string, CacheHint>): CachePolicy => ({ version: 'v1', hintOf: (c) => table[c], listsOfType: () => [] });
const view = (reads: ResponseReads) => ({ tags: entryTags(reads).sort(), private: reads.private, maxAgeS: reads.maxAgeS });

interface Trial {
  seed: number;
  fetches: { query: string; data: Record<string, unknown>; hints: Record<string, CacheHint> }[];
  prefill: number;
}

/** Runs one response's fetches through both walks with a `reads` each; the first difference, or undefined. */
interface Outcome {
  diff?: { trial: Trial; at: number; reference: unknown; actual: unknown };
  /** Tags the full walk made (with the prefill), and the cut walk. */
  full: number;
  cut: number;
  /** Tag count of the full walk after each fetch, to see the bound crossed within and between fetches. */
  sizes: number[];
  incomplete: boolean;
}

function differ(seed: number, exotic: boolean): Outcome {
  const g = gen(seed);
  const schema = subgraphSchema(g, exotic);
  const table = hints(g, schema);
  const policy = policyOf(table);
  // Earlier fetches of the response may have filled `reads` near the bound already.
  const prefill = g.chance(0.5) ? 0 : 440 + g.int(80);
  const start = (): ResponseReads => ({ tags: new Set(Array.from({ length: prefill }, (_, i) => `Filler:${i}`)), private: g.chance(0.05), maxAgeS: undefined });
  const privateStart = g.chance(0.05);
  const reference = { ...start(), private: privateStart };
  const actual: ResponseReads = { tags: new Set(reference.tags), private: privateStart, maxAgeS: undefined };
  const size = g.pick([1, 2, 4, 8, 16, 40]);
  const trial: Trial = { seed, fetches: [], prefill };
  const count = 1 + g.int(4);
  const sizes: number[] = [];
  let incomplete = false;
  for (let i = 0; i < count; i++) {
    const query = subgraphQuery(g, schema);
    const fetch = tagFetch(query, schema);
    if (!fetch) continue;
    const data = subgraphAnswer(g, schema, fetch, size);
    trial.fetches.push({ query: fetch.query, data, hints: table });
    const r = referenceReadFetchResult(data, fetch, schema, policy, reference);
    const a = readFetchResult(data, fetch, schema, policy, actual);
    const left = { complete: r, ...view(reference) };
    const right = { complete: a, ...view(actual) };
    sizes.push(reference.tags.size);
    if (!r) incomplete = true;
    if (JSON.stringify(left) !== JSON.stringify(right)) return { diff: { trial, at: i, reference: left, actual: right }, full: reference.tags.size, cut: actual.tags.size, sizes, incomplete };
  }
  return { full: reference.tags.size, cut: actual.tags.size, sizes, incomplete };
}

/** Runs `seeds` trials; fails on the first difference, and checks that the bound was met often enough to mean something. */
function run(seeds: number, exotic: boolean) {
  const stats = { trials: 0, pastBound: 0, near: 0, cut: 0, crossedBetweenFetches: 0, incomplete: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    const outcome = differ(seed, exotic);
    if (outcome.diff)
      expect.fail(`seed ${seed}, fetch ${outcome.diff.at}: ${JSON.stringify({ reference: outcome.diff.reference, actual: outcome.diff.actual, trial: outcome.diff.trial }).slice(0, 3000)}`);
    stats.trials++;
    if (outcome.full > 500) stats.pastBound++;
    if (outcome.full >= 490 && outcome.full <= 510) stats.near++;
    if (outcome.cut < outcome.full) stats.cut++;
    if (outcome.sizes.some((s, i) => i > 0 && outcome.sizes[i - 1]! <= 500 && s > 500)) stats.crossedBetweenFetches++;
    if (outcome.incomplete) stats.incomplete++;
  }
  return stats;
}

describe('readFetchResult against the full walk of a29ca27 (differential, random schemas, fetches, answers, hints)', () => {
  it('gives the same entry tags, scope, max age and result for every generated response', () => {
    const stats = run(Number(process.env.DIFF_SEEDS ?? 1000), false);
    console.log(JSON.stringify(stats));
    expect(stats.cut).toBeGreaterThan(stats.trials / 10);
    expect(stats.near).toBeGreaterThan(20);
    expect(stats.crossedBetweenFetches).toBeGreaterThan(20);
  });
});

describe('readFetchResult against the full walk of a29ca27: the cases the random search found', () => {
  /** Both walks over one fetch: what entryTags, the scope, the max age and the result are. */
  const both = (sdl: string, query: string, data: Record<string, unknown>, table: Record<string, CacheHint> = {}) => {
    const schema = buildSchema(sdl);
    const fetch = tagFetch(query, schema)!;
    const out = [referenceReadFetchResult, readFetchResult].map((walk) => {
      const reads: ResponseReads = { tags: new Set(), private: false, maxAgeS: undefined };
      const complete = walk(data, fetch, schema, policyOf(table), reads);
      return { complete, ...view(reads) };
    });
    return { reference: out[0]!, actual: out[1]! };
  };

  it('with random schemas whose type names are `type`, `any` or `private` (their `Type:id` tags look like the coarse form)', () => {
    const stats = run(Number(process.env.DIFF_SEEDS ?? 600), true);
    expect(stats.cut).toBeGreaterThan(stats.trials / 10);
  });

  it('a type named `type`: past the bound its `type:<id>` tags were kept by the coarse form (as `any:<id>`)', () => {
    const things = Array.from({ length: 300 }, (_, i) => ({ name: `n${i}`, _tributary_id: `T${i}` }));
    const { reference, actual } = both('type Query { things: [type!]! } type type { id: ID! name: String }', '{ things { name } }', { things });
    expect(reference.tags).toContain('any:T299');
    expect(actual).toEqual(reference);
  });

  it('a type named `private` with the id `any`, read past the bound: its entity tag is `private:any`', () => {
    const items = [...Array.from({ length: 300 }, (_, i) => ({ name: `n${i}`, _tributary_id: String(i) })), { name: 'last', _tributary_id: 'any' }];
    const { reference, actual } = both('type Query { items: [private!]! } type private { id: ID! name: String }', '{ items { name } }', { items });
    expect(reference.tags).toContain('private:any');
    expect(actual).toEqual(reference);
  });

  it('a fragment on Query spread at the root and again under a field of type Query: `Query._entities` is hinted only off the root', () => {
    const sdl = `type Query { _entities(representations: [_Any!]!): [_Entity]! wrap: Wrap }
      type Wrap { id: ID query: Query } union _Entity = Wrap scalar _Any`;
    const query = 'query($r: [_Any!]!) { ...F wrap { query { ...F } } } fragment F on Query { _entities(representations: $r) { ... on Wrap { id } } }';
    const data = { _entities: [{ _tributary_type: 'Wrap', id: '1', _tributary_id: '1' }], wrap: { _tributary_id: '2', query: { _entities: [] } } };
    const { reference, actual } = both(sdl, query, data, { 'Query._entities': { scope: 'PRIVATE', maxAge: 5 } });
    expect(reference).toMatchObject({ private: true, maxAgeS: 5 });
    expect(actual).toEqual(reference);
  });
});
