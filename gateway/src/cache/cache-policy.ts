import { createHash } from 'node:crypto';
import { type ConstDirectiveNode, type GraphQLSchema, Kind, getNamedType, isAbstractType, parse } from 'graphql';

/** A `@cacheControl` hint: `maxAge` in seconds, `scope` PUBLIC or PRIVATE. */
export interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** What the response cache knows of the schema, computed once per supergraph. */
export interface CachePolicy {
  /** Short hash of the supergraph, part of every cache key: a new supergraph, new keys. */
  version: string;
  /** The hint on a type (`Invoice`) or a field (`Customer.email`), if any. */
  hintOf(coordinate: string): CacheHint | undefined;
  /** The root fields that return a type or lists of it (`Track` → `Query.track`, `Query.tracks`, …). */
  listsOfType(type: string): readonly string[];
}

/**
 * Reads the `@cacheControl` hints that composition kept in the supergraph (`@composeDirective`),
 * and which root fields return each type (through connections too), from the API schema.
 *
 * Hints reach through abstract types, always to the restrictive side (smallest `maxAge`, any
 * `PRIVATE`): an object type's hint includes those of the interfaces it implements and the
 * unions it belongs to; a field's includes the same field on those interfaces; an interface's
 * (as an `@interfaceObject` subgraph reports it) includes those of all its implementations.
 *
 * @example
 * readCachePolicy(supergraphSdl, apiSchema).hintOf('Customer.email') // { scope: 'PRIVATE' }
 */
export function readCachePolicy(supergraphSdl: string, apiSchema: GraphQLSchema): CachePolicy {
  const own = new Map<string, CacheHint>();
  const interfacesOf = new Map<string, string[]>();
  const unionsOf = new Map<string, string[]>();
  const fieldsOf = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string) => map.set(key, [...(map.get(key) ?? []), value]);
  for (const definition of parse(supergraphSdl).definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const type = definition.name.value;
        const typeHint = hintFrom(definition.directives);
        if (typeHint) own.set(type, combineHints(own.get(type), typeHint)!);
        for (const implemented of definition.interfaces ?? []) push(interfacesOf, type, implemented.name.value);
        for (const field of definition.fields ?? []) {
          push(fieldsOf, type, field.name.value);
          const fieldHint = hintFrom(field.directives);
          if (fieldHint) own.set(`${type}.${field.name.value}`, combineHints(own.get(`${type}.${field.name.value}`), fieldHint)!);
        }
        break;
      }
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION: {
        const typeHint = hintFrom(definition.directives);
        if (typeHint) own.set(definition.name.value, combineHints(own.get(definition.name.value), typeHint)!);
        for (const member of definition.types ?? []) push(unionsOf, member.name.value, definition.name.value);
        break;
      }
      default:
    }
  }
  const implementationsOf = new Map<string, string[]>();
  for (const [type, interfaces] of interfacesOf) for (const name of interfaces) push(implementationsOf, name, type);
  const hints = new Map<string, CacheHint>();
  const set = (coordinate: string, hint: CacheHint | undefined) => {
    if (hint) hints.set(coordinate, hint);
  };
  const relatives = (type: string) => [...(interfacesOf.get(type) ?? []), ...(unionsOf.get(type) ?? []), ...(implementationsOf.get(type) ?? [])];
  for (const type of new Set([...fieldsOf.keys(), ...unionsOf.keys(), ...own.keys()].map((c) => c.split('.')[0]!))) {
    set(
      type,
      relatives(type).reduce<CacheHint | undefined>((hint, other) => combineHints(hint, own.get(other)), own.get(type)),
    );
    for (const field of fieldsOf.get(type) ?? []) {
      const others = [...(interfacesOf.get(type) ?? []), ...(implementationsOf.get(type) ?? [])];
      set(
        `${type}.${field}`,
        others.reduce<CacheHint | undefined>((hint, other) => combineHints(hint, own.get(`${other}.${field}`)), own.get(`${type}.${field}`)),
      );
    }
  }
  const lists = new Map<string, string[]>();
  for (const root of [apiSchema.getQueryType()].filter((t) => t != null)) {
    for (const field of Object.values(root.getFields())) {
      let type = getNamedType(field.type);
      // A connection's items are its `nodes`.
      const nodes = 'getFields' in type ? type.getFields().nodes : undefined;
      if (type.name.endsWith('Connection') && nodes) type = getNamedType(nodes.type);
      const coordinate = `${root.name}.${field.name}`;
      // A list of an abstract type is a list of each of its possible types.
      const members = isAbstractType(type) ? apiSchema.getPossibleTypes(type).map((t) => t.name) : [type.name];
      for (const member of members) lists.set(member, [...(lists.get(member) ?? []), coordinate]);
    }
  }
  return {
    version: createHash('sha256').update(supergraphSdl).digest('hex').slice(0, 16),
    hintOf: (coordinate) => hints.get(coordinate),
    listsOfType: (type) => lists.get(type) ?? [],
  };
}

/** The more restrictive of two hints: the smaller `maxAge`, `PRIVATE` if either is. */
export function combineHints(a: CacheHint | undefined, b: CacheHint | undefined): CacheHint | undefined {
  if (!a) return b;
  if (!b) return a;
  const maxAge = a.maxAge === undefined ? b.maxAge : b.maxAge === undefined ? a.maxAge : Math.min(a.maxAge, b.maxAge);
  const scope = a.scope === 'PRIVATE' || b.scope === 'PRIVATE' ? 'PRIVATE' : (a.scope ?? b.scope);
  return { ...(maxAge === undefined ? {} : { maxAge }), ...(scope === undefined ? {} : { scope }) };
}

function hintFrom(directives: readonly ConstDirectiveNode[] | undefined): CacheHint | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive) return undefined;
  const hint: CacheHint = {};
  for (const argument of directive.arguments ?? []) {
    if (argument.name.value === 'maxAge' && argument.value.kind === Kind.INT) hint.maxAge = Number(argument.value.value);
    if (argument.name.value === 'scope' && argument.value.kind === Kind.ENUM) hint.scope = argument.value.value === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
  }
  return hint;
}
