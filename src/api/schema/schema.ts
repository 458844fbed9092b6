/**
 * @module
 * The schema language for API types: one description of each kind's fields, from which everything
 * that depends on the fields is derived — OpenAPI v2 and v3 (so `kubectl explain` and
 * `--validate=strict` work), unknown- and duplicate-field detection for `fieldValidation`, strategic
 * merge patch metadata (patch strategy, merge key), list and map types. A schema is plain data; the
 * builders in {@link s} keep definitions short.
 *
 * Definitions are named as upstream's OpenAPI names them (`io.k8s.api.core.v1.PodSpec`), and their
 * structure follows the Go types in k8s.io/api; descriptions are our own words.
 *
 * Protobuf (kubectl's typed commands send `application/vnd.kubernetes.protobuf` bodies) needs two
 * facts JSON does not: each property's field number (`proto`, the N of the Go `protobuf:"…,N,…"`
 * tag) and the shape of Go embedded structs. JSON flattens a struct embedded with `json:",inline"`
 * into its parent — Volume shows VolumeSource's fields beside `name`, Probe shows ProbeHandler's,
 * EphemeralContainer shows EphemeralContainerCommon's, the key selectors show
 * LocalObjectReference's `name` — but protobuf keeps it a sub-message at the embedding field's
 * number. Our schemas inline those fields as upstream's OpenAPI does, so the object records the
 * embedding in `inlinedProto`: the field number of the sub-message and which of its properties
 * live there; those properties' `proto` numbers count within the sub-message. A third fact,
 * `omitEmpty`, says when a zero value on the wire stands for "absent": Go's generated marshalers
 * always write non-pointer scalars, while its JSON encoder drops them when tagged omitempty. None of
 * the three appears in OpenAPI.
 */
import type { GroupVersionKind } from '../gvk.js';
import type { JsonValue } from '../json.js';

/** Strategic merge patch strategies (the `patchStrategy` struct tag). */
export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';

interface Common {
  readonly description?: string;
  readonly default?: JsonValue;
  /** Strategic merge patch: how this field merges. */
  readonly patchStrategy?: PatchStrategy;
  /** Strategic merge patch: the key identifying items of this list. */
  readonly patchMergeKey?: string;
  /**
   * The protobuf field number of this property in its parent's message (the Go `protobuf` tag).
   * Absent on apiVersion and kind (TypeMeta travels in the protobuf envelope, not the message) and
   * on schemas that are not properties (definitions, array items, map values).
   */
  readonly proto?: number;
  /**
   * The Go field is a non-pointer scalar tagged `omitempty`: its zero value ("", 0, false) is never
   * printed in JSON, so a protobuf decoder — whose input always carries such fields — drops it.
   * Pointer fields keep a zero that is present on the wire (`replicas: 0`).
   */
  readonly omitEmpty?: boolean;
}

/** Where a Go embedded struct that our schema inlines travels in protobuf (see the module doc). */
export interface InlinedProto {
  /** The field number of the embedded struct's sub-message in the parent's message. */
  readonly field: number;
  /** The properties that belong to the embedded struct; their `proto` numbers count within it. */
  readonly properties: readonly string[];
  /** A struct embedded in that one in turn (some of `properties`), as Rule is in RuleWithOperations. */
  readonly inlinedProto?: InlinedProto;
}

export interface StringSchema extends Common {
  readonly type: 'string';
  /** OpenAPI format: date-time, byte, … */
  readonly format?: string;
  readonly enum?: readonly string[];
}

export interface IntegerSchema extends Common {
  readonly type: 'integer';
  readonly format: 'int32' | 'int64';
}

export interface NumberSchema extends Common {
  readonly type: 'number';
  readonly format?: 'double';
}

export interface BooleanSchema extends Common {
  readonly type: 'boolean';
}

export interface ObjectSchema extends Common {
  readonly type: 'object';
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  /** A map: every key allowed, each value of this schema. */
  readonly additionalProperties?: Schema;
  /** Any field is allowed and kept (x-kubernetes-preserve-unknown-fields). */
  readonly preserveUnknownFields?: boolean;
  /** x-kubernetes-map-type. */
  readonly mapType?: 'atomic' | 'granular';
  /** Protobuf only: the properties of a Go embedded struct, which travel as a sub-message. */
  readonly inlinedProto?: InlinedProto;
}

export interface ArraySchema extends Common {
  readonly type: 'array';
  readonly items: Schema;
  /** x-kubernetes-list-type. */
  readonly listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys, for listType map. */
  readonly listMapKeys?: readonly string[];
}

/** An integer or a string (x-kubernetes-int-or-string), e.g. a port or "25%". */
export interface IntOrStringSchema extends Common {
  readonly type: 'int-or-string';
}

/** A named definition, by its OpenAPI name. */
export interface RefSchema extends Common {
  readonly type: 'ref';
  readonly ref: string;
}

/** Any JSON value, kept as is (RawExtension, JSON). */
export interface AnySchema extends Common {
  readonly type: 'any';
}

export type Schema =
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | ObjectSchema
  | ArraySchema
  | IntOrStringSchema
  | RefSchema
  | AnySchema;

/** A named type, as it appears in OpenAPI's components.schemas / definitions. */
export interface Definition {
  /** The OpenAPI name, e.g. io.k8s.api.apps.v1.Deployment. */
  readonly name: string;
  readonly schema: Schema;
  /** For top-level kinds: x-kubernetes-group-version-kind. */
  readonly gvk?: readonly GroupVersionKind[];
}

type Options<T> = Omit<T, 'type' | 'description' | 'items' | 'properties' | 'ref'>;

/** Builders: the description comes first, so definitions read as documentation. */
export const s = {
  string: (description: string, options: Options<StringSchema> = {}): StringSchema => ({ type: 'string', description, ...options }),
  enum: (description: string, values: readonly string[], options: Options<StringSchema> = {}): StringSchema => ({
    type: 'string',
    description,
    enum: values,
    ...options,
  }),
  int32: (description: string, options: Omit<Options<IntegerSchema>, 'format'> = {}): IntegerSchema => ({
    type: 'integer',
    format: 'int32',
    description,
    ...options,
  }),
  int64: (description: string, options: Omit<Options<IntegerSchema>, 'format'> = {}): IntegerSchema => ({
    type: 'integer',
    format: 'int64',
    description,
    ...options,
  }),
  number: (description: string, options: Options<NumberSchema> = {}): NumberSchema => ({
    type: 'number',
    format: 'double',
    description,
    ...options,
  }),
  boolean: (description: string, options: Options<BooleanSchema> = {}): BooleanSchema => ({ type: 'boolean', description, ...options }),
  object: (
    description: string,
    properties: Readonly<Record<string, Schema>>,
    options: Options<ObjectSchema> = {},
  ): ObjectSchema => ({ type: 'object', description, properties, ...options }),
  /** A map from string keys to `values`. */
  map: (description: string, values: Schema, options: Options<ObjectSchema> = {}): ObjectSchema => ({
    type: 'object',
    description,
    additionalProperties: values,
    ...options,
  }),
  /** A map from string to string (labels, annotations, selectors). */
  stringMap: (description: string, options: Options<ObjectSchema> = {}): ObjectSchema => ({
    type: 'object',
    description,
    additionalProperties: { type: 'string', default: '' },
    ...options,
  }),
  array: (description: string, items: Schema, options: Options<ArraySchema> = {}): ArraySchema => ({
    type: 'array',
    description,
    items,
    ...options,
  }),
  ref: (ref: string, description?: string, options: Options<RefSchema> = {}): RefSchema => ({
    type: 'ref',
    ref,
    ...(description === undefined ? {} : { description }),
    ...options,
  }),
  intOrString: (description: string, options: Options<IntOrStringSchema> = {}): IntOrStringSchema => ({
    type: 'int-or-string',
    description,
    ...options,
  }),
  any: (description: string, options: Options<AnySchema> = {}): AnySchema => ({ type: 'any', description, ...options }),
  /** A resource quantity such as "500m" or "1Gi". */
  quantity: (description: string, options: Options<RefSchema> = {}): RefSchema => ({ type: 'ref', ref: QUANTITY, description, ...options }),
  /** An RFC 3339 timestamp (metav1.Time). */
  time: (description: string, options: Options<RefSchema> = {}): RefSchema => ({ type: 'ref', ref: TIME, description, ...options }),
  /** An RFC 3339 timestamp with microseconds (metav1.MicroTime). */
  microTime: (description: string, options: Options<RefSchema> = {}): RefSchema => ({ type: 'ref', ref: MICRO_TIME, description, ...options }),
  /** Standard object metadata. */
  objectMeta: (description = "Standard object's metadata.", options: Options<RefSchema> = {}): RefSchema => ({
    type: 'ref',
    ref: OBJECT_META,
    description,
    default: {},
    ...options,
  }),
  /** Standard list metadata. */
  listMeta: (description = "Standard list metadata.", options: Options<RefSchema> = {}): RefSchema => ({
    type: 'ref',
    ref: LIST_META,
    description,
    default: {},
    ...options,
  }),
};

export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

/** The apiVersion and kind fields every object carries. */
export function typeMeta(): Record<'apiVersion' | 'kind', StringSchema> {
  return {
    apiVersion: s.string(
      'APIVersion defines the versioned schema of this representation of an object. Servers convert recognized schemas to the latest internal value and may reject unrecognized values.',
    ),
    kind: s.string(
      'Kind is a string value representing the REST resource this object represents. Servers may infer it from the endpoint the client submits requests to. In CamelCase.',
    ),
  };
}

/**
 * The `<Kind>List` definition of a kind named `<prefix>.<Kind>` in `group`/`version`: list
 * metadata and the items (proto fields 1 and 2, as every built-in list has them).
 */
export function kindListDefinition(prefix: string, gv: { readonly group: string; readonly version: string }, kind: string, description: string): Definition {
  return {
    name: `${prefix}.${kind}List`,
    schema: s.object(
      description,
      {
        ...typeMeta(),
        metadata: s.listMeta(undefined, { proto: 1 }),
        items: s.array(`The ${kind.endsWith('s') ? `${kind}es` : `${kind}s`}.`, s.ref(`${prefix}.${kind}`), { proto: 2 }),
      },
      { required: ['items'] },
    ),
    gvk: [{ group: gv.group, version: gv.version, kind: `${kind}List` }],
  };
}
