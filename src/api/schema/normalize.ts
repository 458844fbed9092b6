/**
 * @module
 * Decoding an object against its schema, as kube-apiserver's decoder does for built-in kinds when it
 * turns JSON into Go structs: fields the schema does not declare are found (and dropped, as Go
 * drops them), nulls are dropped (Go leaves the zero value, which is then omitted), and a value of
 * the wrong JSON type is an error (`cannot unmarshal string into Go struct field
 * DeploymentSpec.spec.replicas of type int32`). Unknown fields feed `fieldValidation`: Strict
 * refuses them, Warn reports them, Ignore drops them silently.
 *
 * Subtrees whose schema is `any` or preserves unknown fields are kept exactly as sent.
 */
import { type JsonObject, type JsonValue, isJsonObject, setOwnKey } from '../json.js';
import type { ObjectSchema, Schema } from './schema.js';
import type { SchemaSet } from './schema-set.js';

export interface NormalizeResult {
  /** The object with unknown fields and nulls removed. */
  readonly value: JsonValue;
  /** Paths of undeclared fields, e.g. `spec.template.spec.containers[0].foo`. */
  readonly unknown: readonly string[];
  /** Type errors, worded like Go's JSON decoder. */
  readonly typeErrors: readonly string[];
}

interface Walk {
  readonly schemas: SchemaSet;
  readonly unknown: string[];
  readonly typeErrors: string[];
}

/**
 * Where a value is, as a chain of steps: the dotted path string is built only when an error or an
 * unknown field needs it, not for every field of every object the server decodes.
 */
type Path = { readonly parent: Path; readonly step: string | number } | undefined;

/** `spec.template.spec.containers[0].foo`. */
function render(path: Path): string {
  if (path === undefined) return '';
  const parent = render(path.parent);
  if (typeof path.step === 'number') return `${parent}[${path.step}]`;
  return parent === '' ? path.step : `${parent}.${path.step}`;
}

/**
 * Normalizes `value` (the whole object) against the definition named `definition`. What needs no
 * change — most of an object, as a rule — is returned as it came, not copied: the result shares it
 * with `value`, which the caller hands over.
 */
export function normalizeAgainstSchema(value: JsonValue, schema: Schema, schemas: SchemaSet): NormalizeResult {
  const walk: Walk = { schemas, unknown: [], typeErrors: [] };
  const normalized = visit(value, schema, undefined, '', walk);
  return { value: normalized ?? null, unknown: walk.unknown, typeErrors: walk.typeErrors };
}

/**
 * Returns the normalized value — `value` itself when nothing in it changes — or undefined to drop
 * it (null). `owner` is the Go type holding the value, or the definition name of one (io.k8s…),
 * shortened only when an error is worded.
 */
function visit(value: JsonValue, schema: Schema, path: Path, owner: string, walk: Walk): JsonValue | undefined {
  if (value === null) return undefined;
  const resolved = schema.type === 'ref' ? walk.schemas.resolve(schema) : schema;
  switch (resolved.type) {
    case 'any':
      return value;
    case 'string':
      return expect(typeof value === 'string', value, path, owner, 'string', walk);
    case 'boolean':
      return expect(typeof value === 'boolean', value, path, owner, 'bool', walk);
    case 'integer':
      return expect(typeof value === 'number' && Number.isInteger(value), value, path, owner, resolved.format, walk);
    case 'number':
      return expect(typeof value === 'number', value, path, owner, 'float64', walk);
    case 'int-or-string':
      return expect(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)), value, path, owner, 'IntOrString', walk);
    case 'array': {
      if (!Array.isArray(value)) return typeError(value, path, owner, `[]${itemTypeName(resolved.items)}`, walk);
      let items: JsonValue[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = value[i] as JsonValue;
        const normalized = visit(item, resolved.items, { parent: path, step: i }, owner, walk) ?? null;
        if (normalized !== item && items === undefined) items = value.slice(0, i);
        if (items !== undefined) items.push(normalized);
      }
      return items ?? value;
    }
    case 'object': {
      const typeName = schema.type === 'ref' ? schema.ref : owner;
      if (!isJsonObject(value)) return typeError(value, path, owner, typeName === '' ? 'map' : typeName, walk);
      return visitObject(value, resolved, path, typeName, walk);
    }
    default: {
      const never: never = resolved;
      throw new Error(`unknown schema ${JSON.stringify(never)}`);
    }
  }
}

/** The object normalized: `value` itself when every field is declared, non-null and unchanged. */
function visitObject(value: JsonObject, schema: ObjectSchema, path: Path, typeName: string, walk: Walk): JsonObject {
  if (schema.preserveUnknownFields && schema.properties === undefined && schema.additionalProperties === undefined) return value;
  const keys = Object.keys(value);
  // The copy, begun at the first field that is dropped or changes (with the fields before it).
  let result: JsonObject | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const child = value[key] as JsonValue;
    const declared = (schema.properties !== undefined && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined) ?? schema.additionalProperties;
    let normalized: JsonValue | undefined;
    if (declared === undefined) {
      if (schema.preserveUnknownFields) normalized = child;
      else walk.unknown.push(render({ parent: path, step: key }));
    } else {
      // Map values may be null-free but empty; a struct field's null is its zero value (dropped).
      normalized = visit(child, declared, { parent: path, step: key }, typeName, walk);
    }
    if (normalized !== child && result === undefined) result = copyOf(value, keys, i);
    if (result !== undefined && normalized !== undefined) setOwnKey(result, key, normalized);
  }
  return result ?? value;
}

/** A new object with the first `count` of `value`'s fields. */
function copyOf(value: JsonObject, keys: readonly string[], count: number): JsonObject {
  const copy: JsonObject = {};
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string;
    setOwnKey(copy, key, value[key] as JsonValue);
  }
  return copy;
}

function expect(ok: boolean, value: JsonValue, path: Path, owner: string, goType: string, walk: Walk): JsonValue | undefined {
  return ok ? value : typeError(value, path, owner, goType, walk);
}

function typeError(value: JsonValue, path: Path, owner: string, goType: string, walk: Walk): undefined {
  const rendered = render(path);
  const field = owner === '' ? rendered : `${shortName(owner)}.${rendered}`;
  walk.typeErrors.push(`json: cannot unmarshal ${jsonTypeOf(value)} into Go struct field ${field} of type ${shortName(goType)}`);
  return undefined;
}

function jsonTypeOf(value: JsonValue): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function itemTypeName(items: Schema): string {
  if (items.type === 'ref') return shortName(items.ref);
  if (items.type === 'integer') return items.format;
  return items.type;
}

/** io.k8s.api.apps.v1.DeploymentSpec → DeploymentSpec (a short name stays as it is). */
function shortName(ref: string): string {
  return ref.slice(ref.lastIndexOf('.') + 1);
}
