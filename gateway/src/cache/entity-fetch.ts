import { sha256Hex } from '../persisted/sha256.js';
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  TypeInfo,
  getNamedType,
  isObjectType,
  print,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { CachePolicy } from './cache-policy.js';
import type { TaggedFetch } from './fetch-tagging.js';

/**
 * What the entity cache makes of one subgraph fetch of a query plan:
 * - `entities`: `_entities(representations: $representations)`, cached per representation;
 * - `root`: any other query (`{ album(id: "1") { title } }`), cached whole.
 */
export type FetchShape = { kind: 'entities' } | { kind: 'root' };

/** What the selection of a fetch says about caching, from its schema coordinates alone. */
export interface StaticHints {
  /** A field or object type it selects is hinted `maxAge: 0`: never cached. */
  uncacheable: boolean;
  /** A field or object type it selects is hinted `scope: PRIVATE`: cached per principal. */
  private: boolean;
  /** The smallest `maxAge` hinted on what it selects, seconds. */
  maxAgeS: number | undefined;
}

/** What {@link analyseFetch} computes once per tagged fetch and supergraph. */
export interface FetchAnalysis {
  shape: FetchShape;
  /**
   * SHA-256 (hex) of the fetch's selection, normalised: the operation's name dropped (the planner
   * names fetches after the client's operation, `AlbumPage__sales__1`) and named fragments
   * inlined (the planner reuses the client's fragment names). So two client operations whose
   * plans ask a subgraph the same thing share entries.
   */
  selectionHash: string;
  hints: StaticHints;
}

const analyses = new WeakMap<TaggedFetch, { version: string; analysis: FetchAnalysis }>();

/**
 * Analyses a {@link TaggedFetch} for the entity cache (remembered per fetch and supergraph version).
 *
 * @example
 * analyseFetch(tagFetch('query Page__sales__1($representations:[_Any!]!){_entities(representations:$representations){...on Track{purchaseCount}}}', sales)!, sales, policy)
 * // { shape: { kind: 'entities' }, selectionHash: '9c1…', hints: { uncacheable: false, private: false, maxAgeS: undefined } }
 */
export function analyseFetch(fetch: TaggedFetch, schema: GraphQLSchema, policy: CachePolicy): FetchAnalysis {
  const known = analyses.get(fetch);
  if (known?.version === policy.version) return known.analysis;
  const analysis: FetchAnalysis = { shape: shapeOf(fetch.operation), selectionHash: sha256Hex(normalisedSelection(fetch)), hints: staticHints(fetch.document, schema, policy) };
  analyses.set(fetch, { version: policy.version, analysis });
  return analysis;
}

function shapeOf(operation: OperationDefinitionNode): FetchShape {
  const roots = operation.selectionSet.selections;
  const only = roots.length === 1 && roots[0]!.kind === Kind.FIELD ? roots[0] : undefined;
  const representations = only?.arguments?.find((a) => a.name.value === 'representations');
  if (only?.name.value === '_entities' && !only.alias && representations?.value.kind === Kind.VARIABLE && representations.value.name.value === 'representations') {
    return { kind: 'entities' };
  }
  return { kind: 'root' };
}

/** The operation printed without its name and with every fragment spread inlined. */
function normalisedSelection(fetch: TaggedFetch): string {
  const inline = (set: SelectionSetNode, depth: number): SelectionSetNode => {
    if (depth > 100) throw new Error('fragment spreads nested past 100 levels');
    const selections: SelectionNode[] = set.selections.map((selection) => {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fetch.fragments.get(selection.name.value);
        if (!fragment) throw new Error(`unknown fragment ${selection.name.value}`);
        return { kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: selection.directives, selectionSet: inline(fragment.selectionSet, depth + 1) };
      }
      if (!selection.selectionSet) return selection;
      return { ...selection, selectionSet: inline(selection.selectionSet, depth + 1) } as SelectionNode;
    });
    return { ...set, selections };
  };
  const operation: OperationDefinitionNode = { ...fetch.operation, name: undefined, selectionSet: inline(fetch.operation.selectionSet, 0) };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation] };
  return print(document);
}

/**
 * The hints of every field coordinate the fetch selects, and of every object type it selects
 * or names in a type condition. Abstract types are left to the walk of the answer (their
 * concrete types come from `__typename`): hinting them statically would take the most
 * restrictive of all their implementations.
 */
function staticHints(document: DocumentNode, schema: GraphQLSchema, policy: CachePolicy): StaticHints {
  const hints: StaticHints = { uncacheable: false, private: false, maxAgeS: undefined };
  const apply = (coordinate: string) => {
    const hint = policy.hintOf(coordinate);
    if (!hint) return;
    if (hint.scope === 'PRIVATE') hints.private = true;
    if (hint.maxAge !== undefined) {
      hints.maxAgeS = hints.maxAgeS === undefined ? hint.maxAge : Math.min(hints.maxAgeS, hint.maxAge);
      if (hint.maxAge <= 0) hints.uncacheable = true;
    }
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        apply(`${parent.name}.${node.name.value}`);
        const type = typeInfo.getType();
        const named = type ? getNamedType(type) : undefined;
        if (named && isObjectType(named)) apply(named.name);
      },
      InlineFragment(node) {
        const condition = node.typeCondition && schema.getType(node.typeCondition.name.value);
        if (condition && isObjectType(condition)) apply(condition.name);
      },
    }),
  );
  return hints;
}
