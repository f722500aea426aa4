import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { PRIVATE_TAG } from '@tributary/cache';
import { LRUCache } from 'lru-cache';
import type { CachePolicy } from './cache-policy.js';

/** Alias under which a subgraph fetch also asks for an object's `id`. */
export const FETCH_ID_ALIAS = '_tributary_id';
/** Alias under which a subgraph fetch also asks for an abstract value's `__typename`. */
export const FETCH_TYPE_ALIAS = '_tributary_type';

/** Distinct subgraph operations remembered per subgraph schema (their count follows the plans'). */
export const TAGGED_FETCHES_PER_SCHEMA = 10_000;

/** A subgraph operation of the query plan with the cache's extra selections, and what reading it needs. */
export interface TaggedFetch {
  /** The operation text sent to the subgraph instead of the planner's. */
  query: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

/** What the fetches of one response read: the entry's tags, scope and TTL. */
export interface ResponseReads {
  /** `Type:id`, `type:Type`, `Type:id.field`, `Query.field`, `any:Type` tags. */
  tags: Set<string>;
  /** It read a field or type hinted `scope: PRIVATE` (or a subgraph answered `private`). */
  private: boolean;
  /** The smallest `maxAge` hinted on what it read, seconds; undefined when none was. */
  maxAgeS: number | undefined;
}

const ID_SELECTION: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: FETCH_ID_ALIAS }, name: { kind: Kind.NAME, value: 'id' } };
const TYPE_SELECTION: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: FETCH_TYPE_ALIAS }, name: { kind: Kind.NAME, value: '__typename' } };
const OWN_ALIASES = new Set([FETCH_ID_ALIAS, FETCH_TYPE_ALIAS]);

const tagged = new WeakMap<GraphQLSchema, LRUCache<string, TaggedFetch | false>>();
/** The operations {@link tagFetch} produced, by their text: a tagged fetch tagged again is itself. */
const outputs = new WeakMap<GraphQLSchema, LRUCache<string, TaggedFetch>>();

/**
 * The subgraph operation `query` with `_tributary_id: id` added to every selection set of a type
 * that has a scalar `id` without required arguments, and `_tributary_type: __typename` to every
 * selection set of an interface or union, so that a subgraph's answer tells which entities it
 * read. The client's operation is never changed: the gateway shapes the client's response from
 * the client's operation only, so extra fields in a subgraph's answer never reach a client.
 * `null` when the operation cannot be tagged (it is not a query, does not parse, or already uses
 * one of the aliases). Remembered per schema and text. The text of an operation that
 * `tagFetch` produced gives that same tagged fetch back (the entity cache, below the response
 * cache's wrapper, receives fetches already tagged).
 *
 * @example
 * tagFetch('{ album(id: "4") { title } }', catalog).query
 * // '{ album(id: "4") { title _tributary_id: id } }'
 */
export function tagFetch(query: string, schema: GraphQLSchema): TaggedFetch | null {
  let bySchema = tagged.get(schema);
  if (!bySchema) tagged.set(schema, (bySchema = new LRUCache({ max: TAGGED_FETCHES_PER_SCHEMA })));
  const known = bySchema.get(query);
  if (known !== undefined) return known || null;
  let produced = outputs.get(schema);
  if (!produced) outputs.set(schema, (produced = new LRUCache({ max: TAGGED_FETCHES_PER_SCHEMA })));
  const output = produced.get(query);
  if (output) return output;
  const result = tagUncached(query, schema);
  bySchema.set(query, result ?? false);
  if (result) produced.set(result.query, result);
  return result;
}

function tagUncached(query: string, schema: GraphQLSchema): TaggedFetch | null {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return null;
  }
  let conflict = false;
  const typeInfo = new TypeInfo(schema);
  const transformed = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        if (OWN_ALIASES.has((node.alias ?? node.name).value)) conflict = true;
      },
      SelectionSet: {
        leave(node: SelectionSetNode) {
          const type = typeInfo.getParentType();
          if (!type) return undefined;
          const added: FieldNode[] = [];
          if (isAbstractType(type)) added.push(TYPE_SELECTION);
          if ((isObjectType(type) || isInterfaceType(type)) && hasPlainId(type)) added.push(ID_SELECTION);
          return added.length > 0 ? { ...node, selections: [...node.selections, ...added] } : undefined;
        },
      },
    }),
  );
  const operations = transformed.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (conflict || operations.length !== 1 || operations[0]!.operation !== 'query') return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of transformed.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return { query: print(transformed), document: transformed, operation: operations[0]!, fragments };
}

function hasPlainId(type: GraphQLObjectType | { getFields(): Record<string, { type: any; args: readonly { type: any; defaultValue?: unknown }[] }> }): boolean {
  const id = type.getFields().id;
  return !!id && isLeafType(getNamedType(id.type)) && id.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);
}

/**
 * Whether a subgraph answer's errors come from the selections {@link tagFetch} added (an error at
 * one of its aliases, or a validation failure with no data): then the fetch is sent again as planned.
 */
export function refusesAddedSelections(response: { data?: unknown; errors?: ReadonlyArray<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }> }): boolean {
  return response.errors?.some((error) => isAboutAddedSelections(error) || (response.data == null && error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) ?? false;
}

/** Whether a subgraph error is about one of the selections {@link tagFetch} added. */
export function isAboutAddedSelections(error: { path?: ReadonlyArray<string | number> }): boolean {
  return error.path?.some((segment) => typeof segment === 'string' && OWN_ALIASES.has(segment)) ?? false;
}

/**
 * Walks a subgraph's answer (`data`) to a {@link tagFetch}ed operation and records into `reads`
 * what it read: per object with an id, `Type:id`, `type:Type` and `Type:id.field` for each field
 * selected on it (aliases resolved to field names, null and empty values included); `Query.field`
 * per root field (not `_entities`); `any:Type` for an object of a type with an `id` whose id is
 * unknown; and the `@cacheControl` hints of every type and field read (through interfaces and
 * unions: the concrete type comes from `__typename`). Returns false when a value's type cannot be
 * told (an abstract value without `__typename`): the response must then not be stored.
 *
 * Once `reads.tags` holds more than {@link MAX_TAGS_PER_ENTRY} tags, the entry can only keep the
 * coarse form ({@link entryTags}), which drops `Type:id` and `Type:id.field`: from then on those
 * are no longer made (the walk goes on for the tags the coarse form keeps, the hints and whether
 * every value's type is known), so that `entryTags` gives the same tags as after a full walk.
 * Each type's and each selection's hints are applied once per call.
 */
export function readFetchResult(data: Record<string, unknown>, fetch: TaggedFetch, schema: GraphQLSchema, policy: CachePolicy, reads: ResponseReads): boolean {
  let complete = true;
  const hintedTypes = new Set<GraphQLObjectType>();
  const hintedSets = new Map<SelectionSetNode, Set<GraphQLObjectType>>();
  /** Whether `set`'s field hints on `type` were applied before in this call (then marks them). */
  const hintedBefore = (set: SelectionSetNode, type: GraphQLObjectType): boolean => {
    let types = hintedSets.get(set);
    if (!types) hintedSets.set(set, (types = new Set()));
    if (types.has(type)) return true;
    types.add(type);
    return false;
  };
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
    const concrete = type as GraphQLObjectType; // an interface here is an `@interfaceObject`
    if (!hintedTypes.has(concrete)) {
      hintedTypes.add(concrete);
      hint(concrete.name);
    }
    const id = object[FETCH_ID_ALIAS];
    let entity: string | undefined;
    if (id !== undefined && id !== null) {
      reads.tags.add(`type:${concrete.name}`);
      // Past the bound only the coarse form is kept: no entity or field tags (see above), but for
      // the types whose entity tags the coarse form cannot tell from its own.
      if (reads.tags.size <= MAX_TAGS_PER_ENTRY || COARSE_LOOKALIKES.has(concrete.name)) reads.tags.add((entity = `${concrete.name}:${String(id)}`));
    } else if (!root && concrete.getFields().id) {
      reads.tags.add(`any:${concrete.name}`);
    }
    walkSet(set, concrete, object, entity, root);
  };

  const walkSet = (set: SelectionSetNode, type: GraphQLObjectType, object: Record<string, unknown>, entity: string | undefined, root: boolean): void => {
    // At the root `_entities` is not a field read (it is not hinted): a root walk of a set (a
    // fragment on Query spread at the root) is not the walk of that set below the root.
    const hinted = !root && hintedBefore(set, type);
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
        if (!hinted) hint(`${type.name}.${name}`);
        if (entity) {
          if (reads.tags.size <= MAX_TAGS_PER_ENTRY || COARSE_LOOKALIKES.has(type.name)) reads.tags.add(`${entity}.${name}`);
        } else if (root) reads.tags.add(`${type.name}.${name}`);
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

/**
 * Most tags one entry keeps. A response that read more (a page of 100 albums with every track's
 * fields: thousands) keeps coarse tags instead, `any:Type` per entity type and its list tags,
 * which every change to that type evicts: less precise, never stale, and cheap to store.
 */
export const MAX_TAGS_PER_ENTRY = 500;

/**
 * Type names whose `Type:id` and `Type:id.field` tags {@link entryTags}' coarse form keeps (as
 * `type:…`, `any:…`, or `private:any` for the id `any`), so {@link readFetchResult} makes them past
 * the bound too: GraphQL allows these names, and the coarse form is what the full walk gives.
 */
const COARSE_LOOKALIKES: ReadonlySet<string> = new Set(['type', 'any', PRIVATE_TAG.slice(0, PRIVATE_TAG.indexOf(':'))]);

/**
 * The tags an entry is stored with: `reads.tags`, plus `private:any` on private entries (access
 * changes — a customer's new support rep, an invoice moved to another customer, an employee's
 * new title — evict it), or the coarse form past {@link MAX_TAGS_PER_ENTRY}.
 */
export function entryTags(reads: ResponseReads): string[] {
  const tags = new Set(reads.tags);
  if (reads.private) tags.add(PRIVATE_TAG);
  if (tags.size <= MAX_TAGS_PER_ENTRY) return [...tags];
  const coarse = new Set<string>();
  for (const tag of tags) {
    if (tag.startsWith('type:')) coarse.add(`any:${tag.slice('type:'.length)}`);
    else if (tag.startsWith('any:') || !tag.includes(':') || tag === PRIVATE_TAG) coarse.add(tag); // Query.field
  }
  return [...coarse];
}
