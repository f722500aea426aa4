import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { type GraphQLSchema, buildSchema, isInterfaceType, isObjectType } from 'graphql';
import { API_SCHEMA_FILE } from './schema-files.js';

const TAG_PARTS = /^([A-Z]\w*)(?::[^.\s]+)?(?:\.(\w+))?$/;

/** The API schema clients see (`schema/api-schema.graphql`), whose types and fields cache tags name. */
export function readApiSchema(root = REPO_ROOT): GraphQLSchema {
  return buildSchema(readFileSync(path.join(root, API_SCHEMA_FILE), 'utf8'));
}

/**
 * What is wrong with an operator's cache tag (`Type:id.field`, `Type:id`, `Type`,
 * `Parent.field`) against `schema`: the type is not an object or interface type of the API, or
 * the field is not one of its fields. `undefined` when both exist. A tag that names nothing
 * would evict nothing, silently; `pnpm cache:invalidate` refuses it instead.
 *
 * @example tagProblem('Trak:42', schema) // 'Trak is not a type of the API (types with ids, and Query: Album, Artist, …)'
 */
export function tagProblem(tag: string, schema: GraphQLSchema): string | undefined {
  const parts = TAG_PARTS.exec(tag);
  if (!parts) return undefined; // the tag syntax is eventFromTag's to refuse
  const [, typeName, fieldName] = parts;
  const type = schema.getType(typeName!);
  if (!isObjectType(type) && !isInterfaceType(type)) {
    const types = Object.values(schema.getTypeMap())
      .filter((t) => (isObjectType(t) || isInterfaceType(t)) && ('id' in t.getFields() || t === schema.getQueryType()))
      .map((t) => t.name)
      .sort();
    return `${typeName} is not a type of the API (types with ids, and Query: ${types.join(', ')})`;
  }
  if (fieldName !== undefined && !type.getFields()[fieldName]) {
    return `${typeName} has no field ${fieldName} (fields: ${Object.keys(type.getFields()).sort().join(', ')})`;
  }
  return undefined;
}
