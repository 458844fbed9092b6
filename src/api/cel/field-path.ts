/**
 * @module
 * Field paths as apimachinery's field.Path prints them (`spec.ports[0]`, `spec.labels[app]`, and
 * `<nil>` for the root), and the `fieldPath` of a validation rule: a JSON path of field and map
 * accessors (`.spec.replicas`, `.labels['app.kubernetes.io/name']`) checked against the schema as
 * upstream's ValidFieldPath does (apiextensions-apiserver schema/cel/validation.go).
 */
import { type SchemaNode, asSchema, propertiesOf } from './schema-types.js';

export const ROOT_PATH = '';

export function childPath(path: string, name: string): string {
  return path === ROOT_PATH ? name : `${path}.${name}`;
}

export function keyPath(path: string, key: string | number): string {
  return `${path}[${key}]`;
}

/** field.Path.String(): the root prints as `<nil>`. */
export function printPath(path: string): string {
  return path === ROOT_PATH ? '<nil>' : path;
}

export type PathSegment = { readonly kind: 'field' | 'key'; readonly name: string };

/** Parses and checks a rule's fieldPath against `schema`; an error message when it is not valid. */
export function parseFieldPath(jsonPath: string, schema: SchemaNode): readonly PathSegment[] | string {
  const segments: PathSegment[] = [];
  let node: SchemaNode | undefined = schema;
  let i = 0;
  const step = (name: string): string | undefined => {
    if (node === undefined) return 'does not refer to a valid field';
    const properties = propertiesOf(node);
    const additional = asSchema(node.additionalProperties);
    if (properties.size > 0) {
      const next = properties.get(name);
      if (next === undefined) return 'does not refer to a valid field';
      segments.push({ kind: 'field', name });
      node = next;
    } else if (additional !== undefined) {
      segments.push({ kind: 'key', name });
      node = additional;
    } else return 'does not refer to a valid field';
    return undefined;
  };
  while (i < jsonPath.length) {
    const c = jsonPath[i];
    if (c === '.') {
      const m = /^[^.[\]]+/.exec(jsonPath.slice(i + 1));
      if (m === null) return 'unexpected end of JSON path';
      const error = step(m[0]);
      if (error !== undefined) return error;
      i += 1 + m[0].length;
    } else if (c === '[') {
      const m = /^\['((?:[^'\\]|\\.)*)'\]/.exec(jsonPath.slice(i));
      if (m === null) return `expected single quoted string but got ${jsonPath.slice(i + 1)}`;
      const error = step((m[1] ?? '').replace(/\\(.)/g, '$1'));
      if (error !== undefined) return error;
      i += m[0].length;
    } else return `expected [ or . but got: ${jsonPath.slice(i)}`;
  }
  return segments;
}

export function appendSegments(path: string, segments: readonly PathSegment[]): string {
  return segments.reduce((p, s) => (s.kind === 'field' ? childPath(p, s.name) : keyPath(p, s.name)), path);
}
