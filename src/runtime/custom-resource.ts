/**
 * @module
 * Typed custom resources from one declaration: {@link defineCustomResource} takes the group,
 * version, kind, names and the spec and status schemas (built with `t`, see schema-builder.ts),
 * printer columns, CEL rules and subresources, and gives the CustomResourceDefinition manifest
 * (apiextensions.k8s.io/v1, as `kubectl apply` wants it; `toYaml()` for a file), the ResourceRef
 * for `client.resource(…)` and the informers, and — through {@link CustomResource} — the
 * TypeScript type of its objects. What kubebuilder's markers and controller-gen do for Go
 * (sigs.k8s.io/controller-tools pkg/crd), without a generator.
 *
 * @example
 * const WebApp = defineCustomResource({ group: 'example.com', version: 'v1', kind: 'WebApp', plural: 'webapps',
 *   scope: 'Namespaced', spec: t.object({ image: t.string() }), status: t.object({ url: t.string().optional() }) });
 * type WebAppObject = CustomResource<typeof WebApp>;
 * await client.resource<WebAppObject>(WebApp.ref).namespace('default').list();
 */
import { stringify } from 'yaml';
import type { apiextensionsV1 } from '../api/types/index.js';
import type { KubeObject, ObjectMeta } from '../client/object.js';
import type { TypedResourceRef } from './builder.js';
import type { AnySchema, JSONSchemaProps, ValidationRule } from './schema-builder.js';

export type CustomResourceDefinition = apiextensionsV1.CustomResourceDefinition;

/** A printer column (additionalPrinterColumns): shown by `kubectl get`; priority > 0 only with -o wide. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  readonly format?: string;
  readonly priority?: number;
}

export interface CustomResourceOptions<Spec extends AnySchema, Status extends AnySchema | undefined> {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The lower-case plural, in URLs: `webapps`. */
  readonly plural: string;
  /** @defaultValue the kind in lower case */
  readonly singular?: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly spec: Spec;
  /** With a status schema the status subresource is served (writes to it change only status). */
  readonly status?: Status;
  /** CEL rules on the spec (x-kubernetes-validations; `self` is the spec). */
  readonly validations?: readonly ValidationRule[];
  readonly printerColumns?: readonly PrinterColumn[];
  /** Serve /status (needs a status schema). @defaultValue true when there is a status schema */
  readonly statusSubresource?: boolean;
  /** Fields lists and watches may select on (`--field-selector spec.color=red`), as JSON paths: `.spec.color`. */
  readonly selectableFields?: readonly string[];
  /** The scale subresource (kubectl scale, HorizontalPodAutoscalers). */
  readonly scale?: apiextensionsV1.CustomResourceSubresourceScale;
  readonly description?: string;
}

/** A defined custom resource: its manifest, where it is served, and (in the type) its shape. */
export interface CustomResourceType<Spec extends AnySchema, Status extends AnySchema | undefined> {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** `group/version`. */
  readonly apiVersion: string;
  /** Where it is served; informers and listers made from it hold {@link CustomResource}s of this type. */
  readonly ref: TypedResourceRef<CustomResource<CustomResourceType<Spec, Status>>>;
  /** The CRD manifest (a fresh copy each time). */
  readonly crd: CustomResourceDefinition;
  /** The CRD manifest as YAML, for a file `kubectl apply -f` reads. */
  toYaml(options?: { readonly header?: string }): string;
  /**
   * A new object of this kind: apiVersion and kind filled in, and the spec's defaults applied as
   * the server would apply them (structural defaulting), so it has the type the server returns.
   */
  make(metadata: ObjectMeta & { name: string }, spec: Spec['__in']): CustomResource<CustomResourceType<Spec, Status>>;
  readonly spec: Spec;
  readonly status: Status;
}

type AnyCustomResourceType = CustomResourceType<AnySchema, AnySchema | undefined>;

/** An object of a defined custom resource, as the server returns it (defaults applied). */
export type CustomResource<R extends AnyCustomResourceType> = KubeObject & {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec: R['spec']['__out'];
} & (R['status'] extends AnySchema ? { status?: R['status']['__out'] } : unknown);

/** An object of a defined custom resource as one may write it (defaulted fields optional). */
export type CustomResourceInput<R extends AnyCustomResourceType> = KubeObject & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: R['spec']['__in'];
} & (R['status'] extends AnySchema ? { status?: R['status']['__in'] } : unknown);

/** Declares a custom resource; see the module comment. */
export function defineCustomResource<Spec extends AnySchema, Status extends AnySchema | undefined = undefined>(
  options: CustomResourceOptions<Spec, Status>,
): CustomResourceType<Spec, Status> {
  validateNames(options);
  const apiVersion = `${options.group}/${options.version}`;
  const build = (): CustomResourceDefinition => buildCrd(options);
  return {
    group: options.group,
    version: options.version,
    kind: options.kind,
    apiVersion,
    ref: { group: options.group, version: options.version, resource: options.plural, namespaced: options.scope === 'Namespaced', kind: options.kind },
    get crd() {
      return build();
    },
    toYaml: ({ header } = {}) => `${header === undefined ? '' : `${header.trimEnd().split('\n').map((line) => `# ${line}`.trimEnd()).join('\n')}\n`}${stringify(build(), { lineWidth: 0 })}`,
    make: (metadata, spec) => {
      const defaulted: unknown = applyDefaults(structuredClone(spec), options.spec.toJSONSchema());
      // applyDefaults filled in every defaulted property: the value now has the schema's output type.
      return { apiVersion, kind: options.kind, metadata, spec: defaulted as Spec['__out'] } as CustomResource<CustomResourceType<Spec, Status>>;
    },
    spec: options.spec,
    status: options.status as Status,
  };
}

function buildCrd(options: CustomResourceOptions<AnySchema, AnySchema | undefined>): CustomResourceDefinition {
  const spec = options.spec.toJSONSchema();
  if (options.validations !== undefined && options.validations.length > 0) {
    spec['x-kubernetes-validations'] = [...(spec['x-kubernetes-validations'] ?? []), ...options.validations.map((rule) => ({ ...rule }))];
  }
  const properties: Record<string, JSONSchemaProps> = { spec };
  if (options.status !== undefined) properties.status = options.status.toJSONSchema();
  const schema: JSONSchemaProps = {
    ...(options.description === undefined ? {} : { description: options.description }),
    type: 'object',
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...properties },
    required: ['spec'],
  };
  const subresources: apiextensionsV1.CustomResourceSubresources = {
    ...(options.status === undefined || options.statusSubresource === false ? {} : { status: {} }),
    ...(options.scale === undefined ? {} : { scale: { ...options.scale } }),
  };
  const names: apiextensionsV1.CustomResourceDefinitionNames = {
    plural: options.plural,
    singular: options.singular ?? options.kind.toLowerCase(),
    kind: options.kind,
    listKind: `${options.kind}List`,
    ...(options.shortNames === undefined ? {} : { shortNames: [...options.shortNames] }),
    ...(options.categories === undefined ? {} : { categories: [...options.categories] }),
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${options.plural}.${options.group}` },
    spec: {
      group: options.group,
      names,
      scope: options.scope,
      versions: [
        {
          name: options.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          ...(Object.keys(subresources).length === 0 ? {} : { subresources }),
          ...(options.printerColumns === undefined ? {} : { additionalPrinterColumns: options.printerColumns.map((column) => ({ ...column })) }),
          ...(options.selectableFields === undefined ? {} : { selectableFields: options.selectableFields.map((jsonPath) => ({ jsonPath })) }),
        },
      ],
    },
  };
}

/**
 * Fills absent properties that have a default, all the way down (apiextensions-apiserver
 * pkg/apiserver/schema/defaulting/algorithm.go, for objects, maps and arrays).
 */
export function applyDefaults(value: unknown, schema: JSONSchemaProps): unknown {
  if (Array.isArray(value)) {
    if (schema.items !== undefined && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
      const items = schema.items as JSONSchemaProps;
      for (const item of value) applyDefaults(item, items);
    }
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (object[name] === undefined && property.default !== undefined) object[name] = structuredClone(property.default);
    if (object[name] !== undefined) applyDefaults(object[name], property);
  }
  const additional = schema.additionalProperties;
  if (typeof additional === 'object' && additional !== null) {
    for (const entry of Object.values(object)) applyDefaults(entry, additional as JSONSchemaProps);
  }
  return value;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The naming rules the API server would otherwise refuse the CRD for (apiextensions validation.go). */
function validateNames(options: CustomResourceOptions<AnySchema, AnySchema | undefined>): void {
  if (!options.group.includes('.')) throw new Error(`group "${options.group}" should be a domain with at least one dot`);
  if (!DNS_LABEL.test(options.plural)) throw new Error(`plural "${options.plural}" must be a lower-case DNS label`);
  if (options.singular !== undefined && !DNS_LABEL.test(options.singular)) throw new Error(`singular "${options.singular}" must be a lower-case DNS label`);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(options.kind)) throw new Error(`kind "${options.kind}" must be a CamelCase identifier`);
  for (const shortName of options.shortNames ?? []) if (!DNS_LABEL.test(shortName)) throw new Error(`shortName "${shortName}" must be a lower-case DNS label`);
}
