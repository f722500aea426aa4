import { createHash } from 'node:crypto';
import { type GraphQLSchema, Kind, type ConstDirectiveNode, getNamedType, parse } from 'graphql';

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
 * @example
 * readCachePolicy(supergraphSdl, apiSchema).hintOf('Customer.email') // { scope: 'PRIVATE' }
 */
export function readCachePolicy(supergraphSdl: string, apiSchema: GraphQLSchema): CachePolicy {
  const hints = new Map<string, CacheHint>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeHint = hintFrom(definition.directives);
    if (typeHint) hints.set(definition.name.value, typeHint);
    for (const field of definition.fields ?? []) {
      const fieldHint = hintFrom(field.directives);
      if (fieldHint) hints.set(`${definition.name.value}.${field.name.value}`, fieldHint);
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
      lists.set(type.name, [...(lists.get(type.name) ?? []), coordinate]);
    }
  }
  return {
    version: createHash('sha256').update(supergraphSdl).digest('hex').slice(0, 16),
    hintOf: (coordinate) => hints.get(coordinate),
    listsOfType: (type) => lists.get(type) ?? [],
  };
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
