import {
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLError,
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
import { memoizeFragments } from './fragment-memo.js';

/** Items assumed for a list field without `first` (`Album.tracks`, `Track.playlists`). */
export const DEFAULT_LIST_SIZE = 10;
/** Items assumed for `first: $variable`: the most a connection returns. */
export const VARIABLE_PAGE_SIZE = 100;

/** The cost of each named fragment of a document, computed once (see {@link memoizeFragments}). */
export type FragmentCosts = (name: string) => number | undefined;

/**
 * Estimated cost of an operation: the number of fields it may resolve, each list multiplying
 * what is under it by its size (`first` when given as a literal, 100 for a variable, the
 * argument's default otherwise; {@link DEFAULT_LIST_SIZE} for lists without `first`). `edges`
 * and `nodes` of a connection are not counted twice. `__typename` counts as a field (the
 * gateway resolves it); `__schema` and `__type` do not (introspection has its own switch).
 * Fragments are followed, and each named fragment is costed once per document (its cost does
 * not depend on where it is spread), so the estimate is linear in the document's size however
 * often fragments spread each other: a spread counts its fragment's cost each time.
 *
 * @example
 * { albums(first: 100) { nodes { tracks { playlists { name } } } } }
 * // albums 100 × (1 + nodes (1 + tracks 10 × (1 + playlists 10 × (1 + 1)))) = 100 × 212 = 21,200
 * query { ...F0 } fragment F0 on Query { ...F1 ...F1 } … fragment F22 on Query { __typename }
 * // 2^22 = 4,194,304, found in 23 fragment walks
 */
export function estimateCost(set: SelectionSetNode, parentType: GraphQLNamedType, context: ValidationContext, fragmentCosts: FragmentCosts = createFragmentCosts(context)): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') {
        total += 1;
        continue;
      }
      if (name.startsWith('__')) continue;
      const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
      if (!field) continue; // unknown fields are reported by graphql-js's own rules
      const children = selection.selectionSet ? estimateCost(selection.selectionSet, getNamedType(field.type), context, fragmentCosts) : 0;
      total += sizeOf(field, selection, parentType) * (1 + children);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parentType;
      if (type) total += estimateCost(selection.selectionSet, type, context, fragmentCosts);
    } else {
      total += fragmentCosts(selection.name.value) ?? 0;
    }
  }
  return total;
}

/** {@link FragmentCosts} of the document under validation; a fragment in a cycle costs 0 there. */
export function createFragmentCosts(context: ValidationContext): FragmentCosts {
  const costs: FragmentCosts = memoizeFragments(context, 0, (fragment) => {
    const type = context.getSchema().getType(fragment.typeCondition.name.value);
    return type ? estimateCost(fragment.selectionSet, type, context, costs) : 0;
  });
  return costs;
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
  return (context) => {
    const fragmentCosts = createFragmentCosts(context);
    return {
      OperationDefinition(node) {
        const root = context.getSchema().getRootType(node.operation);
        if (!root) return;
        const cost = estimateCost(node.selectionSet, root, context, fragmentCosts);
        if (cost > max) context.reportError(error(`Operation costs an estimated ${cost} fields; the limit is ${max}`));
      },
    };
  };
}
