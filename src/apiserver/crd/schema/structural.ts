/**
 * @module
 * A CRD version's openAPIV3Schema compiled once into a typed tree, so that pruning, defaulting and
 * validation never look at raw JSON per request: properties in a Map (no prototype keys), patterns
 * compiled with RE2, the vendor extensions read into flags. It follows apiextensions-apiserver
 * pkg/apiserver/schema/structural.go (Structural, Generic, Extensions, ValueValidation) and
 * convert.go (NewStructural): the junctors allOf/anyOf/oneOf/not hold value validations only and
 * are compiled with the same shape, but pruning and defaulting never descend into them.
 *
 * The schema is assumed to be structural (the CRD's own validation refuses others); anything odd
 * found here is ignored rather than thrown, so that a bad stored CRD cannot break serving.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../../api/json.js';
import { compileRe2 } from '../../../api/re2.js';

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** x-kubernetes-list-type. */
export type ListType = 'atomic' | 'set' | 'map';

export interface ValueValidation {
  readonly format?: string;
  readonly maximum?: number;
  readonly exclusiveMaximum: boolean;
  readonly minimum?: number;
  readonly exclusiveMinimum: boolean;
  readonly multipleOf?: number;
  readonly maxLength?: number;
  readonly minLength?: number;
  /** The pattern as written (messages quote it) and compiled. */
  readonly pattern?: { readonly source: string; readonly test: (text: string) => boolean };
  readonly maxItems?: number;
  readonly minItems?: number;
  readonly uniqueItems: boolean;
  readonly maxProperties?: number;
  readonly minProperties?: number;
  readonly required: readonly string[];
  readonly enum?: readonly JsonValue[];
  readonly allOf: readonly Structural[];
  readonly anyOf: readonly Structural[];
  readonly oneOf: readonly Structural[];
  readonly not?: Structural;
}

export interface Structural {
  readonly type: SchemaType | undefined;
  readonly nullable: boolean;
  /** Present iff the schema has a `default` (which may itself be null). */
  readonly default?: { readonly value: JsonValue };
  readonly properties: ReadonlyMap<string, Structural>;
  /** A schema for every other key, `false` when none are allowed, undefined when unspecified. */
  readonly additionalProperties: Structural | boolean | undefined;
  readonly items: Structural | undefined;
  readonly preserveUnknownFields: boolean;
  readonly embeddedResource: boolean;
  readonly intOrString: boolean;
  readonly listType: ListType | undefined;
  readonly listMapKeys: readonly string[];
  readonly mapType: 'granular' | 'atomic' | undefined;
  readonly validation: ValueValidation;
  /** The schema node as the CRD gives it (x-kubernetes-validations are read from here by CEL). */
  readonly raw: JsonObject;
}

const TYPES: ReadonlySet<string> = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** Compiles `schema` (a JSONSchemaProps, as JSON). */
export function compileStructural(schema: JsonObject): Structural {
  const type = typeof schema.type === 'string' && TYPES.has(schema.type) ? (schema.type as SchemaType) : undefined;
  const properties = new Map<string, Structural>();
  if (isJsonObject(schema.properties)) {
    for (const key of Object.keys(schema.properties)) {
      const child = schema.properties[key];
      if (isJsonObject(child)) properties.set(key, compileStructural(child));
    }
  }
  const additional = schema.additionalProperties;
  const listType = schema['x-kubernetes-list-type'];
  const mapType = schema['x-kubernetes-map-type'];
  return {
    type,
    nullable: schema.nullable === true,
    ...(Object.hasOwn(schema, 'default') ? { default: { value: schema.default ?? null } } : {}),
    properties,
    additionalProperties: isJsonObject(additional) ? compileStructural(additional) : typeof additional === 'boolean' ? additional : undefined,
    items: isJsonObject(schema.items) ? compileStructural(schema.items) : undefined,
    preserveUnknownFields: schema['x-kubernetes-preserve-unknown-fields'] === true,
    embeddedResource: schema['x-kubernetes-embedded-resource'] === true,
    intOrString: schema['x-kubernetes-int-or-string'] === true,
    listType: listType === 'atomic' || listType === 'set' || listType === 'map' ? listType : undefined,
    listMapKeys: strings(schema['x-kubernetes-list-map-keys']),
    mapType: mapType === 'granular' || mapType === 'atomic' ? mapType : undefined,
    validation: compileValidation(schema),
    raw: schema,
  };
}

function compileValidation(schema: JsonObject): ValueValidation {
  const pattern = typeof schema.pattern === 'string' ? compilePattern(schema.pattern) : undefined;
  return {
    ...(typeof schema.format === 'string' && schema.format !== '' ? { format: schema.format } : {}),
    ...numberField(schema, 'maximum'),
    exclusiveMaximum: schema.exclusiveMaximum === true,
    ...numberField(schema, 'minimum'),
    exclusiveMinimum: schema.exclusiveMinimum === true,
    ...numberField(schema, 'multipleOf'),
    ...numberField(schema, 'maxLength'),
    ...numberField(schema, 'minLength'),
    ...(pattern === undefined ? {} : { pattern }),
    ...numberField(schema, 'maxItems'),
    ...numberField(schema, 'minItems'),
    uniqueItems: schema.uniqueItems === true,
    ...numberField(schema, 'maxProperties'),
    ...numberField(schema, 'minProperties'),
    required: strings(schema.required),
    ...(Array.isArray(schema.enum) ? { enum: schema.enum } : {}),
    allOf: schemas(schema.allOf),
    anyOf: schemas(schema.anyOf),
    oneOf: schemas(schema.oneOf),
    ...(isJsonObject(schema.not) ? { not: compileStructural(schema.not) } : {}),
  };
}

/**
 * A `pattern`, matched unanchored (JSON Schema's `pattern`) with RE2 as upstream's Go regexp matches
 * it — never JavaScript's backtracking RegExp, which a pattern such as `^(a+)+$` turns into seconds
 * of blocked event loop. A pattern RE2 does not compile matches everything (the CRD's validation
 * refuses such patterns).
 */
function compilePattern(source: string): { source: string; test: (text: string) => boolean } | undefined {
  try {
    const compiled = compileRe2(source);
    return { source, test: (text) => compiled.matcher(text).find() };
  } catch {
    return undefined;
  }
}

function numberField<K extends string>(schema: JsonObject, key: K): { [P in K]?: number } {
  const value = schema[key];
  return (typeof value === 'number' ? { [key]: value } : {}) as { [P in K]?: number };
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function schemas(value: JsonValue | undefined): Structural[] {
  return Array.isArray(value) ? value.filter(isJsonObject).map(compileStructural) : [];
}
