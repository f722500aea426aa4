import type { FragmentDefinitionNode, ValidationContext } from 'graphql';

/**
 * One value per named fragment of a document, computed at most once: what makes a limit rule
 * linear in the document's size. Without it, a rule that follows spreads walks a fragment once
 * per path to it, and `fragment F0 { ...F1 ...F1 } fragment F1 { ...F2 ...F2 } …` (22 levels,
 * 910 bytes) costs 2^22 walks.
 *
 * A fragment that is reached again while its own value is being computed (a cycle, which
 * graphql-js's `NoFragmentCyclesRule` refuses) counts as `onCycle`; an unknown fragment gives
 * `undefined`.
 *
 * @example
 * const depthOf = memoizeFragments(context, 0, (fragment) => selectionDepth(fragment.selectionSet));
 * depthOf('F0'); // walks F0 and everything below it once; later calls are map look-ups
 */
export function memoizeFragments<T>(context: Pick<ValidationContext, 'getFragment'>, onCycle: T, compute: (fragment: FragmentDefinitionNode) => T): (name: string) => T | undefined {
  const values = new Map<string, T>();
  const inProgress = new Set<string>();
  return (name) => {
    if (values.has(name)) return values.get(name);
    if (inProgress.has(name)) return onCycle;
    const fragment = context.getFragment(name);
    if (!fragment) return undefined;
    inProgress.add(name);
    try {
      const value = compute(fragment);
      values.set(name, value);
      return value;
    } finally {
      inProgress.delete(name);
    }
  };
}
