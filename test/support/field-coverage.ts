import type { AnySubgraphFieldSources } from '@tributary/database';
import { type GraphQLNamedType, type GraphQLSchema, getNamedType, isAbstractType, isLeafType, isNonNullType, isObjectType } from 'graphql';

/** Where a schema author declares a field's source, named in every finding. */
const DECLARATIONS = 'packages/database/src/field-sources/<subgraph>.ts';

/** How one field of the supergraph is accounted for by the field sources. */
export type FieldSourceKind = 'column' | 'derived' | 'constant';

/** What {@link checkFieldCoverage} found: each field's sources, and what is wrong, one line per finding. */
export interface FieldCoverage {
  /** `Type.field` → how it is backed (a field may be both: `Album.artist` is a column, `Artist.albums` derived). */
  sources: Map<string, Set<FieldSourceKind>>;
  /** `Track.rating: no column, derived rule or constant backs it; declare one in …`, sorted. */
  problems: string[];
}

/** The object types the response cache tags field by field: those with a plain `id` (see `gateway/src/cache/fetch-tagging.ts`). */
function isTaggedEntity(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const id = type.getFields().id;
  return !!id && isLeafType(getNamedType(id.type)) && id.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);
}

/** The object types a root field returns: through lists, connections (`nodes`) and abstract types. */
function itemTypes(schema: GraphQLSchema, coordinate: string): string[] {
  const [typeName, fieldName] = coordinate.split('.');
  const parent = schema.getType(typeName!);
  const field = parent && isObjectType(parent) ? parent.getFields()[fieldName!] : undefined;
  if (!field) return [];
  let type = getNamedType(field.type);
  const nodes = isObjectType(type) && type.name.endsWith('Connection') ? type.getFields().nodes : undefined;
  if (nodes) type = getNamedType(nodes.type);
  return isAbstractType(type) ? schema.getPossibleTypes(type).map((t) => t.name) : [type.name];
}

/**
 * Walks the API schema: every field of every type the cache tags per field (object types with an
 * `id`) and every root query field must be backed by a column, declared derived (from the rows
 * of some table) or declared constant; and every coordinate the sources name must exist (a field
 * named wrongly in a declaration would be invalidated under a tag nothing carries), each root a
 * row declares must return that row's type.
 *
 * @example
 * checkFieldCoverage(apiSchema, SUBGRAPH_FIELD_SOURCES).problems
 * // ['Track.rating: no column, derived rule or constant backs it; declare one in packages/database/src/field-sources/<subgraph>.ts']
 */
export function checkFieldCoverage(schema: GraphQLSchema, declarations: readonly AnySubgraphFieldSources[]): FieldCoverage {
  const sources = new Map<string, Set<FieldSourceKind>>();
  const problems = new Set<string>();
  const exists = (coordinate: string) => {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName!);
    return !!type && isObjectType(type) && fieldName !== undefined && fieldName in type.getFields();
  };
  const declare = (coordinate: string, kind: FieldSourceKind, where: string) => {
    if (!exists(coordinate)) problems.add(`${coordinate}: declared in ${where} but not a field of the supergraph`);
    sources.set(coordinate, (sources.get(coordinate) ?? new Set()).add(kind));
  };
  for (const { subgraph, tables, constants } of declarations) {
    for (const [table, source] of Object.entries(tables)) {
      if (!source) continue;
      const where = `${subgraph} (${table})`;
      if (source.row) {
        declare(`${source.row.type}.id`, 'column', where);
        for (const root of source.row.roots ?? []) {
          declare(root, 'derived', where);
          if (!itemTypes(schema, root).includes(source.row.type)) problems.add(`${root}: declared a root of ${source.row.type} rows in ${where} but it does not return ${source.row.type}`);
        }
      }
      for (const fields of Object.values(source.columns ?? {})) for (const field of fields ?? []) declare(`${source.row?.type}.${field}`, 'column', where);
      for (const rule of source.derived ?? []) {
        if (rule.kind === 'parent') for (const field of rule.fields) declare(`${rule.type}.${field}`, 'derived', where);
        else if (rule.kind === 'lists') for (const coordinate of rule.coordinates) declare(coordinate, 'derived', where);
      }
    }
    for (const coordinate of Object.keys(constants ?? {})) declare(coordinate, 'constant', subgraph);
  }
  const query = schema.getQueryType();
  const required = [
    ...Object.values(schema.getTypeMap())
      .filter((type) => isTaggedEntity(type) && type !== query)
      .flatMap((type) => Object.keys((type as { getFields(): object }).getFields()).map((field) => `${type.name}.${field}`)),
    ...Object.keys(query?.getFields() ?? {}).map((field) => `${query!.name}.${field}`),
  ];
  for (const coordinate of required) {
    if (!sources.has(coordinate)) problems.add(`${coordinate}: no column, derived rule or constant backs it; declare one in ${DECLARATIONS}`);
  }
  return { sources, problems: [...problems].sort() };
}
