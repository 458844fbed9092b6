/**
 * @module
 * A small schema builder for custom resources: one declaration gives both the structural OpenAPI v3
 * schema a CRD carries (apiextensions.k8s.io/v1 JSONSchemaProps, with the rules of
 * k8s.io/apiextensions-apiserver pkg/apis/apiextensions/v1/types_jsonschema.go: types, formats,
 * enum, minimum/maximum, pattern, lengths, item counts, required, nullable, defaults,
 * x-kubernetes-* extensions and x-kubernetes-validations CEL rules) and the TypeScript type of the
 * values it accepts, inferred zod-style:
 *
 * @example
 * const spec = t.object({ image: t.string({ minLength: 1 }), replicas: t.integer({ minimum: 0, default: 1 }) });
 * type Spec = Infer<typeof spec>;       // { image: string; replicas: number }
 * type SpecIn = InferInput<typeof spec>; // { image: string; replicas?: number } — what you may create
 *
 * A property is required unless `.optional()` or defaulted: a defaulted property is present on
 * every object the server returns (so {@link Infer} has it) but may be left out when writing (so
 * {@link InferInput} makes it optional, and it is not in the schema's `required`).
 */
import type { apiextensionsV1, metaV1 } from '../api/types/index.js';

export type JSONSchemaProps = apiextensionsV1.JSONSchemaProps;
export type ValidationRule = apiextensionsV1.ValidationRule;

/** Whether an object property must be given, may be left out, or is defaulted by the server. */
export type Presence = 'required' | 'optional' | 'defaulted';

/**
 * A schema of values of type `Out` (as read back from the server) that accepts `In` (as written).
 * `__out` and `__in` exist only in the type system.
 */
export class Schema<Out, In = Out, P extends Presence = 'required'> {
  declare readonly __out: Out;
  declare readonly __in: In;
  declare readonly __presence: P;

  constructor(
    private readonly json: JSONSchemaProps,
    readonly presence: P,
  ) {}

  /** The property may be absent. */
  optional(): Schema<Out, In, 'optional'> {
    return new Schema<Out, In, 'optional'>(this.json, 'optional');
  }

  /** The server fills `value` in when the property is absent (structural defaulting). */
  default(value: In): Schema<Out, In, 'defaulted'> {
    return new Schema<Out, In, 'defaulted'>({ ...this.json, default: value }, 'defaulted');
  }

  /** null is a value too (`nullable: true`). */
  nullable(): Schema<Out | null, In | null, P> {
    return new Schema<Out | null, In | null, P>({ ...this.json, nullable: true }, this.presence);
  }

  describe(description: string): Schema<Out, In, P> {
    return new Schema<Out, In, P>({ ...this.json, description }, this.presence);
  }

  /**
   * Adds an x-kubernetes-validations CEL rule on this value (`self`; `oldSelf` in transition
   * rules). `message` is a fixed text; pass an object for messageExpression, reason or fieldPath.
   */
  rule(rule: string, message?: string | Omit<ValidationRule, 'rule'>): Schema<Out, In, P> {
    const extra = typeof message === 'string' ? { message } : (message ?? {});
    const rules = [...(this.json['x-kubernetes-validations'] ?? []), { rule, ...extra }];
    return new Schema<Out, In, P>({ ...this.json, 'x-kubernetes-validations': rules }, this.presence);
  }

  /** The OpenAPI v3 schema, a fresh copy. */
  toJSONSchema(): JSONSchemaProps {
    return structuredClone(this.json);
  }
}

/** Any schema, whatever it holds. */
export type AnySchema = Schema<unknown, unknown, Presence>;
export type Shape = Readonly<Record<string, AnySchema>>;

/** The type of the values a schema's objects have, as read from the server. */
export type Infer<S extends AnySchema> = S['__out'];
/** The type of the values one may write: defaulted properties may be left out. */
export type InferInput<S extends AnySchema> = S['__in'];

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type KeysWhere<S extends Shape, P extends Presence> = { [K in keyof S]: S[K]['__presence'] extends P ? K : never }[keyof S];

export type ObjectOut<S extends Shape> = Simplify<
  { [K in KeysWhere<S, 'required' | 'defaulted'>]: S[K]['__out'] } & { [K in KeysWhere<S, 'optional'>]?: S[K]['__out'] }
>;
export type ObjectIn<S extends Shape> = Simplify<{ [K in KeysWhere<S, 'required'>]: S[K]['__in'] } & { [K in KeysWhere<S, 'optional' | 'defaulted'>]?: S[K]['__in'] }>;

/** Options every schema takes. */
interface Common {
  readonly description?: string;
}

type Defaulted<O, T> = O extends { readonly default: T } ? 'defaulted' : 'required';

export interface StringOptions extends Common {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  /** date-time, date, duration, byte, uri, hostname, ipv4, ipv6, cidr, … */
  readonly format?: string;
  readonly default?: string;
}

export interface NumberOptions extends Common {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  /** int32 or int64 for integers, float or double for numbers. */
  readonly format?: string;
  readonly default?: number;
}

export interface ArrayOptions<T> extends Common {
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  /** atomic, set, or map (with listMapKeys) — how server-side apply merges the list. */
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  readonly default?: readonly T[];
}

export interface ObjectOptions extends Common {
  readonly minProperties?: number;
  readonly maxProperties?: number;
  /** atomic or granular — how server-side apply merges the object. */
  readonly mapType?: 'atomic' | 'granular';
  /** Keep fields the schema does not name (x-kubernetes-preserve-unknown-fields). */
  readonly preserveUnknownFields?: boolean;
}

function common(options: object, type: string | undefined): JSONSchemaProps {
  const json: Record<string, unknown> = type === undefined ? {} : { type };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (key === 'listType' || key === 'listMapKeys' || key === 'mapType') json[`x-kubernetes-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = value;
    else if (key === 'preserveUnknownFields') json['x-kubernetes-preserve-unknown-fields'] = value;
    else json[key] = value;
  }
  return json as JSONSchemaProps;
}

function presenceOf(options: { readonly default?: unknown }): Presence {
  return options.default === undefined ? 'required' : 'defaulted';
}

/** The schema constructors. */
export const t = {
  string<O extends StringOptions>(options?: O): Schema<string, string, Defaulted<O, string>> {
    const o = options ?? {};
    return new Schema(common(o, 'string'), presenceOf(o) as Defaulted<O, string>);
  },

  /** A string that is one of `values` (`enum`). */
  enum<const V extends readonly [string, ...string[]], O extends Common & { readonly default?: V[number] }>(values: V, options?: O): Schema<V[number], V[number], Defaulted<O, V[number]>> {
    const o = options ?? {};
    return new Schema({ ...common(o, 'string'), enum: [...values] }, presenceOf(o) as Defaulted<O, V[number]>);
  },

  integer<O extends NumberOptions>(options?: O): Schema<number, number, Defaulted<O, number>> {
    const o = options ?? {};
    return new Schema(common(o, 'integer'), presenceOf(o) as Defaulted<O, number>);
  },

  number<O extends NumberOptions>(options?: O): Schema<number, number, Defaulted<O, number>> {
    const o = options ?? {};
    return new Schema(common(o, 'number'), presenceOf(o) as Defaulted<O, number>);
  },

  boolean<O extends Common & { readonly default?: boolean }>(options?: O): Schema<boolean, boolean, Defaulted<O, boolean>> {
    const o = options ?? {};
    return new Schema(common(o, 'boolean'), presenceOf(o) as Defaulted<O, boolean>);
  },

  array<S extends AnySchema, O extends ArrayOptions<S['__in']>>(items: S, options?: O): Schema<S['__out'][], S['__in'][], Defaulted<O, readonly S['__in'][]>> {
    const o = options ?? {};
    return new Schema({ ...common(o, 'array'), items: items.toJSONSchema() }, presenceOf(o) as Defaulted<O, readonly S['__in'][]>);
  },

  /** An object with these properties; the required ones are those neither optional nor defaulted. */
  object<S extends Shape>(shape: S, options: ObjectOptions = {}): Schema<ObjectOut<S>, ObjectIn<S>> {
    const properties: Record<string, JSONSchemaProps> = {};
    const required: string[] = [];
    for (const [name, schema] of Object.entries(shape)) {
      properties[name] = schema.toJSONSchema();
      if (schema.presence === 'required') required.push(name);
    }
    return new Schema({ ...common(options, 'object'), properties, ...(required.length > 0 ? { required } : {}) }, 'required');
  },

  /** A map of string keys to `values` (`additionalProperties`). */
  record<S extends AnySchema>(values: S, options: Omit<ObjectOptions, 'preserveUnknownFields'> = {}): Schema<Record<string, S['__out']>, Record<string, S['__in']>> {
    return new Schema({ ...common(options, 'object'), additionalProperties: values.toJSONSchema() }, 'required');
  },

  /** An integer or a string, like a port name or number (x-kubernetes-int-or-string). */
  intOrString<O extends Common & { readonly default?: number | string }>(options?: O): Schema<number | string, number | string, Defaulted<O, number | string>> {
    const o = options ?? {};
    return new Schema({ ...common(o, undefined), 'x-kubernetes-int-or-string': true }, presenceOf(o) as Defaulted<O, number | string>);
  },

  /** Any JSON value, kept as it is (x-kubernetes-preserve-unknown-fields). */
  unknown(options: Common = {}): Schema<unknown> {
    return new Schema({ ...common(options, undefined), 'x-kubernetes-preserve-unknown-fields': true }, 'required');
  },

  /** A whole Kubernetes object with apiVersion, kind and metadata (x-kubernetes-embedded-resource). */
  embeddedResource(options: Common = {}): Schema<EmbeddedResource> {
    return new Schema(
      { ...common(options, 'object'), 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      'required',
    );
  },

  /**
   * A list of metav1.Condition keyed by type, with upstream's validation of each field
   * (k8s.io/apimachinery/pkg/apis/meta/v1 Condition's kubebuilder markers).
   */
  conditions(): Schema<ConditionValue[], ConditionValue[], 'optional'> {
    const schema = t
      .array(
        t.object({
          type: t.string({ maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$' }),
          status: t.enum(['True', 'False', 'Unknown']),
          observedGeneration: t.integer({ minimum: 0, format: 'int64' }).optional(),
          lastTransitionTime: t.string({ format: 'date-time' }),
          reason: t.string({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
          message: t.string({ maxLength: 32768 }),
        }),
        { listType: 'map', listMapKeys: ['type'] },
      )
      .optional();
    // The enum narrows status; metav1.Condition's type says string, and the helpers take that.
    return new Schema<ConditionValue[], ConditionValue[], 'optional'>(schema.toJSONSchema(), 'optional');
  },
};

/** An embedded object, as {@link t.embeddedResource} types it. */
export interface EmbeddedResource {
  apiVersion: string;
  kind: string;
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}

/** One condition of {@link t.conditions}. */
export type ConditionValue = metaV1.Condition;
