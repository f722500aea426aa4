import {
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
} from 'graphql';

/** Items assumed for a list field without `first` (`Album.tracks`, `Track.playlists`). */
export const DEFAULT_LIST_SIZE = 10;
/** Items assumed for `first: $variable`: the most a connection returns. */
export const VARIABLE_PAGE_SIZE = 100;

/**
 * Estimated cost of an operation: the number of fields it may resolve, each list multiplying
 * what is under it by its size (`first` when given as a literal, 100 for a variable, the
 * argument's default otherwise; {@link DEFAULT_LIST_SIZE} for lists without `first`). `edges`
 * and `nodes` of a connection are not counted twice. Fragments are followed.
 *
 * @example
 * { albums(first: 100) { nodes { tracks { playlists { name } } } } }
 * // albums 100 × (1 + nodes (1 + tracks 10 × (1 + playlists 10 × (1 + 1)))) = 100 × 212 = 21,200
 */
export function estimateCost(set: SelectionSetNode, parentType: GraphQLNamedType, context: ValidationContext, visited: ReadonlySet<string> = new Set()): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[selection.name.value] : undefined;
      if (!field) continue; // unknown fields are reported by graphql-js's own rules
      const children = selection.selectionSet ? estimateCost(selection.selectionSet, getNamedType(field.type), context, visited) : 0;
      total += sizeOf(field, selection, parentType) * (1 + children);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parentType;
      if (type) total += estimateCost(selection.selectionSet, type, context, visited);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      const type = fragment && context.getSchema().getType(fragment.typeCondition.name.value);
      if (fragment && type && !visited.has(name)) total += estimateCost(fragment.selectionSet, type, context, new Set([...visited, name]));
    }
  }
  return total;
}

function sizeOf(field: GraphQLField<unknown, unknown>, node: FieldNode, parentType: GraphQLNamedType): number {
  const firstArgument = field.args.find((a) => a.name === 'first');
  if (firstArgument) {
    const given = node.arguments?.find((a) => a.name.value === 'first')?.value;
    if (given?.kind === Kind.INT) return Math.max(1, Number(given.value));
    if (given?.kind === Kind.VARIABLE) return VARIABLE_PAGE_SIZE;
    return typeof firstArgument.defaultValue === 'number' ? Math.max(1, firstArgument.defaultValue) : VARIABLE_PAGE_SIZE;
  }
  if (parentType.name.endsWith('Connection')) return 1; // its page size was counted on the connection field
  return isListType(getNullableType(field.type)) ? DEFAULT_LIST_SIZE : 1;
}

/** Refuses operations whose {@link estimateCost} is over `max`: `COST_LIMIT_EXCEEDED`. */
export function costRule(max: number, error: (message: string) => GraphQLError): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const root = context.getSchema().getRootType(node.operation);
      if (!root) return;
      const cost = estimateCost(node.selectionSet, root, context);
      if (cost > max) context.reportError(error(`Operation costs an estimated ${cost} fields; the limit is ${max}`));
    },
  });
}
