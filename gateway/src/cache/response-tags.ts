import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  TypeInfo,
  getNamedType,
  getOperationAST,
  isObjectType,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { CachePolicy } from './cache-policy.js';

/** The alias under which the cache asks for every entity's `id`; removed before clients see it. */
export const ENTITY_ID_ALIAS = '_trid';

const ID_SELECTION: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: ENTITY_ID_ALIAS }, name: { kind: Kind.NAME, value: 'id' } };

/** Per schema and document: the transformed document, or `null` when it cannot be cached. */
const withIds = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentNode | null>>();

/**
 * The document with `_trid: id` added to every selection set of an object type that has an
 * `id` field (entities, and value types like MediaType), so that a response tells which
 * entities it read even where the client did not ask for their ids, or aliased `id` to
 * something else. `null` when the document itself uses the alias `_trid` (it is then not
 * cached). Computed once per document and schema.
 */
export function addEntityIds(document: DocumentNode, schema: GraphQLSchema): DocumentNode | null {
  let bySchema = withIds.get(schema);
  if (!bySchema) withIds.set(schema, (bySchema = new WeakMap()));
  const cached = bySchema.get(document);
  if (cached !== undefined) return cached;
  let reserved = false;
  const typeInfo = new TypeInfo(schema);
  const transformed = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        if (node.alias?.value === ENTITY_ID_ALIAS) reserved = true;
      },
      SelectionSet: {
        leave(node: SelectionSetNode) {
          const type = typeInfo.getParentType();
          if (!type || !isObjectType(type) || !type.getFields().id) return undefined;
          return { ...node, selections: [...node.selections, ID_SELECTION] };
        },
      },
    }),
  );
  const result = reserved ? null : transformed;
  bySchema.set(document, result);
  return result;
}

/**
 * Most tags one entry keeps. A response that read more (a page of 100 albums with every track's
 * fields: thousands) keeps coarse tags instead, `any:Type` per entity type and its list tags,
 * which every change to that type evicts: less precise, never stale, and cheap to store.
 */
export const MAX_TAGS_PER_ENTRY = 500;

/** What a response read, for the cache. */
export interface ResponseReads {
  /** `Type:id`, `type:Type`, `Type:id.field` and `Query.field` tags (or coarse `any:Type`, see {@link MAX_TAGS_PER_ENTRY}). */
  tags: Set<string>;
  /** It read a field or type hinted `scope: PRIVATE`. */
  private: boolean;
  /** The smallest `maxAge` hinted on what it read, seconds; undefined when none was. */
  maxAgeS: number | undefined;
}

/**
 * Walks a result (`data`) along the document that produced it and records what it read:
 * for each entity object (one with `_trid`) the tags `Type:id`, `type:Type` and `Type:id.field`
 * per field selected on it (aliases resolved to field names, null and empty values included);
 * `Query.field` per root field. Removes every `_trid` from `data` on the way.
 *
 * @example
 * // { track(id: "3") { title: name } }  →  data { track: { title: "…", _trid: "3" } }
 * // tags: Query.track, Track:3, type:Track, Track:3.name      data { track: { title: "…" } }
 */
export function readResponse(data: Record<string, unknown>, document: DocumentNode, operationName: string | null | undefined, schema: GraphQLSchema, policy: CachePolicy): ResponseReads {
  const reads: ResponseReads = { tags: new Set(), private: false, maxAgeS: undefined };
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return reads;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const toStrip = new Set<Record<string, unknown>>();
  const hint = (coordinate: string) => {
    const h = policy.hintOf(coordinate);
    if (!h) return;
    if (h.scope === 'PRIVATE') reads.private = true;
    if (h.maxAge !== undefined) reads.maxAgeS = reads.maxAgeS === undefined ? h.maxAge : Math.min(reads.maxAgeS, h.maxAge);
  };

  const walk = (set: SelectionSetNode, type: GraphQLNamedType, value: unknown, isRoot: boolean) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(set, type, item, isRoot);
      return;
    }
    if (!isObjectType(type) || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    const id = object[ENTITY_ID_ALIAS];
    const entity = id === undefined || id === null ? undefined : `${type.name}:${String(id)}`;
    if (entity) {
      reads.tags.add(entity);
      reads.tags.add(`type:${type.name}`);
      // Removed after the walk: the same object can be reached again through a repeated or
      // fragment-spread selection, which must see its id too.
      toStrip.add(object);
    }
    hint(type.name);
    const visitSelections = (selections: SelectionSetNode, seen: Set<string>) => {
      for (const selection of selections.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          if (name.startsWith('__') || (selection.alias?.value === ENTITY_ID_ALIAS && name === 'id')) continue;
          const field = type.getFields()[name];
          if (!field) continue;
          hint(`${type.name}.${name}`);
          if (entity) reads.tags.add(`${entity}.${name}`);
          else if (isRoot) reads.tags.add(`${type.name}.${name}`);
          if (selection.selectionSet) walk(selection.selectionSet, getNamedType(field.type), object[(selection.alias ?? selection.name).value], false);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (!selection.typeCondition || selection.typeCondition.name.value === type.name) visitSelections(selection.selectionSet, seen);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (fragment && !seen.has(fragment.name.value) && fragment.typeCondition.name.value === type.name) visitSelections(fragment.selectionSet, new Set([...seen, fragment.name.value]));
        }
      }
    };
    visitSelections(set, new Set());
  };
  walk(operation.selectionSet, root, data, true);
  for (const object of toStrip) delete object[ENTITY_ID_ALIAS];
  // Private entries also carry `private:any`, which access changes (a customer's new support
  // rep, an invoice moved to another customer, an employee's new title) evict.
  if (reads.private) reads.tags.add('private:any');
  if (reads.tags.size > MAX_TAGS_PER_ENTRY) {
    const coarse = new Set<string>();
    for (const tag of reads.tags) {
      if (tag.startsWith('type:')) coarse.add(`any:${tag.slice('type:'.length)}`);
      else if (!tag.includes(':') || tag === 'private:any') coarse.add(tag); // Query.field
    }
    reads.tags = coarse;
  }
  return reads;
}

