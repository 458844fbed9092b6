/**
 * @module
 * From an openAPIV3Schema to CEL: the declared type of each schema node, registered in a checker
 * environment so rules are type-checked against the schema (k8s.io/apiserver/pkg/cel/common
 * schemas.go SchemaDeclType; model.WithTypeAndObjectMeta), and each value as CEL sees it
 * (UnstructuredToVal): integers as int, int-or-string and preserved unknown fields as dyn, objects
 * with their property names escaped (cel.Escape: `foo-bar` is `foo__dash__bar`), null fields absent,
 * strings of format date-time, duration and byte as timestamps, durations and bytes, and the
 * metadata of a resource limited to name and generateName.
 */
import { Environment } from '@marcbachmann/cel-js';
import { jsonToCel } from './engine.js';
import { BoundedMemo } from '../bounded-memo.js';

/** The slice of a JSON-schema node this module reads. */
export type SchemaNode = Readonly<Record<string, unknown>>;

export function asSchema(value: unknown): SchemaNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SchemaNode) : undefined;
}

export function schemaType(schema: SchemaNode): string {
  return typeof schema.type === 'string' ? schema.type : '';
}

/** Schemas are not changed once compiled, so their property maps are computed once. */
const propertiesCache = new WeakMap<SchemaNode, ReadonlyMap<string, SchemaNode>>();

export function propertiesOf(schema: SchemaNode): ReadonlyMap<string, SchemaNode> {
  const cached = propertiesCache.get(schema);
  if (cached !== undefined) return cached;
  const properties = asSchema(schema.properties);
  const out = new Map<string, SchemaNode>();
  for (const [name, value] of Object.entries(properties ?? {})) {
    const child = asSchema(value);
    if (child !== undefined) out.set(name, child);
  }
  propertiesCache.set(schema, out);
  return out;
}

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package',
  'namespace', 'return', 'var', 'void', 'while',
]);

const escapes = new BoundedMemo<string, string | undefined>(10_000, escape);

/** cel.Escape: the CEL field name of a property, or undefined if it cannot be one. */
export function escapeName(name: string): string | undefined {
  return escapes.get(name);
}

function escape(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replaceAll('__', '__underscores__').replaceAll('.', '__dot__').replaceAll('-', '__dash__').replaceAll('/', '__slash__');
}


function isEmbedded(schema: SchemaNode): boolean {
  return schema['x-kubernetes-embedded-resource'] === true;
}

/**
 * Registers the types of `schema` in `env` and returns the type of its root. `resourceRoot` adds
 * apiVersion, kind and metadata (name, generateName) as upstream does for the root of a resource.
 */
export function declareSchemaTypes(env: Environment, schema: SchemaNode, resourceRoot: boolean): (node: SchemaNode) => string {
  const types = new Map<SchemaNode, string>();
  let counter = 0;
  const metaType = 'selfType0.metadata';
  env.registerType(metaType, { fields: { name: 'string', generateName: 'string' } });

  const declare = (node: SchemaNode, root: boolean): string => {
    const known = types.get(node);
    if (known !== undefined) return known;
    const type = typeOf(node, root);
    types.set(node, type);
    return type;
  };

  const typeOf = (node: SchemaNode, root: boolean): string => {
    if (node['x-kubernetes-int-or-string'] === true) return 'dyn';
    switch (schemaType(node)) {
      case 'integer':
        return 'int';
      case 'number':
        return 'double';
      case 'boolean':
        return 'bool';
      case 'string':
        return stringType(node);
      case 'array': {
        const items = asSchema(node.items);
        return `list<${items === undefined ? 'dyn' : declare(items, isEmbedded(items))}>`;
      }
      case 'object':
      case '': {
        const properties = propertiesOf(node);
        const additional = asSchema(node.additionalProperties);
        const resource = root || isEmbedded(node);
        if (properties.size === 0 && !resource) {
          if (additional !== undefined) return `map<string, ${declare(additional, isEmbedded(additional))}>`;
          return node['x-kubernetes-preserve-unknown-fields'] === true || schemaType(node) === '' ? 'dyn' : 'map<string, dyn>';
        }
        const fields: Record<string, string> = {};
        if (resource) Object.assign(fields, { apiVersion: 'string', kind: 'string', metadata: metaType });
        const name = `selfType${++counter}`;
        for (const [property, child] of properties) {
          const escaped = escapeName(property);
          if (escaped !== undefined && !(resource && property === 'metadata')) fields[escaped] = declare(child, isEmbedded(child));
        }
        env.registerType(name, { fields });
        env.registerOperator(`${name} == ${name}`, celObjectEquals);
        return name;
      }
      default:
        return 'dyn';
    }
  };

  declare(schema, resourceRoot);
  return (node) => types.get(node) ?? 'dyn';
}

/** Strings with format date-time and duration are timestamps and durations in CEL; byte is bytes. */
function stringType(node: SchemaNode): string {
  switch (node.format) {
    case 'date-time':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    case 'byte':
      return 'bytes';
    default:
      return 'string';
  }
}

/** Durations are built by the engine's own duration() (its Duration class is not exported). */
const durationOf = new Environment().registerVariable('s', 'string').parse('duration(s)');

function formattedString(node: SchemaNode, value: string): unknown {
  switch (node.format) {
    case 'date-time': {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    case 'duration':
      try {
        return durationOf({ s: value }) as unknown;
      } catch {
        return value;
      }
    case 'byte':
      try {
        return Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
      } catch {
        return value;
      }
    default:
      return value;
  }
}

/** Value equality of objects in the checker (evaluation compares plain objects itself). */
function celObjectEquals(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `value` (JSON) as CEL sees it at a node of `schema`. `resourceRoot` marks the root of a resource
 * or an embedded resource, whose metadata shows only name and generateName.
 */
export function toCelValue(schema: SchemaNode | undefined, value: unknown, resourceRoot: boolean): unknown {
  if (schema === undefined || value === null || value === undefined) return value ?? null;
  if (schema['x-kubernetes-int-or-string'] === true) return jsonToCel(value);
  const type = schemaType(schema);
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
  if (type === 'string') return typeof value === 'string' && typeof schema.format === 'string' ? formattedString(schema, value) : value;
  if (Array.isArray(value)) {
    const items = asSchema(schema.items);
    return value.map((item) => (items === undefined ? jsonToCel(item) : toCelValue(items, item, isEmbedded(items))));
  }
  if (typeof value !== 'object') return value;
  const record = value as Readonly<Record<string, unknown>>;
  const properties = propertiesOf(schema);
  const additional = asSchema(schema.additionalProperties);
  const resource = resourceRoot || isEmbedded(schema);
  if (properties.size === 0 && !resource) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      if (v !== null) out[k] = additional === undefined ? jsonToCel(v) : toCelValue(additional, v, isEmbedded(additional));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  if (resource) {
    if (typeof record.apiVersion === 'string') out.apiVersion = record.apiVersion;
    if (typeof record.kind === 'string') out.kind = record.kind;
    const meta = record.metadata;
    if (typeof meta === 'object' && meta !== null) {
      const m = meta as Readonly<Record<string, unknown>>;
      out.metadata = {
        ...(typeof m.name === 'string' ? { name: m.name } : {}),
        ...(typeof m.generateName === 'string' ? { generateName: m.generateName } : {}),
      };
    }
  }
  for (const [property, child] of properties) {
    const v = record[property];
    const escaped = escapeName(property);
    if (v === undefined || v === null || escaped === undefined || (resource && property === 'metadata')) continue;
    out[escaped] = toCelValue(child, v, isEmbedded(child));
  }
  return out;
}
