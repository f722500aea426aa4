import { type ASTVisitor, type DocumentNode, type GraphQLSchema, GraphQLError, Kind, type SelectionSetNode, type ValidationRule, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '@tributary/runtime';
import type { RequestLimits } from '../front-door-config.js';
import { costRule } from './cost-rule.js';
import { memoizeFragments } from './fragment-memo.js';

/** Options of {@link useDocumentLimits}. */
export interface DocumentLimitsOptions {
  /** Per-document limits (counts; defaults in `DEFAULT_LIMITS`: depth 16, aliases 30, tokens 2,000, root fields 20, cost 50,000). */
  limits: Pick<RequestLimits, 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxRootFields' | 'maxCost'>;
  /** Allow `__schema` and `__type`. Off in production. */
  introspection: boolean;
}

/** Codes of the refusals this plugin makes. */
export const LIMIT_CODES = {
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  rootFields: 'ROOT_FIELD_LIMIT_EXCEEDED',
  introspection: 'INTROSPECTION_DISABLED',
  cost: 'COST_LIMIT_EXCEEDED',
} as const satisfies Record<string, ErrorCode>;

/**
 * Keeps hostile documents out before they are planned: at most `maxTokens` tokens (graphql-js
 * stops parsing there), `maxDepth` nested fields (through fragments; introspection fields not
 * counted), `maxAliases` aliases and `maxRootFields` root fields; introspection off when
 * configured; an estimated cost (fields it may resolve, lists
 * multiplied out) of at most `maxCost`. Each refusal is a GraphQL error with its own code.
 * Every check is linear in the document's size (each named fragment is measured once), and the
 * checks run before graphql-js's validation rules, which a refused document never reaches.
 */
export function useDocumentLimits(options: DocumentLimitsOptions): Plugin {
  const { limits } = options;
  const rules: ValidationRule[] = [
    depthRule(limits.maxDepth),
    aliasRule(limits.maxAliases),
    rootFieldRule(limits.maxRootFields),
    costRule(limits.maxCost, (message) => limitError(LIMIT_CODES.cost, message)),
  ];
  if (!options.introspection) rules.push(introspectionRule);
  const refusals = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, parseOptions) => {
        try {
          return parseFn(source, { ...parseOptions, maxTokens: limits.maxTokens });
        } catch (error) {
          // graphql-js 16 says "contains more that N tokens".
          if (error instanceof Error && /contains more th(?:an|at) \d+ tokens/.test(error.message)) {
            throw limitError(LIMIT_CODES.tokens, `Document has more than ${limits.maxTokens} tokens`);
          }
          throw error;
        }
      });
    },
    onValidate({ params: { schema, documentAST }, setResult }) {
      // The limits run alone, before graphql-js's rules: a refused document costs one linear
      // pass, and never reaches rules that are quadratic in repeated fields
      // (OverlappingFieldsCanBeMerged). Their verdict is kept per schema and document object
      // (Yoga's document cache hands out the same object for the same text).
      let bySchema = refusals.get(schema);
      if (!bySchema) refusals.set(schema, (bySchema = new WeakMap()));
      let refused = bySchema.get(documentAST);
      if (!refused) bySchema.set(documentAST, (refused = validate(schema, documentAST, rules)));
      if (refused.length > 0) setResult([...refused]);
    },
  };
}

/**
 * A refusal: HTTP 400 for every `Accept` (`spec: false` stops Yoga from answering 200 to
 * `application/json` clients, as it does for ordinary validation errors).
 */
function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400, spec: false } } });
}

/**
 * A rule that measures each operation (each named fragment measured once per document) and
 * refuses an operation whose measure is above `max` with `refuse(value)`.
 */
function perOperationRule(max: number, measure: (set: SelectionSetNode, fragments: FragmentValues) => number, refuse: (value: number) => GraphQLError): ValidationRule {
  return (context) => {
    const fragments: FragmentValues = memoizeFragments(context, 0, (fragment) => measure(fragment.selectionSet, fragments));
    return {
      OperationDefinition(node) {
        const value = measure(node.selectionSet, fragments);
        if (value > max) context.reportError(refuse(value));
      },
    };
  };
}

function depthRule(max: number): ValidationRule {
  return perOperationRule(max, selectionDepth, (depth) => limitError(LIMIT_CODES.depth, `Operation is ${depth} fields deep; the limit is ${max}`));
}

/** A number per named fragment, computed once per document. */
type FragmentValues = (name: string) => number | undefined;

/** Deepest field nesting under a selection set (introspection fields not counted), each fragment's depth from `fragmentDepths`. */
function selectionDepth(set: SelectionSetNode, fragmentDepths: FragmentValues): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = 1 + (selection.selectionSet ? selectionDepth(selection.selectionSet, fragmentDepths) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragmentDepths);
    } else {
      depth = fragmentDepths(selection.name.value) ?? 0;
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

function aliasRule(max: number): ValidationRule {
  return (context): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > max) context.reportError(limitError(LIMIT_CODES.aliases, `Document has ${aliases} aliases; the limit is ${max}`));
        },
      },
    };
  };
}

function rootFieldRule(max: number): ValidationRule {
  return perOperationRule(max, rootFields, (count) => limitError(LIMIT_CODES.rootFields, `Operation has ${count} root fields; the limit is ${max}`));
}

/** Fields (not `__typename`) at the top of a selection set, each spread counting its fragment's. */
function rootFields(set: SelectionSetNode, fragmentRootFields: FragmentValues): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += rootFields(selection.selectionSet, fragmentRootFields);
    else count += fragmentRootFields(selection.name.value) ?? 0;
  }
  return count;
}

/** No `__schema` or `__type` anywhere (graphql-js's NoSchemaIntrospectionCustomRule, with our code). */
const introspectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(limitError(LIMIT_CODES.introspection, `GraphQL introspection has been disabled, but the requested query contained the field "${node.name.value}".`));
    }
  },
});
