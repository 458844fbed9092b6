/**
 * @module
 * Our schema language rendered as OpenAPI schema objects, with Kubernetes' extensions: group-version-
 * kind on kinds, patch strategy and merge key (strategic merge patch), list and map types, int-or-
 * string and preserve-unknown-fields. v3 puts a description beside a reference with allOf, as
 * kube-openapi does; v2 puts it beside the $ref.
 */
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { Definition, Schema } from '../../api/schema/schema.js';

export type OpenApiVersion = 'v2' | 'v3';

/** The name kube-openapi gives int-or-string. */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

export function refPath(name: string, version: OpenApiVersion): string {
  return version === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}`;
}

/** A definition as an OpenAPI schema, with its group-version-kind when it is a kind. */
export function definitionToOpenApi(definition: Definition, version: OpenApiVersion): JsonObject {
  const schema = schemaToOpenApi(definition.schema, version);
  if (definition.gvk !== undefined && definition.gvk.length > 0) {
    schema['x-kubernetes-group-version-kind'] = definition.gvk.map((gvk) => ({ group: gvk.group, kind: gvk.kind, version: gvk.version }));
  }
  return schema;
}

export function schemaToOpenApi(schema: Schema, version: OpenApiVersion): JsonObject {
  const out: JsonObject = {};
  const common = (): void => {
    if (schema.description !== undefined && schema.description !== '') out.description = schema.description;
    if (schema.default !== undefined) out.default = schema.default;
    if (schema.patchStrategy !== undefined) out['x-kubernetes-patch-strategy'] = schema.patchStrategy;
    if (schema.patchMergeKey !== undefined) out['x-kubernetes-patch-merge-key'] = schema.patchMergeKey;
  };
  switch (schema.type) {
    case 'ref':
    case 'int-or-string': {
      const target = schema.type === 'ref' ? schema.ref : INT_OR_STRING;
      const hasSiblings = schema.description !== undefined || schema.default !== undefined || schema.patchStrategy !== undefined;
      if (version === 'v3' && hasSiblings) out.allOf = [{ $ref: refPath(target, version) }];
      else out.$ref = refPath(target, version);
      common();
      return out;
    }
    case 'string':
      out.type = 'string';
      if (schema.format !== undefined) out.format = schema.format;
      if (schema.enum !== undefined) out.enum = [...schema.enum];
      break;
    case 'integer':
      out.type = 'integer';
      out.format = schema.format;
      break;
    case 'number':
      out.type = 'number';
      out.format = schema.format ?? 'double';
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    case 'any':
      out.type = 'object';
      out['x-kubernetes-preserve-unknown-fields'] = true;
      break;
    case 'array':
      out.type = 'array';
      out.items = schemaToOpenApi(schema.items, version);
      if (schema.listType !== undefined) out['x-kubernetes-list-type'] = schema.listType;
      if (schema.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = [...schema.listMapKeys];
      break;
    case 'object': {
      out.type = 'object';
      if (schema.properties !== undefined) {
        const properties: JsonObject = {};
        for (const [name, property] of Object.entries(schema.properties)) properties[name] = schemaToOpenApi(property, version);
        out.properties = properties;
      }
      if (schema.required !== undefined && schema.required.length > 0) out.required = [...schema.required];
      if (schema.additionalProperties !== undefined) out.additionalProperties = schemaToOpenApi(schema.additionalProperties, version);
      if (schema.preserveUnknownFields === true) out['x-kubernetes-preserve-unknown-fields'] = true;
      if (schema.mapType !== undefined) out['x-kubernetes-map-type'] = schema.mapType;
      break;
    }
    default: {
      const never: never = schema;
      throw new Error(`unknown schema ${JSON.stringify(never)}`);
    }
  }
  common();
  return out;
}

/** The names a schema refers to directly (int-or-string included). */
export function referencedNames(schema: Schema): string[] {
  switch (schema.type) {
    case 'ref':
      return [schema.ref];
    case 'int-or-string':
      return [INT_OR_STRING];
    case 'array':
      return referencedNames(schema.items);
    case 'object':
      return [
        ...Object.values(schema.properties ?? {}).flatMap(referencedNames),
        ...(schema.additionalProperties === undefined ? [] : referencedNames(schema.additionalProperties)),
      ];
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'any':
      return [];
    default: {
      const never: never = schema;
      throw new Error(`unknown schema ${JSON.stringify(never)}`);
    }
  }
}

/** The schema of IntOrString, as kube-openapi publishes it. */
export function intOrStringSchema(): JsonValue {
  return {
    description: 'An int32 or a string. Where a port is expected, a string names a port; elsewhere it is usually a percentage such as "25%".',
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  };
}
