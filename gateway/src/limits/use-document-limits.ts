import {
  type ASTVisitor,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestLimits } from '../front-door-config.js';
import { costRule } from './cost-rule.js';

/** Options of {@link useDocumentLimits}. */
export interface DocumentLimitsOptions {
  limits: Pick<RequestLimits, 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxRootFields' | 'maxCost'>;
  /** Allow `__schema` and `__type`. Off in production. */
  introspection: boolean;
  /** Keep graphql-js's "Did you mean …?" hints in validation errors. Off in production. */
  fieldSuggestions: boolean;
}

/** Codes of the refusals this plugin makes. */
export const LIMIT_CODES = {
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  rootFields: 'ROOT_FIELD_LIMIT_EXCEEDED',
  introspection: 'INTROSPECTION_DISABLED',
  cost: 'COST_LIMIT_EXCEEDED',
} as const;

/**
 * Keeps hostile documents out before they are planned: at most `maxTokens` tokens (graphql-js
 * stops parsing there), `maxDepth` nested fields (through fragments; introspection fields not
 * counted), `maxAliases` aliases and `maxRootFields` root fields; introspection off and field
 * suggestions stripped when configured; an estimated cost (fields it may resolve, lists
 * multiplied out) of at most `maxCost`. Each refusal is a GraphQL error with its own code.
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
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
      return ({ result, setResult }) => {
        if (!options.fieldSuggestions && result.some((e) => / Did you mean /.test(e.message))) {
          setResult(result.map((e) => (/ Did you mean /.test(e.message) ? new GraphQLError(e.message.replace(/ Did you mean .*$/, ''), { nodes: e.nodes, extensions: e.extensions }) : e)));
        }
      };
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

function depthRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const depth = selectionDepth(node.selectionSet, context, new Set());
      if (depth > max) context.reportError(limitError(LIMIT_CODES.depth, `Operation is ${depth} fields deep; the limit is ${max}`));
    },
  });
}

/** Deepest field nesting under a selection set, following fragments once each. */
function selectionDepth(set: SelectionSetNode, context: ValidationContext, visited: Set<string>): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = 1 + (selection.selectionSet ? selectionDepth(selection.selectionSet, context, visited) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, context, visited);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || visited.has(name)) continue;
      depth = selectionDepth(fragment.selectionSet, context, new Set([...visited, name]));
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
  return (context) => ({
    OperationDefinition(node) {
      const count = rootFields(node.selectionSet, context, new Set());
      if (count > max) context.reportError(limitError(LIMIT_CODES.rootFields, `Operation has ${count} root fields; the limit is ${max}`));
    },
  });
}

function rootFields(set: SelectionSetNode, context: ValidationContext, visited: Set<string>): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += rootFields(selection.selectionSet, context, visited);
    else if (!visited.has(selection.name.value)) {
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += rootFields(fragment.selectionSet, context, new Set([...visited, selection.name.value]));
    }
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
