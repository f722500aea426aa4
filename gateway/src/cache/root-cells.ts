import {
  type ArgumentNode,
  BREAK,
  type FieldNode,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
  getNamedType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  print,
  typeFromAST,
  valueFromASTUntyped,
  visit,
} from 'graphql';
import { variablesKey } from './cache-key.js';
import { setOwn } from './json-copy.js';
import { FETCH_ID_ALIAS, type TaggedFetch, entryTags } from './fetch-tagging.js';

/**
 * Field cells: a root fetch's answer kept per entity and field, so that root fetches that select
 * other fields of the same entities, or the same entities through another document, are answered
 * from what earlier fetches read (the normalised form of Apollo Client's `InMemoryCache`, kept per
 * subgraph). A cell is one field of one record: a record is an entity of the subgraph keyed by
 * `id` (`@key(fields: "id")`, `Track:"42"`), or the root (`Query`). A cell holds the field's value
 * with every entity in it written as its `id` (the entity's own fields are cells of its record),
 * and every other object (no key, or a type that is no entity here) written out inline.
 *
 * Only plain root fetches are planned (see {@link planCells}): every selection set on an object
 * type (no interface or union), no directives, no response name selected twice (unless it is the same scalar field with the same arguments),
 * fragments only on their own type, no `@external` field (provided along a path). Anything else
 * is cached whole, as before. The one assumption beyond federation's: a field of an entity has
 * the same value whichever path of one subgraph reaches it (what `_entities` relies on too).
 */
export interface CellPlan {
  root: CellSet;
  /** The operation's variable defaults (`$first: Int = 10`), applied before arguments are read. */
  defaults: ReadonlyArray<{ name: string; value: unknown }>;
}

/** The fields selected on one object type, in selection order (the order of the subgraph's answer). */
export interface CellSet {
  type: GraphQLObjectType;
  fields: CellField[];
}

/** One selected field and how its value is kept. */
export interface CellField {
  responseName: string;
  name: string;
  /**
   * - `typename`: `__typename`, known from the type (not kept);
   * - `leaf`: a scalar or enum value, kept as answered;
   * - `entity`: objects of an entity type keyed by `id`: kept as ids, their fields in their own records;
   * - `inline`: objects of any other type: kept inline, in their selection's shape.
   */
  kind: 'typename' | 'leaf' | 'entity' | 'inline';
  /** The selection on the field's object type (`entity` and `inline`). */
  set?: CellSet;
  args: readonly ArgumentNode[];
  /** The declared type of each argument, by name (values are read as the subgraph coerces them: `id: 11` and `id: "11"` of an `ID` are one value). */
  argTypes?: ReadonlyMap<string, GraphQLInputType>;
  /** The field's signature when no argument below it names a variable (then computed per fetch). */
  fixed?: string;
}

/** One cell to store: its record and signature, value (JSON text) and tags. */
export interface CellWrite {
  record: string;
  signature: string;
  body: string;
  tags: string[];
}

/** Most cells one root fetch's answer is kept in (see {@link writeCells}). */
export const MAX_CELLS_PER_FETCH = 2_000;

const plans = new WeakMap<TaggedFetch, { schema: GraphQLSchema; plan: CellPlan | null }>();
const keyedById = new WeakMap<GraphQLSchema, Set<string>>();

/**
 * The cell plan of a tagged root fetch, or `null` when it cannot be kept in cells (remembered per
 * fetch and schema).
 *
 * @example
 * planCells(tagFetch('{ album(id: "4") { title tracks { name } } }', catalog)!, catalog)
 * // { root: { type: Query, fields: [{ name: 'album', kind: 'entity', set: { type: Album, … } }] }, defaults: [] }
 */
export function planCells(fetch: TaggedFetch, schema: GraphQLSchema): CellPlan | null {
  const known = plans.get(fetch);
  if (known?.schema === schema) return known.plan;
  const root = schema.getQueryType();
  const operation = fetch.operation;
  let plan: CellPlan | null = null;
  if (root && operation.operation === 'query' && !operation.directives?.length) {
    const set = planSet(operation.selectionSet, root, schema, fetch, 0);
    if (set && !set.fields.some((f) => f.name === '_entities' || f.name === '_service')) plan = { root: set, defaults: variableDefaults(operation, schema) };
  }
  plans.set(fetch, { schema, plan });
  return plan;
}

/** The operation's variable defaults, each coerced by the variable's declared type, as arguments are (see `signature`). */
function variableDefaults(operation: OperationDefinitionNode, schema: GraphQLSchema): CellPlan['defaults'] {
  return (operation.variableDefinitions ?? [])
    .filter((d) => d.defaultValue !== undefined)
    .map((d) => {
      const type = typeFromAST(schema, d.type) as GraphQLInputType | undefined;
      const coerced = type ? coerceLiteral(d.defaultValue!, type, {}) : undefined;
      return { name: d.variable.name.value, value: coerced === undefined ? valueFromASTUntyped(d.defaultValue!) : coerced };
    });
}

/**
 * The cell plans of an entity fetch (`_entities(representations: $representations)`), by entity
 * type: for each type of the subgraph keyed by `id` that the fetch selects, the plan of one
 * representation's answer, whose `root` is the selection on that type (the `__typename`s asked of
 * `_entities` and the fragments on that type, in document order, which is the answer's order). A
 * representation of that type that carries its `id` and nothing else is then answered from, and
 * kept in, the cells of its record (`Track:"42"`), the same cells root fetches of the subgraph read
 * and write: the fields of one entity are one set of cells, whichever way the plan reaches them.
 * A type selected through a fragment on an interface or union, or with a selection that root
 * fetches could not keep in cells (see {@link planCells}), gets no plan; `null` when no type has one
 * (remembered per fetch and schema).
 *
 * @example
 * planEntityCells(tagFetch('query($representations:[_Any!]!){_entities(representations:$representations){...on Track{name}}}', catalog)!, catalog)
 * // Map { 'Track' => { root: { type: Track, fields: [name, _tributary_id] }, defaults: [] } }
 */
export function planEntityCells(fetch: TaggedFetch, schema: GraphQLSchema): EntityCellPlans | null {
  const known = entityPlans.get(fetch);
  if (known?.schema === schema) return known.plans;
  const operation = fetch.operation;
  const [only, ...rest] = operation.selectionSet.selections;
  const entities = schema.getType('_Entity');
  let plans: Map<string, CellPlan> | null = null;
  if (
    operation.operation === 'query' &&
    !operation.directives?.length &&
    rest.length === 0 &&
    only?.kind === Kind.FIELD &&
    only.name.value === '_entities' &&
    !only.directives?.length &&
    only.selectionSet &&
    entities &&
    isUnionType(entities)
  ) {
    const defaults = variableDefaults(operation, schema);
    for (const member of entities.getTypes()) {
      if (!isKeyedById(schema, member)) continue;
      const selections = selectionsOn(only.selectionSet, member, schema, fetch);
      const set = selections && planSet({ kind: Kind.SELECTION_SET, selections }, member, schema, fetch, 1);
      if (!set?.fields.some(isIdField)) continue;
      plans ??= new Map();
      plans.set(member.name, { root: set, defaults });
    }
  }
  entityPlans.set(fetch, { schema, plans });
  return plans;
}

/** The cell plans of an entity fetch, by the entity type a representation names (see {@link planEntityCells}). */
export type EntityCellPlans = ReadonlyMap<string, CellPlan>;

const entityPlans = new WeakMap<TaggedFetch, { schema: GraphQLSchema; plans: EntityCellPlans | null }>();

/**
 * The selections of `_entities`' selection set that apply to objects of `type`: its `__typename`
 * fields and the fragments on `type` (or on no type), in order; fragments on another object type
 * left out. `null` when a fragment is on an interface or union (not planned) or something else is
 * there.
 */
function selectionsOn(set: SelectionSetNode, type: GraphQLObjectType, schema: GraphQLSchema, fetch: TaggedFetch): SelectionNode[] | null {
  const selections: SelectionNode[] = [];
  for (const selection of set.selections) {
    if (selection.directives?.length) return null;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename' || selection.selectionSet) return null;
      selections.push(selection);
      continue;
    }
    const condition = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition?.name.value : fetch.fragments.get(selection.name.value)?.typeCondition.name.value;
    if (selection.kind === Kind.FRAGMENT_SPREAD && condition === undefined) return null;
    if (condition === undefined || condition === type.name) selections.push(selection);
    else if (!isObjectType(schema.getType(condition))) return null;
  }
  return selections;
}

/** Whether a planned field is the `_tributary_id: id` that `tagFetch` adds (the entity's id in the answer). */
function isIdField(field: CellField): boolean {
  return field.responseName === FETCH_ID_ALIAS && field.name === 'id' && field.args.length === 0;
}

function planSet(selectionSet: SelectionSetNode, type: GraphQLObjectType, schema: GraphQLSchema, fetch: TaggedFetch, depth: number): CellSet | null {
  if (depth > 64) return null;
  const fields: CellField[] = [];
  const names = new Map<string, CellField>();
  const add = (set: SelectionSetNode): boolean => {
    for (const selection of set.selections) {
      if (selection.directives?.length) return false;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition && selection.typeCondition.name.value !== type.name) return false;
        if (!add(selection.selectionSet)) return false;
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fetch.fragments.get(selection.name.value);
        if (!fragment || fragment.typeCondition.name.value !== type.name || !add(fragment.selectionSet)) return false;
        continue;
      }
      const field = planField(selection, type, schema, fetch, depth);
      if (!field) return false;
      const known = names.get(field.responseName);
      if (known) {
        // The same leaf again (`_tributary_id: id` inside a fragment on the same type) merges into the first; anything else is not planned.
        if (!isSameLeaf(known, field)) return false;
        continue;
      }
      names.set(field.responseName, field);
      fields.push(field);
    }
    return true;
  };
  return add(selectionSet) ? { type, fields } : null;
}

function planField(node: FieldNode, type: GraphQLObjectType, schema: GraphQLSchema, fetch: TaggedFetch, depth: number): CellField | null {
  const name = node.name.value;
  const responseName = (node.alias ?? node.name).value;
  const args = node.arguments ?? [];
  if (name === '__typename') return { responseName, name, kind: 'typename', args };
  const definition = type.getFields()[name];
  // An `@external` field is answered here only along an `@provides` path, and a `@requires` field from
  // the fields a representation carries: either value may depend on the path, not on the entity alone.
  if (!definition || definition.astNode?.directives?.some((d) => d.name.value === 'external' || d.name.value === 'requires')) return null;
  // A custom scalar's literal and variable forms are parsed by different functions (`parseLiteral`,
  // `parseValue`) that a subgraph may make disagree: one signature cannot stand for both.
  if (args.length > 0 && definition.args.some((arg) => hasCustomScalar(arg.type))) return null;
  const named = getNamedType(definition.type);
  let field: CellField;
  if (isLeafType(named)) {
    if (node.selectionSet) return null;
    field = { responseName, name, kind: 'leaf', args };
  } else if (isObjectType(named) && node.selectionSet) {
    const set = planSet(node.selectionSet, named, schema, fetch, depth + 1);
    if (!set) return null;
    const entity = isKeyedById(schema, named);
    // An entity's id must be in the answer (`tagFetch` adds `_tributary_id: id` to every selection of a type with an `id`).
    if (entity && !set.fields.some(isIdField)) return null;
    field = { responseName, name, kind: entity ? 'entity' : 'inline', set, args };
  } else {
    return null;
  }
  if (args.length > 0) field.argTypes = new Map(definition.args.map((arg) => [arg.name, arg.type]));
  if (!mentionsVariables(field)) field.fixed = signature(field, {});
  return field;
}

/** Whether an input type is, holds in a list, or has in a field of an input object (at any depth), a scalar that is not one of GraphQL's own. */
function hasCustomScalar(type: GraphQLInputType, seen = new Set<GraphQLInputType>()): boolean {
  const named = getNamedType(type);
  if (seen.has(named)) return false;
  seen.add(named);
  if (isScalarType(named)) return !isSpecifiedScalarType(named);
  return isInputObjectType(named) && Object.values(named.getFields()).some((field) => hasCustomScalar(field.type, seen));
}

/** Whether two selections under one response name are the same scalar field with the same arguments (GraphQL merges them). */
function isSameLeaf(a: CellField, b: CellField): boolean {
  if (a.name !== b.name || a.kind !== b.kind || (a.kind !== 'leaf' && a.kind !== 'typename')) return false;
  return a.args.length === b.args.length && a.args.every((arg, i) => print(arg) === print(b.args[i]!));
}

/** Whether `type` is an entity of the subgraph (a member of `_Entity`) with `@key(fields: "id")`. */
function isKeyedById(schema: GraphQLSchema, type: GraphQLObjectType): boolean {
  let keyed = keyedById.get(schema);
  if (!keyed) {
    keyed = new Set();
    const entities = schema.getType('_Entity');
    for (const member of entities && isUnionType(entities) ? entities.getTypes() : []) {
      const keys = member.astNode?.directives?.filter((d) => d.name.value === 'key') ?? [];
      const byId = keys.some((key) => {
        const fields = key.arguments?.find((a) => a.name.value === 'fields')?.value;
        return fields?.kind === Kind.STRING && fields.value.trim() === 'id';
      });
      if (byId && member.getFields().id) keyed.add(member.name);
    }
    keyedById.set(schema, keyed);
  }
  return keyed.has(type.name);
}

function mentionsVariables(field: CellField): boolean {
  let found = false;
  for (const arg of field.args)
    visit(arg, {
      Variable() {
        found = true;
        return BREAK;
      },
    });
  return found || (field.kind === 'inline' && field.set!.fields.some(mentionsVariables));
}

/**
 * A field's signature in its record: its name and arguments (variables substituted, names in
 * order), and for an `inline` field the signatures of what it selects, under their response
 * names (the kept value has that shape). An `entity` field keeps ids only: its selection is not
 * part of it, so every selection of the same field shares the cell.
 */
export function signature(field: CellField, variables: Record<string, unknown>): string {
  if (field.fixed !== undefined) return field.fixed;
  let text = field.name;
  if (field.args.length > 0) {
    const args: Record<string, unknown> = {};
    for (const arg of field.args) {
      // Coerced by its declared type, as the subgraph will (GraphQL spec, CoerceArgumentValues); a
      // value that does not coerce, or a variable (passed as sent), is kept as written.
      const type = field.argTypes?.get(arg.name.value);
      const coerced = type && arg.value.kind !== Kind.VARIABLE ? coerceLiteral(arg.value, type, variables) : undefined;
      args[arg.name.value] = coerced === undefined ? valueFromASTUntyped(arg.value, variables) : coerced;
    }
    text += `(${variablesKey(args)})`;
  }
  if (field.kind === 'inline') text += `{${field.set!.fields.map((f) => (f.kind === 'typename' ? `${f.responseName}:__typename` : `${f.responseName}:${signature(f, variables)}`)).join(' ')}}`;
  else if (field.kind === 'entity') text += '@';
  return text;
}

/**
 * A literal's value as the subgraph coerces it (graphql's `valueFromAST`: an `ID` written `11` is
 * `"11"`, one value where a list is expected is a list of it, an input object's fields in its
 * type's order), except that an input object's absent fields (or fields given a variable not
 * sent) stay absent: their defaults are the subgraph's to apply, and what it applies is its
 * stored default, which is not always what coercing the default's literal gives (an enum with
 * internal values, a custom scalar: the default is kept as parsed when the schema was built).
 * Variables are passed as sent. `undefined` when the value does not coerce.
 */
function coerceLiteral(node: ValueNode, type: GraphQLInputType, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (isNonNullType(type)) return node.kind === Kind.NULL ? undefined : coerceLiteral(node, type.ofType, variables);
  if (node.kind === Kind.NULL) return null;
  if (isListType(type)) {
    const item = type.ofType;
    if (node.kind !== Kind.LIST) {
      const value = coerceLiteral(node, item, variables);
      return value === undefined ? undefined : [value];
    }
    const list: unknown[] = [];
    for (const element of node.values) {
      // A variable not sent in a list is null there (or invalid where items are non-null).
      const value = element.kind === Kind.VARIABLE && variables[element.name.value] === undefined ? (isNonNullType(item) ? undefined : null) : coerceLiteral(element, item, variables);
      if (value === undefined) return undefined;
      list.push(value);
    }
    return list;
  }
  if (isInputObjectType(type)) {
    if (node.kind !== Kind.OBJECT) return undefined;
    const given = new Map(node.fields.map((f) => [f.name.value, f.value]));
    const object: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const value = given.get(field.name);
      if (value === undefined || (value.kind === Kind.VARIABLE && variables[value.name.value] === undefined)) continue;
      const coerced = coerceLiteral(value, field.type, variables);
      if (coerced === undefined) return undefined;
      setOwn(object, field.name, coerced);
    }
    return object;
  }
  try {
    return type.parseLiteral(node, variables);
  } catch {
    return undefined;
  }
}

/** The fetch's variables with the operation's defaults applied. */
export function effectiveVariables(plan: CellPlan, variables: Record<string, unknown>): Record<string, unknown> {
  if (plan.defaults.length === 0) return variables;
  const effective = { ...variables };
  for (const { name, value } of plan.defaults) if (effective[name] === undefined) effective[name] = value;
  return effective;
}

/** The record of the root, and of an entity by type and `id`. */
export const ROOT_RECORD = 'Query';
export function recordOf(type: string, id: unknown): string {
  return `${type}:${JSON.stringify(id)}`;
}

/**
 * The cells of a root fetch's answer (`data` of the tagged fetch), or, given the `entityRecord` a
 * representation asked for (`Track:"42"`), of that entity's answer to an entity fetch (the plan's
 * `root` is then its type's selection, see {@link planEntityCells}; an answer with another `id`
 * is not kept: it may hold what was asked by way of the other id), with their tags: for a cell of
 * entity `Track:42`, `Track:42`, `type:Track` and `Track:42.<field>`; for a root cell,
 * `Query.<field>`; plus, for what a cell holds, the tags `readFetchResult` gives it: each entity
 * it names (`Album:3`, `type:Album`), and each inline object with an `id` and its fields.
 * `undefined` when the answer does not fit the plan (an entity without its id), or would take more
 * than `maxCells` cells (a list of thousands: kept whole only, since writing and reading that
 * many cells costs more than the fetch): nothing is kept.
 */
export function writeCells(plan: CellPlan, data: Record<string, unknown>, variables: Record<string, unknown>, maxCells = MAX_CELLS_PER_FETCH, entityRecord?: string): CellWrite[] | undefined {
  const cells: CellWrite[] = [];
  const seen = new Set<string>();
  const writeRecord = (set: CellSet, record: string, tagPrefix: string | undefined, object: Record<string, unknown>): boolean => {
    for (const field of set.fields) {
      if (field.kind === 'typename') continue;
      if (!Object.hasOwn(object, field.responseName)) return false;
      const tags = new Set<string>();
      if (tagPrefix) {
        tags.add(tagPrefix);
        tags.add(`type:${set.type.name}`);
        tags.add(`${tagPrefix}.${field.name}`);
      } else {
        tags.add(`${set.type.name}.${field.name}`);
      }
      const kept = keep(field, object[field.responseName], tags);
      if (kept === INVALID) return false;
      const sig = signature(field, variables);
      const key = `${record}\n${sig}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (cells.length >= maxCells) return false;
      // Past `MAX_TAGS_PER_ENTRY` (a list naming hundreds of entities), the coarse form, as for a whole entry.
      cells.push({ record, signature: sig, body: JSON.stringify(kept), tags: entryTags({ tags, private: false, maxAgeS: undefined }) });
    }
    return true;
  };
  // A field's value as kept: entities as their ids (written as records of their own), other objects inline.
  const keep = (field: CellField, value: unknown, tags: Set<string>): unknown => {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) {
      const list: unknown[] = [];
      for (const item of value) {
        const kept = keep(field, item, tags);
        if (kept === INVALID) return INVALID;
        list.push(kept);
      }
      return list;
    }
    if (field.kind === 'leaf') return value;
    if (typeof value !== 'object') return INVALID;
    const object = value as Record<string, unknown>;
    const set = field.set!;
    const id = object[FETCH_ID_ALIAS];
    if (field.kind === 'entity') {
      if (id === null || id === undefined) return INVALID;
      const entity = `${set.type.name}:${String(id)}`;
      tags.add(entity);
      tags.add(`type:${set.type.name}`);
      return writeRecord(set, recordOf(set.type.name, id), entity, object) ? id : INVALID;
    }
    // Inline: tagged as `readFetchResult` tags an object of its type (by its id, when it has one).
    const entity = id === null || id === undefined ? undefined : `${set.type.name}:${String(id)}`;
    if (entity) {
      tags.add(entity);
      tags.add(`type:${set.type.name}`);
    } else if (set.type.getFields().id) {
      tags.add(`any:${set.type.name}`);
    }
    const inline: Record<string, unknown> = {};
    for (const sub of set.fields) {
      if (sub.kind === 'typename') continue;
      if (!Object.hasOwn(object, sub.responseName)) return INVALID;
      if (entity) tags.add(`${entity}.${sub.name}`);
      const kept = keep(sub, object[sub.responseName], tags);
      if (kept === INVALID) return INVALID;
      setOwn(inline, sub.responseName, kept);
    }
    return inline;
  };
  if (entityRecord === undefined) return writeRecord(plan.root, ROOT_RECORD, undefined, data) ? cells : undefined;
  const id = data[FETCH_ID_ALIAS];
  const type = plan.root.type.name;
  if (id === null || id === undefined || recordOf(type, id) !== entityRecord) return undefined;
  const entity = `${type}:${String(id)}`;
  if (!writeRecord(plan.root, entityRecord, entity, data)) return undefined;
  // The subgraph answered this entity by reference: what entity fetches need besides its fields' cells (see `RESOLVED`).
  cells.push({ record: entityRecord, signature: RESOLVED, body: 'true', tags: [entity, `type:${type}`] });
  return cells;
}

/**
 * The signature of the cell that says an entity fetch answered the record (its reference resolver
 * found it, without an error): an entity fetch's representation is answered from its record's
 * cells only with it. Root fetches prove no such thing: a subgraph may list, in a root field, an
 * entity that it answers `null` (or an error) for by reference (archived, or not to be reached from
 * other subgraphs). Not a field name (`@` is not allowed in one).
 */
export const RESOLVED = '@resolved';

const INVALID = Symbol('invalid');

/**
 * Reads a root fetch's answer from cells (or, given the `record` of an entity, that entity's
 * answer to an entity fetch, once an entity fetch has answered that entity: see {@link planEntityCells}
 * and {@link RESOLVED}): `lookup(record, signature)` gives a cell's JSON text or
 * `undefined`. Returns the answer (the subgraph's shape: response names in selection order,
 * `__typename` from the type) or `undefined` when a cell is missing; `missing` collects the
 * missing cells it reached (what lies below them is unknown until they are found).
 */
export function readCells(
  plan: CellPlan,
  variables: Record<string, unknown>,
  lookup: (record: string, signature: string) => string | undefined,
  missing: Array<{ record: string; signature: string }>,
  record = ROOT_RECORD,
): Record<string, unknown> | undefined {
  let complete = true;
  const readRecord = (set: CellSet, record: string): Record<string, unknown> | undefined => {
    const object: Record<string, unknown> = {};
    for (const field of set.fields) {
      if (field.kind === 'typename') {
        setOwn(object, field.responseName, set.type.name);
        continue;
      }
      const sig = signature(field, variables);
      const body = lookup(record, sig);
      if (body === undefined) {
        complete = false;
        missing.push({ record, signature: sig });
        continue;
      }
      const value = restore(field, JSON.parse(body));
      if (value === INVALID) return undefined;
      setOwn(object, field.responseName, value);
    }
    return object;
  };
  const restore = (field: CellField, kept: unknown): unknown => {
    if (kept === null) return null;
    if (Array.isArray(kept)) {
      const list: unknown[] = [];
      for (const item of kept) {
        const value = restore(field, item);
        if (value === INVALID) return INVALID;
        list.push(value);
      }
      return list;
    }
    if (field.kind === 'leaf') return kept;
    const set = field.set!;
    if (field.kind === 'entity') return readRecord(set, recordOf(set.type.name, kept)) ?? INVALID;
    if (typeof kept !== 'object') return INVALID;
    const inline = kept as Record<string, unknown>;
    const object: Record<string, unknown> = {};
    for (const sub of set.fields) {
      if (sub.kind === 'typename') {
        setOwn(object, sub.responseName, set.type.name);
        continue;
      }
      if (!Object.hasOwn(inline, sub.responseName)) return INVALID;
      const value = restore(sub, inline[sub.responseName]);
      if (value === INVALID) return INVALID;
      setOwn(object, sub.responseName, value);
    }
    return object;
  };
  // An entity's answer to an entity fetch: only if an entity fetch found it (see `RESOLVED`).
  if (record !== ROOT_RECORD && lookup(record, RESOLVED) === undefined) {
    complete = false;
    missing.push({ record, signature: RESOLVED });
  }
  const data = readRecord(plan.root, record);
  return complete ? data : undefined;
}
